"""One plain request to the start URL before a crawl, so a dead or wrong URL gives one clear
error line instead of an empty crawl (Scrapy would log and finish "successfully")."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request

from crawlers.mime import is_html_type


class PreflightError(Exception):
    """The start URL cannot be crawled; str(error) is the message for the operator."""


def check_start_url(url: str, user_agent: str, timeout: float = 10.0) -> str:
    """Return the start page's content type, or raise PreflightError."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise PreflightError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise PreflightError(f"cannot reach {url}: {exc.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise PreflightError(f"cannot reach {url}: {exc or type(exc).__name__}") from None
    if not is_html_type(content_type):
        raise PreflightError(f"{url} is not an HTML page ({content_type or 'no content type'})")
    return content_type
