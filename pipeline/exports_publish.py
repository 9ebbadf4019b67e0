"""When a run writes the workbook and the DuckDB file: only when they would change, and the
workbook only while the store is small enough for one.

Both files copy the whole store, so writing them on every run made an incremental run cost
O(store). Each is now written with a signature of the tables it copies (OUT/.exports.json):
a run whose tables did not change since the file was written leaves the file alone.

The workbook and the DuckDB file are written automatically up to XLSX_AUTO_PLANS /
DUCKDB_AUTO_PLANS plans. A larger store gets neither (a stale one from when the store was
smaller is removed, so no one reads old figures) and the report says how to ask for them:
`kehoach export xlsx --out OUT` / `kehoach export duckdb --out OUT` (or `python -m
pipeline.exports_publish xlsx OUT`), which write them whatever the size — sheets longer than
exports.SHEET_ROWS rows point to Parquet / DuckDB instead. DuckDB reads OUT/*.parquet as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from .crossdoc_io import plan_count
from .exports import DUCKDB_NAME, XLSX_NAME, XLSX_TABLES, write_duckdb, write_xlsx_from
from .schema import TABLES

__all__ = ["publish_exports", "export_xlsx", "export_duckdb", "signature", "XLSX_AUTO_PLANS",
           "DUCKDB_AUTO_PLANS", "STATE_NAME", "main"]

XLSX_AUTO_PLANS = 5_000  # above this many plans the workbook is written on request only
DUCKDB_AUTO_PLANS = 5_000  # and the DuckDB file
STATE_NAME = ".exports.json"
# tables whose bytes are hashed; `documents` (the store's text, GBs at 10⁵ plans) is compared by
# size and mtime: consolidate() leaves its file untouched when no document changed
BY_STAT = {"documents"}
CHUNK = 1 << 20


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def signature(out_dir: Path, tables) -> dict[str, list]:
    """{table: [size, hash or mtime_ns]} of the Parquet files TABLES of OUT_DIR (missing: None)."""
    sig: dict[str, list] = {}
    for name in tables:
        f = Path(out_dir) / f"{name}.parquet"
        if not f.exists():
            sig[name] = None
            continue
        st = f.stat()
        sig[name] = [st.st_size, st.st_mtime_ns if name in BY_STAT else _digest(f)]
    return sig


def _state(out_dir: Path) -> dict:
    try:
        return json.loads((Path(out_dir) / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save(out_dir: Path, state: dict) -> None:
    f = Path(out_dir) / STATE_NAME
    tmp = f.with_name(f"{f.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(tmp, f)


def _export(out_dir: Path, key: str, name: str, tables, limit: int, write, force: bool,
            say=None) -> Path | None:
    """NAME of OUT_DIR written by WRITE(out_dir) if TABLES changed since it was (FORCE: anyway, at
    any size); None, and a stale copy removed, when the store has more than LIMIT plans and FORCE
    is not given. KEY: its entry in OUT/.exports.json. SAY(message), if given, hears when the
    file is written (a workbook of thousands of plans takes a while)."""
    out_dir = Path(out_dir)
    path = out_dir / name
    state = _state(out_dir)
    if not force and plan_count(out_dir) > limit:
        if state.pop(key, None) is not None or path.exists():
            path.unlink(missing_ok=True)  # figures of a smaller store: gone rather than stale
            _save(out_dir, state)
        return None
    sig = signature(out_dir, tables)
    if not force and path.exists() and state.get(key) == sig:
        return path
    if say is not None:
        say(f"writing {path}")
    write(out_dir)
    state[key] = sig
    _save(out_dir, state)
    return path


def export_xlsx(out_dir: Path, *, force: bool = False, say=None) -> Path | None:
    """The workbook if its tables changed since it was written (FORCE: write it anyway, at any
    size); None when the store is over XLSX_AUTO_PLANS plans and FORCE is not given."""
    return _export(out_dir, "xlsx", XLSX_NAME, (*XLSX_TABLES, "documents"), XLSX_AUTO_PLANS,
                   lambda out: write_xlsx_from(out, out / XLSX_NAME), force, say)


def export_duckdb(out_dir: Path, *, force: bool = False, say=None) -> Path | None:
    """The DuckDB file if its tables changed since it was written (FORCE: anyway, at any size);
    None when the store is over DUCKDB_AUTO_PLANS plans and FORCE is not given (the file would
    copy the whole store, its text included, on every run: DuckDB reads OUT/*.parquet directly)."""
    return _export(out_dir, "duckdb", DUCKDB_NAME, TABLES, DUCKDB_AUTO_PLANS, write_duckdb, force, say)


def publish_exports(out_dir: Path, say=None) -> None:
    """The DuckDB file and the workbook of a run (see the module's docstring); a file that cannot
    be written (locked, open in Excel) is reported and does not cost the run its report. SAY: as
    in _export."""
    out_dir = Path(out_dir)
    for name, write in ((DUCKDB_NAME, export_duckdb), (XLSX_NAME, export_xlsx)):
        try:
            write(out_dir, say=say)
        except Exception as exc:
            print(f"kehoach: could not write {out_dir / name}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.exports_publish",
                                 description="write OUT/kehoach.xlsx or OUT/kehoach.duckdb whatever "
                                             "the store's size")
    ap.add_argument("format", choices=("xlsx", "duckdb"))
    ap.add_argument("out_dir")
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    if not (out / "plans.parquet").exists():
        print(f"export: no store in {out}", file=sys.stderr)
        return 2
    print((export_xlsx if args.format == "xlsx" else export_duckdb)(out, force=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
