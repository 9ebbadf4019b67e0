"""Legacy Vietnamese encodings: detect them and convert to Unicode.

Before Unicode, Vietnamese was typed with font tricks: the bytes are Latin-1-looking
characters that a special font draws as Vietnamese letters. Such text survives into .docx,
PDF text layers and text files as valid but meaningless characters (`KÕ ho¹ch` for
`Kế hoạch`). Three families matter:

- TCVN3 (ABC, TCVN 5712:1993 VN3, fonts `.VnTime`, `.VnArial`, ...): one code per letter.
  The set has no code for an upper-case toned vowel: documents type the lower-case code in
  an upper-case font (`.VnTimeH`). Without the font, case is restored from the word around
  it (a code inside an all-capitals word is a capital).
- VNI Windows (fonts `VNI-Times`, ...): a base letter followed by a modifier character.
- Windows-1258: a real code page, with tone marks as combining characters.

Which reading is right is decided by scoring how Vietnamese each candidate looks: the
share of words that are well-formed Vietnamese syllables.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

# Source: TCVN 5712:1993 (VN3 / "ABC") font layout. Per base letter: its own code, then the
# codes with a tone in the order grave, hook, tilde, acute, dot below.
TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"  # grave, hook above, tilde, acute, dot below
_TCVN3_ROWS = (
    ("a", "a", "µ¶·¸¹"),
    ("ă", "¨", "»¼½¾Æ"),
    ("â", "©", "ÇÈÉÊË"),
    ("e", "e", "ÌÎÏÐÑ"),
    ("ê", "ª", "ÒÓÔÕÖ"),
    ("i", "i", "×ØÜÝÞ"),
    ("o", "o", "ßáâãä"),
    ("ô", "«", "åæçèé"),
    ("ơ", "¬", "êëìíî"),
    ("u", "u", "ïñòóô"),
    ("ư", "\xad", "õö÷øù"),
    ("y", "y", "úûüýþ"),
)
_TCVN3_SINGLE = {"đ": "®", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}

# Source: VNI Windows font layout. A vowel is its base letter plus modifiers (lower-case
# modifiers after lower-case letters, upper-case after capitals).
_VNI_TONE = {"": "ùøûõï", "circumflex": "áàåãä", "breve": "éèúüë"}  # acute grave hook tilde dot
_VNI_ORDER = "\u0301\u0300\u0309\u0303\u0323"  # the tone order of the strings above
_VNI_SHAPE = {"â": ("a", "â", "circumflex"), "ê": ("e", "â", "circumflex"), "ô": ("o", "â", "circumflex"),
              "ă": ("a", "ê", "breve"), "ơ": ("ô", "", ""), "ư": ("ö", "", "")}
_VNI_I = "íìæóò"  # i with acute grave hook tilde dot: one character each
_VNI_SINGLE = {"đ": "ñ", "Đ": "Ñ", "ỵ": "î", "Ỵ": "Î"}

# Latin-1 letters that are also Vietnamese letters; other U+0080..U+00FF characters in a
# text are what legacy fonts leave behind.
_VI_LATIN1 = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"
_VI_BEYOND_LATIN1 = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_SUSPECT = re.compile("[" + "".join(chr(c) for c in range(0x80, 0x100) if chr(c) not in _VI_LATIN1 + "\xa0")
                      + "]")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for base, own, toned in _TCVN3_ROWS:
        if own != base:
            decode[own] = base
            encode[base] = own
        for mark, code in zip(TONE_MARKS, toned, strict=True):
            letter = _nfc(base + mark)
            decode[code] = letter
            encode[letter] = code
            encode[letter.upper()] = code  # no capital in the set: the font makes it one
    for letter, code in _TCVN3_SINGLE.items():
        decode[code] = letter
        encode[letter] = code
    encode["Đ"] = _TCVN3_SINGLE["Đ"]
    caseless = frozenset(v for k, v in decode.items() if v.islower() and k not in "®¨©ª«¬\xad")
    return decode, encode, caseless


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    plain = {"a": ("a", "", ""), "e": ("e", "", ""), "o": ("o", "", ""), "u": ("u", "", ""),
             "y": ("y", "", "")}
    for letter, (base, shape_mod, shape) in {**plain, **_VNI_SHAPE}.items():
        tones = _VNI_TONE[shape]
        encode[letter] = base + shape_mod
        for mark, tone_mod in zip(_VNI_ORDER, tones, strict=True):
            encode[_nfc(letter + mark)] = base + tone_mod  # for â ê ô ă it carries the shape too
    for mark, code in zip(_VNI_ORDER, _VNI_I, strict=True):
        encode[_nfc("i" + mark)] = code
    encode.update(_VNI_SINGLE)
    for letter, code in list(encode.items()):
        up = letter.upper()
        if up != letter and up not in encode:
            encode[up] = code.upper()
    # plain a e o u y i carry no modifier: they are ASCII in both
    encode = {k: v for k, v in encode.items() if k != v}
    decode: dict[str, str] = {}
    for letter, code in encode.items():
        decode[code] = letter
        if len(code) == 2:  # a modifier typed in the other case still means the same
            decode.setdefault(code[0] + code[1].swapcase(), letter)
    return decode, encode


TCVN3_DECODE, TCVN3_ENCODE, _TCVN3_CASELESS = _build_tcvn3()
VNI_DECODE, VNI_ENCODE = _build_vni()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))
_TCVN3_TABLE = str.maketrans(TCVN3_DECODE)
_TCVN3_AMBIGUOUS = re.compile("[" + "".join(c for c, v in TCVN3_DECODE.items() if v in _TCVN3_CASELESS) + "]")


# --- conversion ---------------------------------------------------------------------------


def to_tcvn3(text: str) -> str:
    """Unicode to TCVN3 characters (capital toned vowels become the lower-case codes)."""
    return "".join(TCVN3_ENCODE.get(c, c) for c in _nfc(text))


def to_vni(text: str) -> str:
    return "".join(VNI_ENCODE.get(c, c) for c in _nfc(text))


def to_cp1258(text: str) -> bytes:
    """Unicode to Windows-1258 bytes: letters it lacks become base letter + tone mark."""
    out = bytearray()
    for c in _nfc(text):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            base = _nfc("".join(m for m in d if m not in _TONE_SET))
            out += base.encode("cp1258", errors="replace")
            out += "".join(m for m in d if m in _TONE_SET).encode("cp1258", errors="replace")
    return bytes(out)


def from_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_DECODE[m.group()], text)


def tcvn3_chars(text: str) -> tuple[str, list[bool]]:
    """TCVN3 characters to Unicode, and which output letters could be capitals (see from_tcvn3)."""
    mask = [False] * len(text)
    for m in _TCVN3_AMBIGUOUS.finditer(text):
        mask[m.start()] = True
    return text.translate(_TCVN3_TABLE), mask


def from_tcvn3(text: str, *, upper: bool = False) -> str:
    """TCVN3 characters to Unicode. `upper`: the text was in an upper-case font (`.VnTimeH`)."""
    out = text.translate(_TCVN3_TABLE)
    if upper:
        return out.upper()
    if not any(c in _TCVN3_CASELESS for c in out):
        return out
    return restore_case(*tcvn3_chars(text))


_WORD = re.compile(r"[^\W\d_]+")


def restore_case(out: str, ambiguous: list[bool]) -> str:
    """Capitalize decoded toned vowels that sit in all-capital words (the H-font convention).

    `ambiguous[i]`: out[i] came from a TCVN3 code that has no capital form. A word is in
    capitals when its other letters after the first are (a title-case word has its capital
    first); a word with none to tell by (`KÕ`, `ë`) goes by the Vietnamese words beside it
    on the line.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(out)]
    if not any(out[s + 1:e] != out[s + 1:e].lower() for s, e in words):
        return out  # no capital past a word's first letter: nothing is in capitals
    chars = list(out)
    starts = [s for s, _ in words]

    def caps(k: int) -> bool | None:
        s, e = words[k]
        known = [out[i] for i in range(s + 1, e) if not ambiguous[i]]
        return all(c.isupper() for c in known) if known else None

    def neighbour(k: int, j: int) -> bool | None:
        # `KH`, `QĐ`, `Y` say nothing; nor does a word on another line
        if not 0 <= j < len(words):
            return None
        s, e = words[j]
        lo, hi = sorted((words[k][0], s))
        if e - s < 2 or "\n" in out[lo:hi] or not is_syllable(out[s:e]):
            return None
        return caps(j)

    done: set[int] = set()
    for i in (i for i, a in enumerate(ambiguous) if a):
        k = bisect_right(starts, i) - 1
        if k < 0 or k in done or not words[k][0] <= i < words[k][1]:
            continue
        done.add(k)
        own = caps(k)
        if own is None:
            sides = [v for v in (neighbour(k, k - 1), neighbour(k, k + 1)) if v is not None]
            own = bool(sides) and all(sides)
        if own:
            s, e = words[k]
            for n in range(s, e):
                if ambiguous[n]:
                    chars[n] = chars[n].upper()
    return "".join(chars)


# --- telling which reading is Vietnamese ------------------------------------------------------

_VOWELS = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uă uê ui uô "
    "uơ uy ưa ưi ươ ưu yê iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu".split(),
    key=len, reverse=True)
_SYLLABLE = re.compile("(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:"
                       + "|".join(_VOWELS) + ")(?:ch|ng|nh|[cmnptk])?")
_TOKEN = re.compile(r"[^\s!-/:-@\[-`{-~\u2010-\u206f]+")
_TONE_SET = frozenset(TONE_MARKS)


@lru_cache(maxsize=1 << 16)
def is_syllable(token: str) -> bool:
    """A well-formed Vietnamese syllable (any case, one tone mark at most)."""
    d = unicodedata.normalize("NFD", token.lower())
    tones = sum(1 for c in d if c in _TONE_SET)
    if tones > 1:
        return False
    base = _nfc("".join(c for c in d if c not in _TONE_SET))
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> int:
    """Well-formed minus ill-formed syllables, over the words with a non-ASCII letter.

    A word of one character or with no letter (`ë`, `½`, `§`) tells nothing, nor does an
    ill-formed word in capitals (`QĐ`, `HĐND`: an abbreviation).
    """
    return sum(map(_token_score, _TOKEN.findall(text)))


@lru_cache(maxsize=1 << 16)
def _token_score(tok: str) -> int:
    if tok.isascii() or len(tok) < 2:
        return 0
    if is_syllable(tok):
        return 1
    return 0 if tok.isupper() or not any(c.isalpha() for c in tok) else -1


def _as_windows_bytes(text: str) -> bytes | None:
    """The bytes a Windows-1252 reading turned into TEXT (C1 controls for its five holes)."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for c in text:
        try:
            out += c.encode("cp1252")
        except UnicodeEncodeError:
            if ord(c) > 0xFF:
                return None
            out.append(ord(c))
    return bytes(out)


def _utf8_misread(text: str) -> str | None:
    """UTF-8 bytes once read as Windows-1252 (`Káº¿` for `Kế`), read again; None if not."""
    data = _as_windows_bytes(text)
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def _cp1258_misread(text: str) -> str | None:
    data = _as_windows_bytes(text)
    return _nfc(data.decode("cp1258", errors="replace")) if data is not None else None


# readings tried on a line; TCVN3 is scored without its case repair, done on the lines it wins
_CANDIDATES = {"tcvn3": lambda s: s.translate(_TCVN3_TABLE), "vni": from_vni, "utf-8": _utf8_misread,
               "cp1258": _cp1258_misread}
_FINAL = {"tcvn3": from_tcvn3}
SAMPLE_LINES = 40  # after this many suspect lines, a clear winner is the only reading tried
CLEAR_LEAD = 10


def _readings(line: str, names) -> dict[str, tuple[str, int]]:
    options = {"": (line, vietnamese_score(line))}
    for name in names:
        new = _CANDIDATES[name](line)
        if new is not None and new != line:
            options[name] = (new, vietnamese_score(new))
    return options


def _totals(readings) -> dict[str, int]:
    names = {n for options in readings.values() for n in options}
    return {n: sum(o.get(n, o[""])[1] for o in readings.values()) for n in names}


def _winner(totals: dict[str, int]) -> str:
    # a legacy reading must beat the text as it is by two words at least
    return max(totals, key=lambda n: (totals[n] - (0 if n == "" else 1), n == ""))


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Text that may hold legacy-font Vietnamese, in Unicode, and the encoding converted from.

    The lines with a suspect character decide which reading wins over the text; then each
    line is converted when a reading scores better than the line as it is, a tie going to
    the winner, so short lines follow the document. Text with no suspect character is
    returned at once.
    """
    if not _SUSPECT.search(text):
        return text, None
    lines = text.split("\n")
    readings: dict[int, dict[str, tuple[str, int]]] = {}
    names = tuple(_CANDIDATES)
    for i, line in enumerate(lines):
        if not _SUSPECT.search(line):
            continue
        readings[i] = _readings(line, names)
        if len(readings) == SAMPLE_LINES:  # enough to know: try only the clear winner on
            totals = _totals(readings)
            lead = _winner(totals)
            if lead and totals[lead] - max(t for n, t in totals.items() if n != lead) >= CLEAR_LEAD:
                names = (lead,)
    winner = _winner(_totals(readings))
    if winner:  # a legacy text: its other lines may hide codes that look like letters
        for i, line in enumerate(lines):
            if i not in readings and not line.isascii() and not _VI_BEYOND_LATIN1.search(line):
                readings[i] = _readings(line, (winner,))
    used: dict[str, int] = {}
    for i, options in readings.items():
        base = options[""][1]
        best = max(options, key=lambda n: (options[n][1], n == winner, n == ""))
        # a line follows the document unless another reading is clearly better; a line
        # with letters no legacy font has is Unicode unless the reading is better
        unicode_line = _VI_BEYOND_LATIN1.search(lines[i]) is not None
        follow = winner in options and options[best][1] < options[winner][1] + 2 and (
            options[winner][1] > base or (options[winner][1] == base and not unicode_line))
        if follow:
            best = winner
        elif options[best][1] < base + 2:
            continue
        if best:
            lines[i] = _FINAL[best](lines[i]) if best in _FINAL else options[best][0]
            used[best] = used.get(best, 0) + 1
    if not used:
        return text, None
    return "\n".join(lines), max(used, key=lambda n: used[n])


def decode_legacy_bytes(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: the best of Windows-1258, TCVN3 and VNI, in NFC."""
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        latin = data.decode("latin-1")
    options = {"cp1258": _nfc(data.decode("cp1258", errors="replace")),
               "tcvn3": from_tcvn3(latin), "vni": _nfc(from_vni(latin))}
    scores = {name: vietnamese_score(text) for name, text in options.items()}
    best = max(scores, key=lambda n: (scores[n], n == "cp1258"))
    if scores[best] <= 0:  # reads as Vietnamese in no legacy font: the plain Windows reading
        best = "cp1258"
    return options[best], best
