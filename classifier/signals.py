"""Catalogue of lure indicators, matched on folded text, with evidence spans.

Each `SignalSpec` is one indicator a reviewer can read ("trả lương theo ngày"), with the
lure category it points to and a weight (how much it says on its own, 0..1; the model learns
its own weights, these are for display and ordering). Patterns are regular expressions over
`fold(text)` (lowercase, no diacritics, đ→d), so "đặt cọc", "dat coc" and "đat coc" all
match; common teencode spellings (ko/k → không, lg → lương, tr → triệu, ib) are built in.
Spans are offsets into the original text because `fold` preserves length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from classifier.text import fold

__all__ = ["CATEGORIES", "SignalSpec", "SignalHit", "CATALOGUE", "find_signals", "signal_ids"]

# The taxonomy of ../shared/data (dev_lures.jsonl categories).
ONLINE_TASK = "online-task/CTV-scam"
FAKE_XKLD = "fake-export-labour"
SCAM_COMPOUND = "abroad-casino/scam-compound"
HOSTESS = "fake-modelling/hostess/escort"
MINOR = "minor-targeting"
MARRIAGE = "marriage/bride-brokering"
OTHER = "other"
CATEGORIES = (ONLINE_TASK, FAKE_XKLD, SCAM_COMPOUND, HOSTESS, MINOR, MARRIAGE, OTHER)


@dataclass(frozen=True)
class SignalHit:
    id: str
    label: str
    category: str
    start: int
    end: int
    phrase: str
    weight: float


@dataclass(frozen=True)
class SignalSpec:
    id: str
    label_vi: str
    label_en: str
    category: str
    weight: float
    patterns: tuple[str, ...]
    # Optional check on a match (e.g. the ages in an age limit); False rejects the match.
    accept: Callable[[re.Match[str]], bool] | None = None
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{p})" for p in self.patterns)
        object.__setattr__(self, "regex", re.compile(rf"(?<![a-z0-9])(?:{joined})(?![a-z0-9])"))


# Teencode building blocks (folded spellings).
KHONG = r"(?:khong|ko|k|k0|kh|hok|hong|kg|khg|0)"
LUONG = r"(?:luong|lg|thu nhap|tn)"
CAN = r"(?:can|yeu cau|yc|doi hoi|bat buoc)"
MONEY = r"\d+(?:[.,]\d+)*\s*(?:k|tr|trieu|m|nghin|ngan|000|d|dong|vnd|usd|\$|cu|lit|xi)"
SEP = r"[\s,.:;/()\-+]*"
AGE = r"(?:tuoi|t|tuoy|tuoori)"

_AGE_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|~|den|toi|->)\s*(\d{1,2})")
_AGE_UNDER = re.compile(r"(?:duoi|<|chua du|chua toi)\s*(\d{1,2})")


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
    return ages is not None and 12 <= ages[1] <= 25


def _minor(m: re.Match[str]) -> bool:
    ages = _ages(m)
    if ages is None:
        return False
    low, high = ages
    # "dưới 18": targets minors; "16-22 tuổi": accepts minors; "15 tuổi": names one.
    return (low == 0 and high <= 18) or (0 < low < 18 and high < 40)


_AGE_EXPR = (
    rf"(?:do tuoi|tuoi|tu)?\s*\d{{1,2}}\s*(?:-|–|~|den|toi|->)\s*\d{{1,2}}\s*{AGE}",
    rf"(?:duoi|chua du|chua toi)\s*\d{{1,2}}\s*{AGE}?",
    rf"\d{{1,2}}\s*(?:tuoi|tuoy)",
)

CATALOGUE: tuple[SignalSpec, ...] = (
    SignalSpec(
        "high_pay_no_experience", "lương cao, không cần kinh nghiệm/trình độ",
        "high pay without experience or skills", OTHER, 0.5,
        (
            rf"{KHONG} {CAN} (?:kinh nghiem|kn|exp|trinh do|bang cap|tay nghe)",
            rf"{KHONG} (?:co |co |)kinh nghiem (?:cung|van)",
            r"chua co kinh nghiem (?:cung|van) (?:duoc|nhan)",
            rf"(?:luong|thu nhap) (?:vai|ca|hang) (?:chuc|tram) (?:trieu|tr)",
        ),
    ),
    SignalSpec(
        "pay_per_day_or_task", "trả tiền theo ngày / theo nhiệm vụ", "paid per day or per task",
        ONLINE_TASK, 0.6,
        (
            rf"{MONEY}\s*(?:/|moi|1|mot)\s*(?:ngay|nv|nhiem vu|don|bai|gio|h)",
            r"(?:moi|1|mot) ngay (?:ban )?(?:co the )?(?:de dang )?(?:kiem|nhan|thu|duoc)",
            r"(?:luong|tien luong|tien) (?:duoc )?(?:tra|thanh toan|quyet toan|nhan) (?:theo|hang|trong|moi) ngay",
            r"nhan (?:tien|luong) (?:trong ngay|ngay|luon|sau \d+)",
            r"(?:ket|thanh) toan (?:ngay|trong ngay|cuoi ngay)",
            r"tien luong se duoc (?:giai quyet|quyet toan) ngay",
        ),
    ),
    SignalSpec(
        "employer_pays_travel", "bao vé máy bay / visa / hộ chiếu / xe đưa đón",
        "employer pays travel, visa or passport", SCAM_COMPOUND, 0.7,
        (
            r"(?:bao|ho tro|chi tra|lo|mien phi|free) (?:100% )?(?:ve may bay|ve xe|tien ve|visa|ho chieu|chi phi di lai|di lai|xuat canh)",
            r"(?:lam|lo) (?:visa|ho chieu) (?:du lich|nhanh|giup)",
            r"visa du lich",
            r"(?:dua|don) (?:ra|ra tan) san bay",
            r"co nguoi (?:ra )?(?:don|dua don|dua di)",
            r"(?:se )?(?:co )?nguoi (?:cua (?:ho|cong ty) )?(?:ben do )?(?:don|bo tri|sap xep)",
        ),
    ),
    SignalSpec(
        "abroad_destination", "nơi đến rủi ro cao ở nước ngoài (Campuchia, Myanmar, Lào…)",
        "high-risk destination abroad (Cambodia, Myanmar, Laos…)", SCAM_COMPOUND, 0.7,
        (
            r"cam(?:pu|bu)chia|cambodia|cpc|campuchea|cam pu chia|phnom ?penh|bavet|moc bai bavet",
            r"sihanouk(?:ville)?|xi ha nuc|shv|poipet|koh kong|kampot|svay rieng",
            r"myanmar|mianma|myawaddy|kk park|shwe kokko|tam giac vang",
            r"(?:sang|qua|di|tai|o|ben) (?:lao(?! dong| cai)|thai(?! do| binh| nguyen)|cam(?! on| ket| nhan| thay)|mien dien|bien gioi)",
            r"philippines?|philipin|manila|dubai|uae|malaysia|ma lai",
        ),
    ),
    SignalSpec(
        "export_labour", "xuất khẩu lao động / đi làm nước ngoài", "labour export / work abroad",
        FAKE_XKLD, 0.3,
        (
            r"xuat khau lao dong|xkld|xk ld|di lao dong (?:nuoc ngoai|o nuoc ngoai)",
            r"xuat canh (?:nhanh|ngay|sau|trong)",
            r"(?:lam viec|di lam|lao dong) (?:o |tai )?(?:nuoc ngoai|chau au|a rap|saudi|dai loan|nhat ban|han quoc|duc)",
            r"(?:di|sang) (?:nhat|han|dai loan|duc|chau au|anh|ba lan|romania|bulgaria|iceland|saudi|a rap)",
        ),
    ),
    SignalSpec(
        "deposit_or_fee", "đặt cọc / phí / nộp tiền trước", "deposit or fee paid up front",
        FAKE_XKLD, 0.6,
        (
            r"dat coc|tien coc|coc truoc|ky quy",
            r"(?:nop|chuyen) (?:tien|phi|truoc|le phi)|dong (?:phi|le phi|tien (?:truoc|coc|ho so))",
            r"phi (?:giu cho|ho so|dong phuc|dao tao|moi gioi|xuat canh|dich vu|tham gia|thanh vien)",
            r"(?:tong )?chi phi (?:se )?(?:la|chi|khoang|thap|tron goi)",
        ),
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
        "minor_words", "học sinh / trẻ em / mẫu nhí", "pupils, children, child models",
        MINOR, 0.7,
        (
            r"hoc sinh|hs(?: ?sv| ?- ?sv)|tre em|tre vi thanh nien|vi thanh nien|mau nhi|nguoi mau nhi",
            r"cho (?:be|tre)|lop (?:[6-9]|1[0-2])|chua du (?:18|tuoi)",
        ),
    ),
    SignalSpec(
        "no_language_needed", "không cần ngoại ngữ", "no foreign language needed",
        SCAM_COMPOUND, 0.5,
        (
            rf"{KHONG} (?:{CAN}|can biet|biet|doi hoi) (?:ngoai ngu|tieng (?:anh|trung|hoa|nhat|han|thai))",
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
        "hostess_modelling", "người mẫu / KTV / karaoke / tiếp viên", "modelling, hostess, karaoke",
        HOSTESS, 0.6,
        (
            r"nguoi mau|mau anh|chup hinh mau|ktv|karaoke|kara|tiep vien (?:quan|nha hang|karaoke)|tiep vien",
            r"massage|mat xa|quan bar|club|pg|tien [\"'“”]bo[\"'“”]|tien boa|tien tip|di khach|ngoi ban",
            r"lam tinh|tjnh|gai goi|sugar ?(?:baby|daddy)|body chuan",
        ),
    ),
    SignalSpec(
        "marriage_abroad", "mai mối lấy chồng nước ngoài", "marriage broking abroad",
        MARRIAGE, 0.8,
        (
            r"ket hon voi (?:nguoi )?(?:nuoc ngoai|han quoc|trung quoc|dai loan)|lay chong (?:nuoc ngoai|han|trung|dai loan|tay)",
            r"mai moi|moi gioi hon nhan|co dau (?:viet|nuoc ngoai)|chang trai nuoc ngoai|co vo viet",
        ),
    ),
    SignalSpec(
        "online_task", "nhiệm vụ / chốt đơn / nạp tiền / hoa hồng / CTV online",
        "online tasks, order boosting, top-ups, commission", ONLINE_TASK, 0.6,
        (
            r"(?:lam|nhan|hoan thanh|giao) (?:nhiem vu|nv)|nhiem vu (?:online|tren app|moi ngay|don gian)|chot don ao|tha tim|like dao|danh gia (?:khach san|san pham)",
            r"nap tien|nap (?:\d+|vao)|hoan tien|hoa hong",
            r"(?:ctv|cong tac vien) (?:online|ban hang|tai nha)|ctv|cong tac vien",
            r"(?:xu ly|dat) (?:don hang|don dat hang)|tang (?:doanh so|luot ban|thu hang)",
            r"(?:tai|cai) app|(?:tren|tu) (?:nen tang|ung dung) (?:ung dung|thuong mai dien tu)|danh may theo mau|go van ban (?:theo mau|tai nha)|chup man hinh",
            r"(?:shopee|lazada|tiki|amazon|ebay|tiktok|alibaba)\b.{0,40}?\b(?:tuyen|can|hop tac)",
        ),
    ),
    SignalSpec(
        "work_from_home", "làm tại nhà, chỉ cần điện thoại", "work from home with just a phone",
        ONLINE_TASK, 0.3,
        (
            r"(?:lam|lam viec|kiem tien|kiem them) (?:online )?tai nha|lam online|viec lam online",
            r"chi can (?:1|mot|co) (?:chiec )?(?:dien thoai|smartphone|dt)",
            r"moi luc moi noi|ranh \d+\s*(?:-\s*\d+ )?phut",
        ),
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
)

_BY_ID = {spec.id: spec for spec in CATALOGUE}


def signal_ids() -> tuple[str, ...]:
    """Stable order of signal ids (used as model features)."""
    return tuple(spec.id for spec in CATALOGUE)


def get_spec(signal_id: str) -> SignalSpec:
    return _BY_ID[signal_id]


def find_signals(text: str, *, lang: str = "vi", folded: str | None = None) -> list[SignalHit]:
    """Every indicator match in `text`, ordered by position; spans index into `text`.

    `folded` may pass `fold(text)` when the caller already has it."""
    folded = fold(text) if folded is None else folded
    hits: list[SignalHit] = []
    for spec in CATALOGUE:
        label = spec.label_vi if lang == "vi" else spec.label_en
        for m in spec.regex.finditer(folded):
            if m.end() == m.start() or (spec.accept and not spec.accept(m)):
                continue
            hits.append(
                SignalHit(spec.id, label, spec.category, m.start(), m.end(),
                          text[m.start() : m.end()], spec.weight)
            )
    hits.sort(key=lambda h: (h.start, h.end, h.id))
    return hits
