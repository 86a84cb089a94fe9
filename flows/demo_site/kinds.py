"""Local sites of the other source kinds, served on loopback for tests and benchmarks: a
Telegram-style channel preview, RSS/Atom feeds and sitemaps, a XenForo-style forum (and one
vBulletin-style thread), and a job board whose pages build their text with JavaScript.

The markup follows the structure of the real pages (class names, paging links, attributes);
the words are ours. Sizes are parameters, so a benchmark can ask for 5,000 messages.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CHANNEL = "vieclam_nuocngoai"
PER_PAGE = 20
LURES = (
    "Tuyển gấp 10 bạn trẻ làm việc nhẹ lương cao tại Campuchia, bao vé máy bay, lương 30 triệu/tháng.",
    "Cần CTV làm nhiệm vụ online trên điện thoại, mỗi ngày 500k-1 triệu, không cần kinh nghiệm.",
    "Tuyển lao động đi Dubai, chỉ cần đặt cọc 5 triệu, xuất cảnh sau 2 tuần.",
    "Tuyển nhân viên kho tại Bình Dương, lương 9 triệu, làm giờ hành chính, có bảo hiểm.",
)
HTML = "text/html; charset=utf-8"


def _page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"{head}</head><body>{body}</body></html>")


# --- Telegram-style channel preview --------------------------------------------------------


@dataclass
class Message:
    id: int
    text: str
    date: str  # ISO 8601 UTC
    views: str = "1.2K"
    edited: bool = False
    photo: str | None = None


def message_html(channel: str, base: str, m: Message) -> str:
    photo = (f'<a class="tgme_widget_message_photo_wrap" href="{base}/{channel}/{m.id}" '
             f"style=\"width:800px;background-image:url('{m.photo}')\"></a>") if m.photo else ""
    edited = "edited &nbsp;" if m.edited else ""
    text = html.escape(m.text).replace("\n", "<br/>")
    return (
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" '
        f'data-post="{channel}/{m.id}"><div class="tgme_widget_message_user"><a href="{base}/{channel}"><i class="tgme_widget_message_user_photo"></i></a></div>'
        f'<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author accent_color">'
        f'<a class="tgme_widget_message_owner_name" href="{base}/{channel}"><span dir="auto">Việc làm nước ngoài</span></a></div>'
        f'{photo}<div class="tgme_widget_message_text js-message_text" dir="auto">{text} '
        f'<a href="https://zalo.me/0912345678" target="_blank">Liên hệ Zalo</a></div>'
        f'<div class="media_not_supported_cont"><div class="message_media_not_supported">'
        f'<div class="message_media_not_supported_label">Please open Telegram to view this post</div>'
        f'<a href="{base}/{channel}/{m.id}" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a></div></div>'
        f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">'
        f'<span class="tgme_widget_message_views">{m.views}</span><span class="copyonly"> views</span>'
        f'<span class="tgme_widget_message_meta"><span class="tgme_widget_message_from_author" dir="auto">Admin Tuyển Dụng</span>,&nbsp;{edited}'
        f'<a class="tgme_widget_message_date" href="{base}/{channel}/{m.id}"><time datetime="{m.date}" class="time">09:00</time></a>'
        f"</span></div></div></div></div></div>"
    )


def channel_page(channel: str, base: str, messages: list[Message], before: int | None) -> str:
    """The newest PER_PAGE messages older than `before`, oldest first, as t.me/s/ shows them."""
    older = [m for m in messages if before is None or m.id < before]
    shown = older[-PER_PAGE:]
    more = ""
    if shown and shown[0].id > messages[0].id:
        more = (f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before={shown[0].id}" '
                f'class="tme_messages_more js-messages_more" data-before="{shown[0].id}"></a></div>')
    prev = f'<link rel="prev" href="/s/{channel}?before={shown[0].id}">' if more else ""
    info = (f'<div class="tgme_channel_info"><div class="tgme_channel_info_header"><div class="tgme_channel_info_header_title">'
            f'<span dir="auto">Việc làm nước ngoài</span></div><div class="tgme_channel_info_header_username">'
            f'<a href="{base}/{channel}">@{channel}</a></div></div><div class="tgme_channel_info_counters">'
            f'<div class="tgme_channel_info_counter"><span class="counter_value">12.5K</span> <span class="counter_type">subscribers</span></div>'
            f'</div><div class="tgme_channel_info_description">Kênh tuyển dụng</div></div>')
    body = (f'<header class="tgme_header"><a class="tgme_header_link" href="{base}/{channel}">Việc làm nước ngoài</a></header>'
            f'<main class="tgme_main"><section class="tgme_channel_history js-message_history">{more}'
            + "".join(message_html(channel, base, m) for m in shown)
            + f'</section></main><aside class="tgme_right_column">{info}</aside>')
    return _page("Việc làm nước ngoài – Telegram", body, f'<meta property="og:title" content="Việc làm nước ngoài">{prev}')


def landing_page(name: str, base: str, preview: bool) -> str:
    link = (f'<div class="tgme_page_context_link_wrap"><a class="tgme_page_context_link" href="/s/{name}">Preview channel</a></div>'
            if preview else "")
    body = (f'<div class="tgme_page_wrap"><div class="tgme_page"><div class="tgme_page_title" dir="auto"><span dir="auto">{name}</span></div>'
            f'<div class="tgme_page_extra">1 234 subscribers</div><div class="tgme_page_action">'
            f'<a class="tgme_action_button_new" href="tg://resolve?domain={name}">View in Telegram</a></div>{link}'
            f'<div class="tgme_page_additional">If you have <strong>Telegram</strong>, you can contact <strong>@{name}</strong> right away.</div>'
            f"</div></div>")
    return _page(f"Telegram: Contact @{name}", body)


def make_messages(count: int, start_id: int = 1) -> list[Message]:
    return [Message(i, f"Tin {i}: {LURES[i % len(LURES)]}", f"2026-{1 + (i // 500) % 12:02d}-{1 + i % 28:02d}T0{i % 10}:00:00+00:00",
                    views=f"{1 + i % 9}.{i % 10}K", photo=f"https://cdn.example.org/file/{i}.jpg" if i % 7 == 0 else None)
            for i in range(start_id, start_id + count)]


# --- feeds and sitemaps ---------------------------------------------------------------------


def article_page(n: int, base: str) -> str:
    body_text = "".join(f"<p>Đoạn {k} của tin {n}: {LURES[(n + k) % len(LURES)]}</p>" for k in range(4))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": f"Tin tuyển dụng số {n}",
                     "datePublished": f"2026-03-{1 + n % 28:02d}T08:00:00+07:00"}, ensure_ascii=False)
    return _page(f"Tin tuyển dụng số {n}",
                 f'<header><nav><a href="{base}/">Trang chủ</a></nav></header><main><article><h1>Tin tuyển dụng số {n}</h1>'
                 f"{body_text}</article></main><footer>Bản quyền</footer>",
                 f'<script type="application/ld+json">{ld}</script><link rel="canonical" href="{base}/tin/{n}.html">')


def rss(base: str, ids: range, junk: bytes = b"") -> bytes:
    items = "".join(
        f"<item><title>Tin tuyển dụng số {n}</title><link>{base}/tin/{n}.html</link><guid>{base}/tin/{n}.html</guid>"
        f"<description><![CDATA[<a href=\"{base}/tin/{n}.html\"><img src=\"{base}/anh/{n}.jpg\"></a></br>Tóm tắt tin {n}.]]></description>"
        f"<pubDate>Sun, {1 + n % 28:02d} Mar 2026 08:00:00 +0700</pubDate></item>"
        for n in ids
    )
    return junk + (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin mới - Việc làm RSS</title>'
                   f"<link>{base}/</link><description>RSS</description>{items}</channel></rss>").encode()


def atom(base: str, ids: range) -> bytes:
    entries = "".join(
        f"<entry><title>Bài đầy đủ {n}</title><link href=\"{base}/bai/{n}.html\"/><id>tag:local,2026:{n}</id>"
        f"<updated>2026-04-{1 + n % 28:02d}T08:00:00+07:00</updated><author><name>Phóng viên {n % 3}</name></author>"
        f"<content type=\"html\">{html.escape(''.join(f'<p>{LURES[(n + k) % len(LURES)]}</p>' for k in range(4)))}</content></entry>"
        for n in ids
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bài viết</title>'
            f"<id>tag:local,2026:feed</id><updated>2026-04-30T08:00:00+07:00</updated>{entries}</feed>").encode()


def sitemap_index(base: str, parts: int) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}/sitemap-{p}.xml</loc></sitemap>" for p in range(1, parts + 1))
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'.encode()


def urlset(base: str, ids: range, lastmod: dict[int, str]) -> bytes:
    urls = "".join(f"<url><loc>{base}/tin/{n}.html</loc><lastmod>{lastmod.get(n, '2026-03-01')}</lastmod></url>" for n in ids)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


# --- XenForo-style forum ----------------------------------------------------------------------


@dataclass
class Thread:
    id: int
    title: str
    posts: list[tuple[int, str, str, str]] = field(default_factory=list)  # (post id, author, ISO date, text)

    @property
    def path(self) -> str:
        return f"/t/tuyen-dung-{self.id}.{self.id}/"


def forum_page(threads: list[Thread], page: int, per_page: int) -> str:
    shown = threads[(page - 1) * per_page : page * per_page]
    rows = []
    for t in shown:
        pages = (len(t.posts) + 9) // 10
        jump = "".join(f'<a href="{t.path}page-{p}">{p}</a>' for p in range(2, pages + 1))
        rows.append(
            f'<div class="structItem structItem--thread js-threadListItem-{t.id}" data-author="{t.posts[0][1]}">'
            f'<div class="structItem-cell structItem-cell--main"><div class="structItem-title">'
            f'<a href="/f/viec-lam.5/?prefix_id=2" class="labelLink">Tuyển dụng</a> <a href="{t.path}" data-tp-primary="on">{t.title}</a></div>'
            f'<div class="structItem-minor"><ul class="structItem-parts"><li><a href="/u/{t.posts[0][1]}.1/" class="username">{t.posts[0][1]}</a></li>'
            f'<li class="structItem-startDate"><a href="{t.path}"><time class="u-dt" datetime="{t.posts[0][2]}">x</time></a></li></ul>'
            + (f'<span class="structItem-pageJump">{jump}</span>' if jump else "")
            + f'</div></div><div class="structItem-cell structItem-cell--latest"><a href="{t.path}latest" rel="nofollow">'
            f'<time class="structItem-latestDate u-dt" datetime="{t.posts[-1][2]}">y</time></a></div></div>'
        )
    nxt = f'<link rel="next" href="/f/viec-lam.5/page-{page + 1}">' if page * per_page < len(threads) else ""
    nav = f'<a class="pageNav-jump pageNav-jump--next" href="/f/viec-lam.5/page-{page + 1}">Next</a>' if nxt else ""
    body = (f'<div class="p-body"><h1 class="p-title-value">Việc làm</h1><div class="block-body"><div class="structItemContainer">'
            f'{"".join(rows)}</div></div><div class="pageNav">{nav}</div></div>')
    return _page("Việc làm | Diễn đàn", body, nxt).replace("<html ", '<html data-template="forum_view" ', 1)


def thread_page(thread: Thread, page: int) -> str:
    posts = thread.posts[(page - 1) * 10 : page * 10]
    articles = []
    for post_id, author, date, text in posts:
        quote = (f'<blockquote class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote"><div class="bbCodeBlock-title">{author} said:</div>'
                 f'<div class="bbCodeBlock-content">Trích dẫn bài trước không phải lời của bài này</div></blockquote>') if post_id % 3 == 0 else ""
        articles.append(
            f'<article class="message message--post js-post js-inlineModContainer" data-author="{author}" data-content="post-{post_id}" id="js-post-{post_id}">'
            f'<div class="message-inner"><div class="message-cell message-cell--user"><section class="message-user">'
            f'<h4 class="message-name"><a href="/u/{author}.1/" class="username">{author}</a></h4></section></div>'
            f'<div class="message-cell message-cell--main"><header class="message-attribution message-attribution--split">'
            f'<ul class="message-attribution-main listInline"><li class="u-concealed"><a href="{thread.path}post-{post_id}" rel="nofollow">'
            f'<time class="u-dt" datetime="{date}">z</time></a></li></ul><ul class="message-attribution-opposite">'
            f'<li><a href="{thread.path}post-{post_id}" class="message-attribution-gadget">#{post_id}</a></li></ul></header>'
            f'<div class="message-content js-messageContent"><div class="message-userContent"><article class="message-body js-selectToQuote">'
            f'<div class="bbWrapper">{quote}{html.escape(text)}</div></article></div>'
            f'<aside class="message-signature"><div class="bbWrapper">Chữ ký của {author}</div></aside></div></div></div></article>'
        )
    pages = (len(thread.posts) + 9) // 10
    nxt = f'<link rel="next" href="{thread.path}page-{page + 1}">' if page < pages else ""
    body = f'<h1 class="p-title-value">{thread.title}</h1><div class="block-body js-replyNewMessageContainer">{"".join(articles)}</div>'
    return _page(f"{thread.title} | Diễn đàn", body, nxt).replace("<html ", '<html data-template="thread_view" ', 1)


def make_threads(count: int, posts_each: int = 12) -> list[Thread]:
    threads = []
    for t in range(1, count + 1):
        posts = [(t * 1000 + k, f"thanhvien{k % 5}", f"2026-01-{1 + k % 28:02d}T0{k % 10}:15:00+0700",
                  f"Bài {k} của chủ đề {t}: {LURES[(t + k) % len(LURES)]}") for k in range(1, posts_each + 1)]
        threads.append(Thread(t, f"Chủ đề tuyển dụng {t}", posts))
    return threads


VBULLETIN_THREAD = _page("Tuyển người đi làm | Diễn đàn cũ", (
    '<div class="threadtitle">Tuyển người đi làm</div><ol id="posts">'
    + "".join(
        f'<li class="postbitlegacy postcontainer" id="post_{p}"><div class="posthead"><span class="postdate old">'
        f'<span class="date">0{p % 9 + 1}-01-2026,&nbsp;<span class="time">08:1{p % 10}</span></span></span>'
        f'<a name="post{p}" href="showthread.php?t=77&amp;p={p}#post{p}" class="postcounter">#{p}</a></div>'
        f'<div class="userinfo"><a class="username" href="member.php?u={p}">nguoidung{p}</a></div>'
        f'<div class="postbody"><div id="post_message_{p}" class="content"><blockquote class="postcontent restore">'
        f'<div class="bbcode_container"><div class="bbcode_quote">Trích dẫn cũ</div></div>Bài trả lời số {p}: {LURES[p % 4]}'
        f"</blockquote></div></div></li>" for p in (501, 502, 503))
    + "</ol>"))


# --- pages that build their text with JavaScript ------------------------------------------------


def js_listing(count: int) -> str:
    ids = json.dumps(list(range(1, count + 1)))
    script = (f"<script>var ids={ids};var ul=document.getElementById('jobs');ids.forEach(function(i){{"
              "var li=document.createElement('li');li.className='job';var a=document.createElement('a');"
              "a.href='/js/viec-lam/tin-'+i+'/'+i+'.html';a.textContent='Tin tuyển dụng '+i;li.appendChild(a);ul.appendChild(li);});</script>")
    return _page("Việc làm (JS)", f'<main><h1>Việc làm</h1><ul id="jobs"></ul></main>{script}')


def js_detail(n: int) -> str:
    words = json.dumps(f"Tin {n} chỉ có sau khi script chạy: {LURES[n % len(LURES)]} Liên hệ Zalo 0912 345 678.", ensure_ascii=False)
    script = (f"<script>document.getElementById('ad').innerHTML='<h1>Tin tuyển dụng '+{n}+'</h1><p>'+{words}+'</p>"
              f"<p>Đăng ngày 02/03/2026</p>';</script>")
    return _page(f"Tin {n}", f'<main><article id="ad"><p>Đang tải…</p></article></main>{script}')


# --- the server ---------------------------------------------------------------------------------


class KindSite:
    """A running site of every kind on 127.0.0.1; `url` has the real port, no trailing slash."""

    def __init__(self, *, messages: int = 300, entries: int = 30, threads: int = 6, js_pages: int = 5,
                 forum_per_page: int = 4) -> None:
        self._lock = threading.Lock()
        self.messages = make_messages(messages)
        self.entries = entries
        self.lastmod: dict[int, str] = {}
        self.threads = make_threads(threads)
        self.forum_per_page = forum_per_page
        self.js_pages = js_pages
        self.requests: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # a client that hung up early (the preflight)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="kind-site", daemon=True)
        self._thread.start()

    def __enter__(self) -> "KindSite":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def add_messages(self, count: int) -> list[Message]:
        with self._lock:
            new = make_messages(count, self.messages[-1].id + 1)
            self.messages.extend(new)
            return new

    def edit_message(self, message_id: int, text: str) -> None:
        with self._lock:
            for m in self.messages:
                if m.id == message_id:
                    m.text, m.edited = text, True

    def reply(self, thread_index: int, text: str) -> None:
        with self._lock:
            t = self.threads[thread_index]
            pid = t.posts[-1][0] + 1
            t.posts.append((pid, "nguoimoi", "2026-02-01T10:00:00+0700", text))

    def paths(self, prefix: str) -> list[str]:
        return [p for p in self.requests if p.startswith(prefix)]

    def respond(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        base = self.url
        with self._lock:
            if path == "/robots.txt":
                return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
            if path == f"/s/{CHANNEL}":
                before = int(query["before"][0]) if "before" in query else None
                return 200, {"Content-Type": HTML}, channel_page(CHANNEL, base, self.messages, before).encode()
            if path == f"/{CHANNEL}":
                return 200, {"Content-Type": HTML}, landing_page(CHANNEL, base, True).encode()
            if path.startswith("/s/"):  # an unknown username: t.me sends the preview to the landing page
                return 302, {"Location": f"{base}/{path[3:]}"}, b""
            if path.count("/") == 1 and len(path) > 3 and "." not in path:
                return 200, {"Content-Type": HTML}, landing_page(path[1:], base, False).encode()
            if path == "/rss.xml":
                return 200, {"Content-Type": "application/rss+xml"}, rss(base, range(1, self.entries + 1))
            if path == "/junk.rss":  # a PHP notice printed before the feed
                return 200, {"Content-Type": "text/xml"}, rss(base, range(1, 4), b"<b>Notice</b>: Undefined index: id in feed.php\n")
            if path == "/atom.xml":
                return 200, {"Content-Type": "application/atom+xml"}, atom(base, range(1, 6))
            if path == "/sitemap.xml":
                return 200, {"Content-Type": "application/xml"}, sitemap_index(base, 2)
            if path.startswith("/sitemap-"):
                half = (self.entries + 1) // 2
                part = int(path.split("-")[1].split(".")[0])
                ids = range(1, half + 1) if part == 1 else range(half + 1, self.entries + 1)
                return 200, {"Content-Type": "application/xml"}, urlset(base, ids, self.lastmod)
            if path.startswith("/tin/"):
                return 200, {"Content-Type": HTML}, article_page(int(path[5:].split(".")[0]), base).encode()
            if path.startswith("/f/viec-lam.5/"):
                page = int(path.rsplit("page-", 1)[1].strip("/")) if "page-" in path else 1
                return 200, {"Content-Type": HTML}, forum_page(self.threads, page, self.forum_per_page).encode()
            if path.startswith("/t/"):
                for t in self.threads:
                    if path.startswith(t.path):
                        rest = path[len(t.path):]
                        page = int(rest.split("-")[1]) if rest.startswith("page-") else 1
                        return 200, {"Content-Type": HTML}, thread_page(t, page).encode()
            if path == "/showthread.php":
                return 200, {"Content-Type": HTML}, VBULLETIN_THREAD.encode()
            if path == "/js/viec-lam":
                return 200, {"Content-Type": HTML}, js_listing(self.js_pages).encode()
            if path.startswith("/js/viec-lam/tin-"):
                return 200, {"Content-Type": HTML}, js_detail(int(path.rsplit("/", 1)[1].split(".")[0])).encode()
        return 404, {"Content-Type": HTML}, _page("Không tìm thấy", "<h1>Không tìm thấy trang</h1>").encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without this, a keep-alive client waits out
            # Nagle + delayed ACK (~40 ms) on every page (bench/_crawl_site.py measured it).
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                site.requests.append(self.path)
                status, headers, body = site.respond(parts.path, parse_qs(parts.query))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler
