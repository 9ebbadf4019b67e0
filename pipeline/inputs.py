"""What a batch reads: the paths named and found, each classified without being read.

    entries = list_inputs(["plans/", "extra.pdf"], exclude=Path("outputs"))
    doc_id, error = hash_file(entry.path, max_bytes)

The parent process of a batch only lists, stats and hashes (streaming, in bounded memory);
the workers read. Every path named on the command line, and every non-hidden entry found
below a named folder, becomes one `Entry`: a regular file to read, or a row the batch
writes without reading anything (a FIFO, a device, a socket, a broken or looping symbolic
link, a path that does not exist). Nothing that can block (a FIFO, /dev/zero) is opened.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HASH_BLOCK = 1 << 20  # bytes read at a time while hashing


@dataclass(frozen=True)
class Entry:
    path: Path
    status: str | None = None  # None: a regular file to read; else the row's status
    reason: str | None = None  # why it is not read (the row's error)
    size: int = 0

    @property
    def source_path(self) -> str:
        return str(self.path)


def _not_regular(mode: int) -> str | None:
    for test, what in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return f"not a regular file: {what}"
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "not a regular file"


def _stat(path: Path) -> tuple[os.stat_result | None, Entry | None]:
    """stat() following links, or the error entry that says why it failed."""
    try:
        return os.stat(path), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            why = "symbolic link loop"
        elif exc.errno == errno.ENOENT:
            why = "broken symbolic link" if os.path.islink(path) else "no such file or folder"
        elif exc.errno == errno.ENAMETOOLONG:
            why = "file name too long"
        else:
            why = f"cannot read: {exc.strerror or exc}"
        return None, Entry(path, "error", why)


def list_inputs(inputs: Iterable[str | Path], *, exclude: Path | None = None) -> list[Entry]:
    """One entry per path named, and per entry found below a named folder, in a stable order.

    Hidden names and the EXCLUDE folder (the output folder inside an input folder) are left
    out; a symbolic link to a folder found inside a folder is not followed (a row says so),
    which also keeps a link loop from walking for ever. A path given twice counts once.
    """
    skip = os.path.realpath(exclude) if exclude is not None else None
    found: list[Entry] = []
    for item in inputs:
        p = Path(item)
        st, bad = _stat(p)
        if bad is not None:
            found.append(bad)
        elif stat.S_ISDIR(st.st_mode):
            _walk(p, skip, found)
        else:
            found.append(_file_entry(p, st))
    seen: set[str] = set()
    unique = []
    for e in found:
        if e.source_path not in seen:
            seen.add(e.source_path)
            unique.append(e)
    return unique


def _file_entry(p: Path, st: os.stat_result) -> Entry:
    why = _not_regular(st.st_mode)
    if why is not None:
        return Entry(p, "unsupported", why)
    return Entry(p, size=st.st_size)


def _walk(folder: Path, skip: str | None, found: list[Entry]) -> None:
    if skip is not None and os.path.realpath(folder) == skip:
        return
    try:
        with os.scandir(folder) as it:
            names = sorted((e.name, e.is_symlink()) for e in it)
    except OSError as exc:
        found.append(Entry(folder, "error", f"cannot list folder: {exc.strerror or exc}"))
        return
    for name, is_link in names:
        if name.startswith("."):
            continue
        p = folder / name
        st, bad = _stat(p)
        if bad is not None:
            found.append(bad)
        elif stat.S_ISDIR(st.st_mode):
            if is_link:
                found.append(Entry(p, "unsupported", "symbolic link to a folder (not followed)"))
            else:
                _walk(p, skip, found)
        else:
            found.append(_file_entry(p, st))


def hash_file(path: Path, max_bytes: int) -> tuple[str | None, str | None]:
    """(doc_id, None) from a streaming sha256 of a regular file, or (None, why not).

    Opened non-blocking and checked again after opening, so a path that turned into a FIFO
    since it was listed cannot hang the run; a file that grew past MAX_BYTES stops there.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    with os.fdopen(fd, "rb", buffering=0) as fh:
        why = _not_regular(os.fstat(fd).st_mode)
        if why is not None:
            return None, why
        h = hashlib.sha256()
        n = 0
        try:
            while block := fh.read(HASH_BLOCK):
                n += len(block)
                if n > max_bytes:
                    return None, too_large(max_bytes)
                h.update(block)
        except OSError as exc:
            return None, f"cannot read file: {exc.strerror or exc}"
    return h.hexdigest()[:16], None


def too_large(max_bytes: int) -> str:
    return f"file larger than the size limit of {human_bytes(max_bytes)} (--max-bytes)"


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def path_id(source_path: str, reason: str) -> str:
    """doc_id of a path that is not read: the path and why (a new reason is a new row)."""
    return hashlib.sha256(f"{source_path}\0{reason}".encode()).hexdigest()[:16]
