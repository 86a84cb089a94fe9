"""Serve the demo job board on loopback from a daemon thread (tests, demos, `lurewatch up`)."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from datetime import datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from flows.demo_site.ads import ADS, Ad
from flows.demo_site.site import render


class DemoSite:
    """A running demo site. ``url`` is the base URL with the real port (no trailing slash)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, ads: tuple[Ad, ...] = ADS) -> None:
        self._lock = threading.Lock()
        self._ads: dict[int, Ad] = {ad.id: ad for ad in ads}
        self.requested_paths: list[str] = []  # every path asked for, in order (robots checks)
        self.not_modified_paths: list[str] = []  # paths answered 304 Not Modified
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        bound_host, bound_port = self._httpd.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-site", daemon=True)
        self._thread.start()

    @property
    def ads(self) -> tuple[Ad, ...]:
        with self._lock:
            return tuple(self._ads.values())

    def edit_ad(self, ad_id: int, new_text: str) -> Ad:
        """Change one ad's text at runtime (the next crawl should see it as changed)."""
        with self._lock:
            edited = dataclasses.replace(self._ads[ad_id], text=new_text.strip(), updated_at=datetime.now(timezone.utc))
            self._ads[ad_id] = edited
            return edited

    def add_ad(self, ad: Ad) -> Ad:
        """Publish a new ad at runtime (it is listed first: the newest)."""
        with self._lock:
            self._ads[ad.id] = ad
            return ad

    def ad_url(self, ad_id: int) -> str:
        with self._lock:
            return self.url + self._ads[ad_id].path

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "DemoSite":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "DemoJobBoard/1.0"
            protocol_version = "HTTP/1.1"  # keep-alive: every answer has its Content-Length
            # Headers and body are two writes: without this, a keep-alive client waits out
            # Nagle + delayed ACK (~40 ms) on every page (bench/_crawl_site.py measured it).
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                self._respond(send_body=True)

            def do_HEAD(self) -> None:
                self._respond(send_body=False)

            def _respond(self, send_body: bool) -> None:
                parts = urlsplit(self.path)
                site.requested_paths.append(self.path)
                page = render(parts.path, parts.query, site.ads, site.url)
                headers = dict(page.headers)
                if page.status == 200:
                    headers["ETag"] = '"' + hashlib.sha256(page.body).hexdigest()[:20] + '"'
                    if not_modified(self.headers, headers):
                        site.not_modified_paths.append(self.path)
                        self.send_response(304)
                        for name in ("ETag", "Last-Modified"):
                            if name in headers:
                                self.send_header(name, headers[name])
                        self.end_headers()
                        return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if send_body:
                    self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep test output quiet; requested_paths records the traffic

        return Handler


def not_modified(request: Message, response_headers: dict[str, str]) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when sent; otherwise If-Modified-Since."""
    if_none_match = request.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or response_headers["ETag"] in tags
    since, modified = request.get("If-Modified-Since"), response_headers.get("Last-Modified")
    if not (since and modified):
        return False
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def serve(host: str = "127.0.0.1", port: int = 0) -> DemoSite:
    """Start the demo site; port 0 picks a free port. Stop it with .stop() or a with-block."""
    return DemoSite(host, port)
