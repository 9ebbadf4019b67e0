"""The checks of one plan alone: numbering, front matter, tasks without a lead, unknown bodies,
missing reporting schedule, outdated laws. Each is a function from one plan's rows (and its
clean text) to Flag records; `docflags.py` runs them in the worker.

    >>> f = numbering_gaps([{"doc_id": "d", "section_id": "s1", "parent_section_id": None,
    ...     "marker": "I", "marker_type": "roman", "path": "I", "char_start": 0, "char_end": 5},
    ...     {"doc_id": "d", "section_id": "s2", "parent_section_id": None, "marker": "III",
    ...     "marker_type": "roman", "path": "III", "char_start": 5, "char_end": 9}], load_rules())
    >>> [(x.code, x.path) for x in f]
    [('NUMBERING_GAP', 'III')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .compare import abbreviations_in, build_config
from .flagcodes import make_flag
from .link import normalize
from .markers import roman_value
from .records import Flag
from .rules import Rules, load_rules

__all__ = ["front_matter_flags", "load_rules", "no_reporting_schedule", "numbering_gaps", "outdated_laws",
           "tasks_without_lead", "unknown_agencies"]

LEAD_ROLES = {"lead", "requested"}
AREA_SCORE = 2.0  # theme score of a led task's text that names an area (one strong phrase)


# --- numbering --------------------------------------------------------------------------

def numbering_gaps(sections: Iterable[dict], rules: Rules) -> list[Flag]:
    """Siblings numbered I, II, IV or a, b, d (per marker type); bullets are never gaps."""
    orders = [list(o) for o in rules["flags"].get("letter_order") or []]
    sibs: dict[tuple, list[dict]] = defaultdict(list)
    for s in sections:
        if s.get("marker_type") in ("roman", "arabic", "arabic_dotted", "letter", "part"):
            sibs[(s["doc_id"], s.get("parent_section_id"), s["marker_type"])].append(s)
    out = []
    for (doc_id, _, kind), group in sibs.items():
        group.sort(key=lambda s: s.get("char_start") or 0)
        prev = None
        for s in group:
            marker = str(s.get("marker") or "")
            if not _follows(kind, prev, marker, orders):
                out.append(make_flag(rules, "NUMBERING_GAP", doc_id, path=s.get("path"),
                                     span=(s["char_start"], s["char_start"] + 1 + len(marker))
                                     if s.get("char_start") is not None else None,
                                     prev=prev or "—", marker=marker))
            prev = marker
    return out


def _follows(kind: str, prev: str | None, marker: str, orders: list[list[str]]) -> bool:
    """Whether MARKER is a right next sibling after PREV (None: the first sibling)."""
    if kind == "letter":
        m = marker.lower()
        for order in orders:
            if m in order:
                i = order.index(m)
                if prev is None and i == 0:
                    return True
                if prev is not None and prev.lower() in order and order.index(prev.lower()) == i - 1:
                    return True
        if prev is not None and prev.lower() == "d" and m == "e":  # đ left out
            return True
        return False
    if kind == "roman":
        num, pnum = roman_value(marker.upper()), (roman_value(prev.upper()) if prev else 0)
    elif kind == "part":
        num = int(re.sub(r"\D", "", marker) or 0)
        pnum = int(re.sub(r"\D", "", prev) or 0) if prev else 0
    else:  # arabic, arabic_dotted: the last component counts
        last = marker.rstrip(".").split(".")[-1]
        plast = prev.rstrip(".").split(".")[-1] if prev else "0"
        if not (last.isdigit() and plast.isdigit()):
            return True
        num, pnum = int(last), int(plast)
    if num is None or pnum is None:
        return True
    return num == pnum + 1


# --- front matter -----------------------------------------------------------------------

_NUMBER_LINE = re.compile(r"Số\s*:?\s*/\s*[\wĐđ\-]+")


def front_matter_flags(plan: dict, text: str, rules: Rules) -> list[Flag]:
    out = []
    doc_id = plan["doc_id"]
    if not plan.get("number") and plan.get("doc_kind") not in (None, "other"):
        m = _NUMBER_LINE.search(text[:3000])
        out.append(make_flag(rules, "BLANK_DOC_NUMBER", doc_id, span=m.span() if m else None,
                             symbol=plan.get("symbol") or "Số: /…"))
    if plan.get("issue_date") is None and plan.get("doc_kind") not in (None, "other"):
        raw = plan.get("issue_date_raw")
        i = text.find(raw) if raw else -1
        out.append(make_flag(rules, "BLANK_ISSUE_DATE", doc_id,
                             span=(i, i + len(raw)) if i >= 0 else None, raw=raw or "—"))
    return out


# --- tasks and assignments --------------------------------------------------------------


def _reporting_rule_res(rules: Rules) -> list[re.Pattern]:
    return [re.compile(p) for p in rules["flags"].get("reporting_rule") or []]


def _is_reporting_rule(task: dict, section_kinds: Mapping[str, str], rules: Rules) -> bool:
    """A bullet that says who reports to whom and when: a rule of the plan, not a task to lead."""
    if section_kinds.get(task.get("section_id")) == "reporting":
        return True
    if task.get("theme") != "reporting":
        return False
    norm = normalize(task.get("text") or "")
    return any(r.search(norm) for r in rules.compiled("flags.reporting_rule", _reporting_rule_res))


def tasks_without_lead(tasks: Sequence[dict], assignments: Sequence[dict], rules: Rules,
                       sections: Sequence[dict] = ()) -> list[Flag]:
    """Tasks no assignment of the plan covers: not their own, not their section's (Phân công
    blocks), not a named body leading the whole plan, and not a body assigned the task's area
    (theme) elsewhere, as a responsibility section assigns what the task list only describes."""
    leads = [a for a in assignments if a.get("role") in LEAD_ROLES]
    # a closing line naming who leads the whole plan; "đề nghị các cơ quan, đơn vị" leads nothing
    if any(a.get("scope") == "plan" and a.get("role") == "lead" and not a.get("generic") for a in leads):
        return []
    by_task = {a.get("task_id") for a in leads if a.get("task_id")}
    sect_paths = [a["path"] for a in leads if a.get("scope") == "section" and a.get("path")]
    by_path = {a["path"] for a in leads if a.get("scope") == "task" and a.get("path")}
    named_tasks = {a.get("task_id") for a in leads if a.get("task_id") and not a.get("generic")}
    named_sects = [a["path"] for a in leads if a.get("scope") == "section" and a.get("path")
                   and not a.get("generic")]

    def under(path: str, prefixes: Iterable[str]) -> bool:
        return any(path == p or path.startswith(p + "/") for p in prefixes)

    kinds = {s.get("section_id"): s.get("kind") for s in sections}
    led, unled = [], []
    for t in tasks:
        path = t.get("path") or ""
        if t["task_id"] in by_task or path in by_path or under(path, sect_paths):
            if t["task_id"] in named_tasks or under(path, named_sects):
                led.append(t)
        elif not _is_reporting_rule(t, kinds, rules):
            unled.append(t)
    default = (rules.data.get("themes") or {}).get("default", "other")
    areas = {t.get("theme") for t in led} - {default, None}
    wanted = {t.get("theme") for t in unled} - areas - {default, None}
    if wanted:  # an area named inside a led task's text ("..., tập huấn cho cán bộ")
        from .extract.themes import themes_reaching

        for t in led:
            areas |= themes_reaching(t.get("text") or "", set(wanted), AREA_SCORE, rules=rules)
            wanted -= areas
            if not wanted:
                break
    return [make_flag(rules, "TASK_WITHOUT_LEAD", t["doc_id"], path=t.get("path") or "",
                      task_id=t["task_id"], span=(t["char_start"], t["char_end"]))
            for t in unled if t.get("theme") not in areas]


def _known_agency_check(rules: Rules):
    """`is_known_agency` of the agencies extractor when it exists, else the names in the rules."""
    try:
        from .extract.agencies import is_known_agency  # written by the agencies engineer
    except ImportError:
        is_known_agency = None
    if is_known_agency is not None:
        def check(name: str) -> bool:
            try:
                return bool(is_known_agency(name, rules=rules))
            except TypeError:  # an older signature taking rules by position
                return bool(is_known_agency(name, rules))
        return check
    names: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            names.add(normalize(x))
        elif isinstance(x, Mapping):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk((rules.data.get("agencies") or {}).get("agencies") or [])
    if not names:  # no list to judge by: say nothing rather than flag every body
        return None
    return lambda name: normalize(name) in names


def unknown_agencies(assignments: Sequence[dict], rules: Rules) -> list[Flag]:
    check = rules.compiled("flags.known_agency", _known_agency_check)
    if check is None:
        return []
    out, seen = [], set()
    for a in sorted(assignments, key=lambda a: a.get("char_start") or 0):
        name = a.get("agency") or ""
        if a.get("generic") or not name or (a["doc_id"], name) in seen:
            continue
        seen.add((a["doc_id"], name))
        if not check(name):
            out.append(make_flag(rules, "UNKNOWN_AGENCY", a["doc_id"], path=a.get("path"),
                                 task_id=a.get("task_id"), span=(a["char_start"], a["char_end"]),
                                 agency=name))
    return out


# --- reporting --------------------------------------------------------------------------


def _reporting_res(rules: Rules) -> list[re.Pattern]:
    return [re.compile(p) for p in rules["flags"].get("reporting_schedule") or []]


def no_reporting_schedule(plan: dict, tasks: Sequence[dict], sections: Sequence[dict],
                          deadlines: Sequence[dict], text: str, rules: Rules) -> list[Flag]:
    if plan.get("doc_kind") not in ("ke_hoach", "chuong_trinh") or not (tasks or sections):
        return []  # nothing was read of the body: no basis to say it is missing
    if any(d.get("kind") == "recurring" for d in deadlines):
        return []
    reporting = {t["task_id"] for t in tasks if t.get("theme") == "reporting"}
    rep_spans = [(s["char_start"], s["char_end"]) for s in sections if s.get("kind") == "reporting"]
    for d in deadlines:
        if d.get("kind") != "date":
            continue
        if d.get("task_id") in reporting or "báo cáo" in normalize(d.get("raw")) or any(
                a <= (d.get("char_start") or -1) < b for a, b in rep_spans):
            return []
    norm = normalize(text)
    if any(r.search(norm) for r in rules.compiled("flags.reporting", _reporting_res)):
        return []
    return [make_flag(rules, "NO_REPORTING_SCHEDULE", plan["doc_id"])]


# --- legal basis ------------------------------------------------------------------------


def _law_re(rules: Rules) -> tuple[re.Pattern | None, list[str], int]:
    spec = rules["flags"].get("outdated_law") or {}
    pat = re.compile(spec["pattern"]) if spec.get("pattern") else None
    return pat, [normalize(w) for w in spec.get("replaced_words") or []], int(spec.get("window", 60))


def outdated_laws(plan: dict, text: str, rules: Rules) -> list[Flag]:
    """A law cited in an older version than one the same plan cites (2011 next to 2024)."""
    pat, replaced, window = rules.compiled("flags.law", _law_re)
    if pat is None or not text:
        return []
    cfg = rules.compiled("compare.config", build_config)
    own = None  # the plan's own abbreviations: read once a law is cited
    seen: dict[str, list[tuple[int, re.Match]]] = defaultdict(list)
    for m in pat.finditer(text):
        name = m.group("name")
        if own is None:
            own = abbreviations_in(text)
        # (each pattern needs its abbreviation as written: most names hold none)
        for k, v in own.items():
            if k in name:
                name = re.sub(rf"\b{re.escape(k)}\b", v, name)
        for written, (r, v) in zip(cfg.text.abbr_written, cfg.abbr, strict=True):
            if written in name:
                name = r.sub(v, name)
        key = normalize(m.group("kind") + " " + name)
        seen[key].append((int(m.group("year")), m))
    out = []
    for cites in seen.values():
        newest = max(y for y, _ in cites)
        newest_m = next(m for y, m in cites if y == newest)
        flagged = set()
        for year, m in cites:
            if year == newest or year in flagged:
                continue
            before = normalize(text[max(0, m.start() - window):m.start()])
            if any(w and w in before for w in replaced):
                continue  # "... thay thế Luật ... năm 2011": the plan saying it was replaced
            flagged.add(year)
            out.append(make_flag(rules, "OUTDATED_LEGAL_BASIS", plan["doc_id"], span=m.span(),
                                 old=" ".join(m.group(0).split()),
                                 new=" ".join(newest_m.group(0).split())))
    return out
