"""One plain request to the start URL before a crawl, so a dead or wrong URL gives one clear
error line instead of an empty crawl. httpx, with redirects followed by hand so that every hop
is held to the source's allowed domains and private-address rule, before and after DNS."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from crawlers.mime import is_html_type
from crawlers.netguard import BAD_SCHEME, OFFSITE, resolved_private, url_problem

MAX_HOPS = 5


class PreflightError(Exception):
    """The start URL cannot be crawled; str(error) is the message for the operator."""


def check_start_url(url: str, user_agent: str, *, allowed_domains: list[str], allow_private: bool,
                    timeout: float = 10.0, accept: Callable[[str], bool] = is_html_type) -> str:
    """Return the start page's content type, or raise PreflightError (`accept` says which types do)."""
    headers = {"User-Agent": user_agent, "Accept": "text/html,*/*;q=0.5"}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers, trust_env=False) as client:
        for _ in range(MAX_HOPS + 1):
            _guard(url, allowed_domains, allow_private)
            try:
                with client.stream("GET", url) as response:
                    status, location = response.status_code, response.headers.get("Location")
                    content_type = response.headers.get("Content-Type", "")
            except httpx.HTTPError as exc:
                raise PreflightError(f"cannot reach {url}: {exc or type(exc).__name__}") from None
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if status >= 400:
                raise PreflightError(f"{url} answered HTTP {status} {httpx.codes.get_reason_phrase(status)}")
            if not accept(content_type):
                raise PreflightError(f"{url} is not an HTML page ({content_type or 'no content type'})")
            return content_type
    raise PreflightError(f"{url}: more than {MAX_HOPS} redirects")


def _guard(url: str, allowed_domains: list[str], allow_private: bool) -> None:
    problem = url_problem(url, allowed_domains, allow_private)
    if problem == BAD_SCHEME:
        raise PreflightError(f"refused {url}: not an http(s) URL")
    if problem == OFFSITE:
        raise PreflightError(f"refused {url}: outside the source's allowed domains {allowed_domains}")
    host = urlsplit(url).hostname or ""
    if problem is not None or (not allow_private and resolved_private(host)):
        raise PreflightError(f"refused {url}: a private, loopback or link-local address")
