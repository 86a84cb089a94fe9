"""Browser-facing safety: CSRF tokens tied to the session, safe redirects, response headers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FORM_FIELD = "csrf_token"

# App pages: only our own origin; the evidence route replaces this with a sandbox CSP.
APP_CSP = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)
EVIDENCE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

BASE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": APP_CSP,
    # Pages show hostile content and police decisions: keep them out of shared caches.
    "Cache-Control": "no-store",
}


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: an HMAC (keyed by the app's secret) of its session token,
    or, logged out, of its anonymous cookie. Nothing to store, and a new login changes it."""
    basis = getattr(request.state, "session_token", None) or getattr(request.state, "anon_token", None)
    if not basis:  # no key known for this request: a token that nothing will ever accept
        return secrets.token_hex(32)
    secret = request.app.state.settings.secret_key.encode("utf-8")
    return hmac.new(secret, b"csrf:" + basis.encode("ascii"), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, submitted: str | None) -> bool:
    if not submitted:
        return False
    # As bytes: compare_digest refuses non-ASCII str, and the submitted value is anyone's.
    return secrets.compare_digest(csrf_token(request).encode(), submitted.encode("utf-8", "replace"))


def safe_next(target: str | None) -> str:
    """Keep a post-login redirect on this site: a local absolute path, else "/".

    Rejects scheme/host URLs, protocol-relative "//host", backslash tricks ("/\\\\host", which
    browsers treat like "//") and control characters.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(ch) < 0x20 or ch == "\\" for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def is_http_url(url: str | None) -> bool:
    """Only http(s) URLs become links: a scraped "javascript:" URL must never be clickable."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def hsts_header(max_age: int) -> dict[str, str]:
    """Only sent when cookies are Secure: the UI is then served over HTTPS only. This host only
    (no includeSubDomains): other hosts of a police domain are not ours to pin to HTTPS."""
    return {"Strict-Transport-Security": f"max-age={max_age}"}


class SecurityHeadersMiddleware:
    """Adds BASE_HEADERS (and `extra`, e.g. HSTS) to every response unless the route already set
    that header."""

    def __init__(self, app: ASGIApp, extra: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in {**BASE_HEADERS, **(extra or {})}.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in self.headers if name not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
