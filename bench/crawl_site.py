"""The benchmark's job board: 100 listing pages of 20 ads (2,100 pages), served on 127.0.0.1
from memory with ETag/Last-Modified, run as its own process so it does not share the crawler's
interpreter. `python -m bench.crawl_site PORTFILE` writes the port it bound, then serves."""

from __future__ import annotations

import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LISTINGS, PER_PAGE = 100, 20
TEMPLATE = "<p>" + " ".join(["Nội dung mẫu của trang, điều khoản, liên kết, gợi ý việc làm khác."] * 40) + "</p>"


def _layout(title: str, main: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
            f'<header><nav><a href="/">Trang chủ</a> <a href="/viec-lam?page=1">Việc làm</a> <a href="/blog">Blog</a></nav></header>'
            f'<main>{main}</main><aside>{TEMPLATE}</aside><footer><a href="/dieu-khoan">Điều khoản</a></footer></body></html>')


def listing(page: int) -> str:
    cards = "".join(
        f'<div class="job-item"><h3 class="title"><a href="/viec-lam/nhan-vien-kho-so-{n}/{n}.html">Nhân viên kho số {n}</a></h3>'
        f'<a class="company" href="/cong-ty/cong-ty-{n % 37}/{5000 + n % 37}.html">Công ty {n % 37}</a>'
        f"<span>Bình Dương · 8-10 triệu · 2 giờ trước</span></div>"
        for n in range((page - 1) * PER_PAGE + 1, page * PER_PAGE + 1)
    )
    nxt = f'<a rel="next" href="/viec-lam?page={page + 1}">›</a>' if page < LISTINGS else ""
    return _layout(f"Việc làm trang {page}", f'<div class="job-list">{cards}</div><nav class="pagination">{nxt}</nav>')


def detail(n: int) -> str:
    body = "".join(f"<p>Mô tả công việc {n}, dòng {i}: kiểm hàng, sắp xếp kho, lương 9 triệu, bao ăn trưa.</p>" for i in range(12))
    ld = json.dumps({"@context": "https://schema.org", "@type": "JobPosting", "title": f"Nhân viên kho số {n}",
                     "description": body, "datePosted": "2026-01-15", "identifier": {"value": n},
                     "hiringOrganization": {"name": f"Công ty {n % 37}"}}, ensure_ascii=False)
    head = f'<script type="application/ld+json">{ld}</script>'
    related = "".join(f'<li><a href="/viec-lam/nhan-vien-kho-so-{m}/{m}.html">Việc {m}</a></li>' for m in range(n + 1, n + 6))
    return _layout(f"Nhân viên kho số {n}", f"<article><h1>Nhân viên kho số {n}</h1>{body}</article><ul>{related}</ul>", head)


def pages() -> dict[str, bytes]:
    site = {f"/viec-lam?page={p}": listing(p).encode() for p in range(1, LISTINGS + 1)}
    site.update({f"/viec-lam/nhan-vien-kho-so-{n}/{n}.html": detail(n).encode()
                 for n in range(1, LISTINGS * PER_PAGE + 1)})
    site["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return site


def serve(port_file: Path) -> None:
    site = pages()
    etags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in site.items()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            body = site.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = etags[self.path]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Thu, 15 Jan 2026 08:00:00 GMT")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_file.write_text(str(httpd.server_address[1]))
    httpd.serve_forever()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
