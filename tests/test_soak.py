"""Soak test (issue 15): many mutated brands through ``sonicguide validate`` and real builds, each in a
subprocess under a memory limit (``RLIMIT_AS``) and a time limit. Nothing may print a traceback,
every problem line must have the ``file:line:column: field: message`` shape, every ``brand.json``
must be strict JSON, and a failed build must leave the last good site intact."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sitehelpers import make_project

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_BYTES = 3 << 30  # address space: numpy, scipy and matplotlib reserve much more than they use
SEED = 15
MUTANTS = 36

#: Replacement values a careless contributor or an attacker would write.
HOSTILE_VALUES = [
    '"' + "[" * 4000 + '"', '"' + "[a](b)" * 600 + '"', '"' + "*_" * 3000 + '"', '"\\u202Egnp.exe"',
    '"x\\u0000y"', "&a [1, *a]", "!!python/object:os.system x", "{a: {b: {c: {d: {e: [[[[[[]]]]]]}}}}}",
    "1e400", ".nan", "-.inf", "99999999999999999999999", "0x7fffffffffffffff", "2024-02-30", "NO", "0120",
    "1:30", "''", "~", '"../../etc/passwd"', "/dev/zero", "https://example.com/a.wav", '"sg-overview"',
    '"touchpoint-all"', '"all"', '"\u05e9\u05dc\u05d5\u05dd"', '"' + "A" * 30000 + '"', "|\n    block",
    '"café.wav"', '"audio/LOGO.WAV"', "[]", "{}", '"<script>alert(1)</script>"',
]


def _mutate(rng: random.Random, text: str) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        index = rng.randrange(len(lines))
        if choice < 0.55 and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {rng.choice(HOSTILE_VALUES)}"
        elif choice < 0.65:
            del lines[index]
        elif choice < 0.75:
            lines.insert(index, lines[index])  # a duplicate key or item
        elif choice < 0.85:
            lines[index] = " " * rng.randint(0, 5) + lines[index].lstrip()
        elif choice < 0.92:
            lines = lines[: max(1, index)]  # truncated
        else:
            lines.insert(index, lines[index][: rng.randint(0, len(lines[index]))] + "\t")
    return "\n".join(lines) + "\n"


#: Mutants that must stay valid (pathological but allowed text), so that the build has something to build.
VALID_EXTRAS = [
    ("  industry: Testing\n", "  industry: Testing\n  summary: \"" + "[" * 5000 + "\"\n"),
    ("  industry: Testing\n", "  industry: Testing\n  summary: \"" + "[a](https://x.example/)" * 400 + "\"\n"),
    ("  name: Minimal\n", "  name: \"\u05e9\u05dc\u05d5\u05dd & <b>bold</b>\"\n"),
    ("  - id: app\n    name: App\n", "  - id: app\n    name: App\n  - id: all\n    name: All\n"),
]


def _limited(command: list[str], cwd: Path, timeout_s: float) -> subprocess.CompletedProcess[str]:
    code = (
        "import resource, runpy, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT_BYTES}, {MEMORY_LIMIT_BYTES}))\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({int(timeout_s)}, {int(timeout_s)}))\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "OPENBLAS_NUM_THREADS": "1",
           "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-c", code, *command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout_s, check=False)


def _strict_json(path: Path) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{path}: non-standard JSON constant {constant}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def test_soak_mutated_brands_validate_and_build_without_tracebacks(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    brands = tmp_path / "brands"
    texts = {f"m{index:02d}": _mutate(rng, MINIMAL_BRAND) for index in range(MUTANTS)}
    for index, (old, new) in enumerate(VALID_EXTRAS):
        texts[f"v{index}"] = MINIMAL_BRAND.replace(old, new)
    texts["compare"] = MINIMAL_BRAND  # a slug clash
    for slug, text in texts.items():
        make_brand(brands, slug, text)

    # 1. validate: every problem in the documented shape, no traceback, within the limits.
    result = _limited(["sonicguide.cli", "validate", "brands"], tmp_path, timeout_s=60)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr[-3000:]
    shape = re.compile(r"^brands/[^:]+(:\d+(:\d+)?)?: [^:]*: .+$")
    lines = result.stdout.splitlines()
    assert lines and all(shape.match(line) for line in lines), [line for line in lines if not shape.match(line)]
    failing = {line.split("/")[1] for line in lines}
    assert {"compare"} <= failing and not failing & {f"v{i}" for i in range(len(VALID_EXTRAS))}, failing
    valid = sorted(set(texts) - failing)
    assert len(valid) >= len(VALID_EXTRAS) and len(failing) >= MUTANTS // 2, (valid, failing)

    # 2. a build of the valid brands (strict JSON, complete site), then one of all of them (refused
    #    before anything is written: the site stays byte-for-byte as it was).
    config = make_project(tmp_path, {}, plugin_options={"concurrency": 1})
    for slug in failing:
        (brands / slug).rename(tmp_path / f"held-{slug}")
    build = ["mkdocs", "build", "-q", "-f", str(config)]
    result = _limited(build, tmp_path, timeout_s=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    site = tmp_path / "site"
    for slug in valid:
        assert (site / slug / "index.html").is_file()
        data = _strict_json(site / slug / "brand.json")
        assert isinstance(data, dict)
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    for slug in failing:
        (tmp_path / f"held-{slug}").rename(brands / slug)
    result = _limited(build, tmp_path, timeout_s=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "problems in brand definitions" in result.stderr
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob("site.sonicguide-*"))
