"""Pure rendering of the demo job board: (path, query, ads) in, a Page (status, type, bytes) out.

No sockets here, so the markup can be rendered in parser tests without a server.
Every value that comes from an ad goes through html.escape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs

from flows.demo_site.ads import HIDDEN_AD, Ad

SITE_NAME = "Việc Làm Nhanh 24h (demo)"
PAGE_SIZE = 10
HTML_TYPE = "text/html; charset=utf-8"

ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /tin-an/
"""

# A minimal but well-formed one-page PDF: the crawler must drop it as non-HTML.
PRICE_LIST_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_DETAIL_RE = re.compile(r"^/tin/(\d+)-[a-z0-9-]*\.html$")
_HIDDEN_RE = re.compile(r"^/tin-an/(\d+)\.html$")


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def sorted_ads(ads: Sequence[Ad]) -> list[Ad]:
    """Newest first, as boards list them; id breaks ties so the order is stable."""
    return sorted(ads, key=lambda ad: (ad.posted_at, ad.id), reverse=True)


def page_count(ads: Sequence[Ad]) -> int:
    return max(1, math.ceil(len(ads) / PAGE_SIZE))


def listing_path(page: int) -> str:
    return f"/viec-lam?page={page}"


def render(path: str, query: str, ads: Sequence[Ad], base_url: str) -> Page:
    """Route one GET request to its page. ``base_url`` has no trailing slash."""
    if path == "/":
        return _html(200, _home(ads))
    if path == "/robots.txt":
        return Page(200, "text/plain; charset=utf-8", ROBOTS_TXT.encode())
    if path == "/viec-lam":
        return _listing_or_404(query, ads)
    if path == "/files/bang-gia.pdf":
        return Page(200, "application/pdf", PRICE_LIST_PDF)
    if path in ("/admin", "/admin/"):
        return _html(200, _layout("Quản trị", "<main><h1>Khu vực quản trị</h1><p>Vui lòng đăng nhập.</p></main>"))
    if m := _DETAIL_RE.match(path):
        ad = next((a for a in ads if a.id == int(m.group(1))), None)
        if ad is not None:
            modified = format_datetime((ad.updated_at or ad.posted_at).astimezone(timezone.utc), usegmt=True)
            return Page(200, HTML_TYPE, render_detail(ad, base_url).encode("utf-8"), {"Last-Modified": modified})
    if (m := _HIDDEN_RE.match(path)) and int(m.group(1)) == HIDDEN_AD.id:
        return _html(200, render_detail(HIDDEN_AD, base_url, path=path))
    return _html(404, _layout("Không tìm thấy", "<main><h1>Không tìm thấy trang</h1></main>"))


def _listing_or_404(query: str, ads: Sequence[Ad]) -> Page:
    raw = parse_qs(query).get("page", ["1"])[0]
    if not raw.isdigit() or not 1 <= int(raw) <= page_count(ads):
        return _html(404, _layout("Không tìm thấy", "<main><h1>Trang không tồn tại</h1></main>"))
    return _html(200, render_listing(int(raw), ads))


def _html(status: int, text: str) -> Page:
    return Page(status, HTML_TYPE, text.encode("utf-8"))


def _layout(title: str, body: str, head_extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {escape(SITE_NAME)}</title>
{head_extra}<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{escape(SITE_NAME)}</a>
  <nav class="main-nav">
    <a href="/">Trang chủ</a>
    <a href="{listing_path(1)}">Việc làm mới</a>
    <a href="/dang-tin">Đăng tin</a>
    <a href="/lien-he">Liên hệ</a>
  </nav>
</header>
{body}
<footer class="site-footer">
  <p>© 2025 {escape(SITE_NAME)}. Trang web minh hoạ, mọi tin đăng là giả lập.</p>
  <p><a href="/dieu-khoan">Điều khoản sử dụng</a> · <a href="/admin/">Quản trị</a></p>
</footer>
<script>window.dataLayer = window.dataLayer || []; /* thống kê truy cập */</script>
</body>
</html>
"""


def _home(ads: Sequence[Ad]) -> str:
    body = f"""<main>
<h1>Tìm việc làm nhanh, uy tín</h1>
<p>Hiện có {len(ads)} tin tuyển dụng đang hiển thị.</p>
<p><a href="{listing_path(1)}">Xem tất cả việc làm mới nhất</a></p>
</main>"""
    return _layout("Trang chủ", body)


def _card(ad: Ad, position: int) -> str:
    # Some boards append tracking parameters to their own links; every third card does.
    href = ad.path + ("?utm_source=danh-sach&utm_medium=web" if position % 3 == 2 else "")
    snippet = ad.text.split("\n", 1)[0]
    if len(snippet) > 140:
        snippet = snippet[:140].rsplit(" ", 1)[0] + "…"
    return f"""  <li class="job-item">
    <article class="job-card">
      <h2 class="job-title"><a href="{escape(href)}">{escape(ad.title)}</a></h2>
      <div class="job-meta"><span>{escape(ad.location)}</span> · <span>{escape(ad.salary)}</span> ·
        <time datetime="{ad.posted_at.isoformat()}">{ad.posted_at:%d/%m/%Y}</time></div>
      <p class="job-snippet">{escape(snippet)}</p>
    </article>
  </li>"""


def render_listing(page: int, ads: Sequence[Ad]) -> str:
    ordered = sorted_ads(ads)
    pages = page_count(ads)
    chunk = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cards = [_card(ad, i) for i, ad in enumerate(chunk)]
    extras = ""
    if page == 1:
        # A hidden ad (robots.txt disallows /tin-an/) and a PDF, both linked from the list.
        cards.insert(
            3,
            f"""  <li class="job-item job-item--hidden">
    <article class="job-card">
      <h2 class="job-title"><a href="/tin-an/{HIDDEN_AD.id}.html">[Tin đã ẩn] {escape(HIDDEN_AD.title)}</a></h2>
    </article>
  </li>""",
        )
        extras = '<p class="notice">Nhà tuyển dụng xem <a href="/files/bang-gia.pdf">bảng giá đăng tin 2025 (PDF)</a>.</p>\n'
    current = ' aria-current="page"'
    links = " ".join(
        f'<a href="{listing_path(n)}"{current if n == page else ""}>{n}</a>' for n in range(1, pages + 1)
    )
    prev_link = f'<a rel="prev" href="{listing_path(page - 1)}">« Trang trước</a> ' if page > 1 else ""
    next_link = f' <a rel="next" href="{listing_path(page + 1)}">Trang sau »</a>' if page < pages else ""
    body = f"""<main>
<h1>Việc làm mới nhất</h1>
<p class="page-info">Trang {page}/{pages}</p>
{extras}<ul class="job-list">
{chr(10).join(cards)}
</ul>
<nav class="pagination">{prev_link}{links}{next_link}</nav>
</main>
<aside class="sidebar">
  <h2>Cảnh báo</h2>
  <p>Không đặt cọc, không chuyển tiền cho bất kỳ ai để nhận việc. <a href="/canh-bao-lua-dao">Tìm hiểu thêm</a></p>
</aside>"""
    return _layout(f"Việc làm mới nhất - trang {page}", body)


def _contact(ad: Ad) -> str:
    lines = [f"Người liên hệ: {escape(ad.contact_name)}"]
    if ad.company:
        lines.append(f"Công ty: {escape(ad.company)}")
    phones = [f"Điện thoại: {escape(ad.phone)}"] if ad.phone else []
    if ad.zalo:
        phones.append(f"Zalo: {escape(ad.zalo)}")
    if ad.telegram:
        phones.append(f"Telegram: {escape(ad.telegram)}")
    paras = "".join(f"\n    <p>{line}</p>" for line in lines)
    if phones:
        paras += "\n    <p>" + "<br>".join(phones) + "</p>"
    return f"""  <section class="contact">
    <h2>Thông tin liên hệ</h2>{paras}
  </section>"""


def render_detail(ad: Ad, base_url: str, path: str | None = None) -> str:
    canonical = base_url + (path or ad.path)
    paragraphs = "\n".join(f"  <p>{escape(line)}</p>" for line in ad.text.split("\n") if line.strip())
    body = f"""<nav class="breadcrumb"><a href="/">Trang chủ</a> › <a href="{listing_path(1)}">Việc làm</a> › <span>{escape(ad.title)}</span></nav>
<main>
<article class="job-detail">
  <h1>{escape(ad.title)}</h1>
  <div class="job-meta">Đăng ngày <time datetime="{ad.posted_at.isoformat()}">{ad.posted_at:%d/%m/%Y %H:%M}</time> · Mã tin {ad.id}</div>
  <ul class="job-facts">
    <li>Nơi làm việc: {escape(ad.location)}</li>
    <li>Mức lương: {escape(ad.salary)}</li>
  </ul>
  <h2>Mô tả công việc</h2>
{paragraphs}
{_contact(ad)}
  <div class="share"><a href="/chia-se?id={ad.id}">Chia sẻ</a> · <a href="/bao-cao?id={ad.id}">Báo cáo tin này</a></div>
</article>
</main>
<aside class="related"><h2>Tin liên quan</h2><p><a href="{listing_path(1)}">Xem thêm việc làm</a></p></aside>"""
    head = f'<link rel="canonical" href="{escape(canonical)}">\n<meta property="og:title" content="{escape(ad.title)}">\n'
    return _layout(ad.title, body, head_extra=head)
