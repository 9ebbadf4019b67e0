"""Command line: `kehoach run INPUT... --out DIR`, `kehoach show FILE`, `kehoach catalogue FILE`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .batch import (
    DEFAULT_CHUNK,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Interrupted,
    StoreError,
    run,
)
from .process import process_file
from .rules import Rules
from .schema import PIPELINE_VERSION
from .show import render, store_lines

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "g": 1 << 30, "gb": 1 << 30}


def size_arg(text: str) -> int:
    """`200M`, `1.5G`, `4096K` or a number of bytes."""
    t = text.strip().lower()
    num = t.rstrip("kmgb")
    try:
        n = float(num) * _UNITS[t[len(num):]]
    except (KeyError, ValueError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 200M, 2G)") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return int(n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kehoach", description=__doc__)
    ap.add_argument("--version", action="version", version=f"kehoach {PIPELINE_VERSION}")
    sub = ap.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="parse plans (files and folders) into Parquet tables")
    p_run.add_argument("inputs", nargs="+", help="files or folders (searched recursively)")
    p_run.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    p_run.add_argument("--rules", default=None, help="rules folder (default: the shipped rules/)")
    bar = p_run.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show the progress bar (default: when stderr is a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    p_run.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: the machine's cores; 0: in this process)")
    p_run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                       help=f"seconds per file before it is given up as an error "
                            f"(default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p_run.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="local process pool (default) or a Dask cluster")
    p_run.add_argument("--scheduler", default=None,
                       help="Dask scheduler address (tcp://host:8786) for --executor dask")
    p_run.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK,
                       help=f"documents per committed chunk of the store (default {DEFAULT_CHUNK})")
    p_run.add_argument("--fresh", action="store_true",
                       help="empty the store in --out first instead of adding to it")
    p_run.add_argument("--max-bytes", type=size_arg, default=DEFAULT_MAX_BYTES,
                       help="larger files get an error row without being read "
                            f"(default {DEFAULT_MAX_BYTES >> 20}M; e.g. 500M, 2G)")
    p_run.add_argument("--max-memory", type=size_arg, default=DEFAULT_MAX_MEMORY_MB << 20,
                       help="memory (address space) of each worker; a file that needs more gets "
                            f"an error row (default {DEFAULT_MAX_MEMORY_MB >> 10}G; 0: no limit)")
    chosen = p_run.add_mutually_exclusive_group()
    chosen.add_argument("--mandate", default=None, metavar="NAME",
                        help="check plans whose parent is not in the store against the catalogue "
                             "rules/mandates/NAME.yaml")
    chosen.add_argument("--against", default=None, metavar="FILE",
                        help="the same with a catalogue YAML file or a parent plan document")
    p_cat = sub.add_parser("catalogue", help="write a mandate catalogue (rules/mandates/NAME.yaml) "
                                             "from a parent plan")
    p_cat.add_argument("file", help="the parent plan (any input format)")
    p_cat.add_argument("--out", required=True, help="the YAML file to write, e.g. rules/mandates/NAME.yaml")
    p_cat.add_argument("--id", default=None, help="catalogue id (default: the --out file's stem)")
    p_cat.add_argument("--rules", default=None)
    p_show = sub.add_parser("show", help="what was understood of one document")
    p_show.add_argument("file")
    p_show.add_argument("--out", default="outputs",
                        help="the store whose flags and coverage to show (default: outputs)")
    p_show.add_argument("--rules", default=None)
    p_exp = sub.add_parser("export", help="write the workbook (xlsx) or the DuckDB file (duckdb) "
                                          "on request: stores over 5,000 plans do not get them "
                                          "automatically")
    p_exp.add_argument("format", choices=("xlsx", "duckdb"))
    p_exp.add_argument("--out", default="outputs", help="the store (default: outputs)")
    args = ap.parse_args(argv)
    if args.command == "export":
        from .exports_publish import main as export_main

        return export_main([args.format, args.out])
    try:
        rules = Rules.resolve(args.rules)
    except ValueError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 2
    if args.command == "catalogue":
        return _catalogue(args, rules)
    if args.command == "run" and (args.mandate or args.against):
        from .compare import with_catalogue

        try:
            rules = with_catalogue(rules, args.mandate or args.against)
        except ValueError as exc:
            print(f"kehoach: {exc}", file=sys.stderr)
            return 2
    if args.command == "run":
        missing = [i for i in args.inputs if not os.path.lexists(i)]
        if missing:  # a row each in documents, like any other path that cannot be read
            print(f"kehoach: no such file or folder: {', '.join(missing)} (recorded as error rows)",
                  file=sys.stderr)
        if args.executor == "dask" and not args.scheduler:
            print("kehoach: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
            return 2
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        try:
            summary = run(args.inputs, args.out, rules=rules, progress=progress,
                          workers=args.workers, timeout=args.timeout or None,
                          executor=args.executor, scheduler=args.scheduler,
                          chunk_size=max(1, args.chunk_size), fresh=args.fresh,
                          max_bytes=args.max_bytes, max_memory_mb=(args.max_memory >> 20) or None)
        except StoreError as exc:  # --out unusable, or another run holds it
            print(f"kehoach: {exc}", file=sys.stderr)
            return 2
        except Interrupted as exc:
            print(f"\nkehoach: {exc}", file=sys.stderr)
            return 130
        except KeyboardInterrupt:  # before the first file or while consolidating
            print("\nkehoach: interrupted; what was committed is kept: run the same command "
                  "again to resume", file=sys.stderr)
            return 130
        print("\n".join(summary.lines()))
        return 0
    result = process_file(args.file, rules=rules)
    print(render(result))
    stored = store_lines(Path(args.out), result.raw.doc_id)
    print("\n".join(stored) if stored is not None else
          f"\nnot in the store {args.out}: `kehoach run {args.file} --out {args.out}` "
          "adds it, with its flags and coverage")
    return 0 if result.raw.status == "ok" else 1


def _catalogue(args: argparse.Namespace, rules: Rules) -> int:
    """`kehoach catalogue FILE --out rules/mandates/NAME.yaml`: the parent's tasks, reviewable."""
    from .compare import build_catalogue, dump_catalogue
    from .write import rows_of

    result = process_file(args.file, rules=rules)
    if result.raw.status != "ok":
        print(f"kehoach: {args.file}: {result.raw.error or result.raw.status}", file=sys.stderr)
        return 1
    out = Path(args.out)
    cat = build_catalogue(rows_of(result), rules=rules, name=args.id or out.stem, source=str(args.file))
    dump_catalogue(cat, out)
    n = sum(len(g["tasks"]) for g in cat["groups"])
    print(f"catalogue {cat['id']}: {len(cat['groups'])} groups, {n} tasks from {args.file} -> {out}")
    if not n:
        print("kehoach: no tasks found in the parent plan: the catalogue is empty", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
