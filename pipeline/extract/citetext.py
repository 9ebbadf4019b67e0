"""The words of one citation: the title after a kind word (`Luật Phòng, chống mua bán người năm
2024`), the issuer after `của`, what a numbered document is about, and the abbreviations a
plan defines (`mua bán người (MBN)`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import regex as re

from ..rules import Rules
from .fm_rules import fm_rules as _fm_rules
from .issuer import canonical_body
from .places import parse_place
from .ref_rules import RefRules

# (compiled once: the regex module's own cache costs ~10 µs a call)
_YEAR = re.compile(r"^(?:19|20)\d\d")
_DIGIT = re.compile(r"^\d")
_COMMA_CAPITAL = re.compile(r",\s+\p{Lu}")
_DESC_MARKS = re.compile(r"[();.,]")  # the characters description's reading stops or nests at

__all__ = ['Title', 'abbreviations', 'expand', 'read_title', 'read_issuer', 'description']


_WORD = re.compile(r"\S+")
# the characters str.split takes for white space and `\s` does not (tests ask every character)
_SPLIT_ONLY = ("\x1c", "\x1d", "\x1e", "\x1f")
_SPLIT_ONLY_RX = re.compile("[" + "".join(_SPLIT_ONLY) + "]")
_TITLE_WORDS = 40  # read of a title: 25 taken, a look of a few words past them
_ISSUER_WORDS = 20  # read of an issuer: 12 taken, a look of a few words past them
_TITLE_FIRST = 16  # words of a title read first (most titles end within them)
_ISSUER_FIRST = 10


def _fold_initial(w: str) -> str:
    import unicodedata

    ch = unicodedata.normalize("NFD", w[:1].replace("Đ", "D").replace("đ", "d"))[:1]
    return ch.upper()


def abbreviations(flat: str, c: RefRules) -> dict[str, str]:
    """Abbreviations the text defines: `mua bán người (MBN)` → {MBN: mua bán người}."""
    out: dict[str, str] = {}
    for m in c.abbr_def.finditer(flat):
        abbr = m["abbr"]
        before = flat[max(0, m.start() - 120):m.start()].split()
        n = len(abbr)
        if len(before) < n:
            continue
        words = before[-n:]
        if "".join(_fold_initial(w) for w in words) == "".join(_fold_initial(ch) for ch in abbr):
            out.setdefault(abbr, " ".join(w.strip(",;") for w in words))
    return out


def expand(s: str, abbrs: dict[str, str]) -> str:
    if not abbrs:
        return s
    return _abbreviation_pattern(tuple(abbrs)).sub(lambda m: abbrs[m[1]], s)


@lru_cache(maxsize=64)
def _abbreviation_pattern(abbrs: tuple[str, ...]) -> re.Pattern:
    # not inside its own definition: `mua bán người (MBN)` stays as written
    return re.compile(r"(?<![\p{L}(])(" + "|".join(map(re.escape, abbrs)) + r")(?![\p{L})])")


def _tokens(flat: str, pos: int, size: int, n: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of the first N runs of `_WORD` in FLAT[POS:POS + SIZE], found by
    str.split and str.find (~3x faster than a Match object per word) unless the window holds
    a character only split takes for a space."""
    window = flat[pos:pos + size]
    if _SPLIT_ONLY_RX.search(window):
        return [(m.start() + pos, m.end() + pos, m[0]) for m in islice(_WORD.finditer(window), n)]
    out = []
    q = 0
    for w in window.split(None, n)[:n]:  # (the words past the first N are not made)
        lo = window.find(w, q)  # (the first place from q holding no space: the word's)
        q = lo + len(w)
        out.append((lo + pos, q + pos, w))
    return out


def _bare_words(words: list[str]) -> list[str]:
    """The words as `_starts` compares them: lower case, without clause marks and quotes."""
    return [w.lower().strip(",;.:()“”\"") for w in words]


def _starts(bare: list[str], i: int, phrases: dict) -> bool:
    """True when one of PHRASES (by their first word, as ref_rules keeps them) starts at word
    I (BARE: the words from `_bare_words`)."""
    if None in phrases:
        return True  # (an empty phrase starts anywhere)
    # (only the phrases opening with the word are compared: most words open none)
    for p in phrases.get(bare[i] if i < len(bare) else None, ()):
        if bare[i:i + len(p)] == p:
            return True
    return False


_PERIOD_START = re.compile(r"^(?i:giai|đoạn|định|hướng|đến|năm|tầm|nhìn|và|,|-|–|—|\d{4}[,.;]?|"
                           r"\d{4}-\d{4}[,.;]?)$")


# lower-case words running up to a document number: `và bản đồ số 27/2018/QH14`
_NAMED_NUMBER = re.compile(r"(?:\s+\p{Ll}[\p{L}\p{M}]*){1,4}\s+số\s+\d")


@dataclass
class Title:
    end: int
    name: str
    has_period: bool
    year: str | None
    more: int | None = None  # where a second law joined by `và` starts


def _continues(bare_words, j: int, flat: str, toks, c: RefRules) -> bool:
    """Word J goes on with a name: lower case, not a stop word, not a document's kind."""
    if j >= len(toks):
        return False
    w = toks[j][2]
    return (w[:1].islower() and not _starts(bare_words, j, c.title_stop)
            and not c.kind_start.match(flat, toks[j][0]))


def _verb_list(taken: list[str]) -> bool:
    """The name ends in `X, y z`: a comma at most three words back, lower case after it."""
    for k in range(len(taken) - 1, max(len(taken) - 4, -1), -1):
        if taken[k].endswith(","):
            return all(w[:1].islower() for w in taken[k + 1:])
    return False


def read_title(flat: str, pos: int, kind_word: str, c: RefRules) -> Title | None:
    """The title after a kind word: `Phòng, chống mua bán người năm 2024`."""
    # (a title takes at most 25 words and looks at most a stop phrase past them: the words
    # after the first _TITLE_WORDS are never read; most titles end within _TITLE_FIRST, read
    # first: the reading stands when it looked at none of the words past them)
    toks = _tokens(flat, pos, 400, _TITLE_FIRST)
    if len(toks) == _TITLE_FIRST:
        title, last = _title_of(flat, pos, kind_word, c, toks)
        # (word LAST + 1 compared, a stop phrase read from word LAST + 1)
        if last + max(c.title_stop_words, 1) + 1 <= _TITLE_FIRST:
            return title
        toks = _tokens(flat, pos, 400, _TITLE_WORDS)
    return _title_of(flat, pos, kind_word, c, toks)[0]


def _title_of(flat: str, pos: int, kind_word: str, c: RefRules, toks: list) -> tuple[Title | None, int]:
    """read_title's reading of the words TOKS, and the index of the last word it read at."""
    words = [t[2] for t in toks]
    if not words or c.vague.match(" ".join(words[:3])):
        return None, 2
    bare_words = _bare_words(words)
    is_law = kind_word in ("Luật", "Bộ luật", "Pháp lệnh")
    taken: list[str] = []
    end = pos
    has_period = False
    year = None
    more = None
    i = 0
    while i < len(toks) and len(taken) < 25:
        lo, hi, w = toks[i]
        bare = w.strip(",;.:“”\"")
        low = bare.lower()
        if w.startswith("("):
            break
        if taken and not has_period and _starts(bare_words, i, c.title_stop):
            if not (low == "năm" or low == "giai"):
                break
        if low in ("năm",) and i + 1 < len(toks) and _YEAR.match(words[i + 1]):
            if taken and words[i - 1].lower() in ("đến", "tới"):
                pass
            yr = words[i + 1][:4]
            if is_law:
                taken += [w, yr]
                end = toks[i + 1][0] + 4
                year = yr
                break
            has_period = True
        if low == "giai" and i + 1 < len(toks) and words[i + 1].lower().startswith("đoạn"):
            has_period = True
        if has_period and taken and not _PERIOD_START.match(bare or w):
            break
        if low == "và" and i + 1 < len(toks):
            nxt = words[i + 1]
            if c.kind_start.match(flat, toks[i + 1][0]):
                break  # `Luật A và Luật B`: B is read on its own
            if nxt[:1].isupper() and is_law:
                inner_caps = any(t[:1].isupper() for t in taken[1:])
                # `Luật Phòng, chống X và Trợ giúp pháp lý`: a whole name before `và` makes the
                # capital a second law's; a short one goes on (`Luật Khoa học và Công nghệ`,
                # `Luật Phòng cháy và Chữa cháy`): a second law would repeat `Luật`
                whole = len(taken) >= 3 or any(t.endswith(",") for t in taken)
                if not inner_caps and whole:
                    more = toks[i + 1][0]
                    break
            elif not has_period and not nxt[:1].isupper() and not _PERIOD_START.match(nxt) \
                    and not (is_law and _continues(bare_words, i + 1, flat, toks, c)
                             and _verb_list(taken)) \
                    and not (is_law and _NAMED_NUMBER.match(flat, toks[i][1])):
                # ... nor when the name runs on to the law's number (`Luật Đo đạc và bản đồ số
                # 27/2018/QH14`): a number closes the name
                # a law's name goes on closing a list of its verbs (`Luật Bảo vệ, chăm sóc và
                # giáo dục trẻ em`), not after a whole name (`Luật Phòng, chống X và pháp luật`)
                break
        taken.append(w)
        end = hi
        if w.endswith((";", ".", ":", ")")) and not _DIGIT.match(w):
            end = hi - 1
            break
        if w.endswith(","):
            nxt = words[i + 1].lower() if i + 1 < len(words) else ""
            # a law's name goes on after a comma with a lower-case word (`Luật Trật tự, an
            # toàn giao thông đường bộ`), not with a stop word or another document (`, các`)
            if not (nxt in c.comma_joins or (has_period and _PERIOD_START.match(nxt))
                    or (is_law and _continues(bare_words, i + 1, flat, toks, c))):
                end = hi - 1
                break
        i += 1
    name = " ".join(taken).rstrip(",;.:) ")
    if not name:
        return None, i
    return Title(end=end, name=name, has_period=has_period, year=year, more=more), i


def read_issuer(flat: str, pos: int, c: RefRules, rules: Rules) -> tuple[str | None, int]:
    """The issuer phrase at pos (after `của`), canonical, and where it ends."""
    # (12 words are read, and at most a stop phrase or two words past them; most issuers end
    # within _ISSUER_FIRST, read first: the reading stands when it looked at none past them)
    toks = _tokens(flat, pos, 200, _ISSUER_FIRST)
    if len(toks) == _ISSUER_FIRST:
        taken, end, last = _issuer_words(flat, pos, c, rules, toks)
        # (word LAST + 2 compared, a stop phrase read from word LAST)
        if last + max(c.issuer_stop_words, 3) > _ISSUER_FIRST:
            taken, end, last = _issuer_words(flat, pos, c, rules, _tokens(flat, pos, 200, _ISSUER_WORDS))
    else:
        taken, end, last = _issuer_words(flat, pos, c, rules, toks)
    phrase = " ".join(taken)
    if not phrase or not phrase[:1].isupper():
        return None, pos
    return _canonical_issuer(phrase, rules), end


def _issuer_words(flat: str, pos: int, c: RefRules, rules: Rules, toks: list) -> tuple[list[str], int, int]:
    """read_issuer's words of the issuer among TOKS, where they end, and the index of the last
    word it read at."""
    words = [t[2] for t in toks]
    bare_words = _bare_words(words)
    taken: list[str] = []
    end = pos
    i = -1
    for i, (_lo, hi, w) in enumerate(toks[:12]):  # noqa: B007 - (i: where the reading stopped)
        if w.startswith("(") and w.rstrip(",;.").endswith(")") and w.strip("(),;.").isupper():
            end = hi  # `Ủy ban nhân dân (UBND) tỉnh`: the abbreviation is skipped
            if w.endswith((",", ";", ".")):
                break
            continue
        if taken and _starts(bare_words, i, c.issuer_stop) and not _name_goes_on(flat, toks, i, c):
            if bare_words[i] == "và" and i + 1 < len(toks) and c.issuer_head.match(flat, toks[i + 1][0]):
                # `của Bộ trưởng Bộ Quốc phòng và Bộ trưởng Bộ Công an quy định ...`: a joint
                # issuer; the first body is kept, the second read past (it is not the title)
                _second, end2 = read_issuer(flat, toks[i + 1][0], c, rules)
                if _second:
                    end = end2
            break
        term = c.issuer_term.match(flat, toks[i][0]) if taken else None
        if term:
            end = term.end()  # `Tỉnh ủy khóa XX`: the term read past, not named
            break
        if w.startswith("(") or (_DIGIT.match(w) and not (taken and _BODY_NUMBER.match(w))):
            break
        if len(taken) >= 2 and c.kind_start.match(flat, toks[i][0]) \
                and not (i + 2 < len(toks) and words[i + 2].lower() == "và"):
            break  # `của Văn phòng Chính phủ Kết luận ...`: a document's kind ends the body
        taken.append(w.rstrip(",;.:"))
        end = hi if not w.endswith((",", ";", ".", ":")) else hi - 1
        if w.endswith((",", ";", ".", ":")):
            break
    return taken, end, i


# a number in a body's own name (`Ban Chỉ đạo 138/CP`, `Ban Chỉ đạo 389`); not a year or a date
_BODY_NUMBER = re.compile(r"^(?!(?:19|20)\d\d\b)\d{1,4}(?:/[A-ZĐ]+)?[,;.:]?$")


def _name_goes_on(flat: str, toks: list, i: int, c: RefRules) -> bool:
    """`và` inside a body's own name (`Bộ Lao động - Thương binh và Xã hội`, `Sở Văn hóa và
    Thể thao`): a capitalised word follows that opens neither another body (`và Sở Y tế`)
    nor another document (`và Kế hoạch số ...`)."""
    if toks[i][2].lower() != "và" or i + 1 >= len(toks):
        return False
    nxt_lo, _hi, nxt = toks[i + 1]
    if not nxt[:1].isupper() or nxt.isupper():
        return False
    return not (c.issuer_head.match(flat, nxt_lo) or c.kind_start.match(flat, nxt_lo))


def _canonical_issuer(phrase: str, rules: Rules) -> str:
    fm = _fm_rules(rules)
    m = fm.body_mixed.match(phrase)
    if m and m.end() >= len(phrase.rstrip()) - 1:
        body = canonical_body(m["body"], rules)
        if m["level"]:
            place = parse_place(m["level"], m["name"])
            return f"{body} {place.text}"
        return body
    return phrase.replace("Uỷ", "Ủy")


def description(flat: str, pos: int, short_name: re.Pattern | None = None) -> tuple[str, int]:
    """What a numbered citation says the document is about, up to the end of its clause
    or to the short name the plan gives it (`(viết tắt là Nghị quyết số 93/NQ-CP)`)."""
    depth = 0
    limit = min(len(flat), pos + 300)
    i = limit
    # (only the marks are looked at: the engine skips the letters between them)
    for m in _DESC_MARKS.finditer(flat, pos, limit):
        j = m.start()
        ch = m[0]
        if ch == "(":
            if depth == 0 and short_name is not None and short_name.match(flat, j):
                i = j
                break
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or (ch == "." and (j + 1 >= len(flat) or flat[j + 1] == " "))
                             or (ch == "," and _COMMA_CAPITAL.match(flat, j, j + 4))):
            i = j
            break
    return " ".join(flat[pos:i].split()), i
