"""Catalogue of lure indicators (and a few counter-indicators), matched on folded text.

Each `SignalSpec` is one indicator a reviewer can read ("trả lương theo ngày"): an id, a
description in Vietnamese and English, a lure category from the taxonomy of ../shared/data,
a display weight (0..1: how much it says on its own; the model learns its own weights) and a
polarity. Lure indicators have polarity +1; counter-indicators (-1: a licence number, a news or
police-warning frame, "BHXH đầy đủ") are features too, shown to reviewers, and never name a
lure category.

Patterns are regular expressions over `fold(text)` (lowercase, no diacritics, đ→d), so
"đặt cọc", "dat coc" and "đat coc" all match; common teencode spellings (ko/k → không, lg →
lương, tr → triệu, ib) are built in. Spans are offsets into the original text because `fold`
preserves length.

False positives reviewed on hard negatives (licensed XKLĐ/EPS notices, hourly pay, hybrid
work, real-estate commission, photo models for shops, tutors for pupils, "ổ cắm", "việc làm
tỉnh"):
- negation: a fee or deposit preceded by "không", "miễn", "không yêu cầu", "không thu",
  "không mất" within the same clause does not fire `deposit_or_fee` (it fires `no_fee_claim`,
  a weak feature of its own: scammers say it as often as licensed agencies);
- "không (yêu) cầu kinh nghiệm" alone is `no_experience` (weak); only with a pay figure or
  "lương cao" nearby is it `high_pay_no_experience`;
- pay per hour is ordinary; only per day / per task / per order is `pay_per_day_or_task`;
- "2 ngày làm việc tại nhà" (hybrid) is not `work_from_home`;
- commission ("hoa hồng") and modelling ("người mẫu") are weak signals of their own, apart
  from online tasks and hostess work;
- ages of children taught or cared for ("lớp 6-11 tuổi") are not a minor-targeting limit.

Entities from `classifier.entities` (destinations, ages) add hits when that module provides
them; this module works with or without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from classifier.text import fold

__all__ = [
    "CATEGORIES", "COUNTER", "SignalSpec", "SignalHit", "CATALOGUE", "find_signals", "signal_ids",
    "get_spec", "catalogue_table",
]

# The taxonomy of ../shared/data (dev_lures.jsonl categories).
ONLINE_TASK = "online-task/CTV-scam"
FAKE_XKLD = "fake-export-labour"
SCAM_COMPOUND = "abroad-casino/scam-compound"
HOSTESS = "fake-modelling/hostess/escort"
MINOR = "minor-targeting"
MARRIAGE = "marriage/bride-brokering"
OTHER = "other"
CATEGORIES = (ONLINE_TASK, FAKE_XKLD, SCAM_COMPOUND, HOSTESS, MINOR, MARRIAGE, OTHER)
# Category of counter-indicators (signs of a legitimate post); never a lure category.
COUNTER = "counter-indicator"


@dataclass(frozen=True)
class SignalHit:
    """One fired indicator. `id` is stable (store it); `label` is in the language asked for,
    and both labels travel with the hit so a stored hit can be shown in the viewer's language."""

    id: str
    label: str
    category: str
    start: int
    end: int
    phrase: str
    weight: float
    label_vi: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class SignalSpec:
    id: str
    label_vi: str
    label_en: str
    category: str
    weight: float
    patterns: tuple[str, ...]
    # Optional check on a match (ages in an age limit, a negation before it); False rejects it.
    accept: Callable[[re.Match[str]], bool] | None = None
    polarity: int = 1
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{p})" for p in self.patterns)
        object.__setattr__(self, "regex", re.compile(rf"(?<![a-z0-9])(?:{joined})(?![a-z0-9])"))


# Teencode building blocks (folded spellings).
KHONG = r"(?:khong|ko|k|k0|kh|hok|hong|kg|khg|0)"
LUONG = r"(?:luong|lg|thu nhap|tn)"
CAN = r"(?:can|yeu cau|yc|doi hoi|bat buoc)"
MONEY = r"\d+(?:[.,]\d+)*\s*(?:k|tr|trieu|m|nghin|ngan|000|d|dong|vnd|usd|\$|cu|lit|xi)"
AGE = r"(?:tuoi|t|tuoy|tuoori)"

_AGE_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|~|den|toi|->)\s*(\d{1,2})")
_AGE_UNDER = re.compile(r"(?:duoi|<|chua du|chua toi)\s*(\d{1,2})")
# A negation or "free" word shortly before a fee/deposit phrase, in the same clause.
_NEGATED = re.compile(
    rf"(?<![a-z0-9])(?:{KHONG}|mien|chua|cam|tuyet doi khong|khong (?:he|phai)|khong yeu cau|khong thu|"
    rf"khong mat|khong co|khong can|khong phai|khong nhan|khong lay|free)\b[^.!?\n;]{{0,28}}$"
)
# Pay mentions that make "no experience needed" a lure indicator rather than a plain fact.
_HIGH_PAY = re.compile(
    rf"{LUONG} (?:cao|khung|hap dan|vai chuc|ca tram|tu \d{{2}}|\d{{2,3}}\s*(?:tr|trieu|m))|"
    r"\d{2,3}\s*(?:-\s*\d{2,3}\s*)?(?:tr|trieu)|\d+(?:[.,]\d+)*\s*(?:k|nghin|000)\s*(?:/|moi|1)\s*ngay|"
    r"(?:kiem|nhan|thu) (?:duoc )?(?:tu )?\d+"
)


def _ages(m: re.Match[str]) -> tuple[int, int] | None:
    """(low, high) of an age expression; high=low for a single age, 0 low for "dưới N"."""
    text = m.group()
    if r := _AGE_RANGE.search(text):
        return int(r.group(1)), int(r.group(2))
    if u := _AGE_UNDER.search(text):
        return 0, int(u.group(1)) - 1
    nums = [int(n) for n in re.findall(r"\d{1,2}", text)]
    return (nums[0], nums[0]) if nums else None


def _young(m: re.Match[str]) -> bool:
    # Only limits ("16-22 tuổi", "dưới 23t") say who is targeted; a single age does not.
    if not (_AGE_RANGE.search(m.group()) or _AGE_UNDER.search(m.group())):
        return False
    ages = _ages(m)
    return ages is not None and 14 <= ages[1] <= 25


def _minor(m: re.Match[str]) -> bool:
    ages = _ages(m)
    if ages is None:
        return False
    low, high = ages
    # "dưới 18": targets minors; "16-22 tuổi": accepts minors; "15 tuổi": names one.
    # Ranges that end below 13 ("lớp 6-11 tuổi") describe children taught or cared for.
    if low == 0:
        return 13 <= high + 1 <= 18
    return 13 <= low < 18 and high < 40


def _not_negated(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 40) : m.start()]
    return not _NEGATED.search(before)


def _negated(m: re.Match[str]) -> bool:
    return not _not_negated(m)


def _with_pay_nearby(m: re.Match[str]) -> bool:
    window = m.string[max(0, m.start() - 120) : m.end() + 120]
    return bool(_HIGH_PAY.search(window))


def _not_hybrid(m: re.Match[str]) -> bool:
    # "2 ngày làm việc tại nhà", "hybrid": ordinary office jobs with home days.
    before = m.string[max(0, m.start() - 12) : m.start()]
    after = m.string[m.end() : m.end() + 12]
    return not (re.search(r"\d\s*(?:ngay|buoi)\s*(?:\w+\s*)?$", before) or "moi tuan" in after
                or re.match(r"\W*\d\s*(?:ngay|buoi)", after) or "/tuan" in after
                or "hybrid" in m.string[max(0, m.start() - 40) : m.end() + 40])


_AGE_EXPR = (
    rf"(?:do tuoi|tuoi|tu)?\s*\d{{1,2}}\s*(?:-|–|~|den|toi|->)\s*\d{{1,2}}\s*{AGE}",
    rf"(?:duoi|chua du|chua toi)\s*\d{{1,2}}\s*{AGE}?",
    rf"\d{{1,2}}\s*(?:tuoi|tuoy)",
)
_NO_EXPERIENCE = (
    rf"{KHONG} {CAN} (?:co )?(?:kinh nghiem|kn|exp|trinh do|bang cap|tay nghe)",
    rf"{KHONG} (?:co |)kinh nghiem (?:cung|van)",
    r"chua co kinh nghiem (?:cung|van) (?:duoc|nhan)",
    r"khong can (?:von|bang cap)",
)

CATALOGUE: tuple[SignalSpec, ...] = (
    SignalSpec(
        "high_pay_no_experience", "lương cao mà không cần kinh nghiệm/trình độ",
        "high pay without experience or skills", OTHER, 0.6,
        _NO_EXPERIENCE + (rf"(?:luong|thu nhap) (?:vai|ca|hang) (?:chuc|tram) (?:trieu|tr)",),
        accept=_with_pay_nearby,
    ),
    SignalSpec(
        "no_experience", "không cần kinh nghiệm (một mình: yếu)", "no experience needed (weak alone)",
        OTHER, 0.15, _NO_EXPERIENCE,
    ),
    SignalSpec(
        "pay_per_day_or_task", "trả tiền theo ngày / theo nhiệm vụ", "paid per day or per task",
        ONLINE_TASK, 0.6,
        (
            rf"{MONEY}\s*(?:-\s*{MONEY}\s*)?(?:/|moi|1|mot)\s*(?:ngay|nv|nhiem vu|don|bai|van ban|luot)",
            r"(?:moi|1|mot) ngay (?:ban )?(?:co the )?(?:de dang )?(?:kiem|nhan|thu|duoc)",
            r"(?:luong|tien luong|tien) (?:duoc )?(?:tra|thanh toan|quyet toan|nhan) (?:theo|hang|trong|moi) ngay",
            r"nhan (?:tien|luong) (?:trong ngay|ngay|luon|sau \d+ phut)",
            r"(?:ket|thanh) toan (?:ngay|trong ngay|cuoi ngay)",
            r"tien luong se duoc (?:giai quyet|quyet toan) ngay",
        ),
    ),
    SignalSpec(
        "employer_pays_travel", "bao vé máy bay / visa / hộ chiếu / xe đưa đón",
        "employer pays travel, visa or passport", SCAM_COMPOUND, 0.6,
        (
            r"(?:bao|ho tro|chi tra|lo|mien phi|free) (?:100% )?(?:ve may bay|ve xe|tien ve|visa|ho chieu|chi phi di lai|di lai|xuat canh)",
            r"(?:lam|lo) (?:visa|ho chieu) (?:du lich|nhanh|giup)",
            r"visa du lich",
            r"(?:dua|don) (?:ra|ra tan) san bay",
            r"co nguoi (?:ra )?(?:don|dua don|dua di)",
            r"(?:se )?(?:co )?nguoi (?:cua (?:ho|cong ty) )?(?:ben do )?(?:don|bo tri|sap xep)",
            r"don (?:tai|o) cua khau|qua (?:cua khau|duong tieu ngach|bien gioi)",
        ),
    ),
    SignalSpec(
        "abroad_destination", "nơi đến rủi ro cao ở nước ngoài (Campuchia, Myanmar, Lào…)",
        "high-risk destination abroad (Cambodia, Myanmar, Laos…)", SCAM_COMPOUND, 0.7,
        (
            r"cam(?:pu|bu)chia|cambodia|cpc|campuchea|cam pu chia|phnom ?penh|bavet|moc bai bavet",
            r"sihanouk(?:ville)?|xi ha nuc|poipet|koh kong|kampot|svay rieng",
            r"myanmar|mianma|myawaddy|kk park|shwe kokko|tam giac vang|dac khu kinh te",
            r"(?:sang|qua|di|tai|ben) (?:lao(?! dong| cai)|thai lan|mien dien|bien gioi)",
            r"(?:sang|qua) cam",
            r"philippines?|philipin|manila|dubai|malaysia|ma lai",
        ),
    ),
    SignalSpec(
        "export_labour", "xuất khẩu lao động / đi làm nước ngoài", "labour export / work abroad",
        FAKE_XKLD, 0.3,
        (
            r"xuat khau lao dong|xkld|xk ld|di lao dong (?:nuoc ngoai|o nuoc ngoai)",
            r"xuat canh (?:nhanh|ngay|sau|trong)|bay nhanh",
            r"(?:lam viec|di lam|lao dong) (?:o |tai )?(?:nuoc ngoai|chau au|a rap|saudi|dai loan|nhat ban|han quoc|duc)",
            r"(?:di|sang) (?:nhat|han|dai loan|duc|chau au|anh|ba lan|romania|bulgaria|iceland|saudi|a rap)",
        ),
    ),
    SignalSpec(
        "deposit_or_fee", "đặt cọc / phí / nộp tiền trước", "deposit or fee paid up front",
        FAKE_XKLD, 0.6,
        (
            r"dat coc|tien coc|coc truoc|coc giu|ky quy",
            r"(?:nop|chuyen) (?:tien|phi|truoc)|dong (?:phi|tien (?:truoc|coc|ho so))",
            r"phi (?:giu cho|giu suat|ho so|dong phuc|dao tao|moi gioi|xuat canh|tham gia|thanh vien|tron goi|kich hoat)",
            r"(?:tong )?chi phi (?:se )?(?:la|chi|khoang|tron goi)|chi phi thap",
        ),
        accept=_not_negated,
    ),
    SignalSpec(
        "no_fee_claim", "tuyên bố không thu phí / không đặt cọc", "claims no fee or deposit",
        OTHER, 0.1,
        (
            r"dat coc|tien coc|ky quy|phi|chi phi|tien moi gioi",
        ),
        accept=_negated,
    ),
    SignalSpec(
        "contact_only_chat", "chỉ liên hệ qua Zalo/Telegram/inbox", "contact only via chat apps",
        OTHER, 0.4,
        (
            r"(?:ib|inbox|inb|ip|nhan tin|ket ban|add|lien he|lh|lien lac|chat)(?: (?:qua|truc tiep|ngay|voi (?:minh|em|toi|chung toi)|em|minh))*\s*(?:id\s*)?:?\s*(?:zalo|zl|telegram|tele|tg|whatsapp|line|messenger|fb)",
            r"zalo\.me|t\.me/",
            r"(?:add|ket ban|them) (?:tai khoan )?(?:zalo|telegram|tele)",
            r"sao chep lien ket vao trinh duyet",
        ),
    ),
    SignalSpec(
        "young_age_limit", "giới hạn tuổi trẻ (vd. 16-22 tuổi, dưới 23t)",
        "young age limit (e.g. 16-22, under 23)", OTHER, 0.4, _AGE_EXPR, accept=_young,
    ),
    SignalSpec(
        "minor_age", "nhắm tới người dưới 18 tuổi", "accepts or targets under-18s",
        MINOR, 0.9, _AGE_EXPR, accept=_minor,
    ),
    SignalSpec(
        "minor_words", "học sinh / trẻ vị thành niên / mẫu nhí", "pupils, minors, child models",
        MINOR, 0.7,
        (
            r"hoc sinh|hs(?: ?sv| ?- ?sv)|tre vi thanh nien|vi thanh nien|mau nhi|nguoi mau nhi",
            r"(?:tuyen|can|nhan) (?:ca )?(?:ban )?(?:be|tre em)|chua du (?:18|tuoi)",
            r"(?:mau anh|nguoi mau|chup hinh|chup anh)[^.\n]{0,60}?(?:cho be|be gai|tre em|hoc sinh)",
        ),
    ),
    SignalSpec(
        "no_language_needed", "không cần ngoại ngữ", "no foreign language needed",
        SCAM_COMPOUND, 0.5,
        (
            rf"{KHONG} (?:{CAN}|can biet|biet|doi hoi|thi) (?:ngoai ngu|tieng(?: anh| trung| hoa| nhat| han| thai)?)",
            r"khong doi hoi (?:trinh do )?(?:tay nghe, )?(?:tay nghe )?ngoai ngu",
            r"ngoai ngu\b.{0,15}?\bkhong (?:can|bat buoc)",
        ),
    ),
    SignalSpec(
        "room_board", "bao ăn ở", "food and lodging provided", OTHER, 0.3,
        (
            r"bao (?:an o|an,? bao o|an,? o|an uong|an ngu|an va o|o|cho o)",
            r"(?:sap xep|lo|mien phi) (?:cho |cho an )?(?:an o|an ngu|cho o|noi o)",
        ),
    ),
    SignalSpec(
        "urgency_secrecy", "tuyển gấp / số lượng có hạn / bí mật",
        "urgency, scarcity or secrecy", OTHER, 0.4,
        (
            r"tuyen gap|can gap|gap gap|nhan viec ngay|di ngay|xuat canh gap",
            r"so luong (?:co han|gioi han)|chi (?:con )?\d+ (?:nguoi|suat|slot|luot)|con \d+ (?:luot|suat|slot)|(?:luot|suat) dang ky cuoi",
            r"bi mat|giu kin|khong (?:noi|ke|cho) (?:voi )?(?:gia dinh|bo me|ai)",
        ),
    ),
    SignalSpec(
        "hostess_karaoke", "KTV / karaoke / tiếp viên / massage / tiền bo",
        "hostess, karaoke, massage, tips", HOSTESS, 0.6,
        (
            r"ktv|karaoke|kara|tiep vien (?:quan|nha hang|karaoke)|massage|mat xa|quan bar|club",
            r"tien [\"'“”]?bo[\"'“”]?|tien boa|tien tip|di khach|ngoi ban|rot bia|chan dai",
        ),
    ),
    SignalSpec(
        "sex_work", "mua bán dâm trá hình", "sexual services", HOSTESS, 0.9,
        (
            r"(?<!viec )lam tinh(?! (?:nguyen|uy|thanh|ban|nhan))|tjnh|gai goi|sugar ?(?:baby|daddy)|body chuan",
        ),
    ),
    SignalSpec(
        "modelling", "người mẫu / mẫu ảnh / casting / livestream", "modelling, casting, livestream",
        HOSTESS, 0.3,
        (r"nguoi mau|mau anh|chup hinh mau|casting|idol|livestream|hot girl|pg",),
    ),
    SignalSpec(
        "marriage_abroad", "mai mối lấy chồng nước ngoài", "marriage broking abroad",
        MARRIAGE, 0.8,
        (
            r"ket hon voi (?:nguoi )?(?:nuoc ngoai|han quoc|trung quoc|dai loan)|lay chong (?:nuoc ngoai|han|trung|dai loan|tay)",
            r"mai moi|moi gioi hon nhan|co dau (?:viet|nuoc ngoai)|chang trai nuoc ngoai|co vo viet|tim chong",
        ),
    ),
    SignalSpec(
        "online_task", "nhiệm vụ / chốt đơn / nạp tiền / CTV online",
        "online tasks, order boosting, top-ups", ONLINE_TASK, 0.6,
        (
            r"(?:lam|nhan|hoan thanh|giao) (?:nhiem vu|nv)|nhiem vu (?:online|tren app|moi ngay|don gian)|chot don ao|chot don|tha tim|like dao|danh gia (?:khach san|san pham)",
            r"nap tien|nap (?:\d+|vao)|hoan tien",
            r"(?:ctv|cong tac vien) (?:online|ban hang|tai nha)|ctv",
            r"(?:xu ly|dat) (?:don hang|don dat hang)|tang (?:doanh so|luot ban|thu hang)",
            r"(?:tai|cai) app|(?:tren|tu) (?:nen tang|ung dung) (?:ung dung|thuong mai dien tu)|danh may theo mau|go van ban (?:theo mau|tai nha)|chup man hinh",
            r"(?:shopee|lazada|tiki|amazon|ebay|tiktok|alibaba)\b.{0,40}?\b(?:tuyen|can|hop tac)",
        ),
    ),
    SignalSpec(
        "commission", "hoa hồng (một mình: yếu)", "commission (weak alone)", ONLINE_TASK, 0.15,
        (r"hoa hong|chiet khau",),
    ),
    SignalSpec(
        "work_from_home", "làm tại nhà, chỉ cần điện thoại", "work from home with just a phone",
        ONLINE_TASK, 0.3,
        (
            r"(?:lam|lam viec|kiem tien|kiem them) (?:online )?tai nha|lam online|viec lam online",
            r"chi can (?:1|mot|co) (?:chiec )?(?:dien thoai|smartphone|dt)",
            r"moi luc moi noi|ranh \d+\s*(?:-\s*\d+ )?phut",
        ),
        accept=_not_hybrid,
    ),
    SignalSpec(
        "easy_work", "việc nhẹ lương cao / việc đơn giản", "easy work, high pay", OTHER, 0.6,
        (
            rf"viec nhe {LUONG} cao|viec nhe,? {LUONG} cao|nhe nhang {LUONG} cao",
            r"(?:cong viec|viec|thao tac) (?:rat |cuc |)(?:don gian|nhe nhang|de dang|nhan han)",
            r"chi can (?:ngoi|biet|co mat|dan|bam|choi|danh game)",
            r"de dang kiem|kiem tien (?:de|de dang|nhanh)|khong can von",
        ),
    ),
    SignalSpec(
        "pickup_arranged", "đến nơi có người đón, chỉ cần đi tới địa chỉ",
        "pickup arranged at an address", OTHER, 0.5,
        (
            r"(?:den noi|toi noi|den dia chi|toi dia chi)[^.\n]{0,30}?(?:nguoi don|dua don|don di)",
            r"chi can (?:di )?(?:toi|den) dia chi",
            r"cung cap dia chi",
        ),
    ),
    # Counter-indicators: signs of a licensed programme, a formal job or a warning article.
    SignalSpec(
        "licensed_programme", "chương trình/doanh nghiệp được cấp phép (giấy phép, EPS, Bộ LĐTBXH)",
        "licensed programme or agency (licence, EPS, ministry)", COUNTER, 0.5,
        (
            r"giay phep(?: (?:so|hoat dong|dich vu))?|so \d+/ld|trung tam lao dong ngoai nuoc|colab|"
            r"bo (?:lao dong|ldtbxh)|so (?:lao dong|ldtbxh)|trung tam dich vu viec lam|eps|cuc quan ly lao dong ngoai nuoc",
        ),
        polarity=-1,
    ),
    SignalSpec(
        "formal_employment", "hợp đồng lao động, BHXH, phỏng vấn trực tiếp",
        "formal contract, social insurance, interview", COUNTER, 0.3,
        (
            r"bhxh|bao hiem xa hoi|hop dong lao dong|ky hop dong|phong van (?:truc tiep|tai)|gui cv|nop cv|ho so xin viec|luong thang 13|phep nam",
            r"cv (?:gui|nop) (?:ve|qua|toi|den)|(?:gui|nhan|xem) (?:chi tiet )?jd|jd chi tiet|ib (?:nhan|de nhan|gui) jd",
        ),
        polarity=-1,
    ),
    SignalSpec(
        "experience_required", "yêu cầu số năm kinh nghiệm", "years of experience required",
        COUNTER, 0.3,
        (
            r"(?:yeu cau|toi thieu|it nhat|tren|tu|co)\s*(?:it nhat |toi thieu )?\d+\+?\s*(?:nam|years?) (?:kinh nghiem|kn|exp)",
            r"\d+\+?\s*(?:yoe|years? of experience|years? exp)",
            r"kinh nghiem (?:toi thieu|it nhat|tu|tren) \d+\+?\s*nam",
        ),
        polarity=-1,
    ),
    SignalSpec(
        "skills_required", "yêu cầu bằng cấp, chứng chỉ, ngoại ngữ", "degree, certificate or language required",
        COUNTER, 0.3,
        (
            r"tot nghiep (?:dai hoc|cao dang|trung cap|chuyen nganh)|(?:bang|chung chi) (?:hanh nghe|lai xe|b2|c1|ielts|toeic|jlpt|topik)",
            r"(?:tieng (?:anh|nhat|han|trung|duc)|ngoai ngu) (?:giao tiep|tot|thanh thao|doc hieu|trinh do)|giao tiep tot (?:bang )?tieng",
            r"(?:tieng nhat|trinh do) n[1-3]|ielts \d|toeic \d",
        ),
        accept=_not_negated,
        polarity=-1,
    ),
    SignalSpec(
        "training_programme", "chương trình thực tập sinh, thi tuyển, đào tạo ngoại ngữ trước khi đi",
        "trainee programme, selection exam, language training before departure", COUNTER, 0.3,
        (
            r"thuc tap sinh|ky nang dac dinh|tokutei|trung tuyen|thi tuyen|kiem tra tay nghe",
            r"(?:dao tao|hoc|khoa hoc|khoa dao tao) tieng (?:nhat|han|duc|trung|anh)",
        ),
        accept=_not_negated,
        polarity=-1,
    ),
    SignalSpec(
        "warning_frame", "bài cảnh báo / tin tức trích dẫn thủ đoạn", "news or police warning quoting a lure",
        COUNTER, 0.5,
        (
            r"canh bao|thu doan|lua dao|doi tuong|nan nhan|bi lua|giai cuu|cong an|khuyen cao|mua ban nguoi|trinh bao",
        ),
        polarity=-1,
    ),
)

_BY_ID = {spec.id: spec for spec in CATALOGUE}
# High-risk destinations named by classifier.entities ("destination" entities whose value is
# an ISO country code, optionally ":Area"; "compound_area" flags a known scam-compound place).
_RISKY_COUNTRIES = frozenset({"KH", "MM", "LA", "PH", "AE", "MY", "TH"})


def signal_ids() -> tuple[str, ...]:
    """Stable order of signal ids (used as model features)."""
    return tuple(spec.id for spec in CATALOGUE)


def get_spec(signal_id: str) -> SignalSpec:
    return _BY_ID[signal_id]


def catalogue_table() -> list[dict[str, Any]]:
    """The catalogue as plain rows (for docs, `explain` and the model card)."""
    return [
        {"id": s.id, "label_vi": s.label_vi, "label_en": s.label_en, "category": s.category,
         "weight": s.weight, "polarity": s.polarity}
        for s in CATALOGUE
    ]


def _entity_hits(text: str, entities: Sequence[Any], lang: str) -> list[SignalHit]:
    """`abroad_destination` hits from destination entities (duck-typed: kind, value, flags)."""
    hits = []
    spec = _BY_ID["abroad_destination"]
    label = spec.label_vi if lang == "vi" else spec.label_en
    for ent in entities:
        if getattr(ent, "kind", "") != "destination":
            continue
        country = str(getattr(ent, "value", "")).split(":", 1)[0].upper()
        if country not in _RISKY_COUNTRIES and "compound_area" not in tuple(getattr(ent, "flags", ())):
            continue
        start, end = int(ent.start), int(ent.end)
        hits.append(SignalHit(spec.id, label, spec.category, start, end, text[start:end], spec.weight,
                              spec.label_vi, spec.label_en))
    return hits


def find_signals(
    text: str, *, lang: str = "vi", folded: str | None = None, entities: Sequence[Any] | None = None
) -> list[SignalHit]:
    """Every indicator match in `text`, ordered by position; spans index into `text`.

    `folded` may pass `fold(text)` when the caller already has it; `entities` may pass the
    entities of `text` (destinations from the gazetteer add `abroad_destination` hits)."""
    folded = fold(text) if folded is None else folded
    hits: list[SignalHit] = []
    for spec in CATALOGUE:
        label = spec.label_vi if lang == "vi" else spec.label_en
        for m in spec.regex.finditer(folded):
            if m.end() == m.start() or (spec.accept and not spec.accept(m)):
                continue
            hits.append(
                SignalHit(spec.id, label, spec.category, m.start(), m.end(),
                          text[m.start() : m.end()], spec.weight, spec.label_vi, spec.label_en)
            )
    if entities:
        seen = {(h.id, h.start) for h in hits}
        covered = [(h.start, h.end) for h in hits if h.id == "abroad_destination"]
        for hit in _entity_hits(text, entities, lang):
            if (hit.id, hit.start) not in seen and not any(s < hit.end and hit.start < e for s, e in covered):
                hits.append(hit)
    hits.sort(key=lambda h: (h.start, h.end, h.id))
    return hits
