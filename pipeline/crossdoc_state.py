"""What the cross-document stages derived, kept between runs (OUT/.crossdoc/).

    OUT/.crossdoc/state.json          {"fingerprint": ...}: the code and rules it was made with
    OUT/.crossdoc/plan_index.parquet  per plan: the keys other plans cite it by
    OUT/.crossdoc/ref_index.parquet   per `implements` reference: the keys it cites
    OUT/.crossdoc/links.parquet       per child: its PlanLinks (with the ambiguous candidates)
    OUT/.crossdoc/coverage.parquet, localization.parquet, xflags.parquet (its cross-document
                                      flags), pairs.parquet + plan_changes.parquet (its predecessor)
    OUT/.crossdoc/docflags.parquet    one document's flags, for plans whose rows came without them
                                      (a store not written by the workers: see docflags)
    OUT/.crossdoc/words.parquet       word segmentations of its texts (compare.wordmemo), kept
                                      as long as the segmenter is the same, whatever the rules

Every file is keyed by a plan's doc_id (a hash of its bytes, so a changed plan is a new
doc_id). A run rewrites the files as: old rows minus the plans recomputed or gone, plus the
new rows, streamed (never all in memory), into a new folder that replaces the old one whole:
a killed run leaves the previous state or none (then everything is recomputed).
A state made by other code or rules (the fingerprint) is not used (but for words.parquet).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .compare.wordmemo import segmenter_version
from .crossdoc_io import STREAM_ROWS, StoreReader, quote, release_memory, write_batches
from .schema import arrow_schema

__all__ = ["State", "STATE_DIR", "SCHEMAS", "KEYS", "publish_tables", "grouped_rows"]

STATE_DIR = ".crossdoc"
FORMAT = 1  # of this folder; a state of another format is not used

_S = pa.string()
_INDEX = [("doc_id", _S), ("key", _S), ("number", _S), ("title_n", _S), ("issuer_n", _S),
          ("date", pa.date32())]
SCHEMAS: dict[str, pa.Schema] = {
    # what other plans cite a plan by, and the plan's own fields link reads (p_*)
    "plan_index": pa.schema([*_INDEX, ("issuer_g", _S), ("p_doc_ref", _S), ("p_number", _S), ("p_symbol", _S),
                             ("p_issuer", _S), ("p_issue_date", pa.date32()), ("p_title", _S)]),
    "ref_index": pa.schema(_INDEX),
    "links": pa.schema([("child_doc_id", _S), ("parent_ref", _S), ("parent_issuer", _S),
                        ("parent_date", pa.date32()), ("parent_doc_id", _S), ("resolved", pa.bool_()),
                        ("method", _S), ("candidates", pa.list_(_S))]),
    "coverage": arrow_schema("coverage"),
    "localization": arrow_schema("localization"),
    "xflags": arrow_schema("flags"),
    "docflags": arrow_schema("flags"),  # one document's flags the workers did not write (docflags)
    "pairs": pa.schema([("doc_id", _S), ("prev_doc_id", _S)]),
    "plan_changes": arrow_schema("plan_changes"),
    "words": pa.schema([("owner", _S), ("key", _S), ("words", pa.list_(_S))]),  # see compare.wordmemo
}
KEYS = {name: ("child_doc_id" if name in ("links", "coverage") else "owner" if name == "words" else "doc_id")
        for name in SCHEMAS}


class State:
    """The state folder of one store, read through READER, rewritten by `commit`."""

    def __init__(self, out_dir: Path, reader: StoreReader, fingerprint: str, *, segmenter: str,
                 fresh: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.dir = self.out_dir / STATE_DIR
        self.reader = reader
        self.fingerprint = fingerprint
        self.new_dir = self.out_dir / f"{STATE_DIR}.new-{os.getpid()}"
        self.valid = not fresh and self._usable()
        # segmentations depend on their text and the segmenter only: kept across code and rules
        # (syllables are no segmentation worth keeping: none is read or kept)
        self.segmenter = segmenter_version(segmenter)
        self.words_ok = (self.segmenter != "syllables" and self._meta().get("segmenter") == self.segmenter
                         and self.path("words").exists())
        self.drops: dict[str, list[str]] = {}  # lists: a set of 10^5 ids weighs 4 MB, a list 0.8
        self.pieces: dict[str, list[Path]] = {}
        shutil.rmtree(self.new_dir, ignore_errors=True)
        self.new_dir.mkdir(parents=True)

    def _meta(self) -> dict:
        try:
            return json.loads((self.dir / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _usable(self) -> bool:
        meta = self._meta()
        return meta.get("format") == FORMAT and meta.get("fingerprint") == self.fingerprint and \
            all((self.dir / f"{n}.parquet").exists() for n in SCHEMAS if n != "words")

    def ok(self, name: str) -> bool:
        """Whether the state's NAME can be used."""
        return self.words_ok if name == "words" else self.valid

    def path(self, name: str) -> Path:
        return self.dir / f"{name}.parquet"

    def scan(self, name: str) -> str:
        """The FROM clause of a state table (an empty one when there is no usable state)."""
        if self.ok(name):
            return f"read_parquet({quote(self.path(name))}, file_row_number=true)"
        cols = ", ".join(f'NULL::{_duck(f.type)} AS "{f.name}"' for f in SCHEMAS[name])
        return f"(SELECT {cols}, 0::BIGINT AS file_row_number LIMIT 0)"

    def rows(self, name: str, ids: Iterable[str], key: str | None = None) -> dict[str, list[dict]]:
        """The state rows of IDS (by the table's key, or KEY), grouped by that key."""
        if not self.ok(name):
            return {}
        return grouped_rows(self.reader, name, self.scan(name), "file_row_number", ids, key)

    def added(self, name: str, ids: Iterable[str]) -> dict[str, list[dict]]:
        """The rows of IDS this run added to NAME so far, grouped by the table's key."""
        files = self.pieces.get(name)
        if not files:
            return {}
        src = ("read_parquet([" + ", ".join(quote(f) for f in files) +
               "], filename=true, file_row_number=true)")
        return grouped_rows(self.reader, name, src, "filename, file_row_number", ids)

    def drop(self, name: str, ids: Iterable[str]) -> None:
        """Leave the old rows of IDS out of NAME in the new state."""
        self.drops.setdefault(name, []).extend(ids)

    def add(self, name: str, rows: list[dict]) -> None:
        """New rows of NAME, written to a piece file now (a whole run's rows never wait in memory)."""
        if not rows:
            return
        piece = self.new_dir / "pieces" / f"{name}-{len(self.pieces.get(name, ())):06d}.parquet"
        write_batches(piece, SCHEMAS[name], [pa.Table.from_pylist(rows, schema=SCHEMAS[name])])
        self.pieces.setdefault(name, []).append(piece)

    def add_table(self, name: str, table: pa.Table) -> None:
        """New rows of NAME, as an Arrow table of its schema."""
        if table.num_rows:
            piece = self.new_dir / "pieces" / f"{name}-{len(self.pieces.get(name, ())):06d}.parquet"
            write_batches(piece, SCHEMAS[name], [table])
            self.pieces.setdefault(name, []).append(piece)

    def pieces_source(self, name: str) -> str | None:
        """A FROM clause over the rows this run added to NAME so far (None: none)."""
        files = self.pieces.get(name)
        if not files:
            return None
        return "read_parquet([" + ", ".join(quote(f) for f in files) + "], file_row_number=true)"

    def merge(self) -> dict[str, int]:
        """Every table of the new state: its old rows but those dropped, then the pieces; row counts."""
        counts = {}
        for name, schema in SCHEMAS.items():
            reg = self.reader.register(self.drops.get(name, ()))
            cols = ", ".join(f'"{c}"' for c in schema.names)
            keep = f'"{KEYS[name]}" NOT IN (SELECT id FROM {reg})'
            pieces = self.pieces.get(name, ())
            shared = []
            if name == "words":
                keep += " AND owner <> ''"  # those of no plan: once each, after the others
                if self.reader.has("plans"):  # the words of plans still in the store
                    keep += f" AND owner IN (SELECT doc_id FROM {self.reader.scan('plans')})"
                shared = [self._shared_words(cols, pieces)]
            # (whole tables stream in file order, unsorted: sorting them would hold them)
            old = self.reader.stream(f"SELECT {cols} FROM {self.scan(name)} WHERE {keep}")
            new = (b for p in pieces for b in pq.ParquetFile(p).iter_batches(STREAM_ROWS))
            if name == "words":
                new = (b.filter(pc.not_equal(b.column("owner"), "")) for b in new)
            counts[name] = write_batches(self.new_dir / f"{name}.parquet", schema,
                                         itertools.chain(old, new, *shared))
            self.reader.con.unregister(reg)
            release_memory()
        shutil.rmtree(self.new_dir / "pieces", ignore_errors=True)
        return counts

    def _shared_words(self, cols: str, pieces) -> Iterable[pa.RecordBatch]:
        """Segmentations of no plan's text (a catalogue's, owner ''), once per text: each group of
        a run makes them again (its memo starts empty), and kept as they came they grew with the
        number of groups, and every group read them all."""
        srcs = [f"SELECT {cols} FROM {self.scan('words')} WHERE owner = ''"]
        if pieces:
            files = ", ".join(quote(p) for p in pieces)
            srcs.append(f"SELECT {cols} FROM read_parquet([{files}]) WHERE owner = ''")
        return self.reader.stream(f"SELECT DISTINCT ON (key) {cols} FROM ({' UNION ALL '.join(srcs)}) "
                                  "ORDER BY key")

    def commit(self) -> None:
        """The new folder replaces the old one (two renames; a kill between leaves no state)."""
        (self.new_dir / "state.json").write_text(
            json.dumps({"format": FORMAT, "fingerprint": self.fingerprint, "segmenter": self.segmenter}),
            encoding="utf-8")
        old = self.out_dir / f"{STATE_DIR}.old-{os.getpid()}"
        if self.dir.exists():
            os.replace(self.dir, old)
        os.replace(self.new_dir, self.dir)
        shutil.rmtree(old, ignore_errors=True)
        self.valid = True

    def abandon(self) -> None:
        shutil.rmtree(self.new_dir, ignore_errors=True)


def grouped_rows(reader: StoreReader, name: str, src: str, order: str, ids: Iterable[str],
                 key: str | None = None) -> dict[str, list[dict]]:
    """Rows of the state table NAME read from SRC (a FROM clause with ORDER's columns) whose KEY
    is one of IDS, in ORDER, grouped by KEY."""
    ids, key = set(ids), key or KEYS[name]
    if not ids:
        return {}
    reg = reader.register(ids)
    cols = ", ".join(f'"{c}"' for c in SCHEMAS[name].names)
    t = reader.arrow(f'SELECT {cols} FROM {src} WHERE "{key}" IN (SELECT id FROM {reg}) ORDER BY {order}')
    reader.con.unregister(reg)
    out: dict[str, list[dict]] = {}
    for r in t.to_pylist():
        out.setdefault(r[key], []).append(r)
    return out


def _duck(t: pa.DataType) -> str:
    if pa.types.is_date32(t):
        return "DATE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_integer(t):
        return "BIGINT" if t.bit_width == 64 else "INTEGER"
    if pa.types.is_floating(t):
        return "DOUBLE"
    if pa.types.is_list(t):
        return "VARCHAR[]"
    return "VARCHAR"


def publish_tables(out_dir: Path, reader: StoreReader, state: State, own_codes: frozenset[str],
                   doc_codes: frozenset[str]) -> None:
    """OUT/plan_links, coverage, localization, plan_changes and flags from the state, streamed.

    flags: the per-document flags the store holds (the workers') and the state's own."""
    out_dir = Path(out_dir)
    for table, name in (("plan_links", "links"), ("coverage", "coverage"), ("localization", "localization"),
                        ("plan_changes", "plan_changes")):
        schema = arrow_schema(table)
        cols = ", ".join(f'"{c}"' for c in schema.names)
        write_batches(out_dir / f"{table}.parquet", schema,
                      reader.stream(f"SELECT {cols} FROM {state.scan(name)}"))
        release_memory()
    schema = arrow_schema("flags")
    cols = ", ".join(f'"{c}"' for c in schema.names)
    own, doc = reader.register(own_codes), reader.register(doc_codes)
    # the store's flags are the workers' but for what an earlier run of this stage added to them
    kept = (f"SELECT {cols} FROM {reader.scan('flags')} WHERE code NOT IN (SELECT id FROM {own}) AND NOT "
            f"(code IN (SELECT id FROM {doc}) AND doc_id IN (SELECT doc_id FROM {state.scan('docflags')}))")
    pieces = [reader.stream(kept)] if reader.has("flags") else []
    for name in ("docflags", "xflags"):
        pieces.append(reader.stream(f"SELECT {cols} FROM {state.scan(name)}"))
    write_batches(out_dir / "flags.parquet", schema, itertools.chain(*pieces))
    release_memory()
