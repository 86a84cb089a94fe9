"""Money entities and VND-per-month normalisation."""

import pytest

from classifier.entities import extract_entities, money_of
from classifier.money import VND_PER_UNIT, Money, parse_money


@pytest.mark.parametrize(
    ("raw", "value", "per_month"),
    [
        ("15tr/tháng", "15000000 VND/month", (15e6, 15e6)),
        ("15 triệu", "15000000 VND", None),
        ("500k/ngày", "500000 VND/day", (13e6, 13e6)),
        ("1.500 USD/tháng", "1500 USD/month", (1500 * VND_PER_UNIT["USD"],) * 2),
        ("13.000 riyal", "13000 SAR", None),
        ("2000$", "2000 USD", None),
        ("$2000", "2000 USD", None),
        ("30-50 triệu/tháng", "30000000-50000000 VND/month", (30e6, 50e6)),
        ("10tr - 15tr mỗi tháng", "10000000-15000000 VND/month", (10e6, 15e6)),
        ("1tr5/ngày", "1500000 VND/day", (39e6, 39e6)),
        ("1,5 triệu đồng/ngày", "1500000 VND/day", (39e6, 39e6)),
        ("15.000.000đ", "15000000 VND", None),
        ("200 nghìn/giờ", "200000 VND/hour", (200e3 * 208, 200e3 * 208)),
        ("20 man yên", "200000 JPY", None),
    ],
)
def test_money_forms(raw, value, per_month):
    text = f"Thu nhập {raw} nhé"
    money = [e for e in extract_entities(text) if e.kind == "money"]
    assert [(m.value, m.raw) for m in money] == [(value, raw)]
    assert money_of(money[0]).vnd_per_month() == per_month


def test_month_is_inferred_from_luong_thang():
    money = [e for e in extract_entities("Lương tháng: 12 triệu") if e.kind == "money"]
    assert money_of(money[0]).vnd_per_month() == (12e6, 12e6)


@pytest.mark.parametrize(
    "text",
    [
        "nhiệt độ 15 độ", "5k người theo dõi", "3 màn hình", "2 ngày/tuần", "mã 0912345678",
        "năm 2024", "tầng 15", "15d", "4K video",
    ],
)
def test_money_hard_negatives(text):
    assert [e for e in extract_entities(text) if e.kind == "money"] == []


def test_value_round_trips():
    m = Money(1.5e6, 2e6, "VND", "day")
    assert parse_money(m.value) == m
    with pytest.raises(ValueError):
        parse_money("nhiều tiền")
