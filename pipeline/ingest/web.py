"""HTML copies of documents from legal-document websites.

The page is cut down to the element that holds the document: starting from <body>, go
down into the child that holds most of the text as long as the text beside it is mostly
links (menus, lists of related documents); stop where plain text would be left out, as a
header table beside the body is. Scripts, styles, navigation and forms are dropped; block elements
and table cells become lines. Site chrome left inside is the clean stage's business.
"""

from __future__ import annotations

import re
import unicodedata

from ..encodings import fix_legacy
from ..tables import is_data_table
from .base import Reading
from .text import decode_text

SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "form", "button", "select",
                  "iframe", "svg", "head", "template", "aside", "input", "textarea", "object", "canvas",
                  "-comment", "_comment"})
BLOCK = frozenset({"address", "article", "blockquote", "center", "dd", "div", "dl", "dt", "figcaption",
                   "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
                   "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption"})
DOMINANT = 0.5  # share of the text a child must hold to be taken as the document
LINKS = 0.5  # share of the text beside it that must be links to leave it out
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def read_html(data: bytes) -> Reading:
    try:
        from selectolax.lexbor import LexborHTMLParser as Parser
    except ImportError:  # selectolax before the lexbor backend
        from selectolax.parser import HTMLParser as Parser

    html, enc = _decode(data)
    tree = Parser(html)
    root = tree.body or tree.root
    if root is None:
        return Reading(text="", encoding=enc)
    for tag in SKIP - {"-comment", "_comment"}:
        for node in tree.css(tag):
            node.decompose()
    node = _content(root)
    parts: list[str] = []
    _walk(node, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    text, legacy = fix_legacy("\n".join(line for line in lines if line))
    text = unicodedata.normalize("NFC", text)  # a page in Windows-1258 has separate tone marks
    return Reading(text=text, encoding=f"{enc}+{legacy}" if legacy else enc)


def _decode(data: bytes) -> tuple[str, str]:
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        # a meta tag readable as ASCII means the page is not UTF-16/32, whatever it says
        if name not in ("utf-8", "utf8") and not name.startswith(("utf-16", "utf16", "utf-32", "utf32")):
            try:
                return data.decode(name), name
            except (LookupError, ValueError):  # unknown or not a text codec (UnicodeError)
                pass
    return decode_text(data)


def _text_len(node) -> int:
    return len("".join((node.text(deep=True, separator="") or "").split()))


def _link_len(node) -> int:
    return sum(_text_len(a) for a in node.css("a"))


def _content(node):
    """Go down while one child holds most of the text and what is left beside it is links."""
    total = _text_len(node)
    while total:
        best, best_len = None, 0
        for child in node.iter(include_text=False):
            n = _text_len(child)
            if n > best_len:
                best, best_len = child, n
        if best is None or best_len < DOMINANT * total:
            break
        outside = total - best_len
        if outside and _link_len(node) - _link_len(best) < LINKS * outside:
            break  # the text beside it is not menus: it may be the document's own header
        node, total = best, best_len
    return node


def _walk(node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.append(child.text(deep=False).replace("\n", " "))
        elif tag in SKIP:
            continue
        elif tag == "br":
            out.append("\n")
        elif tag == "table" and (rows := _data_table(child)):
            out.append("\n" + "\n".join(rows) + "\n")
        elif tag in BLOCK:
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        else:
            _walk(child, out)


def _fill_spans(row: list[str], spans: dict[int, tuple[int, str]], col: int) -> int:
    """Append to ROW the cells that rows above span down into, from column COL on."""
    while col in spans:
        left, text = spans[col]
        row.append(text)
        spans[col] = (left - 1, text)
        if left <= 1:
            del spans[col]
        col += 1
    return col


def _data_table(table) -> list[str] | None:
    """A table whose header names its columns (a task table) as pipe rows, `| a | b |`, a
    cell's lines joined by `<br>`; a cell spanning rows reads in each row it covers (as it
    looks). None for any other table (the issuer | motto block): its cells become lines."""
    rows: list[list[str]] = []
    spans: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
    for tr in table.css("tr"):
        if _parent_table(tr) != table:
            continue  # a nested table's rows come with their cell
        row: list[str] = []
        col = 0
        for cell in tr.iter(include_text=False):
            if cell.tag not in ("td", "th"):
                continue
            col = _fill_spans(row, spans, col)  # cells from rows above cover these columns
            parts: list[str] = []
            _walk(cell, parts)
            lines = (_SPACES.sub(" ", ln).strip() for ln in "".join(parts).split("\n"))
            text = "<br>".join(ln for ln in lines if ln).replace("|", "/")
            row.append(text)
            down = _span(cell, "rowspan")
            if down > 1:
                spans[col] = (down - 1, text)
            col += _span(cell, "colspan")
        _fill_spans(row, spans, col)
        if row:
            rows.append(row)
    if not rows or not is_data_table([[c.replace("<br>", " ") for c in r] for r in rows]):
        return None
    return ["| " + " | ".join(r) + " |" for r in rows]


def _parent_table(node):
    node = node.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _span(cell, name: str) -> int:
    try:
        return max(1, int((cell.attributes.get(name) or "1").strip()))
    except ValueError:
        return 1
