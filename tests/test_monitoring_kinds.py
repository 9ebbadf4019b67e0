"""A monitoring plan's `Nội dung giám sát` and `Phương pháp` describe what is looked at and how:
their items are not tasks even when they open with action verbs."""

from pipeline.clean import clean_text
from pipeline.records import CleanDoc
from pipeline.segment import segment

TEXT = """I. NỘI DUNG GIÁM SÁT, ĐÁNH GIÁ
1. Nội dung giám sát
- Theo dõi, kiểm tra tiến độ thực hiện Chương trình.
- Kiểm tra việc sử dụng vốn.
II. PHƯƠNG PHÁP GIÁM SÁT
1. Phương pháp
- Thu thập các văn bản chỉ đạo.
- Khảo sát, kiểm tra thực tế tại địa phương.
2. Các bước thực hiện
- Tổ chức kiểm tra tại xã.
- Tổng hợp kết quả kiểm tra.
III. NỘI DUNG, PHƯƠNG PHÁP THỰC HIỆN
1. Tổ chức tập huấn cho cán bộ.
2. Kiểm tra việc thực hiện.
IV. NỘI DUNG THI ĐUA
1. Chủ đề thi đua "Đoàn kết, sáng tạo, hoàn thành thắng lợi kế hoạch năm"
2. Nội dung thi đua
a) Đẩy mạnh cải cách hành chính.
b) Tổ chức các phong trào thi đua.
"""


def test_described_content_is_not_tasks(rules):
    clean, _ = clean_text(TEXT, rules=rules)
    kinds = {s.path: s.kind for s in segment(CleanDoc("d", clean), rules=rules).sections}
    assert kinds["I"] == "other" and kinds["I/1/-1"] == "other"
    assert kinds["II/1"] == "other" and kinds["II/1/-2"] == "other"
    # a plain content heading (opening with `nội dung` alone) still holds tasks
    assert kinds["III"] == "tasks" and kinds["III/2"] == "tasks"
    # an emulation plan's slogan names the campaign; its contents are still tasks
    assert kinds["IV/1"] == "other" and kinds["IV/2/a"] == "tasks"
