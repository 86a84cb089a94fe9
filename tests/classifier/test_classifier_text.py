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
