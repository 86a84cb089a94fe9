import pytest

from classifier.entities import extract_entities


@pytest.mark.parametrize(
    "raw", ["0912 345 678", "0912.345.678", "+84 912 345 678", "0912345678", "84912345678"]
)
def test_phone_forms_give_e164_with_spans(raw):
    text = f"Liên hệ ngay {raw} để nhận việc"
    phones = [e for e in extract_entities(text) if e.kind == "phone"]
    assert [p.value for p in phones] == ["+84912345678"]
    assert text[phones[0].start : phones[0].end] == raw == phones[0].raw


def test_no_phone_in_money_or_short_numbers():
    text = "Lương 15.000.000 đồng, làm 8 tiếng, mã tin 123456"
    assert [e for e in extract_entities(text) if e.kind == "phone"] == []


def test_zalo_link_and_label():
    text = "Zalo: zalo.me/84886977590 hoặc zalo: 0912 345 678, nhóm zalo.me/g/fpfhxp689"
    zalo = [e for e in extract_entities(text) if e.kind == "zalo"]
    assert {e.value for e in zalo} == {"+84886977590", "+84912345678", "g/fpfhxp689"}
    for e in zalo:
        assert text[e.start : e.end] == e.raw
    phones = {e.value for e in extract_entities(text) if e.kind == "phone"}
    assert {"+84886977590", "+84912345678"} <= phones


def test_telegram_and_email():
    text = "Kết bạn Telegram: @Tuyen_Dung88 hoặc https://t.me/vieclam_cpc, mail HR@Example.vn"
    ents = extract_entities(text)
    assert {e.value for e in ents if e.kind == "telegram"} == {"@tuyen_dung88", "@vieclam_cpc"}
    email = [e for e in ents if e.kind == "email"]
    assert [e.value for e in email] == ["hr@example.vn"]
    assert text[email[0].start : email[0].end] == "HR@Example.vn"
