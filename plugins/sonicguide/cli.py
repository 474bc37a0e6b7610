"""The ``sonicguide`` command line.

Each sub-command lives in :mod:`sonicguide.commands` as a module exposing ``register(subparsers)``
(which adds its parser and sets ``func``) so that commands stay independent of each other. Only the
module of the command being run is imported (``analyze`` alone pulls in numpy and scipy: about 1.3 s
before any work); ``--help``, a mistyped command and no command at all import every one, so that
all of them are listed.
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


def commands_needed(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The sub-command modules a parse of ``argv`` needs: the named command's alone, none for
    ``--version`` before any command, every one otherwise (help, errors and ``argv`` ``None``)."""
    if argv is None:
        return COMMANDS
    for argument in argv:
        if argument == "--version":
            return ()
        if not argument.startswith("-"):
            return (argument,) if argument in COMMANDS else COMMANDS
    return COMMANDS


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv`` (every command when ``None``; see :func:`commands_needed`)."""
    parser = argparse.ArgumentParser(prog="sonicguide", description="Brand sonic-identity guides as static sites.")
    parser.add_argument("--version", action="version", version=f"sonicguide {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands_needed(argv):
        try:
            module = importlib.import_module(f"sonicguide.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sonicguide.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
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
