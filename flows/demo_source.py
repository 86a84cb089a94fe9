"""The bundled demo source: a Vietnamese job board served on loopback by `lurewatch up`."""

DEMO_SOURCE = "demo-board"


def demo_start_url(base_url: str) -> str:
    return f"{base_url}/viec-lam?page=1"


def demo_definition(base_url: str) -> dict:
    """On this machine, so loopback is allowed and politeness is off (the only such source)."""
    from crawlers.source import SourceDefinition

    return SourceDefinition(
        name=DEMO_SOURCE,
        start_urls=[demo_start_url(base_url)],
        allow_private=True,
        politeness={"concurrency": 8, "delay_seconds": 0, "autothrottle": False},
    ).model_dump(mode="json")


def register_demo_source(store, base_url: str, cron: str) -> None:
    store.upsert_source(DEMO_SOURCE, "classifieds", demo_start_url(base_url), schedule_cron=cron,
                        definition=demo_definition(base_url))
