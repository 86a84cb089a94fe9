"""Where the last crawl of a source stopped, per kind: the newest Telegram message id per
channel, each feed entry's lastmod, each forum thread's latest post and last page.

Read from LUREWATCH_CURSOR_IN, written to LUREWATCH_CURSOR_OUT when the crawl closes; the flow
promotes the written file only once ingest stored the posts (like the conditional-GET state), so
"already stored" means stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawlers.middlewares.conditional import load_state, save_state

CURSOR_IN, CURSOR_OUT = "LUREWATCH_CURSOR_IN", "LUREWATCH_CURSOR_OUT"
CURSOR_FILE = "cursor.json"


class Cursor:
    def __init__(self, path_in: str | None, path_out: str | None) -> None:
        self.data: dict[str, dict[str, Any]] = load_state(Path(path_in)) if path_in else {}
        self.path_out = Path(path_out) if path_out else None

    def get(self, kind: str, key: str) -> Any:
        return self.data.get(kind, {}).get(key)

    def put(self, kind: str, key: str, value: Any) -> None:
        self.data.setdefault(kind, {})[key] = value

    def save(self) -> None:
        if self.path_out is not None:
            save_state(self.path_out, self.data)

