"""A job board on 127.0.0.1 whose ads try everything the issue saw on real sites: off-site
redirects and meta refreshes (to `localhost`, another loopback name standing for another site),
a gzip bomb, a 10 MB ad, windows-1258, ETags, 429 with Retry-After, a soft 404, a bot wall."""

from __future__ import annotations

import gzip
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

AD_TEXT = "Tuyển nhân viên kho, lương 9 triệu, làm việc tại Bình Dương. Liên hệ 0912 345 678."
BOMB = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # ~200 KB sent, 200 MB inflated
HUGE_TEXT = ("Việc nhẹ lương cao. " * 550_000)[: 10 * 1024 * 1024]  # a 10 MB "ad"

ADS = {
    1001: "redirect-off", 1002: "refresh-off", 1003: "refresh-js", 1004: "bomb", 1005: "huge",
    1006: "cp1258", 1007: "etag", 1008: "busy", 1009: "gone", 1010: "wall", 1011: "secret", 1012: "price",
}


def ad_path(ad_id: int) -> str:
    return f"/ad/{ADS[ad_id]}-{ad_id}.html"


def _page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f'<body><header><a href="/">Trang chủ</a></header><main>{body}</main>'
            f'<footer><a href="/dieu-khoan">Điều khoản</a></footer></body></html>')


def _ad(title: str, text: str = AD_TEXT, head: str = "") -> str:
    return _page(title, f"<article><h1>{title}</h1><p>Đăng 11 phút trước</p><p>{text}</p></article>", head)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the marks windows-1258 writes as combining characters


def to_cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: precomposed ă/â/ơ/... plus a combining tone mark."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out.append((base + "".join(c for c in decomposed if c in _TONES)).encode("cp1258"))
    return b"".join(out)


class HostileSite:
    ad_path = staticmethod(ad_path)

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict]] = []  # (host header, path, headers)
        self.times: dict[str, list[float]] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.other = f"http://localhost:{self.port}"  # the "other site": same server, other name
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def paths_on(self, host_prefix: str) -> list[str]:
        return [path for host, path, _ in self.requests if host.startswith(host_prefix)]

    def listing(self) -> str:
        cards = "".join(
            f'<li class="job"><h2 class="title"><a href="{ad_path(i)}">Tin {i}: tuyển gấp nhân viên</a></h2>'
            f"<p>Công ty TNHH Số {i} · Bình Dương · 8-10 triệu</p></li>"
            for i in ADS
        )
        return _page("Việc làm", f'<ul class="jobs">{cards}</ul><a href="/cong-ty/abc">Công ty ABC</a>')

    def respond(self, path: str, headers: dict) -> tuple[int, dict, bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, f"User-agent: *\nDisallow: {ad_path(1011)}\n".encode()
        if path == "/viec-lam":
            return 200, html, self.listing().encode()
        if path == ad_path(1001):
            return 302, {"Location": f"{self.other}/ad/stolen-9001.html"}, b""
        if path == ad_path(1002):
            refresh = f'<meta http-equiv="refresh" content="0;url={self.other}/ad/stolen-9002.html">'
            return 200, html, _page("Đang chuyển", "Đang chuyển hướng…", refresh).encode()
        if path == ad_path(1003):
            refresh = '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
            return 200, html, _ad("Tuyển phụ bếp nhà hàng", head=refresh).encode()
        if path == ad_path(1004):
            return 200, {**html, "Content-Encoding": "gzip"}, BOMB
        if path == ad_path(1005):
            return 200, html, _ad("Tin rất dài", HUGE_TEXT).encode()
        if path == ad_path(1006):
            # windows-1258 spells "Tuyển" with a combining hook above: NFC must fold it back
            body = _ad("Tuyển thợ may", "Tuyển thợ may công nghiệp, lương khá.").replace("utf-8", "windows-1258")
            return 200, {"Content-Type": "text/html"}, to_cp1258(body)
        if path == ad_path(1007):
            if headers.get("If-None-Match") == '"v1"':
                return 304, {"ETag": '"v1"'}, b""
            return 200, {**html, "ETag": '"v1"', "Last-Modified": "Mon, 01 Dec 2025 08:00:00 GMT"}, _ad("Tuyển bảo vệ").encode()
        if path == ad_path(1008):
            if len(self.times.get(path, [])) == 1:
                return 429, {"Retry-After": "1"}, b"slow down"
            return 200, html, _ad("Tuyển tài xế").encode()
        if path == ad_path(1009):  # a soft 404 with an ETag: dropped, so never asked for conditionally
            return 200, {**html, "ETag": '"gone"'}, _page("Không tìm thấy trang", "<h1>Không tìm thấy trang</h1>").encode()
        if path == ad_path(1010):
            wall = '<div id="challenge-form"></div><script>window._cf_chl_opt={}</script>'
            return 200, html, _page("Just a moment...", wall).encode()
        if path == ad_path(1011):
            return 200, html, _ad("Tin ẩn").encode()
        if path == ad_path(1012):
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%%EOF\n"
        if path.startswith("/ad/stolen-"):
            return 200, html, _ad("Trang của site khác").encode()
        return 404, html, _page("404", "<h1>Không tìm thấy</h1>").encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                headers = {k: v for k, v in self.headers.items()}
                site.requests.append((self.headers.get("Host", ""), path, headers))
                site.times.setdefault(path, []).append(time.monotonic())
                status, extra, body = site.respond(path, headers)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler


@pytest.fixture(scope="module")
def hostile_site():
    site = HostileSite()
    yield site
    site.stop()


@pytest.fixture
def cp1258():
    return to_cp1258
