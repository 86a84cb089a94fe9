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


# --- helpers -----------------------------------------------------------------------------------
def _kind(text, kind):
    return [e for e in extract_entities(text) if e.kind == kind]


def _check_spans(text):
    ents = extract_entities(text)
    for e in ents:
        assert text[e.start : e.end] == e.raw, e
    return ents


# --- phones, disguised ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "obfuscated"),
    [
        ("09.12.34.56.78", False),
        ("0912-345-678", False),
        ("0 9 1 2 3 4 5 6 7 8", False),
        ("(+84) 912 345 678", False),
        ("0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", True),
        ("０９１２ ３４５ ６７８", True),
        ("❶⓪9l2", None),  # not a number: must not invent one
    ],
)
def test_disguised_phones(raw, obfuscated):
    text = f"Gọi ngay {raw} nhé"
    phones = [e for e in _check_spans(text) if e.kind == "phone"]
    if obfuscated is None:
        assert phones == []
        return
    assert [(p.value, p.raw) for p in phones] == [("+84912345678", raw)]
    assert phones[0].obfuscated is obfuscated


def test_spelled_phone_only_after_a_contact_word():
    spelled = "không chín một hai ba bốn năm sáu bảy tám"
    text = f"SĐT: {spelled}"
    assert [(e.value, e.raw) for e in _kind(text, "phone")] == [("+84912345678", spelled)]
    assert _kind(f"Tôi {spelled} lần rồi", "phone") == []


def test_hotline_is_a_phone_but_not_money_or_years():
    text = "Hotline CSKH 1900 1234, năm 2024, lương 15.000.000 đồng, mã 0123"
    assert [e.value for e in _kind(text, "phone")] == ["+8419001234"]


def test_zalo_label_with_obfuscated_number_and_words_between():
    text = "Z@lo chính chủ: 09.12.34.56.78 (gặp chị Lan)"
    zalo = _kind(text, "zalo")
    assert [z.value for z in zalo] == ["+84912345678"]
    assert zalo[0].raw.startswith("Z@lo") and zalo[0].obfuscated


# --- social links ------------------------------------------------------------------------------
def test_facebook_and_tiktok_links():
    text = (
        "Xem fb.com/groups/1234567890/?ref=share và https://www.facebook.com/Tuyen.Dung.HN, "
        "profile https://m.facebook.com/profile.php?id=100012345678&mibextid=x, "
        "tiktok https://www.tiktok.com/@ViecLam.Online và vm.tiktok.com/ZSjAbC12/"
    )
    ents = _check_spans(text)
    assert [e.value for e in ents if e.kind == "facebook"] == [
        "facebook.com/groups/1234567890",
        "facebook.com/tuyen.dung.hn",
        "facebook.com/profile.php?id=100012345678",
    ]
    assert [e.value for e in ents if e.kind == "tiktok"] == ["@vieclam.online", "vm.tiktok.com/ZSjAbC12"]


def test_telegram_invite_link_and_handle_after_words():
    text = "Vào nhóm t.me/+AbCdEf123 rồi nhắn tele của quản lý: @HR_Manager99"
    assert {e.value for e in _kind(text, "telegram")} == {"t.me/+abcdef123", "@hr_manager99"}


# --- money transfer ------------------------------------------------------------------------------
def _trc20_address(payload: bytes) -> str:
    import hashlib

    raw = b"\x41" + payload
    raw += hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return out


def test_bank_accounts_beside_bank_names():
    text = (
        "Chuyển cọc vào STK 19036789012345 Techcombank, hoặc Vietcombank: 0123456789; "
        "MB Bank - Nguyen Van A - 0912345678; tài khoản ACB (Trần Thị B) 12345678"
    )
    banks = [e for e in _check_spans(text) if e.kind == "bank"]
    assert [b.value for b in banks] == [
        "TCB:19036789012345", "VCB:0123456789", "MB:0912345678", "ACB:12345678",
    ]


def test_bank_hard_negatives():
    # A salary paid through a bank, a file size, a date: no account.
    text = "Lương 15.000.000 đồng trả qua Vietcombank hằng tháng. File 128 mb 12345678 lần tải."
    assert _kind(text, "bank") == []


def test_ewallets_and_usdt():
    address = _trc20_address(bytes(range(20)))
    text = f"Nạp qua Momo 0987.654.321 hoặc ZaloPay: 0912345678, ví USDT TRC20: {address}."
    ents = _check_spans(text)
    assert [e.value for e in ents if e.kind == "ewallet"] == ["MOMO:+84987654321", "ZALOPAY:+84912345678"]
    assert [e.value for e in ents if e.kind == "usdt_trc20"] == [address]
    bad = address[:-1] + ("A" if address[-1] != "A" else "B")  # checksum broken
    assert _kind(f"ví {bad}", "usdt_trc20") == []


# --- ages ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("16-25 tuổi", "16-25"), ("dưới 23t", "-22"), ("từ 18 tuổi", "18-"),
        ("15 đến 17 tuổi", "15-17"), ("độ tuổi: 18 - 30", "18-30"), ("16 tuổi", "16-16"),
        ("18-25t", "18-25"), ("đủ 18 tuổi", "18-"),
    ],
)
def test_ages(raw, value):
    text = f"Tuyển nữ {raw}, ưu tiên"
    ages = [e for e in _check_spans(text) if e.kind == "age"]
    assert [(a.value, a.raw) for a in ages] == [(value, raw)]


def test_age_hard_negatives():
    text = "Ca làm 8-17h, lương 10-15 triệu, năm 2024, từ 18 đến 20 giờ, phòng 16-25"
    assert _kind(text, "age") == []


def test_age_limits_in_licensed_programme_wording():
    text = "Người lao động trong độ tuổi từ đủ 23 đến không quá 50 tuổi; Độ tuổi: Từ 18 – 35"
    assert [e.value for e in _kind(text, "age")] == ["23-50", "18-35"]


# --- over ../shared/data -------------------------------------------------------------------------
CONTACT_KINDS = {"phone", "zalo", "telegram", "facebook", "tiktok", "email", "bank", "ewallet", "usdt_trc20"}


def test_extraction_over_shared_data(shared_data_dir):
    import json
    import re

    rows = []
    for name in ("dev_lures.jsonl", "dev_legit.jsonl", "dev_informal_legit.jsonl"):
        rows += [json.loads(line) for line in (shared_data_dir / name).open(encoding="utf-8") if line.strip()]
    with_contact = lures_with_number = lures_any = 0
    for row in rows:
        text = row["text"]
        ents = extract_entities(text)  # never raises
        for e in ents:
            assert text[e.start : e.end] == e.raw and e.value, e
        kinds = {e.kind for e in ents}
        if row["label"] != "lure":
            continue
        lures_any += bool(kinds)
        # A lure that publishes a 10-digit number or a zalo/t.me link must yield a contact.
        if re.search(r"\d(?:[ .\-]?\d){8}|zalo\.me|t\.me/", text, re.I):
            lures_with_number += 1
            with_contact += bool(kinds & CONTACT_KINDS)
    assert lures_with_number >= 5
    assert with_contact == lures_with_number
    # Most lure texts (many are news paraphrases without contacts) still name money/ages/places.
    assert lures_any / sum(r["label"] == "lure" for r in rows) >= 0.6


def test_licensed_export_labour_notice_reads_plainly():
    text = (
        "Công ty CP XKLĐ Hòa Bình (Giấy phép số 123/LĐTBXH-GP) tuyển 30 nữ đi Nhật Bản đơn hàng "
        "chế biến thực phẩm, 18-30 tuổi, lương 28 man/tháng. Hotline: 0243 123 4567. "
        "Cam kết không thu phí ngoài quy định."
    )
    ents = _check_spans(text)
    got = {(e.kind, e.value) for e in ents}
    assert got == {
        ("destination", "JP"), ("age", "18-30"), ("money", "280000 JPY/month"),
        ("phone", "+842431234567"),
    }
    assert not any(e.obfuscated or e.compound_area for e in ents)
