"""Strip private item keys ("_raw_body", ...) so only RawPost fields reach the feed export."""

from __future__ import annotations

from typing import Any

from crawlers.items import PRIVATE_PREFIX


class StripPrivateFieldsPipeline:
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        for key in [k for k in item if k.startswith(PRIVATE_PREFIX)]:
            del item[key]
        return item
