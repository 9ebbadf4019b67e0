"""Score the pipeline on the two real test sets, tuned (realdev) and frozen apart.

    PYTHONPATH=. python scripts/score_sets.py [--sets realdev frozen] [--keep DIR] [--json FILE]

Runs the pipeline in this process on tests/data/<set> (openings of real plans, see each
SOURCES.md) and prints tests/data/score.py's figures per set. realdev may be tuned on; frozen
must not be: quote its figures separately, never merged with realdev.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = ("realdev", "frozen")


def scorer():
    """tests/data/score.py as a module (it is a copy of the shared scorer, not a package)."""
    spec = importlib.util.spec_from_file_location("realsets_score", DATA / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_set(name: str, out_dir: Path, *, rules=None) -> dict:
    """Run the pipeline on tests/data/NAME into OUT_DIR and score it against NAME/gold."""
    from pipeline.batch import run

    run([DATA / name], out_dir, rules=rules, progress=False, workers=0, fresh=True)
    return scorer().score(out_dir, DATA / name / "gold")


def render(name: str, r: dict) -> str:
    n = len(list((DATA / name / "gold").glob("*.json")))
    lines = [f"== {name} ({n} documents)"]
    if r["missing_docs"]:
        lines.append("not in the run: " + ", ".join(r["missing_docs"]))
    lines.append(f"{'table':<12} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for k, v in r["tables"].items():
        lines.append(f"{k:<12} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f}   {v['tp']}/{v['fp']}/{v['fn']}")
    fields = r["plan_fields"]
    for f, v in fields.items():
        lines.append(f"plan.{f:<18} {v:6.3f}")
    if fields:
        lines.append(f"plan fields (mean)      {sum(fields.values()) / len(fields):6.3f}")
    lines.append(f"overall F1 {r['overall_f1']:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    ap.add_argument("--keep", type=Path, help="write each set's tables to KEEP/<set> (default: a temp dir)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = a.keep or Path(tmp)
        for name in a.sets:
            results[name] = score_set(name, base / name)
            print(render(name, results[name]))
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
