"""A source's definition: what to crawl, where the crawl may go, how politely, and what its pages
look like. Spiders take it as a validated argument, so a bad definition fails with a message that
names the field. Kept in the store as JSON (index `sources.definition`)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator, model_validator

from crawlers.netguard import is_private_name, registrable_domain
from crawlers.parsers.page import DEFAULT_MAX_TEXT, PageRules

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


class Politeness(BaseModel):
    """By default one request at a time per domain, at least 1 s apart, AutoThrottle on."""

    model_config = ConfigDict(extra="forbid")

    concurrency: PositiveInt = Field(1, le=32, description="requests at a time per domain")
    delay_seconds: float = Field(1.0, ge=0, le=600)
    autothrottle: bool = True
    user_agent: str | None = Field(None, min_length=3, max_length=300)


class FieldSelectors(BaseModel):
    """CSS selectors for a post's fields, used where the page's structured data says nothing."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    text: str | None = None
    posted_at: str | None = None
    author: str | None = None

    @field_validator("*")
    @classmethod
    def _css(cls, value: str | None) -> str | None:
        return _valid_css(value)


def _valid_css(value: str | None) -> str | None:
    if value is None:
        return None
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise ValueError(f"not a CSS selector: {exc}") from None
    return value


def check_http_url(value: str) -> str:
    """http(s), a real host, no spaces: the first defence against a pasted wrong URL."""
    from urllib.parse import urlsplit

    value = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise ValueError("a URL cannot contain spaces or control characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ValueError(f"not a URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http(s) URL")
    host = (parts.hostname or "").lower()
    if not host or not (_HOST.match(host.rstrip(".")) or ":" in host):
        raise ValueError("must have a host name")
    return value


KINDS = ("classifieds", "telegram", "feed", "forum", "import")
_CRON = re.compile(r"^(\S+(\s+\S+){4}|(every\s+)?\d+\s*[smhd])$", re.IGNORECASE)  # or an interval (flows.schedules)


class SourceDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\s/]+$")
    # classifieds: listing -> item pages; telegram: t.me/s/<channel> previews; feed: RSS/Atom/sitemaps;
    # forum: forum -> threads -> posts; import: posts arrive by `lurewatch import`, nothing is crawled.
    kind: Literal[KINDS] = "classifieds"  # type: ignore[valid-type]
    start_urls: list[str] = Field(default_factory=list, max_length=50)
    schedule: str | None = Field(None, description="cron, Asia/Ho_Chi_Minh")
    # Fetch through headless Chromium (pages that build their content with JavaScript).
    render: bool = False
    render_timeout_seconds: float = Field(30.0, gt=0, le=300)
    allowed_domains: list[str] = Field(default_factory=list)
    allow_private: bool = False
    politeness: Politeness = Field(default_factory=Politeness)
    max_pages: PositiveInt = Field(50, le=10_000, description="listing pages followed per start URL")
    item_selector: str | None = None
    item_url_pattern: str | None = None
    fields: FieldSelectors = Field(default_factory=FieldSelectors)
    max_text_chars: PositiveInt = Field(DEFAULT_MAX_TEXT, ge=200, le=1_000_000)
    # An item whose listing entry is unchanged is not requested again for this many hours after
    # the site last confirmed it (crawlers.revisit); 0: every crawl asks for every item (304s).
    revisit_hours: float = Field(0, ge=0, le=24 * 30)

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        return [check_http_url(v) for v in values]

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is not None and not _CRON.match(value):
            raise ValueError("a cron expression has five fields, e.g. '0 */6 * * *' (or an interval: '15m', '2h')")
        return value

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, values: list[str]) -> list[str]:
        cleaned = []
        for value in values:
            domain = value.strip().lower().strip(".")
            if not _HOST.match(domain):
                raise ValueError(f"{value!r} is not a domain name (no scheme, no path)")
            cleaned.append(domain)
        return cleaned

    @field_validator("item_selector")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return _valid_css(value)

    @field_validator("item_url_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _site(self) -> "SourceDefinition":
        from urllib.parse import urlsplit

        if self.kind == "import":
            for name in ("start_urls", "render"):
                if getattr(self, name):
                    raise ValueError(f"{name}: an import source is not crawled (its posts come from `lurewatch import`)")
        elif not self.start_urls:
            raise ValueError(f"start_urls: a {self.kind} source needs at least one URL")
        if self.kind == "telegram":
            for url in self.start_urls:
                if not telegram_channel(url):
                    raise ValueError(f"start_urls: {url} is not a public channel preview (https://t.me/s/<channel>)")
        hosts = [urlsplit(u).hostname or "" for u in self.start_urls]
        if not self.allowed_domains:
            self.allowed_domains = sorted({registrable_domain(h) for h in hosts})
        for url, host in zip(self.start_urls, hosts):
            if not self.allow_private and is_private_name(host):
                raise ValueError(f"start_urls: {url} is a private, loopback or link-local address"
                                 " (allow_private is off)")
            if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
                raise ValueError(f"start_urls: {url} is outside allowed_domains {self.allowed_domains}")
        return self

    def page_rules(self) -> PageRules:
        return PageRules(
            item_selector=self.item_selector,
            item_url_pattern=self.item_url_pattern,
            fields={k: v for k, v in self.fields.model_dump().items() if v},
            max_text_chars=self.max_text_chars,
        )


def telegram_channel(url: str) -> str | None:
    """'durov' for https://t.me/s/durov (any host: tests serve the previews on 127.0.0.1)."""
    from urllib.parse import urlsplit

    m = re.match(r"^/s/([A-Za-z0-9_]{3,64})/?$", urlsplit(url).path)
    return m.group(1) if m else None


def definition_problems(exc: ValidationError) -> str:
    """'start_urls.0: must be an http(s) URL; politeness.delay_seconds: ...' for one error line."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)
