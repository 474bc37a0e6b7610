"""How Markdown rendering time grows with the text: N and 4N characters of pathological input.

Run ``PYTHONPATH=plugins python bench/bench_markdown.py``. For each input it prints the time of
:func:`sonicguide.core.views.render.markdown_to_html` at N and 4N characters and their ratio (linear
time gives about 4, quadratic about 16). ``--python-markdown`` times the renderer used before
(Python-Markdown with sane_lists and tables) on the same inputs, for comparison.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from sonicguide.core.views import render

#: name -> a text of about ``n`` characters.
CASES: dict[str, Callable[[int], str]] = {
    "[ x N": lambda n: "[" * n,
    "![ x N": lambda n: "![" * (n // 2),
    "* x N": lambda n: "*" * n,
    "_a x N": lambda n: "_a" * (n // 2),
    "< x N": lambda n: "<" * n,
    "` x N": lambda n: "`" * n,
    "&# x N": lambda n: "&#" * (n // 2),
    "[a]( x N": lambda n: "[a](" * (n // 4),
    "link chain [a](b)": lambda n: "[a](b)" * (n // 6),
    "reference defs": lambda n: "[a]: b\n" * (n // 7),
    "nested list": lambda n: "".join(f"{'  ' * (i % 200)}- x\n" for i in range(n // 200)),
    "> x N (nested quotes)": lambda n: "> " * (n // 2),
    "table cells |a": lambda n: "|a" * (n // 2),
}


def _time(renderer: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    renderer(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=4000, help="the smaller length in characters (default 4000)")
    parser.add_argument("--python-markdown", action="store_true",
                        help="also time Python-Markdown (slow: minutes on some inputs)")
    args = parser.parse_args()
    renderers: dict[str, Callable[[str], object]] = {
        # The memo would answer the second call of a text for free; time the renderer itself.
        "markdown-it-py + nh3": lambda text: render._markdown_fragment.__wrapped__(text),
    }
    if args.python_markdown:
        import markdown

        renderers["Python-Markdown"] = lambda text: markdown.markdown(text, extensions=["sane_lists", "tables"])
    render._markdown_fragment("warm up")
    print(f"{'input':24} {'renderer':22} {'N':>7} {'t(N) ms':>9} {'t(4N) ms':>9} {'ratio':>6}")
    worst = 0.0
    for name, make in CASES.items():
        for label, renderer in renderers.items():
            small, large = make(args.n), make(4 * args.n)
            t_small = min(_time(renderer, small) for _ in range(3))
            t_large = min(_time(renderer, large) for _ in range(3))
            ratio = t_large / max(t_small, 1e-6)
            if label.startswith("markdown-it"):
                worst = max(worst, ratio)
            print(f"{name:24} {label:22} {len(small):7} {t_small * 1000:9.1f} {t_large * 1000:9.1f} {ratio:6.1f}")
    print(f"worst ratio t(4N)/t(N) of the renderer in use: {worst:.1f} (linear: 4, quadratic: 16)")


if __name__ == "__main__":
    main()
