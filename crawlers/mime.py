"""Which content types the crawlers treat as HTML pages (shared by the spider and preflight)."""

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_html_type(content_type: str) -> bool:
    """'text/html; charset=utf-8' -> True; 'application/pdf' or '' -> False."""
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
