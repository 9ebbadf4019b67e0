"""How often a task's theme is the one the gold gives it (score.py does not score themes).

    PYTHONPATH=. python scripts/score_themes.py [--wrong]

Runs the pipeline in this process on corpus/ (the seeds, gold in tests/data/gold) and
corpus/real/ (gold in tests/data/gold-real), pairs each gold task with the task of the same
path, and prints the share whose theme agrees, per set and over both. A change to
rules/themes.yaml or pipeline/extract/themes.py shows here whether themes kept their quality.
--wrong lists the tasks that disagree (gold, ours, the text's opening).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_sets import scorer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = {"seeds": (ROOT / "corpus", ROOT / "tests" / "data" / "gold"),
        "real": (ROOT / "corpus" / "real", ROOT / "tests" / "data" / "gold-real")}


def theme_agreement(src: Path, gold: Path, out: Path) -> tuple[int, int, list[tuple]]:
    """(agreeing, labelled, the disagreements) of one set, run into OUT."""
    from pipeline.batch import run

    _path = scorer()._path  # a section path as the scorer compares it

    files = sorted(p for p in src.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".docx", ".pdf"))
    run(files, out, progress=False, workers=0, fresh=True)
    docs = pd.read_parquet(out / "documents.parquet")
    tasks = pd.read_parquet(out / "tasks.parquet", columns=["doc_id", "path", "theme", "text"])
    doc_of = {Path(p).name: d for p, d in zip(docs.source_path, docs.doc_id, strict=True)}
    ok = n = 0
    wrong = []
    for g in sorted(gold.glob("*.json")):
        want = json.loads(g.read_text(encoding="utf-8"))
        mine = tasks[tasks.doc_id == doc_of.get(want["doc"])]
        got = {_path(p): (t, x) for p, t, x in zip(mine.path, mine.theme, mine.text, strict=True)}
        for task in want.get("tasks") or []:
            if "theme" not in task:
                continue
            n += 1
            theme, text = got.get(_path(task["path"]), (None, ""))
            if theme == task["theme"]:
                ok += 1
            else:
                wrong.append((want["doc"], task["path"], task["theme"], theme, (text or "")[:60]))
    return ok, n, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wrong", action="store_true", help="list the tasks whose theme disagrees")
    a = ap.parse_args(argv)
    total_ok = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (src, gold) in SETS.items():
            ok, n, wrong = theme_agreement(src, gold, Path(tmp) / name)
            total_ok, total = total_ok + ok, total + n
            print(f"{name:<6} {ok}/{n} task themes agree with the gold ({ok / max(n, 1):.3f})")
            for w in wrong if a.wrong else ():
                print("   ", *w)
    print(f"both   {total_ok}/{total} ({total_ok / max(total, 1):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
