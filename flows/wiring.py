"""The one place that builds the parts from settings and hands them to each other."""

from dataclasses import dataclass
from functools import cached_property

from index.search.base import SearchBackend
from index.search.factory import open_search
from index.settings import IndexSettings, get_index_settings
from index.store import Store

from flows.settings import FlowSettings, get_flow_settings


def index_settings_for(flow_settings: FlowSettings) -> IndexSettings:
    """Index settings from the environment; the SQLite file follows var_dir unless a URL is set."""
    settings = get_index_settings()
    if "database_url" not in settings.model_fields_set:
        settings = get_index_settings(database_url=flow_settings.database_url)
    return settings


@dataclass
class Parts:
    """Lazily built store, search backend and assessor for one process."""

    settings: FlowSettings

    @cached_property
    def index_settings(self) -> IndexSettings:
        return index_settings_for(self.settings)

    @cached_property
    def store(self) -> Store:
        self.settings.var_dir.mkdir(parents=True, exist_ok=True)
        return Store.open(self.index_settings)

    @cached_property
    def search(self) -> SearchBackend:
        # No ensure_index here: every backend call creates its index when needed, and a search
        # engine that is down must not stop ingest (posts stay pending) or the UI from starting.
        return open_search(self.index_settings, self.store.engine)

    @cached_property
    def assessor(self):
        # Imported here: loading the model is the slow part, and only ingest needs it.
        from classifier.assess import load_assessor
        from classifier.settings import get_classifier_settings

        return load_assessor(get_classifier_settings())


def build_parts(settings: FlowSettings | None = None) -> Parts:
    return Parts(settings or get_flow_settings())
