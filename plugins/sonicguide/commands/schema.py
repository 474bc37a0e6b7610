"""``sonicguide schema``: print the JSON Schema (draft-07) of ``brand.yml``, or write it to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sonicguide.core.load.schema import schema_text


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema (draft-07) of brand.yml",
                                   description=__doc__)
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="write the schema to this file instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"sonicguide schema: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output.as_posix()}.", file=sys.stderr)
    return 0
