"""Command line: `kehoach run INPUT... --out DIR` and `kehoach show FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .batch import run
from .process import process_file
from .rules import Rules
from .show import render


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kehoach", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="parse plans (files and folders) into Parquet tables")
    p_run.add_argument("inputs", nargs="+", help="files or folders (searched recursively)")
    p_run.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    p_run.add_argument("--rules", default=None, help="rules folder (default: the shipped rules/)")
    p_run.add_argument("--no-progress", action="store_true", help="no progress bar")
    p_show = sub.add_parser("show", help="what was understood of one document")
    p_show.add_argument("file")
    p_show.add_argument("--rules", default=None)
    args = ap.parse_args(argv)
    try:
        rules = Rules.resolve(args.rules)
    except ValueError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 2
    if args.command == "run":
        missing = [i for i in args.inputs if not Path(i).exists()]
        if missing:
            print(f"kehoach: no such file or folder: {', '.join(missing)}", file=sys.stderr)
            return 2
        summary = run(args.inputs, args.out, rules=rules,
                      progress=not args.no_progress and sys.stderr.isatty())
        print("\n".join(summary.lines()))
        return 0
    result = process_file(args.file, rules=rules)
    print(render(result))
    return 0 if result.raw.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
