"""The session cookie and the anonymous cookie: names, flags, tokens, the client's address.

The session cookie holds a random token whose sha256 names a row of the store's `sessions`
table (index.sessions); nothing else about the user is in it. The anonymous cookie only keys
the CSRF token of the login form. Both are HttpOnly and SameSite=Strict; with Secure on they
take the `__Host-` prefix (Secure, Path=/, no Domain: a sibling subdomain cannot set them).
"""

from __future__ import annotations

import ipaddress
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from index.sessions import SessionLimits

from .settings import UISettings

SESSION_COOKIE = "lurewatch_session"
ANON_COOKIE = "lurewatch_anon"
SECURE_PREFIX = "__Host-"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def well_formed(token: str | None) -> bool:
    return token is not None and _TOKEN.fullmatch(token) is not None


def cookie_name(base: str, settings: UISettings) -> str:
    return SECURE_PREFIX + base if settings.secure_cookies else base


def cookie_token(request: Request, base: str, settings: UISettings) -> str | None:
    token = request.cookies.get(cookie_name(base, settings))
    return token if well_formed(token) else None


def set_cookie(response: Response, base: str, token: str, settings: UISettings) -> None:
    """A browser-session cookie (no Max-Age): the server decides when the session ends."""
    response.set_cookie(
        cookie_name(base, settings), token, path="/", httponly=True, samesite="strict",
        secure=settings.secure_cookies,
    )


def clear_cookie(response: Response, base: str, settings: UISettings) -> None:
    response.delete_cookie(
        cookie_name(base, settings), path="/", httponly=True, samesite="strict",
        secure=settings.secure_cookies,
    )


def session_limits(settings: UISettings) -> SessionLimits:
    return SessionLimits(
        idle_s=settings.session_idle_timeout,
        absolute_s=settings.session_max_age,
        totp_stage_s=settings.totp_login_timeout,
        touch_s=min(60.0, settings.session_idle_timeout / 4),
    )


def address_group(text: str) -> str | None:
    """How throttling names an address: IPv4 as is, IPv6 by its /64 (one host owns a whole
    /64); None when `text` is no address (a network "2001:db8::/64" is taken as given)."""
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    if network.version == 6:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None and network.prefixlen == 128:
            return str(mapped)
        if network.prefixlen > 64:
            network = network.supernet(new_prefix=64)
        return str(network)
    return str(network.network_address) if network.prefixlen == 32 else str(network)


def client_address(request: Request) -> str:
    """The peer's address group (address_group). Behind a reverse proxy run uvicorn with
    --proxy-headers and --forwarded-allow-ips set to the proxy, or every client counts as it."""
    host = request.client.host if request.client else ""
    return address_group(host) or host[:64] or "unknown"


def user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")[:300]
