"""Settings of the orchestration layer: where state lives and which local ports the stack uses."""

from pathlib import Path

from pydantic import Field
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
    def database_url(self) -> str:
        return f"sqlite:///{(self.var_dir / 'lurewatch.db').as_posix()}"


def get_flow_settings(**overrides) -> FlowSettings:
    return FlowSettings(**overrides)
