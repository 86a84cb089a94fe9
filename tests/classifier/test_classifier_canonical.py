"""Canonical text: disguises undone, teencode expanded, every span mapped back."""

import pytest

from classifier.canonical import canonical_text
from classifier.teencode import TEENCODE_RULES, teencode_table


def _back(ct, phrase):
    """Original text under the first occurrence of `phrase` in the canonical text."""
    start = ct.folded.index(phrase)
    s, e = ct.to_original(start, start + len(phrase))
    return ct.original[s:e]


@pytest.mark.parametrize(
    ("raw", "reads"),
    [
        ("v.i.ệ.c n.h.ẹ l-ư-ơ-n-g cao", "viec nhe luong cao"),
        ("đi c4mpuchia làm", "di campuchia lam"),
        ("kết bạn Z@lo nhé", "ket ban zalo nhe"),
        ("kết bạn Za.lo nhé", "ket ban zalo nhe"),
        ("nhắn tele.gram", "nhan telegram"),
        ("l ư ơ n g cao", "luong cao"),
        ("gọi 0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "goi 0912345678"),
        ("gọi ０９１２３４５６７８", "goi 0912345678"),
        ("vi\u200bệc nh\u200dẹ", "viec nhe"),
        ("sđt: không chín một hai ba bốn năm sáu bảy tám", "so dien thoai: 0912345678"),
    ],
)
def test_disguises_are_undone_and_map_back(raw, reads):
    ct = canonical_text(f"Tin: {raw}.")
    assert reads in ct.folded
    assert _back(ct, reads) == raw


@pytest.mark.parametrize(
    ("raw", "reads"),
    [
        ("ko cần kn", "khong can kinh nghiem"),
        ("k cần cọc", "khong can coc"),
        ("làm được k?", "lam duoc khong?"),
        ("kh có phí", "khong co phi"),
        ("lg 15tr/tháng", "luong 15 trieu/thang"),
        ("thu nhập 500k/ngày", "thu nhap 500 nghin/ngay"),
        ("cty tuyển CTV", "cong ty tuyen cong tac vien"),
        ("đi XKLĐ Nhật", "di xuat khau lao dong nhat"),
        ("LH sđt 0912", "lien he so dien thoai 0912"),
        ("ib zalo", "inbox zalo"),
        ("đc trả lương vs thưởng", "duoc tra luong voi thuong"),
        ("làm j cũng đc", "lam gi cung duoc"),
        ("mọi ng ơi", "moi nguoi oi"),
        ("tuyển nv bán hàng", "tuyen nhan vien ban hang"),
        ("nhận nv mỗi ngày", "nhan nhiem vu moi ngay"),
        ("nữ dưới 23t", "nu duoi 23 tuoi"),
        ("lương 1tr5", "luong 1 trieu5"),
    ],
)
def test_teencode_expansions(raw, reads):
    ct = canonical_text(raw)
    assert ct.folded == reads
    assert ct.to_original(0, len(ct.text)) == (0, len(raw))


@pytest.mark.parametrize(
    "legit",
    [
        # Real-job-ad and ordinary wording that must come through untouched.
        "Công ty LG Display tuyển kỹ sư, phòng KH, thợ hàn 8 năm kinh nghiệm",
        "Chúng tôi cam kết lương cao, làm việc tại nhà 2 ngày/tuần, hàng nghìn nhân viên",
        "Đến Ko Kong du lịch; Ng. Văn A; 4K video; MU vs Chelsea; Giờ làm 8h-17h",
        "Diện tích dt 50m2, ĐC: 12 Lê Lợi, kg hàng, hồng, hông xe",
        "Email: ko.nguyen@abc.vn, t.me/ctv_official, @lg_fan, https://cty.vn/ib",
        "lương 10-15t thỏa thuận",
    ],
)
def test_hard_negatives_are_not_rewritten(legit):
    ct = canonical_text(legit)
    assert ct.text == legit, [(r.rule, r.original, r.replacement) for r in ct.rewrites]


def test_offset_map_survives_three_passes():
    text = "Hoà: ko cần cọc, ib Z@lo 0️⃣9️⃣1️⃣2️⃣ 345 678, đi c4mpuchia"
    ct = canonical_text(text)
    assert ct.text == "Hòa: không cần cọc, inbox zalo 0912 345 678, đi campuchia"
    s, e = ct.to_original(ct.text.index("0912 345 678"), ct.text.index("0912 345 678") + 12)
    assert text[s:e] == "0️⃣9️⃣1️⃣2️⃣ 345 678"
    s, e = ct.to_original(ct.text.index("zalo"), ct.text.index("zalo") + 4)
    assert text[s:e] == "Z@lo"
    assert ct.obfuscated(s, e) and not ct.obfuscated(0, 4)
    rules = {r.rule for r in ct.rewrites}
    assert {"tone", "khong", "inbox", "leet", "keycap_digit"} <= rules
    for r in ct.rewrites:
        assert text[r.start : r.end] == r.original


def test_unchanged_text_maps_identically():
    text = "Tuyển kế toán tổng hợp, lương thỏa thuận."
    ct = canonical_text(text)
    assert not ct.changed and ct.text == text
    assert ct.to_original(7, 14) == (7, 14)


def test_teencode_table_is_documented():
    table = teencode_table()
    assert len(table) == len(TEENCODE_RULES) >= 20
    ids = [row["id"] for row in table]
    assert len(set(ids)) == len(ids)
    assert all(row["expansion"] and row["examples"] and row["description"] for row in table)
    # Each rule's first example is rewritten as documented.
    for rule in TEENCODE_RULES:
        if rule.id in ("trieu", "nghin", "tuoi"):
            continue  # examples are fragments after a number
        ex = rule.examples[0]
        ct = canonical_text(ex)
        assert any(r.rule == rule.id for r in ct.rewrites), (rule.id, ex, ct.text)
