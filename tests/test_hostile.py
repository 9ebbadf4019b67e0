"""The batch under hostile input: every path one row, no hang, bounded memory, nothing redone.

The bad inputs are made here (nothing large is committed: the big file is sparse).
"""

import io
import os
import random
import resource
import signal
import socket
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS

from pipeline.batch import find_inputs, run
from pipeline.inputs import list_inputs

GOOD = sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)[:2]
EN = ("The committee shall review the annual budget and report to the board. " * 40).encode()
ZH = ("人口贩卖预防工作计划。各部门应当加强宣传教育，提高群众的防范意识。" * 40).encode()


@contextmanager
def no_hang(seconds: int):
    """Fail instead of hanging for ever (a FIFO read, an endless device)."""
    def boom(*_):
        raise TimeoutError(f"still running after {seconds} s")
    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _bomb_docx() -> bytes:
    """A .docx whose document.xml unpacks to 80 MB (a few hundred KB zipped)."""
    buf = io.BytesIO()
    body = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>' + b" " * (80 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", body + b"</w:body></w:document>")
    return buf.getvalue()


def build(folder: Path, outside: Path) -> tuple[dict[str, str], list[str]]:
    """The test folder; returns the expected status of every path, and extra paths to name."""
    folder.mkdir()
    outside.mkdir()
    want: dict[str, str] = {}

    def put(name: str, data: bytes, status: str) -> Path:
        p = folder / name
        p.write_bytes(data)
        want[str(p)] = status
        return p

    good = [put(f"good{i}.txt", g.read_bytes(), "ok") for i, g in enumerate(GOOD)]
    put("good9-copy.txt", good[0].read_bytes(), "ok")  # same bytes: parsed once
    put("empty.txt", b"", "empty")
    put("empty.pdf", b"", "empty")
    text = good[1].read_bytes()
    put("stray-byte.txt", text[:2000] + b"\x93" + text[2000:], "ok")
    put("utf16.txt", text.decode("utf-8").encode("utf-16-le"), "ok")
    rnd = random.Random(7)
    put("random.txt", bytes(rnd.randrange(1, 256) for _ in range(20000)), "ok")  # NOT_A_PLAN
    put("english.txt", EN, "ok")
    put("chinese.txt", ZH, "ok")
    put("bomb.docx", _bomb_docx(), "error")
    put("sheet.xlsx", b"PK\x03\x04 not really", "unsupported")
    (folder / ".hidden.txt").write_bytes(b"skipped")
    big = folder / "huge.txt"  # sparse: 3 GB that take no disk, over --max-bytes
    with open(big, "wb") as fh:
        fh.truncate(3 << 30)
    want[str(big)] = "error"

    def special(name: str, make, status: str) -> None:
        p = folder / name
        make(p)
        want[str(p)] = status

    special("pipe.txt", os.mkfifo, "unsupported")
    special("zero.txt", lambda p: p.symlink_to("/dev/zero"), "unsupported")
    special("dangling.txt", lambda p: p.symlink_to(folder / "nowhere.txt"), "error")
    special("loop.txt", lambda p: p.symlink_to(p), "error")
    special("dirlink", lambda p: p.symlink_to(outside), "unsupported")
    sock = folder / "s.sock"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock))
        want[str(sock)] = "unsupported"
    except OSError:  # a path too long for a socket address
        pass
    finally:
        s.close()
    # named on the command line
    fifo2 = outside / "named.fifo"
    os.mkfifo(fifo2)
    loop2 = outside / "named-loop.md"
    loop2.symlink_to(loop2)
    named = {str(fifo2): "unsupported", "/dev/zero": "unsupported", str(loop2): "error",
             str(outside / "missing.md"): "error"}
    want.update(named)
    return want, list(named)


def docs_of(out: Path):
    return pq.read_table(out / "documents.parquet").to_pandas().set_index("source_path")


def test_every_path_one_row_no_hang_bounded_memory_nothing_redone(tmp_path, rules):
    folder, out = tmp_path / "in", tmp_path / "out"
    want, named = build(folder, tmp_path / "outside")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with no_hang(300):
        s = run([folder, *named], out, rules=rules, workers=2, progress=False, timeout=120,
                max_bytes=1 << 20, max_memory_mb=2048)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 400, "the parent must not read the inputs"  # the sparse file is 3 GB
    assert 0 < s.peak_worker_rss_mb < 2048

    docs = docs_of(out)
    assert docs.index.is_unique and set(docs.index) == set(want)
    assert docs["status"].to_dict() == want
    assert s.n_files == len(want) and s.n_duplicates == 1
    err = docs["error"].to_dict()
    f = str(folder)
    assert err[f"{f}/pipe.txt"] == "not a regular file: a named pipe (FIFO)"
    assert err["/dev/zero"] == err[f"{f}/zero.txt"] == "not a regular file: a character device"
    assert err[f"{f}/dangling.txt"] == "broken symbolic link"
    assert err[f"{f}/loop.txt"] == "symbolic link loop"
    assert err[str(tmp_path / "outside" / "missing.md")] == "no such file or folder"
    assert err[f"{f}/huge.txt"] == "file larger than the size limit of 1 MB (--max-bytes)"
    assert err[f"{f}/dirlink"] == "symbolic link to a folder (not followed)"
    assert "decompressed size over the limit" in err[f"{f}/bomb.docx"]
    assert err[f"{f}/empty.txt"] == err[f"{f}/empty.pdf"] == "file is empty"

    # the copy: its own row, the same doc_id and text, naming the first path; parsed once
    copy, first = docs.loc[f"{f}/good9-copy.txt"], docs.loc[f"{f}/good0.txt"]
    assert copy["duplicate_of"] == f"{f}/good0.txt" and pd.isna(first["duplicate_of"])
    assert copy["doc_id"] == first["doc_id"] and copy["clean_text"] == first["clean_text"]

    tables = {t: pq.read_table(out / f"{t}.parquet").to_pandas()
              for t in ("plans", "tasks", "flags")}
    plan_ids = set(tables["plans"]["doc_id"])
    assert plan_ids == {docs.loc[f"{f}/{n}", "doc_id"] for n in
                        ("good0.txt", "good1.txt", "stray-byte.txt", "utf16.txt")}
    assert tables["plans"]["doc_id"].is_unique  # the copy adds no plan
    tasks = tables["tasks"].groupby("doc_id").size()
    good1, stray = docs.loc[f"{f}/good1.txt", "doc_id"], docs.loc[f"{f}/stray-byte.txt", "doc_id"]
    assert tasks[good1] > 0 and abs(tasks[stray] - tasks[good1]) <= 1  # one stray byte
    assert tasks[docs.loc[f"{f}/utf16.txt", "doc_id"]] == tasks[good1]
    not_plans = set(tables["flags"].query("code == 'NOT_A_PLAN'")["doc_id"])
    assert not_plans == {docs.loc[f"{f}/{n}", "doc_id"] for n in ("random.txt", "english.txt",
                                                                   "chinese.txt")}

    with no_hang(120):
        again = run([folder, *named], out, rules=rules, workers=2, progress=False,
                    max_bytes=1 << 20, max_memory_mb=2048)
    assert again.by_status == {} and again.n_unchanged == len(want) and again.n_duplicates == 0
    assert docs_of(out)["status"].to_dict() == want


def test_a_copy_in_a_later_run_gets_its_row_without_a_parse(tmp_path, rules):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_bytes(GOOD[0].read_bytes())
    run([folder], out, rules=rules, workers=0, progress=False)
    (tmp_path / "later").mkdir()
    copy = tmp_path / "later" / "b.md"
    copy.write_bytes(GOOD[0].read_bytes())
    s = run([copy], out, rules=rules, workers=0, progress=False)
    assert s.n_duplicates == 1 and s.by_status == {}
    docs = docs_of(out)
    assert docs.loc[str(copy), "duplicate_of"] == str(folder / "a.txt")
    assert docs.loc[str(copy), "source_format"] == "md" and docs.loc[str(copy), "status"] == "ok"
    # the first path edited: the copy keeps the old bytes' rows and is now the first
    (folder / "a.txt").write_text("Kế hoạch khác của xã và của các cơ quan", encoding="utf-8")
    run([folder], out, rules=rules, workers=0, progress=False)
    docs = docs_of(out)
    assert pd.isna(docs.loc[str(copy), "duplicate_of"])
    assert docs.loc[str(copy), "doc_id"] != docs.loc[str(folder / "a.txt"), "doc_id"]
    plans = pq.read_table(out / "plans.parquet").to_pandas()
    assert set(plans["doc_id"]) == set(docs["doc_id"])


def test_listing_follows_named_links_and_keeps_out_the_output_folder(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "b.txt").write_text("x")
    entries = list_inputs([tmp_path, tmp_path / "a.txt"], exclude=tmp_path / "out")
    assert [(e.path.name, e.status) for e in entries] == [("a.txt", None), ("link.txt", None)]
    assert find_inputs([tmp_path], exclude=tmp_path / "out") == [tmp_path / "a.txt",
                                                                 tmp_path / "link.txt"]


def hog_task(path, *, rules, source_path):
    """Asks for 3 GB when the file says so; otherwise reads and cleans it."""
    from test_batch import light

    if b"HOG" in Path(path).read_bytes():
        block = bytearray(3 << 30)
        return block  # never reached under the limit
    return light(path, rules=rules, source_path=source_path)


def test_worker_over_the_memory_limit_is_an_error_row_naming_it(tmp_path, rules):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(["Kế hoạch của xã", "HOG", "Kế hoạch của các cơ quan"]):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    s = run([folder], tmp_path / "out", rules=rules, workers=1, progress=False, task=hog_task,
            max_memory_mb=1024)
    docs = docs_of(tmp_path / "out")
    assert docs.loc[str(folder / "1.txt"), "error"] == \
        "over the memory limit of 1024 MB per worker (--max-memory)"
    assert s.by_status == {"ok": 2, "error": 1}
    assert s.peak_worker_rss_mb < 1024


def test_numbering_values_are_bounded():
    from pipeline.ingest.word import _format

    assert _format(2_000_000_000, "lowerLetter") == "2000000000"
    assert _format(2_000_000_000, "upperRoman") == "2000000000"
    assert _format(28, "lowerLetter") == "bb" and _format(4, "upperRoman") == "IV"


@pytest.mark.parametrize("name", ["over-total", "over-xml"])
def test_zip_limits(name):
    from pipeline.ingest import IngestError
    from pipeline.ingest.limits import check_zip

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml" if name == "over-xml" else "word/media/a.png", b"0" * 5000)
    with pytest.raises(IngestError, match="decompressed size over the limit"):
        check_zip(buf.getvalue(), total=4000 if name == "over-total" else 10 ** 9, xml=4000)
    check_zip(buf.getvalue(), total=10 ** 9, xml=10 ** 9)  # under both: no complaint
    check_zip(b"not a zip")  # left to the reader
