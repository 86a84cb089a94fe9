"""The revisit policy of a source (its definition's revisit_hours): an item whose listing entry
reads as it did when the site last confirmed the page (a 200 stored, or a 304) is not requested
again until that many hours have passed; it is counted (lurewatch/revisit_skipped), not dropped.
A changed entry (title, salary, place, snippet: anything but a relative age) or an older check
sends the conditional GET as before. 0 hours, the default: every item is asked for.

The limit, said plainly: an ad edited only where its listing entry does not show it is seen at
the first crawl after revisit_hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from scrapy.settings import BaseSettings

from crawlers.middlewares.conditional import STATE_IN, load_state
from crawlers.parsers.urls import canonical_url

SKIPPED_STAT = "lurewatch/revisit_skipped"


def fresh(seen: dict | None, entry: str | None, now: datetime, hours: float) -> bool:
    """Pure: may the item be left unrequested? Only with the same entry, checked under `hours` ago."""
    if hours <= 0 or not entry or not seen or seen.get("entry") != entry:
        return False
    try:
        checked = datetime.fromisoformat(seen["checked"])
    except (KeyError, TypeError, ValueError):
        return False
    if checked.tzinfo is None:
        return False
    return timedelta(0) <= now - checked < timedelta(hours=hours)


class Revisit:
    """The last good crawl's state, read once by the spider (the middleware keeps its own copy to update)."""

    def __init__(self, state: dict[str, dict[str, str]], hours: float) -> None:
        self.state, self.hours = state, hours

    @classmethod
    def from_settings(cls, settings: BaseSettings, hours: float) -> "Revisit":
        path = settings.get(STATE_IN)
        return cls(load_state(Path(path)) if hours > 0 and path else {}, hours)

    def skip(self, url: str, entry: str | None, now: datetime) -> bool:
        return bool(self.state) and fresh(self.state.get(canonical_url(url)), entry, now, self.hours)
