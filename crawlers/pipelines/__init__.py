"""Item pipelines, one job per module; order is set in crawlers.settings.ITEM_PIPELINES."""
