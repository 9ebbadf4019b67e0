"""Are two runs' Parquet tables equal as tables? (rows compared as sets, columns by name)

    python scripts/tables_equal.py OUT_A OUT_B [--ignore pipeline_version] [--allow tasks.theme]

Rows are sorted before comparing, so order does not matter; a column named with --ignore
(TABLE.COLUMN, or COLUMN for every table) is left out. With --allow TABLE.COLUMN, rows that
differ only in that column are counted and listed apart instead of failing (a change made
on purpose, such as a new theme matcher). Exit status 0 when every table is equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow.parquet as pq

# columns that differ between any two runs by design (time, version)
_VOLATILE = {"pipeline_version", "run_id", "created_at", "seconds"}


def _rows(path: Path, drop: set[str]) -> tuple[list[str], list[tuple]]:
    table = pq.read_table(path)
    cols = [c for c in table.schema.names if c not in drop]
    data = table.select(cols).to_pylist()
    return cols, sorted(tuple(repr(r[c]) for c in cols) for r in data)


def compare(a: Path, b: Path, ignore: set[str], allow: set[str], show: int = 20) -> bool:
    ok = True
    names = sorted({p.name for p in a.glob("*.parquet")} | {p.name for p in b.glob("*.parquet")})
    for name in names:
        table = name.removesuffix(".parquet")
        if not (a / name).exists() or not (b / name).exists():
            print(f"{table:<14} only in {'A' if (a / name).exists() else 'B'}")
            ok = False
            continue
        drop = {c.split(".")[-1] for c in ignore if "." not in c or c.startswith(table + ".")}
        drop |= _VOLATILE
        cols_a, rows_a = _rows(a / name, drop)
        cols_b, rows_b = _rows(b / name, drop)
        if cols_a != cols_b:
            print(f"{table:<14} columns differ: {sorted(set(cols_a) ^ set(cols_b))}")
            ok = False
            continue
        if rows_a == rows_b:
            print(f"{table:<14} equal ({len(rows_a)} rows)")
            continue
        allowed = [c.split(".", 1)[1] for c in allow if c.startswith(table + ".")]
        keep = [i for i, c in enumerate(cols_a) if c not in allowed]
        key_a = sorted(tuple(r[i] for i in keep) for r in rows_a)
        key_b = sorted(tuple(r[i] for i in keep) for r in rows_b)
        if allowed and key_a == key_b:
            changed = sorted(set(rows_a) - set(rows_b))
            print(f"{table:<14} equal but {len(changed)} of {len(rows_a)} rows differ in {allowed}")
            continue
        only_a = sorted(set(rows_a) - set(rows_b))
        only_b = sorted(set(rows_b) - set(rows_a))
        print(f"{table:<14} DIFFER: {len(rows_a)} vs {len(rows_b)} rows; {len(only_a)} only in A, "
              f"{len(only_b)} only in B")
        for r in only_a[:show]:
            print("   A", dict(zip(cols_a, r, strict=True)))
        for r in only_b[:show]:
            print("   B", dict(zip(cols_b, r, strict=True)))
        ok = False
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--ignore", action="append", default=[], help="TABLE.COLUMN or COLUMN to leave out")
    ap.add_argument("--allow", action="append", default=[], help="TABLE.COLUMN allowed to differ")
    args = ap.parse_args()
    return 0 if compare(args.a, args.b, set(args.ignore), set(args.allow)) else 1


if __name__ == "__main__":
    sys.exit(main())
