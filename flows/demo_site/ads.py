"""Synthetic ads of the demo job board (written for lurewatch; not taken from any data set).

About two thirds are ordinary ads, including hard negatives (a licensed export-labour
programme, real jobs saying "lương cao" or "làm việc tại nhà", a real photo-model job);
one third are lures in the styles cyber police see. ``is_lure`` is the ground truth.
Every phone number, Zalo id and Telegram handle here is made up.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Ad:
    id: int
    slug: str
    title: str
    text: str  # paragraphs separated by "\n"
    posted_at: datetime  # aware, +07:00
    location: str
    salary: str
    contact_name: str
    is_lure: bool
    category: str  # lure category, or "job-ad" / "hard-negative" for ordinary ads
    company: str | None = None
    phone: str | None = None
    zalo: str | None = None
    telegram: str | None = None
    updated_at: datetime | None = None  # set when the ad is edited (the page's Last-Modified)

    @property
    def path(self) -> str:
        return f"/tin/{self.id}-{self.slug}.html"


def slugify(title: str) -> str:
    """ASCII slug for URLs: drop Vietnamese diacritics (đ has no decomposition)."""
    folded = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in ascii_only).split()
    return "-".join(words)[:80]


def _ad(ad_id: int, title: str, posted: str, text: str, **fields: object) -> Ad:
    return Ad(
        id=ad_id,
        slug=slugify(title),
        title=title,
        text=text.strip(),
        posted_at=datetime.fromisoformat(posted).replace(tzinfo=VN_TZ),
        **fields,  # type: ignore[arg-type]
    )


_LEGIT = dict(is_lure=False, category="job-ad")
_HARD = dict(is_lure=False, category="hard-negative")

ADS: tuple[Ad, ...] = (
    _ad(
        1001, "Tuyển nhân viên phục vụ nhà hàng ca xoay - Quận 1", "2025-03-03 08:15",
        """Nhà hàng Bếp Nhà Sài Gòn cần tuyển 4 nhân viên phục vụ bàn, làm ca xoay (ca sáng 7h-14h hoặc ca chiều 15h-22h).
Công việc: đón khách, ghi order, mang món, dọn bàn và giữ khu vực phục vụ sạch sẽ.
Yêu cầu: nam nữ từ 18 tuổi, nhanh nhẹn, giao tiếp lịch sự. Chưa có kinh nghiệm sẽ được quản lý hướng dẫn trong tuần đầu.
Quyền lợi: 25.000đ/giờ, được ăn ca, thưởng lễ Tết, ký hợp đồng sau 2 tháng.
Ứng viên đến trực tiếp 45 Lê Thánh Tôn, Quận 1 để phỏng vấn, mang theo CCCD.""",
        location="TP. Hồ Chí Minh", salary="25.000đ/giờ", contact_name="Chị Hạnh (quản lý)",
        company="Nhà hàng Bếp Nhà Sài Gòn", phone="0912 345 678", **_LEGIT,
    ),
    _ad(
        1002, "Nhân viên kho vận - KCN VSIP 1 Bình Dương", "2025-03-03 09:40",
        """Công ty TNHH Logistics Phú An tuyển 6 nhân viên kho làm việc tại KCN VSIP 1, Thuận An, Bình Dương.
Mô tả công việc: nhận hàng, kiểm đếm, sắp xếp hàng hóa lên kệ, soạn hàng theo phiếu xuất và quét mã vạch.
Yêu cầu: tốt nghiệp THPT, sức khỏe tốt, biết sử dụng điện thoại thông minh. Ưu tiên có chứng chỉ lái xe nâng.
Thu nhập 8-10 triệu/tháng gồm lương cơ bản, phụ cấp chuyên cần và tăng ca. Đóng BHXH, BHYT đầy đủ, có xe đưa rước.
Nộp hồ sơ tại phòng nhân sự, lô C2 đường số 5, KCN VSIP 1, giờ hành chính từ thứ Hai đến thứ Sáu.""",
        location="Bình Dương", salary="8-10 triệu", contact_name="Phòng nhân sự",
        company="Công ty TNHH Logistics Phú An", phone="0274 3800 123", **_LEGIT,
    ),
    _ad(
        1003, "Tuyển tài xế xe tải 1,5 tấn giao hàng nội thành Hà Nội", "2025-03-04 07:05",
        """Công ty Thực phẩm Hòa Bình cần tuyển 2 tài xế lái xe tải 1,5 tấn giao hàng cho các siêu thị nội thành.
Yêu cầu: có bằng lái hạng C, tối thiểu 2 năm kinh nghiệm, thông thạo đường Hà Nội, không sử dụng rượu bia khi làm việc.
Giờ làm từ 6h đến 15h, nghỉ Chủ nhật. Lương cứng 11 triệu cộng phụ cấp xăng xe và điện thoại.
Hồ sơ gồm sơ yếu lý lịch, bản sao bằng lái, giấy khám sức khỏe. Liên hệ anh Tuấn trong giờ hành chính.""",
        location="Hà Nội", salary="11-13 triệu", contact_name="Anh Tuấn",
        company="Công ty CP Thực phẩm Hòa Bình", phone="0987.654.321", **_LEGIT,
    ),
    _ad(
        1004, "Kế toán tổng hợp (3 năm kinh nghiệm, thành thạo MISA)", "2025-03-04 10:30",
        """Công ty TNHH Nội thất Gỗ Việt tuyển kế toán tổng hợp làm việc tại văn phòng Quận 7.
Công việc: hạch toán chứng từ, lập tờ khai thuế GTGT và TNCN hàng tháng, lập báo cáo tài chính năm, làm việc với cơ quan thuế.
Yêu cầu: tốt nghiệp cao đẳng trở lên chuyên ngành kế toán, có ít nhất 3 năm kinh nghiệm kế toán tổng hợp, sử dụng thành thạo phần mềm MISA và Excel.
Mức lương 14-18 triệu tùy năng lực, tháng lương thứ 13, 12 ngày phép năm, du lịch công ty hằng năm.
Gửi CV qua email tuyendung@goviet.example hoặc nộp trực tiếp tại văn phòng.""",
        location="TP. Hồ Chí Minh", salary="14-18 triệu", contact_name="Phòng hành chính",
        company="Công ty TNHH Nội thất Gỗ Việt", phone="028 3823 4567", **_LEGIT,
    ),
    _ad(
        1005, "Senior Python Developer (Django/FastAPI) - lương cao, upto 2.500$", "2025-03-05 14:00",
        """Công ty phần mềm NexaSoft (Cầu Giấy, Hà Nội) tuyển 2 lập trình viên Python cho dự án thương mại điện tử với khách hàng Singapore.
Yêu cầu: 4 năm kinh nghiệm Python, nắm vững Django hoặc FastAPI, PostgreSQL, Docker; đọc hiểu tài liệu tiếng Anh.
Lương cao theo năng lực, từ 1.500$ đến 2.500$ gross, review lương 2 lần/năm, bảo hiểm sức khỏe PVI cho cả gia đình.
Làm việc hybrid: 3 ngày ở văn phòng, 2 ngày làm việc tại nhà. Quy trình phỏng vấn 2 vòng, có bài test kỹ thuật.
Ứng viên gửi CV qua email hoặc inbox trang tuyển dụng của công ty.""",
        location="Hà Nội", salary="1.500-2.500 USD", contact_name="Ms. Linh (HR)",
        company="Công ty Cổ phần Phần mềm NexaSoft", phone="024 3456 7890", **_HARD,
    ),
    _ad(
        1006, "Nhân viên bán hàng cửa hàng điện thoại di động", "2025-03-05 16:20",
        """Hệ thống cửa hàng Minh Phát Mobile tuyển nhân viên bán hàng cho chi nhánh Nguyễn Trãi, Thanh Xuân.
Công việc: tư vấn sản phẩm cho khách, hỗ trợ cài đặt máy, thực hiện thủ tục trả góp và trưng bày hàng hóa.
Yêu cầu: nam nữ 18-30 tuổi, tốt nghiệp THPT, yêu thích công nghệ. Được đào tạo sản phẩm trước khi đứng quầy.
Thu nhập 7-12 triệu gồm lương cứng và thưởng doanh số, làm 8 tiếng/ngày theo ca, nghỉ 4 ngày/tháng.""",
        location="Hà Nội", salary="7-12 triệu", contact_name="Anh Quân",
        company="Minh Phát Mobile", phone="0909.123.456", **_LEGIT,
    ),
    _ad(
        1007, "Chương trình thực tập sinh kỹ năng đi Nhật Bản - ngành chế biến thực phẩm", "2025-03-06 08:00",
        """Công ty Cổ phần Nhân lực Quốc tế Sao Việt (Giấy phép hoạt động dịch vụ đưa người lao động Việt Nam đi làm việc ở nước ngoài số 215/LĐTBXH-GP) thông báo tuyển 30 thực tập sinh ngành chế biến thực phẩm làm việc tại tỉnh Aichi, Nhật Bản.
Điều kiện: nam nữ 19-30 tuổi, tốt nghiệp THPT, đủ sức khỏe theo quy định, không có tiền án tiền sự.
Ứng viên thi tuyển trực tiếp với xí nghiệp Nhật vào tháng 5, sau khi trúng tuyển học tiếng Nhật 6 tháng tại trung tâm đào tạo của công ty ở Hà Nội.
Hợp đồng 3 năm, lương cơ bản khoảng 180.000 yên/tháng theo mức lương tối thiểu vùng, làm thêm giờ được trả theo luật lao động Nhật Bản.
Chi phí thực hiện theo đúng Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng (Luật số 69/2020/QH14) và được ghi rõ trong hợp đồng dịch vụ, có hóa đơn. Người lao động có thể tra cứu giấy phép của công ty trên cổng thông tin của Cục Quản lý lao động ngoài nước.
Đăng ký tại trụ sở 12 Phạm Hùng, Nam Từ Liêm, Hà Nội.""",
        location="Nhật Bản (Aichi)", salary="khoảng 180.000 yên/tháng", contact_name="Phòng tuyển sinh",
        company="Công ty CP Nhân lực Quốc tế Sao Việt", phone="024 3768 1122", **_HARD,
    ),
    _ad(
        1008, "Nhân viên chăm sóc khách hàng làm việc tại nhà (hợp đồng chính thức)", "2025-03-06 11:45",
        """Công ty Cổ phần Bảo hiểm Số An Tâm tuyển 10 nhân viên chăm sóc khách hàng qua điện thoại, làm việc tại nhà sau 1 tháng đào tạo tại văn phòng Đà Nẵng.
Công việc: tiếp nhận cuộc gọi, giải đáp thắc mắc về hợp đồng bảo hiểm, ghi nhận yêu cầu bồi thường trên hệ thống của công ty.
Công ty cấp laptop và tai nghe, ký hợp đồng lao động chính thức, đóng bảo hiểm xã hội. Ứng viên không phải đóng bất kỳ khoản phí nào.
Lương cứng 8 triệu cộng phụ cấp internet 300.000đ và thưởng KPI theo quý. Làm giờ hành chính, nghỉ thứ Bảy và Chủ nhật.
Phỏng vấn trực tiếp tại tòa nhà Vĩnh Trung Plaza, 255 Hùng Vương, Đà Nẵng.""",
        location="Đà Nẵng (làm tại nhà)", salary="8 triệu + thưởng", contact_name="Chị Mai (HR)",
        company="Công ty CP Bảo hiểm Số An Tâm", phone="0236 3822 999", **_HARD,
    ),
    _ad(
        1009, "Tuyển nhân viên pha chế quán cà phê - lương cao cho người có tay nghề", "2025-03-07 09:10",
        """Quán Mộc Coffee (Ninh Kiều, Cần Thơ) tuyển 2 bạn pha chế full-time.
Công việc: pha chế cà phê máy, trà trái cây, kiểm kê nguyên liệu cuối ca và vệ sinh quầy bar.
Bạn đã có kinh nghiệm pha chế từ 1 năm trở lên sẽ được nhận lương cao hơn mặt bằng chung, từ 7 đến 9 triệu. Chưa có kinh nghiệm vẫn được nhận và đào tạo, lương khởi điểm 5,5 triệu.
Làm việc 8 tiếng/ngày, được uống nước miễn phí, thưởng doanh thu hằng tháng.
Ghé quán số 88 đường 30/4 để trao đổi trực tiếp với chủ quán.""",
        location="Cần Thơ", salary="5,5-9 triệu", contact_name="Anh Khoa (chủ quán)",
        company="Mộc Coffee", phone="0939 111 222", **_HARD,
    ),
    _ad(
        1010, "Tuyển shipper giao hàng nội thành, tự chọn giờ làm", "2025-03-07 13:30",
        """Bưu cục Giao Nhanh Tân Bình tuyển 15 shipper giao hàng trong các quận nội thành TP.HCM.
Yêu cầu: có xe máy và bằng lái A1, điện thoại Android hoặc iPhone, CCCD gắn chip.
Thu nhập tính theo đơn, trung bình 9-14 triệu/tháng với người làm toàn thời gian. Có thể đăng ký ca part-time 4 tiếng.
Được đóng bảo hiểm tai nạn, phát đồng phục và thùng hàng miễn phí.
Đăng ký trực tiếp tại bưu cục 120 Cộng Hòa, Tân Bình.""",
        location="TP. Hồ Chí Minh", salary="9-14 triệu", contact_name="Anh Phong",
        company="Giao Nhanh Express", phone="0903 456 789", **_LEGIT,
    ),
    _ad(
        1011, "Tạp vụ văn phòng giờ hành chính - Quận 3", "2025-03-08 08:20",
        """Văn phòng Công ty Luật Minh Tâm cần tuyển 1 cô/chị tạp vụ, độ tuổi 30-55.
Công việc: lau dọn văn phòng, pha trà nước đón khách, đổ rác và giữ gìn nhà vệ sinh sạch sẽ.
Làm từ 7h30 đến 16h30, nghỉ trưa 1 tiếng, nghỉ thứ Bảy chiều và Chủ nhật. Lương 6 triệu/tháng, có thưởng Tết.
Ưu tiên người ở gần Quận 3, thật thà, chăm chỉ.""",
        location="TP. Hồ Chí Minh", salary="6 triệu", contact_name="Chị Thu",
        company="Công ty Luật Minh Tâm", phone="0938 246 810", **_LEGIT,
    ),
    _ad(
        1012, "Nhân viên bảo vệ tòa nhà văn phòng ca đêm", "2025-03-08 15:00",
        """Công ty Dịch vụ Bảo vệ Thăng Long tuyển nhân viên bảo vệ tòa nhà tại quận Đống Đa.
Nhiệm vụ: tuần tra, kiểm soát ra vào, ghi sổ giao ca và xử lý tình huống theo quy trình.
Yêu cầu: nam 22-45 tuổi, cao từ 1m65, sức khỏe tốt, lý lịch rõ ràng. Đã xuất ngũ hoặc có chứng chỉ nghiệp vụ bảo vệ là lợi thế.
Lương 8,5 triệu cho ca đêm 12 tiếng luân phiên, có phụ cấp ca đêm, được cấp đồng phục và đóng BHXH.""",
        location="Hà Nội", salary="8,5 triệu", contact_name="Anh Hùng",
        company="Công ty Dịch vụ Bảo vệ Thăng Long", phone="0968 135 790", **_LEGIT,
    ),
    _ad(
        1013, "Thợ điện công trình dân dụng", "2025-03-09 07:45",
        """Nhà thầu Điện Nước Phúc Lộc tuyển 3 thợ điện và 2 phụ thợ cho các công trình nhà phố ở Biên Hòa.
Công việc: đi dây, lắp tủ điện, ổ cắm, đèn chiếu sáng theo bản vẽ.
Thợ chính 450.000đ/ngày, phụ thợ 300.000đ/ngày, trả lương 2 lần mỗi tháng. Có chỗ ở tại công trình cho anh em ở xa.
Yêu cầu có tay nghề, biết đọc bản vẽ điện cơ bản; phụ thợ không cần kinh nghiệm, chịu khó học việc.""",
        location="Đồng Nai", salary="300.000-450.000đ/ngày", contact_name="Anh Lộc",
        company="Điện Nước Phúc Lộc", phone="0918 222 333", **_LEGIT,
    ),
    _ad(
        1014, "Giáo viên tiếng Anh thiếu nhi (part-time buổi tối và cuối tuần)", "2025-03-09 10:00",
        """Trung tâm Anh ngữ Sunrise Kids tuyển giáo viên tiếng Anh dạy lớp thiếu nhi 6-11 tuổi.
Yêu cầu: tốt nghiệp đại học chuyên ngành tiếng Anh hoặc sư phạm, có IELTS 7.0 hoặc tương đương, yêu trẻ và phát âm chuẩn.
Lịch dạy tối thứ Hai đến thứ Sáu và sáng thứ Bảy, Chủ nhật. Thù lao 250.000-350.000đ/giờ tùy kinh nghiệm.
Ứng viên dạy thử 1 buổi 30 phút trước hội đồng chuyên môn. Gửi CV kèm bản scan bằng cấp qua email của trung tâm.""",
        location="Hải Phòng", salary="250.000-350.000đ/giờ", contact_name="Cô Ngọc (học vụ)",
        company="Trung tâm Anh ngữ Sunrise Kids", phone="0225 3745 888", **_LEGIT,
    ),
    _ad(
        1015, "Lễ tân khách sạn 4 sao - giao tiếp tiếng Anh tốt", "2025-03-10 09:30",
        """Khách sạn Sông Hàn Riverside tuyển 2 nhân viên lễ tân.
Công việc: làm thủ tục nhận và trả phòng, giải đáp yêu cầu của khách, phối hợp với bộ phận buồng phòng.
Yêu cầu: tốt nghiệp cao đẳng du lịch hoặc khách sạn, giao tiếp tiếng Anh tốt, ngoại hình gọn gàng.
Lương 7-9 triệu cộng phí dịch vụ, ăn ca, đồng phục, ký hợp đồng và đóng bảo hiểm đầy đủ.
Phỏng vấn tại khách sạn, số 20 Bạch Đằng, Hải Châu, Đà Nẵng.""",
        location="Đà Nẵng", salary="7-9 triệu + phí dịch vụ", contact_name="Phòng nhân sự khách sạn",
        company="Khách sạn Sông Hàn Riverside", phone="0236 3567 000", **_LEGIT,
    ),
    _ad(
        1016, "Điều dưỡng phòng khám đa khoa", "2025-03-10 14:10",
        """Phòng khám Đa khoa Tâm Đức tuyển 2 điều dưỡng có chứng chỉ hành nghề.
Công việc: tiếp đón bệnh nhân, đo sinh hiệu, hỗ trợ bác sĩ khám và thực hiện thủ thuật theo y lệnh.
Làm việc theo ca, có trực luân phiên cuối tuần. Lương 9-11 triệu, thưởng lễ Tết, khám sức khỏe định kỳ.
Hồ sơ nộp trực tiếp tại phòng khám, 210 Trần Hưng Đạo, TP. Quy Nhơn.""",
        location="Bình Định", salary="9-11 triệu", contact_name="Điều dưỡng trưởng",
        company="Phòng khám Đa khoa Tâm Đức", phone="0256 3811 456", **_LEGIT,
    ),
    _ad(
        1017, "Thợ may công nghiệp - lương cao, tăng ca đều, có ký túc xá", "2025-03-11 07:30",
        """Công ty TNHH May mặc Thành Công Long An tuyển 50 thợ may công nghiệp và 10 lao động phổ thông.
Thợ may có tay nghề được nhận lương cao theo sản phẩm, trung bình 10-14 triệu/tháng kể cả tăng ca. Lao động phổ thông được đào tạo nghề miễn phí 1 tháng.
Công ty có ký túc xá miễn phí, bếp ăn ca, xe đưa đón từ trung tâm thị trấn Bến Lức.
Tuyển nam nữ 18-45 tuổi, đi làm ngay. Mang theo CCCD và sơ yếu lý lịch đến cổng bảo vệ số 2 của nhà máy.""",
        location="Long An", salary="10-14 triệu", contact_name="Phòng tuyển dụng nhà máy",
        company="Công ty TNHH May mặc Thành Công Long An", phone="0272 3891 234", **_HARD,
    ),
    _ad(
        1018, "Chuyên viên marketing online (hybrid, 2 ngày làm việc tại nhà)", "2025-03-11 10:40",
        """Thương hiệu mỹ phẩm Lá Xanh tuyển chuyên viên marketing online phụ trách fanpage và sàn thương mại điện tử.
Công việc: lên kế hoạch nội dung, chạy quảng cáo Facebook, theo dõi số liệu và phối hợp với đội thiết kế.
Yêu cầu 1-2 năm kinh nghiệm digital marketing, có portfolio. Lương 12-15 triệu, thưởng theo doanh số kênh online.
Làm việc tại văn phòng Phú Nhuận 3 ngày, 2 ngày làm việc tại nhà mỗi tuần.""",
        location="TP. Hồ Chí Minh", salary="12-15 triệu", contact_name="Chị Vy",
        company="Công ty TNHH Mỹ phẩm Lá Xanh", phone="0977 864 213", **_HARD,
    ),
    _ad(
        1019, "Phụ bếp nhà hàng lẩu - không cần kinh nghiệm", "2025-03-12 09:00",
        """Nhà hàng Lẩu Nấm Rừng tuyển 3 phụ bếp, không yêu cầu kinh nghiệm, được bếp trưởng kèm việc.
Công việc: sơ chế rau, nấm và thịt, rửa dụng cụ, hỗ trợ bếp chính trong giờ cao điểm.
Lương 6,5 triệu/tháng, bao cơm 2 bữa, làm 9 tiếng/ngày và nghỉ 4 ngày/tháng.
Nhà hàng ở 15 Nguyễn Chí Thanh, Ba Đình. Ứng viên đến phỏng vấn lúc 14h-16h hằng ngày.""",
        location="Hà Nội", salary="6,5 triệu", contact_name="Anh Đức (bếp trưởng)",
        company="Nhà hàng Lẩu Nấm Rừng", phone="0962 777 345", **_HARD,
    ),
    _ad(
        1020, "Kỹ sư điện làm việc tại dự án nhà máy ở Viêng Chăn (Lào)", "2025-03-12 15:30",
        """Tổng công ty Xây lắp Điện Trường Sơn tuyển 2 kỹ sư điện giám sát thi công trạm biến áp cho dự án EPC tại Viêng Chăn, Lào.
Yêu cầu: tốt nghiệp đại học chuyên ngành hệ thống điện, 5 năm kinh nghiệm giám sát công trình, có chứng chỉ hành nghề.
Ký hợp đồng lao động với tổng công ty tại Việt Nam, thời hạn 18 tháng. Lương 35-40 triệu, phụ cấp công tác nước ngoài, về phép 3 tháng/lần.
Công ty làm hộ chiếu công vụ và giấy phép lao động theo quy định, không thu phí của người lao động.
Phỏng vấn tại trụ sở tổng công ty, 18 Tôn Thất Thuyết, Cầu Giấy, Hà Nội.""",
        location="Lào (Viêng Chăn)", salary="35-40 triệu", contact_name="Ban Tổ chức - Nhân sự",
        company="Tổng công ty Xây lắp Điện Trường Sơn", phone="024 3795 6000", **_HARD,
    ),
    _ad(
        1021, "Thông báo đăng ký dự tuyển chương trình EPS làm việc tại Hàn Quốc", "2025-03-13 08:00",
        """Trung tâm Dịch vụ việc làm tỉnh thông báo kế hoạch tiếp nhận hồ sơ đăng ký dự thi tiếng Hàn theo Chương trình cấp phép việc làm cho lao động nước ngoài (EPS) của Hàn Quốc, ngành sản xuất chế tạo và nông nghiệp.
Người lao động nộp hồ sơ trực tiếp tại Trung tâm theo lịch do Trung tâm Lao động ngoài nước công bố, không qua trung gian.
Chương trình EPS do Nhà nước thực hiện; người lao động chỉ nộp lệ phí dự thi và các khoản theo quy định, có biên lai. Cảnh giác với các cá nhân hứa hẹn "bao đỗ", "không cần thi" để thu tiền.
Chi tiết điều kiện dự tuyển xem tại bảng tin của Trung tâm hoặc gọi số điện thoại của phòng tư vấn.""",
        location="Hàn Quốc (chương trình EPS)", salary="theo hợp đồng EPS", contact_name="Phòng tư vấn việc làm ngoài nước",
        company="Trung tâm Dịch vụ việc làm tỉnh", phone="0252 3822 050", **_HARD,
    ),
    _ad(
        1022, "Thu ngân siêu thị mini - ca sáng hoặc ca chiều", "2025-03-13 11:15",
        """Chuỗi siêu thị mini Sạch Xanh tuyển thu ngân tại cửa hàng Lê Văn Việt, TP. Thủ Đức.
Công việc: tính tiền, xuất hóa đơn, sắp xếp hàng hóa ở quầy và kiểm đếm tiền cuối ca.
Yêu cầu: cẩn thận, trung thực, sử dụng máy tính cơ bản. Lương 26.000đ/giờ, được mua hàng giảm giá cho nhân viên.""",
        location="TP. Hồ Chí Minh", salary="26.000đ/giờ", contact_name="Cửa hàng trưởng",
        company="Siêu thị mini Sạch Xanh", phone="0901 357 913", **_LEGIT,
    ),
    _ad(
        1023, "Tìm gia sư Toán lớp 9 ôn thi vào 10", "2025-03-14 19:00",
        """Gia đình ở Hoàng Mai cần tìm gia sư Toán cho con trai học lớp 9, ôn thi vào lớp 10 trường công lập.
Học 3 buổi/tuần vào buổi tối, mỗi buổi 2 tiếng, tại nhà. Học phí 200.000đ/buổi, thanh toán cuối tháng.
Ưu tiên sinh viên sư phạm Toán hoặc giáo viên có kinh nghiệm luyện thi. Gia sư học thử 1 buổi trước khi nhận lớp.""",
        location="Hà Nội", salary="200.000đ/buổi", contact_name="Chị Lan (phụ huynh)",
        phone="0983 246 135", **_LEGIT,
    ),
    _ad(
        1024, "Tuyển nữ 18-35 tuổi làm công nhân lắp ráp linh kiện điện tử - KCN Quế Võ", "2025-03-14 08:30",
        """Công ty TNHH Điện tử Sao Kim (KCN Quế Võ, Bắc Ninh) tuyển 100 công nhân lắp ráp linh kiện, ưu tiên nữ 18-35 tuổi vì công việc đòi hỏi thao tác tỉ mỉ.
Công việc ngồi máy, lắp ráp và kiểm tra ngoại quan bảng mạch trong phòng sạch.
Tổng thu nhập 8,5-11 triệu, phụ cấp nhà ở, chuyên cần, bữa ăn ca miễn phí, xe đưa đón theo tuyến.
Phỏng vấn trực tiếp tại nhà máy từ thứ Hai đến thứ Bảy, không thu bất kỳ chi phí nào.""",
        location="Bắc Ninh", salary="8,5-11 triệu", contact_name="Phòng tuyển dụng",
        company="Công ty TNHH Điện tử Sao Kim", phone="0222 3612 789", **_HARD,
    ),
    _ad(
        1025, "Nhân viên nhập liệu part-time tại văn phòng (sinh viên)", "2025-03-15 09:20",
        """Công ty Khảo sát Thị trường Việt Insight tuyển 5 sinh viên nhập liệu phiếu khảo sát, làm tại văn phòng Quận 10.
Làm theo ca 4 tiếng, tối thiểu 4 ca/tuần, lương 24.000đ/giờ, trả vào ngày 5 hằng tháng qua tài khoản ngân hàng.
Yêu cầu gõ tiếng Việt nhanh, cẩn thận. Công ty không thu phí đào tạo hay phí tài liệu.""",
        location="TP. Hồ Chí Minh", salary="24.000đ/giờ", contact_name="Anh Bình",
        company="Công ty TNHH Việt Insight", phone="0919 864 200", **_HARD,
    ),
    _ad(
        1026, "Kỹ thuật viên bảo trì máy đóng gói", "2025-03-15 14:45",
        """Nhà máy Bánh kẹo Hương Quê tuyển 2 kỹ thuật viên bảo trì cơ điện.
Công việc: bảo trì định kỳ dây chuyền đóng gói, xử lý sự cố máy, ghi nhật ký bảo trì.
Yêu cầu trung cấp cơ khí hoặc điện công nghiệp, đọc được bản vẽ, làm ca xoay. Lương 10-13 triệu, phụ cấp độc hại.""",
        location="Hưng Yên", salary="10-13 triệu", contact_name="Phòng kỹ thuật",
        company="Công ty CP Bánh kẹo Hương Quê", phone="0221 3945 111", **_LEGIT,
    ),
    _ad(
        1027, "Nhân viên kinh doanh bất động sản - hoa hồng cao, lương cứng 7 triệu", "2025-03-16 10:00",
        """Sàn giao dịch bất động sản Đất Lành tuyển 10 nhân viên kinh doanh dự án căn hộ tại Thủ Dầu Một.
Chính sách: lương cứng 7 triệu, hoa hồng 1-1,5% giá trị giao dịch, thưởng nóng theo đợt mở bán.
Được đào tạo pháp lý dự án và kỹ năng tư vấn, hỗ trợ chi phí quảng cáo. Không yêu cầu ký quỹ hay đóng phí.
Ứng viên có xe máy, laptop, ưu tiên có kinh nghiệm bán hàng.""",
        location="Bình Dương", salary="7 triệu + hoa hồng", contact_name="Trưởng phòng kinh doanh",
        company="Công ty CP Bất động sản Đất Lành", phone="0932 555 010", **_HARD,
    ),
    _ad(
        1028, "Tuyển người mẫu ảnh cho shop thời trang công sở (trên 18 tuổi)", "2025-03-16 15:20",
        """Shop thời trang Linh An cần tìm 2 mẫu nữ chụp ảnh sản phẩm cho bộ sưu tập hè, chụp tại studio ở 32 Hồ Tùng Mậu, Cầu Giấy.
Yêu cầu: từ 18 tuổi trở lên, cao 1m60 trở lên, có ảnh chân dung gần đây. Có thể đi cùng người thân trong buổi chụp.
Thù lao 1.200.000đ/buổi 4 tiếng, trả ngay sau buổi chụp, có hợp đồng sử dụng hình ảnh. Shop không thu phí casting hay phí làm hồ sơ.
Gửi ảnh và số đo qua email của shop, chúng tôi hẹn gặp tại studio.""",
        location="Hà Nội", salary="1.200.000đ/buổi", contact_name="Chị An (chủ shop)",
        company="Linh An Fashion", phone="0948 321 654", **_HARD,
    ),
    _ad(
        1029, "Kỹ sư cầu nối (BrSE) tiếng Nhật N2 - onsite Nhật Bản 3 tháng", "2025-03-17 09:00",
        """Công ty TNHH Phần mềm Hikari Việt Nam tuyển kỹ sư cầu nối tiếng Nhật cho dự án ngân hàng.
Yêu cầu: tiếng Nhật N2 trở lên, 2 năm kinh nghiệm phát triển phần mềm, giao tiếp tốt với khách hàng Nhật.
Làm việc tại văn phòng Đà Nẵng, có đợt onsite Tokyo 3 tháng, công ty chi trả vé máy bay và chỗ ở theo chế độ công tác.
Lương 25-40 triệu, phụ cấp tiếng Nhật, tháng 13, khám sức khỏe hằng năm.""",
        location="Đà Nẵng", salary="25-40 triệu", contact_name="HR Team",
        company="Công ty TNHH Phần mềm Hikari Việt Nam", phone="0236 3888 321", **_HARD,
    ),
    _ad(
        1030, "Đầu bếp món Hàn cho nhà hàng ở Hà Nội", "2025-03-17 16:00",
        """Nhà hàng Seoul Garden Mỹ Đình tuyển 1 đầu bếp chính và 2 bếp phụ món Hàn.
Đầu bếp chính cần 3 năm kinh nghiệm bếp Hàn, biết lên thực đơn và quản lý kho nguyên liệu.
Lương 15-20 triệu cho đầu bếp chính, 8 triệu cho bếp phụ, bao ăn trưa và tối, nghỉ 4 ngày/tháng.""",
        location="Hà Nội", salary="8-20 triệu", contact_name="Quản lý nhà hàng",
        company="Seoul Garden Mỹ Đình", phone="0971 246 357", **_LEGIT,
    ),
    _ad(
        1031, "Nhân viên điều phối giao nhận (logistics) - Hải Phòng", "2025-03-18 08:40",
        """Công ty CP Vận tải Biển Đông tuyển nhân viên điều phối giao nhận container tại Đình Vũ, Hải Phòng.
Công việc: lên lịch xe, theo dõi hành trình, làm việc với cảng và khách hàng để giao hàng đúng hẹn.
Yêu cầu: tốt nghiệp cao đẳng trở lên, sử dụng Excel tốt, chịu được áp lực. Lương 10-12 triệu, thưởng quý.""",
        location="Hải Phòng", salary="10-12 triệu", contact_name="Phòng nhân sự",
        company="Công ty CP Vận tải Biển Đông", phone="0225 3978 456", **_LEGIT,
    ),
    # ---- lures -------------------------------------------------------------------------
    _ad(
        1032, "VIỆC NHẸ LƯƠNG CAO tại Campuchia - bao vé máy bay, ăn ở", "2025-03-04 21:10",
        """Cần gấp 20 bạn nam nữ đi làm việc tại Campuchia, việc nhẹ lương cao, chỉ ngồi máy tính chăm sóc khách hàng.
Lương cứng 25-30 triệu/tháng, chưa tính hoa hồng. Không cần kinh nghiệm, không cần ngoại ngữ, chỉ cần biết dùng điện thoại và đánh chữ.
Công ty bao vé máy bay, bao ăn ở, có xe đón tận nơi. Chưa có hộ chiếu bên mình lo hết, đi trong tuần.
Số lượng có hạn, ai muốn đổi đời thì nhắn Telegram ngay, không nghe gọi.""",
        location="Campuchia", salary="25-30 triệu", contact_name="Anh Tùng",
        telegram="@vieclam_cpc_vip88", is_lure=True, category="abroad-casino/scam-compound",
    ),
    _ad(
        1033, "Tuyển nhân viên văn phòng làm việc tại Thái Lan, đón tại cửa khẩu", "2025-03-05 22:30",
        """Tuyển 15 nhân viên văn phòng làm việc ở Thái Lan, công việc nhập dữ liệu và nhắn tin với khách hàng.
Lương 1.200$/tháng, bao ăn ở, có người đón tại cửa khẩu, không cần hộ chiếu, bên em lo giấy tờ.
Không cần bằng cấp, không cần biết tiếng Thái. Đi càng sớm càng tốt, giữ kín thông tin, không nói với người nhà để tránh bị đối thủ cướp suất.
Ai quan tâm kết bạn Zalo để được hướng dẫn chi tiết.""",
        location="Thái Lan", salary="1.200 USD", contact_name="Chị Vy",
        zalo="0868.000.999", is_lure=True, category="abroad-casino/scam-compound",
    ),
    _ad(
        1034, "Tuyển CTV online làm nhiệm vụ chốt đơn, hoa hồng 10-30%", "2025-03-06 20:05",
        """Sàn thương mại điện tử cần tuyển cộng tác viên online làm nhiệm vụ chốt đơn ảo để tăng tương tác cho shop.
Mỗi nhiệm vụ chỉ mất 5-10 phút, nhận hoa hồng từ 10% đến 30% giá trị đơn, rút tiền ngay trong ngày.
Nạp tiền thanh toán đơn trước, hệ thống hoàn vốn kèm hoa hồng sau mỗi nhiệm vụ. Nhiệm vụ càng lớn hoa hồng càng cao.
Làm tại nhà bằng điện thoại, không cần kinh nghiệm. Inbox Zalo để được cấp tài khoản và nhận nhiệm vụ đầu tiên.""",
        location="Online", salary="300k-2 triệu/ngày", contact_name="Hỗ trợ viên Thảo",
        zalo="0333 999 888", is_lure=True, category="online-task/CTV-scam",
    ),
    _ad(
        1035, "Xuất khẩu lao động Đài Loan bay nhanh - đặt cọc giữ suất", "2025-03-07 19:40",
        """Đơn hàng xuất khẩu lao động Đài Loan bay nhanh trong 30 ngày, nhà máy điện tử lương 28-35 triệu/tháng.
Không cần thi tiếng, không cần học nghề, bao đỗ 100%. Chỉ cần đặt cọc 30 triệu để giữ suất, số còn lại trả sau khi có visa.
Đi theo diện du lịch rồi chuyển sang làm việc, bên em có người lo hết giấy tờ bên đó.
Suất cuối cùng của tháng, anh chị em nhanh tay chuyển khoản cọc để chốt danh sách.""",
        location="Đài Loan", salary="28-35 triệu", contact_name="Cô Hoa",
        phone="0707 123 123", zalo="0707 123 123", is_lure=True, category="fake-export-labour",
    ),
    _ad(
        1036, "Casting người mẫu ảnh, livestream - thu nhập 30-50 triệu", "2025-03-08 21:00",
        """Công ty giải trí tuyển người mẫu ảnh và idol livestream, thu nhập 30-50 triệu/tháng, không cần kinh nghiệm.
Ứng viên đóng phí 2.500.000đ làm hồ sơ casting và bộ ảnh profile, trúng tuyển sẽ được hoàn phí.
Ưu tiên các bạn nữ ngoại hình dễ thương, sẵn sàng đi quay tại nước ngoài theo lịch của công ty.
Gửi ảnh toàn thân qua Zalo, không tiếp khách đến văn phòng.""",
        location="Toàn quốc", salary="30-50 triệu", contact_name="Quản lý casting",
        zalo="0888 123 456", is_lure=True, category="fake-modelling/hostess/escort",
    ),
    _ad(
        1037, "Tuyển nữ 16-22 tuổi làm tiếp viên karaoke, bao ăn ở", "2025-03-09 23:15",
        """Cần tuyển gấp 10 bạn nữ từ 16 đến 22 tuổi, ngoại hình ưa nhìn, làm tiếp viên karaoke.
Thu nhập 1-2 triệu/đêm tiền tip, bao ăn ở, ứng lương trước cho các bạn khó khăn.
Không cần kinh nghiệm, không cần giấy tờ, có xe đón tại bến xe. Các bạn ở quê lên được hỗ trợ tiền xe.
Liên hệ qua Zalo, kín đáo, không gọi điện.""",
        location="Không rõ", salary="1-2 triệu/đêm", contact_name="Chị Ngân",
        zalo="0355.246.810", is_lure=True, category="minor-targeting",
    ),
    _ad(
        1038, "tuyen gap 10 ban tre di lam o campuchia viec nhe lg cao", "2025-03-10 22:45",
        """tuyen gap 10 ban nam nu tu 18-30 di lam o Campuchia, viec nhe lg cao 20-35tr/thang.
ko can kinh nghiem, ko can ngoai ngu, chi can biet go chu tren may tinh.
bao ve may bay, bao an o, co nguoi don tai bien gioi, di ngay trong tuan.
ai can viec ib zalo minh tu van, cam ket uy tin.""",
        location="Campuchia", salary="20-35tr", contact_name="Minh",
        zalo="0909.000.111", is_lure=True, category="abroad-casino/scam-compound",
    ),
    _ad(
        1039, "Cần tuyển ctv làm online tại nhà, ko cần vốn", "2025-03-11 20:30",
        """Cần tuyển ctv làm online tại nhà, ngày làm 1-2h, thu nhập 300-500k/ngày, lg cao cho bạn nào chăm chỉ.
Ko cần vốn, ko cần kinh nghiệm, chỉ cần đt có mạng. Việc đơn giản: like, follow, đánh giá sản phẩm theo nhiệm vụ.
Làm nv đầu nhận thưởng 50k, các nv sau cần nạp trước để hệ thống xác minh, hoàn tiền + hoa hồng ngay.
Bạn nào quan tâm ib Telegram mình hướng dẫn, slot có hạn nha.""",
        location="Online", salary="300-500k/ngày", contact_name="Thư",
        telegram="@ctv_online_tuyen", is_lure=True, category="online-task/CTV-scam",
    ),
    _ad(
        1040, "Tuyển KTV massage, spa đi Dubai - lương 50-70 triệu", "2025-03-12 21:20",
        """Tuyển 8 kỹ thuật viên massage, spa nữ 18-25 tuổi đi làm tại Dubai, lương 50-70 triệu/tháng.
Không cần kinh nghiệm, bên em đào tạo 1 tuần trước khi bay. Bao vé máy bay, visa, chỗ ở, công ty hỗ trợ ứng lương.
Hộ chiếu sẽ do quản lý giữ trong thời gian làm việc cho an toàn. Hợp đồng 2 năm, phạt nếu về trước hạn.
Nhắn Telegram để nhận thông tin, không trả lời tin nhắn hỏi địa chỉ công ty.""",
        location="Dubai", salary="50-70 triệu", contact_name="Chị Kiều",
        telegram="@dubai_spa_job", is_lure=True, category="fake-modelling/hostess/escort",
    ),
    _ad(
        1041, "XKLĐ Hàn Quốc visa E9 không cần thi tiếng - phí trọn gói", "2025-03-13 20:00",
        """Nhận hồ sơ đi Hàn Quốc diện E9 không cần thi tiếng, không cần qua chương trình EPS, bay sau 2 tháng.
Phí trọn gói 180 triệu, đặt cọc trước 50 triệu khi nộp hồ sơ, cam kết hoàn tiền nếu trượt visa.
Thu nhập bên Hàn 40-50 triệu/tháng, làm nhà máy hoặc nông trại. Nhận cả người từng bị trượt, từng bỏ trốn.
Liên hệ văn phòng đại diện qua số điện thoại hoặc Zalo, chuyển khoản cọc vào tài khoản cá nhân của cán bộ tuyển sinh.""",
        location="Hàn Quốc", salary="40-50 triệu", contact_name="Thầy Khánh",
        phone="+84 901 234 567", zalo="0901 234 567", is_lure=True, category="fake-export-labour",
    ),
    _ad(
        1042, "Tuyển nhân viên đánh máy tại nhà, trả lương theo bài", "2025-03-14 21:35",
        """Tuyển nhân viên đánh máy văn bản tại nhà, 200.000đ/10 bài, mỗi bài khoảng 1 trang.
Không giới hạn số bài, làm càng nhiều lương càng cao, trả lương mỗi tối.
Trước khi nhận bài cần đóng 300.000đ phí tài liệu và kích hoạt tài khoản, hoàn lại sau 10 bài đầu tiên.
Liên hệ Zalo để nhận bài thử và số tài khoản đóng phí.""",
        location="Online", salary="200.000đ/10 bài", contact_name="Bộ phận tuyển dụng",
        zalo="0345 678 910", is_lure=True, category="online-task/CTV-scam",
    ),
    _ad(
        1043, "Tuyển nhân viên game online tại đặc khu Tam Giác Vàng (Lào)", "2025-03-15 22:10",
        """Tuyển nhân viên chăm sóc khách hàng game online làm tại đặc khu kinh tế Tam Giác Vàng, Lào.
Chỉ cần biết đánh máy, lương 1.000-1.500$/tháng, bao ăn ở, thưởng doanh số cao.
Đi đường bộ qua cửa khẩu, có người đón và lo giấy tờ. Không cần hộ chiếu, không cần bằng cấp, nhận cả người chưa đủ 18.
Liên hệ Telegram, nói mã tuyển dụng GV88 để được ưu tiên.""",
        location="Lào", salary="1.000-1.500 USD", contact_name="Anh Bảo",
        telegram="@tamgiacvang_tuyen", is_lure=True, category="abroad-casino/scam-compound",
    ),
    _ad(
        1044, "Tìm bạn nữ 15-17 tuổi làm mẫu ảnh online, thu nhập tốt", "2025-03-16 22:50",
        """Tìm các bạn nữ 15-17 tuổi làm mẫu ảnh online cho shop, chụp tại nhà bằng điện thoại, thu nhập 5-10 triệu/tháng.
Không cần bố mẹ đồng ý, không cần kinh nghiệm, mình hướng dẫn tạo dáng qua video call.
Gửi vài tấm ảnh cá nhân qua Zalo để mình duyệt, được duyệt nhận ngay 500k tiền thưởng.
Giữ bí mật công việc để tránh bị người khác giành suất nhé.""",
        location="Online", salary="5-10 triệu", contact_name="Anh Nam",
        zalo="0377.555.444", is_lure=True, category="minor-targeting",
    ),
    _ad(
        1045, "Tuyển sale tiếng Việt làm việc tại Manila, Philippines", "2025-03-17 21:40",
        """Tuyển nhân viên sale tiếng Việt làm việc tại Manila, Philippines, mảng casino online.
Lương 1.200$ + thưởng, bao vé máy bay và chỗ ở, làm 12 tiếng/ngày, không cần kinh nghiệm.
Công ty lo visa du lịch, sang nơi sẽ có người đón và làm giấy phép sau. Chi phí vé trừ dần vào lương.
Ứng viên liên hệ qua Telegram, không đăng ký qua điện thoại.""",
        location="Philippines", salary="1.200 USD", contact_name="Mr. Long",
        telegram="@manila_sale_vn", is_lure=True, category="abroad-casino/scam-compound",
    ),
    _ad(
        1046, "Tuyển nữ 18-25 đi Trung Quốc làm nhà hàng, có thể tìm chồng", "2025-03-18 20:20",
        """Tuyển nữ 18-25 tuổi đi Trung Quốc làm phục vụ nhà hàng, lương 15-20 triệu/tháng.
Bao hết chi phí đi lại và ăn ở, không cần biết tiếng Trung, không cần hộ chiếu vì đi đường tiểu ngạch.
Bạn nào muốn lấy chồng bên đó thì bên mình giới thiệu, gia đình được nhận tiền sính lễ.
Liên hệ Zalo hoặc gọi trực tiếp, xuất phát ngay trong tuần từ Lạng Sơn.""",
        location="Trung Quốc", salary="15-20 triệu", contact_name="Cô Tâm",
        phone="0912.000.333", zalo="0912.000.333", is_lure=True, category="marriage/bride-brokering",
    ),
)

# An ad that moderators hid: served under /tin-an/, which robots.txt disallows, so an
# obedient crawler never stores it. Not part of ADS (crawl counts are checked against ADS).
HIDDEN_AD: Ad = _ad(
    1900, "Tuyển gấp người đi làm ở Myanmar, đi ngay trong tuần", "2025-03-18 23:30",
    """Tuyển gấp 30 người đi làm ở Myanmar, việc nhẹ ngồi máy tính, lương 30 triệu, bao vé xe và ăn ở.
Không cần giấy tờ, có người dẫn đường qua biên giới. Liên hệ Telegram để đăng ký.""",
    location="Myanmar", salary="30 triệu", contact_name="Anh Hải",
    telegram="@myanmar_tuyengap", is_lure=True, category="abroad-casino/scam-compound",
)
