"""The bundled demo source: a Vietnamese job board served on loopback by `lurewatch up`."""

DEMO_SOURCE = "demo-board"


def demo_start_url(base_url: str) -> str:
    return f"{base_url}/viec-lam?page=1"


def register_demo_source(store, base_url: str, cron: str) -> None:
    store.upsert_source(DEMO_SOURCE, "classifieds", demo_start_url(base_url), schedule_cron=cron)
