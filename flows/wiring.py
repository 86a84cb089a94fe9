"""The one place that builds the parts from settings and hands them to each other."""

from functools import cached_property

from index.search.base import SearchBackend
from index.search.factory import open_search
from index.settings import IndexSettings, get_index_settings
from index.store import Store

from flows.errors import LurewatchError
from flows.settings import FlowSettings, get_flow_settings


def index_settings_for(flow_settings: FlowSettings) -> IndexSettings:
    """Index settings from the environment; the SQLite file follows var_dir unless a URL is set."""
    settings = get_index_settings()
    if "database_url" not in settings.model_fields_set:
        settings = get_index_settings(database_url=flow_settings.database_url)
    return settings


class Parts:
    """Lazily built store, search backend and assessor, built once per process (or flow run)
    and handed to every task. A plain class, not a dataclass: Prefect walks dataclass task
    arguments and would rebuild it without what it already built."""

    def __init__(self, settings: FlowSettings) -> None:
        self.settings = settings

    @cached_property
    def index_settings(self) -> IndexSettings:
        from pydantic import ValidationError

        from flows.settings import settings_problems

        try:
            return index_settings_for(self.settings)
        except ValidationError as exc:  # a LUREWATCH_* variable of the wrong shape
            raise LurewatchError(f"bad setting: {settings_problems(exc)}") from None

    @cached_property
    def store(self) -> Store:
        self.settings.var_dir.mkdir(parents=True, exist_ok=True)
        return Store.open(self.index_settings)

    @cached_property
    def search(self) -> SearchBackend:
        # No ensure_index here: every backend call creates its index when needed, and a search
        # engine that is down must not stop ingest (posts stay pending) or the UI from starting.
        try:
            return open_search(self.index_settings, self.store.engine)
        except ValueError as exc:  # an unknown backend name: a setting to fix, said in one line
            raise LurewatchError(f"LUREWATCH_SEARCH_BACKEND: {exc}") from None

    def assessor_model_dir(self):
        """The model directory ingest uses now (None: the packaged default)."""
        from classifier.settings import get_classifier_settings

        from flows.models import model_dir_for

        return model_dir_for(self.settings.models_dir, get_classifier_settings().model_dir)

    @cached_property
    def assessor(self):
        # Imported here: loading the model is the slow part, and only ingest needs it.
        from classifier.assess import load_assessor
        from classifier.settings import get_classifier_settings

        return load_assessor(get_classifier_settings().model_copy(update={"model_dir": self.assessor_model_dir()}))


def build_parts(settings: FlowSettings | None = None) -> Parts:
    return Parts(settings or get_flow_settings())
