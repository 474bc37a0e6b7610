"""The ``sonicguide`` command line.

Each sub-command lives in :mod:`sonicguide.commands` as a module exposing ``register(subparsers)``
(which adds its parser and sets ``func``) so that commands stay independent of each other.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from sonicguide import __version__

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = ("init", "new", "validate", "schema", "analyze", "sign", "pack", "doctor", "cache")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sonicguide", description="Brand sonic-identity guides as static sites.")
    parser.add_argument("--version", action="version", version=f"sonicguide {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"sonicguide.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sonicguide.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`sonicguide analyze --json ... | head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
