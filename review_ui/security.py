"""Browser-facing safety: CSRF tokens tied to the session, safe redirects, response headers."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_SESSION_KEY = "csrf"
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
    """The session's CSRF token, created on first use (so every rendered form has one)."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(CSRF_SESSION_KEY)
    if not expected or not submitted:
        return False
    return secrets.compare_digest(str(expected), submitted)


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


class SecurityHeadersMiddleware:
    """Adds BASE_HEADERS to every response unless the route already set that header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in BASE_HEADERS.items():
                    if name.lower().encode("latin-1") not in present:
                        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
