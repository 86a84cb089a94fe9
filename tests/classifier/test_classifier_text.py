from classifier.text import fold, normalize


def test_fold_is_length_preserving_and_folds_d():
    text = "ĐẶT CỌC trước, lương cao Đà Nẵng İstanbul ǅ ﬁ"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("dat coc truoc, luong cao da nang")


def test_fold_spans_map_back_to_original():
    text = "Tuyển gấp: việc nhẹ lương cao!"
    start = fold(text).index("viec nhe luong cao")
    assert text[start : start + len("viec nhe luong cao")] == "việc nhẹ lương cao"


def test_normalize_unifies_tone_placement():
    assert normalize("hoà bình, thuý, khoẻ, Thuỷ") == "hòa bình, thúy, khỏe, Thủy"
    assert normalize("hoàn toàn quý") == "hoàn toàn quý"  # closed syllables and qu- unchanged
    assert normalize("HOÀ") == "HÒA"


def test_normalize_nfc_whitespace_zero_width_newlines():
    decomposed = "vie\u0323\u0302c"  # "việc" in NFD
    assert normalize(decomposed) == "việc"
    assert normalize("  lương\u200b  cao\t\u00a0 \r\nib  zalo \n\n\n\nok ") == "lương cao\nib zalo\n\nok"


def test_normalize_unifies_uy_and_oe_in_both_cases():
    assert normalize("Quỳ, tuỳ, Thuỵ, hoè, HUỲ") == "Quỳ, tùy, Thụy, hòe, HÙY"
    assert normalize("thuyền, khoảng, huỳnh") == "thuyền, khoảng, huỳnh"  # closed syllables


def test_unify_tones_is_nfc_and_length_preserving_on_nfc_input():
    from classifier.text import unify_tones

    word = "hoà"
    assert unify_tones(word) == "hòa" and len(unify_tones(word)) == len(word)
    assert unify_tones("ho\u0300a") == "hòa"  # NFD in, NFC out


def test_fold_composes_nfd_first_so_a_decomposed_query_matches():
    import unicodedata

    word = "việc nhẹ lương cao đặt cọc"
    nfd = unicodedata.normalize("NFD", word)
    assert nfd != word and fold(nfd) == fold(word) == "viec nhe luong cao dat coc"


def test_fold_maps_eth_and_d_with_stroke_to_d():
    assert fold("Ðặt cọc ðồng Đà Nẵng đi") == "dat coc dong da nang di"
    assert len(fold("Ðð")) == 2


def test_canonical_phone_accepts_every_valid_vn_number_in_both_forms():
    from classifier.text import canonical_phone

    cases = {
        "+84912345678": ["0912 345 678", "+84 912.345.678", "84912345678", "0084 912 345 678", "(+84) 912-345-678"],
        # landlines: Hà Nội 24, TP.HCM 28 (2-digit area codes) and 3-digit area codes (Cao Bằng 206)
        "+842438261234": ["024 3826 1234", "+84 24 3826 1234", "+84-24-38261234", "842438261234"],
        "+842838221234": ["028 3822 1234", "+84 28 3822 1234"],
        "+842063852123": ["0206 3852 123", "+84 206 3852 123"],
        # toll-free and premium-rate numbers, national and +84
        "+8418001234": ["1800 1234", "1800.1234", "+84 1800 1234"],
        "+8419001234": ["1900 1234", "+84 1900 1234"],
        "+841900123456": ["1900 123 456"],
    }
    for e164, raws in cases.items():
        for raw in raws:
            assert canonical_phone(raw) == e164, raw
    for bad in ["12345", "0912 345", "+1 212 555 0100", "0000 000 000", "+84 12 34", "2024-2025"]:
        assert canonical_phone(bad) is None, bad
