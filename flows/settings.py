"""Settings of the orchestration layer: where state lives and which local ports the stack uses."""

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class FlowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    ui_port: int = Field(default=8000, ge=1, le=65535)
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    demo_port: int = Field(default=8765, ge=1, le=65535)
    # Every 15 minutes, in the timezone of the people who read the queue.
    demo_schedule_cron: str = "*/15 * * * *"
    schedule_timezone: str = "Asia/Ho_Chi_Minh"
    crawl_timeout_seconds: int = Field(default=900, ge=10)
    ingest_batch: int = Field(default=256, ge=1)

    # Orchestration: one Prefect server (default: the one `lurewatch up` starts), one process
    # work pool, any number of `lurewatch worker` on any machine.
    prefect_api_url: str | None = None
    work_pool: str = "lurewatch"
    worker_name: str | None = None  # recorded on each crawl run (default host:pid)
    heartbeat_seconds: float = Field(default=10.0, gt=0)
    # A running run whose heartbeat is older than this died with its process: it is marked crashed.
    run_stale_seconds: float = Field(default=120.0, gt=0)
    # Backoff of I/O tasks (crawl, webhook, e-mail): one retry per delay.
    retry_delays_seconds: list[float] = [10.0, 60.0]
    alerts_every_seconds: int = Field(default=60, ge=10)
    catch_up_every_seconds: int = Field(default=300, ge=10)

    # Alerts: a webhook (JSON POST signed with HMAC-SHA256 of the secret) and/or e-mail (SMTP).
    alert_webhook_url: str | None = None
    alert_webhook_secret: str | None = None
    alert_smtp_host: str | None = None
    alert_smtp_port: int = 25
    alert_smtp_user: str | None = None
    alert_smtp_password: str | None = None
    alert_smtp_starttls: bool = False
    alert_email_from: str = "lurewatch@localhost"
    alert_email_to: list[str] = []
    alert_digest: bool = False  # one message per check instead of one per alert
    alert_min_score: float = Field(default=0.9, ge=0, le=1)
    alert_network_growth: int = Field(default=5, ge=2)  # new posts in a day on one contact/cluster
    # A source is late when its last run started more than this many periods ago.
    late_after_periods: float = Field(default=2.0, gt=1)
    ui_base_url: str | None = None  # links in alerts; default the local review UI

    # Retraining: ../shared/data plus the reviewers' decisions.
    shared_data: Path = Path("../shared/data")

    @property
    def evidence_dir(self) -> Path:
        return self.var_dir / "evidence"

    @property
    def crawls_dir(self) -> Path:
        return self.var_dir / "crawls"

    @property
    def crawl_state_dir(self) -> Path:
        """ETag / Last-Modified per item URL, one small file per source (conditional GETs)."""
        return self.var_dir / "crawl_state"

    @property
    def prefect_home(self) -> Path:
        return self.var_dir / "prefect"

    @property
    def models_dir(self) -> Path:
        """Retrained model versions, the promoted one named in current.json (flows.models)."""
        return self.var_dir / "models"

    @property
    def api_url(self) -> str:
        return self.prefect_api_url or f"http://{self.host}:{self.prefect_port}/api"

    @property
    def ui_url(self) -> str:
        return (self.ui_base_url or f"http://{self.host}:{self.ui_port}").rstrip("/")

    @property
    def database_url(self) -> str:
        return f"sqlite:///{(self.var_dir / 'lurewatch.db').as_posix()}"


def settings_problems(exc: ValidationError) -> str:
    """`LUREWATCH_UI_PORT='abc': Input should be a valid integer` for each bad variable."""
    return "; ".join(
        f"LUREWATCH_{'_'.join(str(p) for p in e['loc']).upper()}={e.get('input')!r}: {e['msg']}" for e in exc.errors()
    )


def get_flow_settings(**overrides) -> FlowSettings:
    return FlowSettings(**overrides)
