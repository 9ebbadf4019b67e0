"""The flags of one document alone are found by the worker, once, with its rows."""

from conftest import ROOT

from pipeline.docflags import DOC_CODES
from pipeline.flags import CODES, CROSS_CODES, find_flags
from pipeline.process import process_file
from pipeline.write import rows_of


def test_codes_are_one_documents_or_the_stores():
    assert DOC_CODES | CROSS_CODES == CODES and not DOC_CODES & CROSS_CODES


def test_worker_flags_are_the_per_document_flags_of_the_whole_store_pass(rules):
    for path in sorted((ROOT / "corpus").glob("00*_*.txt")):
        rows = rows_of(process_file(path, rules=rules))
        worker = sorted((f["code"], f["task_id"] or "", f["char_start"] or -1) for f in rows["flags"])
        store = sorted((f.code, f.task_id or "", f.char_start or -1)
                       for f in find_flags(rows, [], [], rules=rules) if f.code in DOC_CODES)
        assert worker == store, path.name
        assert {c for c, _, _ in worker} <= DOC_CODES


def test_a_plan_with_gaps_is_flagged_by_the_worker(tmp_path, rules):
    doc = tmp_path / "kh.md"
    doc.write_text("ỦY BAN NHÂN DÂN XÃ HÒA XÁ\n\nSố: /KH-UBND\n\nKẾ HOẠCH\n"
                   "Phòng chống thiên tai năm 2026\n\nI. MỤC ĐÍCH\n\nBảo đảm an toàn.\n\n"
                   "III. NHIỆM VỤ\n\n1. Tuyên truyền phòng chống thiên tai "
                   "cho người dân trên địa bàn xã.\n", encoding="utf-8")
    codes = {f["code"] for f in rows_of(process_file(doc, rules=rules))["flags"]}
    assert {"BLANK_DOC_NUMBER", "NUMBERING_GAP"} <= codes
