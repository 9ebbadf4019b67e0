"""Calibrate the coverage thresholds of rules/compare.yaml on a labelled set built from real plans.

    PYTHONPATH=. python scripts/calibrate_compare.py [corpus/real] [--write]

Not the seeds: every plan of corpus/real (12 provincial plans, every topic) is its own parent.
Each of its tasks is a mandate, and the child is the plan's task list changed one way:

- reworded (label covered): the task's clauses in another order, a filler phrase added, one
  common administrative verb swapped for another, the last fifth of its words cut;
- deleted (label not covered): the task removed, every other task of the plan kept (siblings
  share the plan's vocabulary: the hard case); a task another task repeats (half its word
  pairs, the same duty for another body) is left out of the negatives;
- group deleted (label not covered): the task's whole group removed;
- narrowed to the heading (label not covered): the group's tasks replaced by its heading;
- other plan (label missing): the tasks of another real plan.

`covered` is set to the lowest score that keeps the share of negatives scored covered at or
under 5 % (rounded up to 0.05), `partial` to the lowest that keeps it under 10 %. (At 2 % —
the target while the set had 160 tasks — the 448-task set asks 0.85, which leaves 22 % of the
rewordings uncovered: the deleted-sibling negatives share their plan's wording); the script
prints the positive rate at those thresholds. --write stores thresholds and figures in the
`thresholds` and `calibration` blocks of rules/compare.yaml.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.compare import Mandate, compare
from pipeline.process import process_file
from pipeline.rules import load_rules
from pipeline.write import rows_of

# rewordings a drafter uses, independent of the synonym lists in rules/ (no circularity)
SWAPS = [("Tăng cường", "Đẩy mạnh"), ("tăng cường", "đẩy mạnh"), ("Đẩy mạnh", "Tăng cường"),
         ("thực hiện", "triển khai"), ("triển khai", "thực hiện"), ("các ", "những "),
         ("nâng cao", "cải thiện"), ("kịp thời", "nhanh chóng"), ("Chủ trì", "Chủ động"),
         ("xây dựng", "ban hành"), ("đảm bảo", "bảo đảm"), ("hướng dẫn", "chỉ dẫn")]
FILLERS = ["trên địa bàn", "theo kế hoạch của cấp trên", "trong năm", "theo chức năng, nhiệm vụ"]


def reword(text: str, rnd: random.Random) -> str:
    clauses = [c.strip() for c in re.split(r"[;.]\s+", text.strip().rstrip(".;")) if c.strip()]
    if len(clauses) > 1:
        rnd.shuffle(clauses)
        text = "; ".join(clauses)
    for a, b in rnd.sample(SWAPS, len(SWAPS)):
        if a in text:
            text = text.replace(a, b, 1)
            break
    words = text.split()
    keep = max(6, math.ceil(len(words) * 0.8))
    return " ".join(words[:keep]) + " " + rnd.choice(FILLERS) + "."


def plan_rows(path: Path, rules) -> dict | None:
    result = process_file(path, rules=rules)
    if result.raw.status != "ok":
        return None
    rows = rows_of(result)
    rows["tasks"] = [t for t in rows["tasks"] if len(t.get("text") or "") >= 40]
    return rows if len(rows["tasks"]) >= 4 else None


def _bigrams(text: str) -> set[tuple[str, str]]:
    w = re.findall(r"\w+", text.lower())
    return set(zip(w, w[1:], strict=False))


def duplicated(t: dict, others: list[dict]) -> bool:
    """Whether another task says the same (half of t's word pairs): a real plan repeats duties
    for several bodies, and such a pair is no negative."""
    b = _bigrams(t["text"])
    return bool(b) and any(len(b & _bigrams(o["text"])) >= 0.5 * len(b) for o in others)


def group_key(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def score(rules, mandate: Mandate, child: list[dict], idf: list[str]) -> float:
    return compare(child, [mandate], rules=rules, child_doc_id="c", idf_texts=idf)[0].score


def labelled_scores(corpus: Path, rules, seed: int = 7) -> dict[str, list[float]]:
    rnd = random.Random(seed)
    plans = {p.name: r for p in sorted(corpus.glob("*.md")) if (r := plan_rows(p, rules))}
    out: dict[str, list[float]] = defaultdict(list)
    names = sorted(plans)
    secs_of = {n: {s["path"]: s for s in plans[n]["sections"]} for n in names}
    for n in names:
        tasks = plans[n]["tasks"]
        idf = [t["text"] for t in tasks]
        groups: dict[str, list[dict]] = defaultdict(list)
        for t in tasks:
            groups[group_key(t["path"])].append(t)
        other = plans[names[(names.index(n) + 1) % len(names)]]["tasks"]
        for t in tasks:
            m = Mandate(t["task_id"], t["text"], t.get("theme") or "other")
            rest = [x for x in tasks if x is not t]
            variant = {**t, "task_id": "v", "text": reword(t["text"], rnd)}
            out["reworded"].append(score(rules, m, rest + [variant], idf))
            if duplicated(t, rest):
                out["duplicate_kept"].append(score(rules, m, rest, idf))
                continue
            out["deleted"].append(score(rules, m, rest, idf))
            g = group_key(t["path"])
            outside = [x for x in tasks if group_key(x["path"]) != g]
            if outside and len(groups[g]) > 1 and not duplicated(t, outside):
                out["group_deleted"].append(score(rules, m, outside, idf))
                head = secs_of[n].get(g, {}).get("heading")
                if head:
                    cut_to_head = outside + [{**t, "task_id": "h", "text": head}]
                    out["narrowed"].append(score(rules, m, cut_to_head, idf))
            out["other_plan"].append(score(rules, m, other, idf))
    return out


def rate(xs: list[float], t: float) -> float:
    return sum(x >= t for x in xs) / max(1, len(xs))


def choose(neg: list[float], max_rate: float) -> float:
    t = 0.05
    while t < 1.0 and rate(neg, t) > max_rate:
        t = round(t + 0.05, 2)
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default="corpus/real")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    rules = load_rules()
    s = labelled_scores(Path(args.corpus), rules)
    neg = s["deleted"] + s["group_deleted"] + s["narrowed"] + s["other_plan"]
    covered = choose(neg, 0.05)
    partial = choose(neg, 0.10)
    print(f"pairs: {sum(map(len, s.values()))}")
    for k, xs in s.items():
        xs = sorted(xs)
        q = [xs[int(p * (len(xs) - 1))] for p in (0.1, 0.25, 0.5, 0.75, 0.9)]
        print(f"{k:14} n={len(xs):4}  p10/25/50/75/90 = {' '.join(f'{v:.2f}' for v in q)}  "
              f"≥covered {rate(xs, covered):.2f}  ≥partial {rate(xs, partial):.2f}")
    print(f"thresholds: covered {covered}, partial {partial}")
    if args.write:
        path = Path(rules.dir) / "compare.yaml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(\n  covered: )[0-9.]+", rf"\g<1>{covered:.2f}", text, count=1)
        text = re.sub(r"(\n  partial: )[0-9.]+", rf"\g<1>{partial:.2f}", text, count=1)
        figures = (f"  pairs: {sum(map(len, s.values()))}\n"
                   f"  covered_false_rate: {rate(neg, covered):.3f}\n"
                   f"  reworded_covered_rate: {rate(s['reworded'], covered):.3f}\n"
                   f"  reworded_partial_rate: {rate(s['reworded'], partial):.3f}\n")
        block = r"(\ncalibration:\n  set: [^\n]*\n)(?:  (?!set)[a-z_]+: [^\n]*\n)*"
        text = re.sub(block, rf"\g<1>{figures}", text)
        path.write_text(text, encoding="utf-8")
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
