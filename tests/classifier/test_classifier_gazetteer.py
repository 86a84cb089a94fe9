"""Destinations from the gazetteer: countries, compound areas, and words that are not places."""

import pytest

from classifier.entities import extract_entities
from classifier.gazetteer import PLACES


def _dest(text):
    ents = [e for e in extract_entities(text) if e.kind == "destination"]
    for e in ents:
        assert text[e.start : e.end] == e.raw
    return ents


@pytest.mark.parametrize(
    ("text", "value", "compound"),
    [
        ("Tuyển người sang Campuchia làm", "KH", False),
        ("đi CPC làm việc nhẹ", "KH", False),
        ("bay qua Cam làm sale", "KH", False),
        ("làm ở Bavet bao ăn ở", "KH:Bavet", True),
        ("việc tại Xi-ha-núc", "KH:Sihanoukville", True),
        ("làm ở Sihanouk", "KH:Sihanoukville", True),
        ("cửa khẩu Poipet", "KH:Poipet", True),
        ("thủ đô Phnom Penh", "KH:Phnom Penh", False),
        ("sang Miến Điện", "MM", False),
        ("khu KK Park", "MM:KK Park", True),
        ("Shwe Kokko", "MM:Shwe Kokko", True),
        ("đặc khu Tam Giác Vàng", "LA:Golden Triangle", True),
        ("đi Lào làm casino", "LA", False),
        ("tỉnh Bokeo", "LA:Bokeo", True),
        ("sang Philippines", "PH", False),
        ("đi Dubai", "AE:Dubai", False),
        ("xuất khẩu lao động Đài Loan", "TW", False),
        ("đơn hàng Ả Rập Saudi", "SA", False),
        ("sang Rumani làm", "RO", False),
        ("đi Ba Lan", "PL", False),
        ("sang Đức học nghề", "DE", False),
        ("qua Nga làm", "RU", False),
        ("đi c4mpuchia", "KH", False),
    ],
)
def test_destinations(text, value, compound):
    dest = _dest(text)
    assert [(d.value, d.compound_area) for d in dest] == [(value, compound)]


@pytest.mark.parametrize(
    "text",
    [
        "Chúng tôi cam kết lương đúng hạn",
        "Bán quả cam sành, nước cam ép",
        "CAM KẾT hoàn tiền",
        "Nhà máy ở Cam Ranh, Cam Lâm tuyển công nhân",
        "Đi làm ở Lào Cai, lao động phổ thông",
        "Chị Nga quản lý kho, anh Đức kế toán",
        "Làm ba lần một tuần",
        "Chạy quảng cáo Google Ads, tối ưu CPC và CTR",
        "Thái Bình, Thái Nguyên tuyển thợ hàn",
        "Cửa hàng mỹ phẩm Hàn",
        "Huyện Đức Trọng, huyện Nga Sơn",
    ],
)
def test_not_destinations(text):
    assert _dest(text) == []


def test_gazetteer_table_is_consistent():
    for place in PLACES:
        assert place.spellings and all(s == s.lower() for s in place.spellings)
        assert place.guard in {"any", "cue", "accent", "cpc"}
        code = place.value.split(":")[0]
        assert len(code) == 2 and code.isupper()
    compound = {p.value for p in PLACES if p.compound_area}
    assert {"KH:Bavet", "KH:Sihanoukville", "MM:KK Park", "MM:Myawaddy", "LA:Golden Triangle"} <= compound
