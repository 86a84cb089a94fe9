from datetime import date

import pytest

from classifier.minors import find_minor_cues

REF = date(2025, 6, 1)


@pytest.mark.parametrize(
    "text, cue_id, phrase",
    [
        ("Tuyển các bạn lứa tuổi 12-15 làm mẫu ảnh, lương cao", "age_range", "lứa tuổi 12-15"),
        ("Nhận các bạn nữ 12-15 tuổi phụ quán", "age_range", "12-15 tuổi"),
        ("em 15t cần việc làm thêm", "age", "15t"),
        ("nam sinh 16 tuổi ở xã Sơn Dương", "age", "16 tuổi"),
        ("nhận cả các bạn dưới 16 tuổi", "age_limit", "dưới 16 tuổi"),
        ("độ tuổi từ 15 trở lên", "age_limit", "độ tuổi từ 15"),
        ("việc hè cho học sinh lớp 9", "school_grade", "học sinh lớp 9"),
        ("tuyển nữ THCS làm thêm", "school_grade", "THCS"),
        ("các bạn sinh năm 2010 trở lên", "birth_year", "sinh năm 2010"),
        ("tuyển gấp các bạn 2k9 đi làm xa", "birth_year", "2k9"),
        ("chưa đủ 18 vẫn nhận", "under_18_words", "chưa đủ 18"),
        ("cần tuyển trẻ em đi bán hàng", "children_words", "trẻ em"),
        ("Tuyển mẫu nhí cho nhãn hàng", "child_model", "mẫu nhí"),
        ("không cần CMND/CCCD, đi ngay", "no_id_card", "không cần CMND"),
        ("KHÔNG CẦN CCCD", "no_id_card", "KHÔNG CẦN CCCD"),
    ],
)
def test_every_explicit_cue_gives_a_reason_and_a_span(text, cue_id, phrase):
    cues = find_minor_cues(text, reference=REF)
    assert cues, text
    cue = cues[0]
    assert (cue.id, cue.phrase) == (cue_id, phrase)
    assert text[cue.start : cue.end] == phrase
    assert phrase in cue.reason_vi and phrase in cue.reason_en and cue.label_vi and cue.label_en


def test_birth_year_is_an_age_at_the_posts_date():
    text = "tuyển các bạn sinh năm 2007"
    (cue,) = find_minor_cues(text, reference=date(2024, 3, 1))  # 17 in 2024
    assert cue.id == "birth_year" and "17" in cue.detail
    assert find_minor_cues(text, reference=date(2026, 3, 1)) == []  # 19 by then


@pytest.mark.parametrize(
    "text",
    [
        "Dưới 23 tuổi vui lòng không liên hệ",
        "Yêu cầu độ tuổi 18-25, tốt nghiệp THPT trở lên",
        "Gia sư dạy kèm học sinh lớp 9 môn Toán",
        "Tuyển bảo mẫu chăm bé 5 tuổi",
        "Giảng dạy Toán tư duy cho học sinh tiểu học",
        "Lương 12-15 triệu, làm 8-17h, 1.000 công nhân",
        "không nhận dưới 18 tuổi",
    ],
)
def test_adults_floors_and_children_taught_or_cared_for_are_not_cues(text):
    assert find_minor_cues(text, reference=REF) == []
