"""The benchmark's job board: two sections of 100 listing pages of 20 ads (2,100 pages each),
served on 127.0.0.1 from memory with ETag/Last-Modified and keep-alive, run as its own process
so it does not share the crawler's interpreter. `python -m bench._crawl_site PORTFILE` writes the
port it bound, then serves.

- `/viec-lam?page=N`: every ad states itself as JSON-LD (JobPosting), the parser's first layer.
- `/tuyen-dung?page=N`: every third ad has no structured data, as on many real boards: its text
  comes from trafilatura and its date ("Ngày đăng: 15/01/2026") from the written-date reader.

`GET /_stats` answers the counters since the last call (connections, requests, 200s, 304s) and
resets them, so the benchmark can say what each crawl asked of the site.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LISTINGS, PER_PAGE = 100, 20
SECTIONS = {"viec-lam": 0, "tuyen-dung": 3}  # section -> every how many ads lack JSON-LD (0: none)
TEMPLATE = "<p>" + " ".join(["Nội dung mẫu của trang, điều khoản, liên kết, gợi ý việc làm khác."] * 40) + "</p>"
TEMPLATE_PHRASE = "Nội dung mẫu của trang"  # in every page's aside: never in a post's text
POSTED = "2026-01-15"


def _layout(title: str, main: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
            f'<header><nav><a href="/">Trang chủ</a> <a href="/viec-lam?page=1">Việc làm</a> <a href="/blog">Blog</a></nav></header>'
            f'<main>{main}</main><aside>{TEMPLATE}</aside><footer><a href="/dieu-khoan">Điều khoản</a></footer></body></html>')


def listing(page: int, section: str = "viec-lam") -> str:
    cards = "".join(
        f'<div class="job-item"><h3 class="title"><a href="/{section}/nhan-vien-kho-so-{n}/{n}.html">Nhân viên kho số {n}</a></h3>'
        f'<a class="company" href="/cong-ty/cong-ty-{n % 37}/{5000 + n % 37}.html">Công ty {n % 37}</a>'
        f"<span>Bình Dương · 8-10 triệu · 2 giờ trước</span></div>"
        for n in range((page - 1) * PER_PAGE + 1, page * PER_PAGE + 1)
    )
    nxt = f'<a rel="next" href="/{section}?page={page + 1}">›</a>' if page < LISTINGS else ""
    return _layout(f"Việc làm trang {page}", f'<div class="job-list">{cards}</div><nav class="pagination">{nxt}</nav>')


def has_json_ld(n: int, section: str = "viec-lam") -> bool:
    every = SECTIONS[section]
    return not (every and n % every == 0)


def detail(n: int, section: str = "viec-lam") -> str:
    body = "".join(f"<p>Mô tả công việc {n}, dòng {i}: kiểm hàng, sắp xếp kho, lương 9 triệu, bao ăn trưa.</p>" for i in range(12))
    head = ""
    if has_json_ld(n, section):
        ld = json.dumps({"@context": "https://schema.org", "@type": "JobPosting", "title": f"Nhân viên kho số {n}",
                         "description": body, "datePosted": POSTED, "identifier": {"value": n},
                         "hiringOrganization": {"name": f"Công ty {n % 37}"}}, ensure_ascii=False)
        head = f'<script type="application/ld+json">{ld}</script>'
    day, month, year = POSTED[8:], POSTED[5:7], POSTED[:4]
    related = "".join(f'<li><a href="/{section}/nhan-vien-kho-so-{m}/{m}.html">Việc {m}</a></li>' for m in range(n + 1, n + 6))
    article = (f'<article><h1>Nhân viên kho số {n}</h1><p class="posted">Ngày đăng: {day}/{month}/{year}</p>{body}</article>'
               f'<div class="related"><h2>Việc làm liên quan</h2><ul>{related}</ul></div>')
    return _layout(f"Nhân viên kho số {n}", article, head)


def pages() -> dict[str, bytes]:
    site = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
    for section in SECTIONS:
        site.update({f"/{section}?page={p}": listing(p, section).encode() for p in range(1, LISTINGS + 1)})
        site.update({f"/{section}/nhan-vien-kho-so-{n}/{n}.html": detail(n, section).encode()
                     for n in range(1, LISTINGS * PER_PAGE + 1)})
    return site


class Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values = dict.fromkeys(("connections", "requests", "full", "not_modified"), 0)

    def inc(self, name: str) -> None:
        with self.lock:
            self.values[name] += 1

    def take(self) -> dict[str, int]:
        with self.lock:
            values, self.values = self.values, dict.fromkeys(self.values, 0)
        return values


def serve(port_file: Path) -> None:
    site = pages()
    etags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in site.items()}
    counters = Counters()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as web servers do (nginx tcp_nodelay): headers and body are two writes

        def setup(self) -> None:
            super().setup()
            counters.inc("connections")

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/_stats":
                return self._send(200, json.dumps(counters.take()).encode(), {"Content-Type": "application/json"})
            counters.inc("requests")
            body = site.get(self.path)
            if body is None:
                return self._send(404, b"", {})
            etag = etags[self.path]
            if self.headers.get("If-None-Match") == etag:
                counters.inc("not_modified")
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            counters.inc("full")
            self._send(200, body, {"Content-Type": "text/html; charset=utf-8", "ETag": etag,
                                   "Last-Modified": "Thu, 15 Jan 2026 08:00:00 GMT"})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address) -> None:  # a crawler closing its keep-alive sockets
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), Handler)
    port_file.write_text(str(httpd.server_address[1]))
    httpd.serve_forever()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
