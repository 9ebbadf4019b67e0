"""Limits on what a container may unpack to, checked before a reader unpacks anything.

A .docx is a ZIP: a few MB can declare gigabytes of XML (a zip bomb). The sizes its
directory declares bound what `zipfile` will ever hand out (it stops at the declared size),
so checking them first keeps a bomb to an error row naming the limit.
"""

from __future__ import annotations

import io
import zipfile

from .base import IngestError

MAX_UNZIPPED = 512 << 20  # all members together (images included)
MAX_UNZIPPED_XML = 64 << 20  # the XML parts, which are parsed into trees many times larger
MAX_LIST_VALUE = 32767  # a list number above this (Word's own limit) is shown as digits


def check_zip(data: bytes, *, total: int = MAX_UNZIPPED, xml: int = MAX_UNZIPPED_XML) -> None:
    """Raise IngestError when the archive would unpack to more than the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable ZIP: the reader says so in its own words
    size = sum(m.file_size for m in members)
    xml_size = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    for got, limit, what in ((size, total, "all parts"), (xml_size, xml, "the XML parts")):
        if got > limit:
            raise IngestError(f"decompressed size over the limit: {what} would unpack to "
                              f"{got >> 20} MB, more than {limit >> 20} MB")
