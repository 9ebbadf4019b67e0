"""Clean stage: raw text to the NFC text all offsets refer to.

What cleaning does, in order (each step keeps a map from every output character back to
the raw character it came from):

1. line breaks unified, NFC, odd spaces (NBSP, thin, ideographic, tabs) to plain spaces,
   zero-width characters dropped;
2. old-style tone placement normalized: ``hoá`` → ``hóa``, ``Uỷ`` → ``Ủy``, ``thuỷ`` →
   ``thủy`` (``quý``, ``già``, ``hoài`` are left alone);
3. markdown and converter markup removed: ``#`` heading prefixes, ``**``, ``*emphasis*``,
   ``^{...}`` (a footnote call goes, superscript letters stay); ``\\*`` becomes ``*``.
   A bold or italic run over a line break is one line (``**III. NỘI\\nDUNG**`` →
   ``III. NỘI DUNG``; a markdown hard break, two spaces before the break, stays); an italic
   label with the space inside (``*Đơn vị chủ trì: *Sở Tư pháp``) loses its stars; a line of
   empty emphasis (``** **``) goes. A bullet line ``* Phân công:`` keeps its leading ``* ``,
   so segment still sees a bullet marker there;
4. web-site chrome dropped (rules/clean.yaml): navigation and login lines, the metadata table
   ``| Số hiệu | ... |`` with the page title above it; header tables drawn with ``|`` become
   one plain line per cell (``Số: 07/KH-UBND``, ``ỦY BAN NHÂN DÂN``);
5. page numbers, running headers and decoration lines (``-------``) dropped;
6. hard-wrapped lines reflowed into paragraphs (pipeline/reflow.py), markers read with the
   one marker grammar (pipeline/markers.py);
7. spaces collapsed; at most one blank line between paragraphs.

Cleaning is idempotent: ``clean_text(clean_text(x)[0])[0] == clean_text(x)[0]``.

>>> clean_text("## **I. MỤC TIÊU**\\n\\nCụ thể hoá các nhiệm vụ của Uỷ ban")[0]
'I. MỤC TIÊU\\n\\nCụ thể hóa các nhiệm vụ của Ủy ban'
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .fields import field_start_rx
from .markers import grammar
from .records import CleanDoc, RawDoc
from .reflow import ReflowRules, reflow
from .rules import Rules, load_rules
from .tables import TableRules, format_tables, restore_pipes, table_rules
from .textmap import LinesWith, Offsets, Piece, SpacedChar, keep, nfc, retone, sub

_ODD_SPACE_RX = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u000b]")
_ZERO_WIDTH_RX = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
# (one scan for both: most texts hold neither)
_ODD_OR_ZERO_WIDTH_RX = re.compile(f"[{_ODD_SPACE_RX.pattern[1:-1]}{_ZERO_WIDTH_RX.pattern[1:-1]}]")

# --- markup ---------------------------------------------------------------------------
_MD_HEADING_RX = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MD_HEADING_ONLY_RX = re.compile(r"^[ \t]*#{1,6}[ \t]*$", re.M)
# (each pattern below starts with its literal character and looks behind it afterwards: the
# same matches as a leading look-behind, found by a fast scan for that character)
_STRONG_RX = re.compile(r"\*(?<!\\\*)\*+|_(?<!\\_)_+(?=\S)|_(?<!\\_)(?<=\S_)_+")
_SUPERSCRIPT_RX = re.compile(r"\^\{([^{}\n]*)\}")
_ESCAPE_RX = re.compile(r"\\([\\*_#\[\](){}.+!`>|~^-])")
_EMPHASIS_RX = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![\w*])")
_UNDERSCORE_EM_RX = re.compile(r"_(?<![\w_\\]_)(?=[^\s_])([^_\n]*?[^\s_\\])_(?![\w_])")
# `*Đơn vị chủ trì: *Sở Tư pháp`: a label in italics with the space inside the closing star
_LABEL_EM_RX = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]*?[^\s*\\])( +)\*(?=\w)")
# `(*trọng tâm tại mục III *)`: the space inside the closing star goes with it
_SPACED_EM_RX = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]*?[^\s*\\]) +\*(?=[)\].,;:!?])")


class _NextStar:
    """The matches of RX, an emphasis pattern that opens at a star and closes at the next star
    on the same line (what it holds between them takes no star and no line break), tried only
    at a star whose next star passes CLOSES (a test the closing star of every match passes):
    the regex engine would walk the lazy run from every star of the text."""

    def __init__(self, rx: re.Pattern, closes: Callable[[str, int], bool]) -> None:
        self.rx = rx
        self.closes = closes

    def finditer(self, text: str) -> Iterator[re.Match]:
        i = text.find("*")
        while i >= 0:
            k = text.find("*", i + 1)
            if k < 0:
                return
            if self.closes(text, k) and text.find("\n", i, k) < 0:
                m = self.rx.match(text, i)
                if m is not None:
                    yield m
                    i = text.find("*", m.end())
                    continue
            i = k


def _after_space(text: str, k: int) -> bool:
    return text[k - 1] == " "


# a bold or italic run over a line break (`**III. NỘI\nDUNG**`, `*1.1.\nTrưởng Ban*`): one line
# (runs are paired left to right, those on one line too, so that a run's closing star never
# opens the next one; a run holds no star, so it can only close at the next one: it is taken
# whole (`*+`), where a lazy `*?` would try the close at every character on the way)
_SPAN_RX = re.compile(r"(\*(?<![*\\]\*)\*?)(?=[^\s*])([^*]*+)(?:(?<=\S)\1(?!\*)|(?<=\S )\1(?=[^\s*]))")
_SPAN_BREAK_RX = re.compile(r"[ \t]*\n[ \t]*")
_BLANK_LINE_RX = re.compile(r"\n[ \t]*\n")
_MARKUP_ONLY_RX = re.compile(r"[*_ ]+")
# a star left at the end of a line when `***` closed a bold run and opened an italic one
_TRAILING_STAR_RX = re.compile(r"\*(?<=[^\s*\\]\*)\**[ \t]*$", re.M)
_TABLE_SEP_ROW_RX = LinesWith(re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M), "---")
_PIPE_RX = SpacedChar("|")
_MULTI_SPACE_RX = re.compile(r" {2,}")
_PAGE_BREAK_RX = re.compile(r"[ \t]*\f[ \t]*")
_CELL_EDGE = "\x1f"  # stands for a table cell edge between passes: lines never join across it
_TRAIL_SPACE_RX = re.compile(r" +$|^ +", re.M)
# a space before or after a line break: `" \n" in text or "\n " in text`, found from the line
# breaks (a look for two characters, one a space, stops at every space: ten times the time)
_SPACE_BY_BREAK_RX = re.compile(r"\n(?<= \n)|\n ")

# (the two emphasis patterns closing after a space asked only at stars that can open them:
# _NextStar; _EMPHASIS_RX closes after text, at most stars, and is faster alone)
_LABEL_EM = _NextStar(_LABEL_EM_RX, _after_space)
_SPACED_EM = _NextStar(_SPACED_EM_RX, _after_space)
# _STRONG_RX's star and underscore alternatives alone, for a text holding runs of one only
_STRONG_STAR_RX = re.compile(r"\*(?<!\\\*)\*+")
_STRONG_UNDERSCORE_RX = re.compile(r"_(?<!\\_)_+(?=\S)|_(?<!\\_)(?<=\S_)_+")


@dataclass(frozen=True)
class _CleanRules:
    chrome: re.Pattern | None
    metadata_row: LinesWith | None
    running: re.Pattern | None
    page_number: re.Pattern
    decoration: re.Pattern
    reflow: ReflowRules
    tables: TableRules | None = None  # tables with a header stay rows (pipeline/tables.py)
    # the four line patterns above as one, for lines of up to 200 characters and for longer
    # ones (chrome is only looked for in the short): one fullmatch per line instead of four
    # (None when they cannot be joined: see _any_full)
    dropped_short: re.Pattern | None = None
    dropped_long: re.Pattern | None = None
    # [0, 1, 2, ... as an array('i')], grown to the longest text cleaned (up to _COUNT_KEPT):
    # a text's first offsets are a slice of it (an array built from a range goes a number
    # at a time: several times what a list of them costs)
    counting: list = field(default_factory=list, compare=False, repr=False)


_COUNT_KEPT = 1 << 20  # (4 MB)


def _first_offsets(n: int, cr: _CleanRules) -> Offsets:
    """array('i', range(N)) (4-byte numbers: half the bytes each rewrite copies; 'q' for a
    text of 2**31 characters or more), a slice of the count CR keeps where it can."""
    if n > _COUNT_KEPT:
        return array("i" if n < 2**31 else "q", range(n))
    kept = cr.counting
    count = kept[0] if kept else array("i")
    if len(count) < n:
        # (only the numbers not kept yet are made; a new array replaces the kept one, which
        # is never changed: a slice another thread takes of it stays right)
        count = count + array("i", range(len(count), n))
        kept[:] = [count]
    return count[:n]


def _full_line(patterns: Sequence[str]) -> re.Pattern | None:
    pats = [p for p in patterns if p]
    if not pats:
        return None
    # a leading (?i) applies to its own pattern only
    return re.compile("|".join(f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in pats))


_BACKREF_RX = re.compile(r"\\\d|\(\?P=")


def _any_full(patterns: Sequence[re.Pattern | None]) -> re.Pattern | None:
    """One pattern whose fullmatch is that of any of PATTERNS (alternatives are tried until
    one matches the whole line), or None when joining could change a pattern: a flag of its
    own, or a back-reference whose group number would move."""
    pats = [p for p in patterns if p is not None]
    if not pats or any(p.flags != re.UNICODE or _BACKREF_RX.search(p.pattern) for p in pats):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in pats))
    except re.error:
        return None


def _line_start(patterns: Sequence[str]) -> re.Pattern | None:
    pats = [p for p in patterns if p]
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in pats) + ")", re.I) if pats else None


def _words_start(words: Sequence[str]) -> re.Pattern | None:
    alt = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:{alt})(?!\w)") if alt else None


def _date_line(words: Sequence[str]) -> re.Pattern | None:
    if not words:
        return None
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\w+(?: \w+){{0,3}},\s*(?:{alt})\b", re.I)


def _build(rules: Rules) -> _CleanRules:
    data = rules["clean"] or {}
    heads = rules["headings"] or {}
    g = grammar(rules)
    labels = sorted(data.get("metadata_labels") or [], key=len, reverse=True)
    # (a row holds a `|` after its label: only the lines holding one are tried)
    label = "|".join(re.escape(x) for x in labels)
    row = rf"^[ \t]*\|?[ \t]*(?:{label})[ \t]*\|.*$"
    metadata = LinesWith(re.compile(row, re.M), "|") if labels else None
    chrome = _full_line(data.get("web_chrome") or [])
    running = _full_line(data.get("running_headers") or [])
    page_number = _full_line(data.get("page_numbers") or [r"\d{1,3}"])
    decoration = re.compile(data.get("decoration") or r"[-–—_=]{3,}")
    return _CleanRules(
        chrome=chrome,
        metadata_row=metadata,
        running=running,
        page_number=page_number,
        decoration=decoration,
        dropped_short=_any_full([chrome, page_number, decoration, running]),
        dropped_long=_any_full([page_number, decoration, running]),
        reflow=ReflowRules(
            hard_words=frozenset(w.lower() for w in data.get("join_after_words") or []),
            soft_words=tuple(sorted((w.lower() for w in data.get("join_after_soft_words") or []),
                                    key=len, reverse=True)),
            number_words=tuple(w.lower() for w in data.get("join_before_number") or []),
            item_start=g.item_start_rx,
            tight_marker=g.tight_rx,
            bare_marker=g.bare_rx,
            field_start=field_start_rx(rules),
            date_line=_date_line(data.get("date_line_words") or []),
            sentence_start=_words_start((rules["frontmatter"] or {}).get("preamble_openers") or []),
            closing_start=_line_start(list(heads.get("closing_markers") or [])
                                      + list(heads.get("closing_paragraph") or [])),
        ),
        tables=table_rules(rules),
    )


# --- line-level passes ----------------------------------------------------------------


def _superscript(m: re.Match, offs: Sequence[int]) -> list[Piece]:
    """`^{1}` (a footnote call) goes; `^{Tường}` (initials) keeps its letters."""
    inner = m.group(1)
    if not any(c.isalpha() for c in inner):
        return []
    a, b = m.span(1)
    return [(inner, offs[a:b])]


def _keep_label(m: re.Match, offs: Sequence[int]) -> list[Piece]:
    a, b = m.span(1)
    c, d = m.span(2)
    return [(m.group(1), offs[a:b]), (m.group(2), offs[c:d])]


def _join_span(m: re.Match, offs: Sequence[int]) -> list[Piece] | None:
    """The line breaks inside one bold / italic run become spaces (not across a blank line)."""
    s, e = m.span()
    # (looked for in the text, from the run's first line break: a run can be long, a bullet's
    # star to the next star, and a copy of it costs as much as the look)
    nl = m.string.find("\n", s, e)
    if nl < 0 or _BLANK_LINE_RX.search(m.string, nl, e):
        return None  # the run stays as it is
    out: list[Piece] = []
    pos = s
    for b in _SPAN_BREAK_RX.finditer(m.string, s, e):
        if b.group().startswith("  "):  # two spaces before the break: markdown's hard break
            continue
        out.append((m.string[pos:b.start()], offs[pos:b.start()]))
        nl = m.string.index("\n", b.start())
        out.append((" ", [offs[nl]]))
        pos = b.end()
    out.append((m.string[pos:e], offs[pos:e]))
    return out


def _markup(text: str, offs: Offsets) -> tuple[str, Offsets]:
    """Markdown and converter markup out; repeated until nothing changes (idempotence)."""
    for _ in range(5):
        before = text
        # (a pass that cannot match is skipped: cleaning runs each pass several times)
        if "#" in text:
            text, offs = sub(_MD_HEADING_ONLY_RX, "", text, offs)
            text, offs = sub(_MD_HEADING_RX, "", text, offs)
        if "^" in text and "^{" in text:  # (a one-character look first: much the faster)
            text, offs = sub(_SUPERSCRIPT_RX, _superscript, text, offs)
        # (each pattern below holds the character it is skipped without)
        if "*" in text and "\n" in text:
            text, offs = sub(_SPAN_RX, _join_span, text, offs)
        if "*" in text:
            text, offs = sub(_LABEL_EM, _keep_label, text, offs)
            text, offs = sub(_SPACED_EM, keep(1), text, offs)
        stars = "*" in text and "**" in text
        underscores = "_" in text and "__" in text
        if stars or underscores:
            # (a run of two stars or two underscores is what each half needs: the half the
            # text cannot match is left out, and the other found from its literal)
            strong = (_STRONG_RX if stars and underscores
                      else _STRONG_STAR_RX if stars else _STRONG_UNDERSCORE_RX)
            text, offs = sub(strong, "", text, offs)
        if "\\" in text:
            text, offs = sub(_ESCAPE_RX, keep(1), text, offs)
        if "*" in text:
            text, offs = sub(_EMPHASIS_RX, keep(1), text, offs)
        if "_" in text:
            text, offs = sub(_UNDERSCORE_EM_RX, keep(1), text, offs)
        if "*" in text:
            text, offs = sub(_TRAILING_STAR_RX, "", text, offs)
        if text == before:
            break
    return text, offs


_RARE_FIRST = "*_" + _CELL_EDGE + "\f"  # how the lines _drop_chrome drops before the patterns open


def _drop_chrome(text: str, cr: _CleanRules) -> list[tuple[str, int, bool]]:
    """The lines of TEXT without chrome, page numbers, decoration, each stripped of spaces:
    (line, index of its first character in TEXT, hard_break_before); a blank line is ''."""
    out: list[tuple[str, int, bool]] = []
    hard = False
    pos = 0
    # (_dropped's one pattern asked here directly when there is one: a call less a line)
    short, long_ = cr.dropped_short, cr.dropped_long
    joined = short is not None and long_ is not None
    for part in text.split("\n"):
        a = pos
        pos += len(part) + 1
        # (one strip; the spaces before the line counted only where it took some)
        s = part.strip(" ")
        if len(s) != len(part):
            a += len(part) - len(part.lstrip(" "))
        if not s:
            out.append(("", a, False))
            continue
        # (the three rare lines below told by their first character: one test for most lines)
        if s[0] in _RARE_FIRST:
            if s[0] in "*_":
                if _MARKUP_ONLY_RX.fullmatch(s):  # `** **`, `* *`: empty emphasis a converter left
                    continue
            elif s == _CELL_EDGE:
                hard = True
                continue
            elif s == "\f":
                continue
        if joined:
            if (short if len(s) <= 200 else long_).fullmatch(s) is not None:
                continue
        elif _dropped(s, cr):
            continue
        out.append((s, a, hard))
        hard = False
    return out


def _dropped(s: str, cr: _CleanRules) -> bool:
    """A chrome, page-number, decoration or running-header line (S stripped, not blank)."""
    one = cr.dropped_short if len(s) <= 200 else cr.dropped_long
    if one is not None:
        return one.fullmatch(s) is not None
    return bool(
        (len(s) <= 200 and cr.chrome is not None and cr.chrome.fullmatch(s))
        or cr.page_number.fullmatch(s)
        or cr.decoration.fullmatch(s)
        or (cr.running is not None and cr.running.fullmatch(s))
    )


def _tables(text: str, offs: Offsets, cr: _CleanRules) -> tuple[str, Offsets]:
    """Metadata tables out; header tables drawn with `|` become one line per cell."""
    if "|" not in text:
        return text, offs
    if cr.metadata_row is not None:
        first = next(cr.metadata_row.finditer(text), None)
        if first:
            # the site's page title sits right above the metadata table, under nothing but
            # chrome: drop it too
            before = text[: first.start()].rstrip("\n")
            start = before.rfind("\n") + 1
            above = [ln.strip() for ln in before[:start].split("\n") if ln.strip()]
            if before[start:].strip() and all(
                cr.chrome is not None and cr.chrome.fullmatch(ln) for ln in above
            ):
                text, offs = text[:start] + text[first.start():], offs[:start] + offs[first.start():]
            text, offs = sub(cr.metadata_row, "", text, offs)
    text, offs = sub(_TABLE_SEP_ROW_RX, "", text, offs)
    return sub(_PIPE_RX, f"\n{_CELL_EDGE}\n", text, offs)



# --- public API -----------------------------------------------------------------------


def _clean_once(text: str, offs: Offsets, cr: _CleanRules) -> tuple[str, Offsets]:
    # (a pass that cannot match is skipped: the second run over a clean text costs little)
    if "\r" in text:
        text, offs = sub(re.compile(r"\r\n?"), "\n", text, offs)
    text, offs = nfc(text, offs)
    if _ODD_OR_ZERO_WIDTH_RX.search(text):
        text, offs = sub(_ZERO_WIDTH_RX, "", text, offs)
        text, offs = sub(_ODD_SPACE_RX, " ", text, offs)
    return _clean_again(text, offs, cr)


def _clean_again(text: str, offs: Offsets, cr: _CleanRules, settled: bool = False) -> tuple[str, Offsets]:
    """`_clean_once` after its first three steps, which a pass's own output never needs: it
    holds no \\r and no odd or zero-width space (what the steps after them put in is line
    breaks, spaces, cell edges, bars, slashes and pieces of the text), and it is NFC (the last
    step but one; the last turns U+001E into `|`, neither of which composes with anything;
    tests/test_clean_helpers.py asks Unicode about every character).

    SETTLED: TEXT is a pass's own output. Where every step before reflow and the markup after
    it leave such a text as it is, the last steps are skipped: reflow has only laid out the
    text's own lines, stripped, with one space or line break between them, and a pass's
    output holds no two spaces in a row, no space by a line break, and is NFC (a space or a
    line break composes with nothing, so lines of an NFC text put together are NFC)."""
    given = text
    text, offs = retone(text, offs)
    if "\f" in text:
        text, offs = sub(_PAGE_BREAK_RX, "\n\f\n", text, offs)
    if _CELL_EDGE in text:
        text, offs = sub(re.compile(_CELL_EDGE), "", text, offs)
    if cr.tables is not None:
        text, offs = format_tables(text, offs, cr.tables)
    text, offs = _tables(text, offs, cr)
    text, offs = _markup(text, offs)
    untouched = settled and text is given  # (a step that changes nothing gives back its text)
    text, offs = reflow(_drop_chrome(text, cr), offs, cr.reflow)
    laid_out = text
    text, offs = _markup(text, offs)  # emphasis that spanned a line break
    if untouched and text is laid_out:
        return restore_pipes(text), offs
    if "  " in text:
        text, offs = sub(_MULTI_SPACE_RX, " ", text, offs)
    if text[:1] == " " or text[-1:] == " " or _SPACE_BY_BREAK_RX.search(text):
        text, offs = sub(_TRAIL_SPACE_RX, "", text, offs)
    text, offs = nfc(text, offs)
    return restore_pipes(text), offs


def clean_text(text: str, *, rules: Rules | None = None) -> tuple[str, array]:
    """Cleaned text and, for each of its characters, the raw index it came from (an array of
    machine ints: a plan's ~30,000 Python ints, made for every character and read by no
    stage, cost more than a step of the cleaning).

    >>> clean_text("**\\\\* Phân công:**\\n\\n- Cơ quan chủ trì: Công an xã.")[0]
    '* Phân công:\\n\\n- Cơ quan chủ trì: Công an xã.'
    """
    cr = (rules or load_rules()).compiled("clean", _build)
    # (the offsets an array while cleaning rewrites them: a rewrite copies slices of it
    # without touching each number, as a list's slices do; the numbers are made once, at
    # the end)
    offs = _first_offsets(len(text), cr)
    out, offs = _clean_once(text, offs, cr)
    # Reflow can open new joins once markup is gone: run to a fixed point so that cleaning
    # a cleaned text changes nothing (a later pass starts after the steps its input needs not).
    # (every offset _clean_once writes is one of those it is given, picked by its place in the
    # text alone: given OUT's raw offsets, it returns its result's, as composing the maps would)
    for _ in range(3):
        again, offs2 = _clean_again(out, offs, cr, settled=True)
        if again == out:
            break
        out, offs = again, offs2
    return out, offs


def clean(raw: RawDoc, *, rules: Rules) -> CleanDoc:
    text, offsets = clean_text(raw.text, rules=rules)
    return CleanDoc(doc_id=raw.doc_id, text=text, raw_offsets=offsets)
