import pytest

from classifier.entities import extract_entities
from classifier.signals import CATALOGUE, CATEGORIES, COUNTER, catalogue_table, find_signals


def ids(text):
    return {h.id for h in find_signals(text)}


def test_catalogue_is_well_formed():
    assert len({s.id for s in CATALOGUE}) == len(CATALOGUE)
    for spec in CATALOGUE:
        assert spec.category in CATEGORIES + (COUNTER,)
        assert (spec.category == COUNTER) == (spec.polarity < 0)
        assert 0 < spec.weight <= 1 and spec.label_vi and spec.label_en and spec.patterns
    assert [row["id"] for row in catalogue_table()] == [s.id for s in CATALOGUE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Việc nhẹ lương cao, không cần kinh nghiệm", {"easy_work", "high_pay_no_experience"}),
        ("viec nhe lg cao, ko can kinh nghiem", {"easy_work", "high_pay_no_experience"}),
        ("Thu nhập 500k/ngày, nhận tiền trong ngày", {"pay_per_day_or_task"}),
        ("thu nhap 500k/ngay", {"pay_per_day_or_task"}),
        ("Bao vé máy bay, bao ăn ở, làm việc tại Campuchia", {"employer_pays_travel", "room_board", "abroad_destination"}),
        ("bao ve may bay sang cpc lam viec o bavet", {"employer_pays_travel", "abroad_destination"}),
        ("Chỉ cần đặt cọc 5 triệu", {"deposit_or_fee"}),
        ("chi can dat coc 5tr", {"deposit_or_fee"}),
        ("Quan tâm ib zalo nhé", {"contact_only_chat"}),
        ("Tuyển nữ 16-22 tuổi", {"young_age_limit", "minor_age"}),
        ("Không cần ngoại ngữ", {"no_language_needed"}),
        ("ko can tieng trung", {"no_language_needed"}),
        ("Tuyển gấp, số lượng có hạn", {"urgency_secrecy"}),
        ("Tuyển KTV karaoke, tiền bo cao", {"hostess_karaoke"}),
        ("Tuyển người mẫu ảnh", {"modelling"}),
        ("Kết hôn với người nước ngoài, lấy chồng Hàn Quốc", {"marriage_abroad"}),
        ("Làm nhiệm vụ online, nạp tiền nhận hoa hồng", {"online_task", "commission"}),
        ("Tuyển học sinh lớp 9 đi làm", {"minor_words"}),
        ("chụp hình mẫu ảnh tại gia cho bé", {"minor_words"}),
    ],
)
def test_signals_fire_on_accented_and_teencode(text, expected):
    assert expected <= ids(text)


def test_signal_spans_point_into_original_text():
    text = "Tuyển gấp!! Việc nhẹ lương cao ở Campuchia"
    for hit in find_signals(text):
        assert text[hit.start : hit.end] == hit.phrase
    assert "Việc nhẹ lương cao" in {h.phrase for h in find_signals(text)}


def test_age_limits():
    assert "young_age_limit" in ids("yêu cầu dưới 23t")
    assert "minor_age" not in ids("yêu cầu dưới 23t")
    assert not {"young_age_limit", "minor_age"} & ids("Độ tuổi 18 - 39, nam 25 tuổi có kinh nghiệm")
    assert "minor_age" in ids("nhận cả bạn 15 tuổi")
    # children taught or cared for are not a recruiting age limit
    assert "minor_age" not in ids("Trợ giảng lớp thiếu nhi 6-11 tuổi")


@pytest.mark.parametrize(
    "text",
    ["Công ty không thu phí", "Ứng viên không mất phí", "Miễn phí hồ sơ", "Không đặt cọc",
     "không yêu cầu ký quỹ hay đóng phí", "tuyệt đối không thu tiền cọc", "ko mat phi"],
)
def test_negated_fees_do_not_fire_deposit(text):
    assert "deposit_or_fee" not in ids(text)
    assert "no_fee_claim" in ids(text)


def test_fees_still_fire_when_asked():
    assert "deposit_or_fee" in ids("Trước khi nhận việc đóng phí tài liệu 200k")
    assert "deposit_or_fee" in ids("xuất cảnh nhanh, chi phí thấp")


def test_no_experience_alone_is_weak():
    assert ids("Phụ bếp, không yêu cầu kinh nghiệm") & {"no_experience", "high_pay_no_experience"} == {"no_experience"}
    assert "high_pay_no_experience" in ids("Không cần kinh nghiệm, lương 30 triệu/tháng")


def test_destination_entities_add_abroad_signal():
    text = "Làm việc ở KK Park, lương cao"
    hits = find_signals(text, entities=extract_entities(text))
    (hit,) = [h for h in hits if h.id == "abroad_destination"]
    assert text[hit.start : hit.end] == hit.phrase


STRONG = {s.id for s in CATALOGUE if s.weight >= 0.5 and s.polarity > 0}

HARD_NEGATIVES = [
    # licensed export-labour notice: destination Japan, explicitly no fee
    "Trung tâm Lao động ngoài nước (Bộ LĐTBXH) thông báo tuyển chọn thực tập sinh kỹ năng "
    "sang Nhật Bản làm việc ngành cơ khí. Ứng viên tham gia thi tuyển tại Hà Nội, hồ sơ nộp "
    "trực tiếp tại Trung tâm, không thu bất kỳ khoản nào ngoài quy định của nhà nước.",
    # IT job: high pay and home office, with a real company and process
    "Công ty Cổ phần Phần mềm FPT tuyển Senior Java Developer, lương cao theo năng lực, "
    "làm việc tại nhà 2 ngày/tuần, yêu cầu 3 năm kinh nghiệm Spring Boot. Gửi CV qua email.",
    # factory ad with shifts and a Vietnamese industrial park
    "Công ty TNHH Samsung Electronics Việt Nam tuyển công nhân sản xuất tại KCN Yên Phong, "
    "Bắc Ninh. Có xe đưa đón theo tuyến, đóng BHXH đầy đủ, ký hợp đồng lao động 1 năm.",
    # hourly pay, an electrician's socket, a province job centre
    "Thợ điện lắp ổ cắm, đèn chiếu sáng, lương 40.000đ/giờ. Trung tâm Dịch vụ việc làm tỉnh giới thiệu.",
    # hotel service charge, a tutor for a pupil
    "Lễ tân khách sạn, lương 8 triệu cộng phí dịch vụ. Tìm gia sư Toán lớp 9 cho con.",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_strong_signals_do_not_fire_on_hard_negatives(text):
    assert not (ids(text) & STRONG), ids(text)
    assert "abroad_destination" not in ids(text)
    assert "work_from_home" not in ids(text)


def test_counter_indicators_fire_on_licensed_and_warning_texts():
    assert "licensed_programme" in ids("Doanh nghiệp có giấy phép số 112/LĐTBXH-GP")
    assert "warning_frame" in ids("Công an cảnh báo thủ đoạn tuyển dụng lừa đảo")
