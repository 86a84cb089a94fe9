"""Settings of the review web app (one class, built by a factory, never at import time)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_PASSWORD_LENGTH = 12


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume it is reachable from outside


class UISettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    secret_key: str  # required: keys the CSRF tokens; flows writes one into var/secret_key
    evidence_dir: Path = Path("var/evidence")
    default_lang: str = "vi"  # Vietnamese first; "en" via ?lang=en (remembered in a cookie)

    # Where the UI is served (the same LUREWATCH_HOST the stack binds): decides Secure cookies.
    host: str = "127.0.0.1"
    # Secure cookies (and HSTS). None: on unless the UI is bound to loopback (plain HTTP there);
    # behind a TLS proxy on the same machine, set it to true.
    cookie_secure: bool | None = None
    hsts_max_age: int = Field(default=365 * 24 * 3600, ge=0)

    # Server-side sessions.
    session_max_age: int = Field(default=8 * 3600, ge=60)  # absolute lifetime after login
    session_idle_timeout: int = Field(default=30 * 60, ge=60)
    totp_login_timeout: int = Field(default=5 * 60, ge=30)  # between password and code

    # Login throttling: per account name (known or not) and per client address.
    login_max_failures: int = Field(default=5, ge=1)
    login_address_max_failures: int = Field(default=30, ge=1)
    login_lock_seconds: float = Field(default=15 * 60, ge=0)
    login_backoff_base_seconds: float = Field(default=1.0, ge=0)
    login_backoff_max_seconds: float = Field(default=60.0, ge=0)
    login_failure_window_seconds: float = Field(default=15 * 60, gt=0)

    # Passwords: the policy, and argon2id parameters (hashes made with others are redone at login).
    password_min_length: int = Field(default=MIN_PASSWORD_LENGTH, ge=MIN_PASSWORD_LENGTH, le=256)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8 * 1024)
    argon2_parallelism: int = Field(default=4, ge=1)

    # Second factor: optional for everyone; admins cannot use the UI without it when true.
    totp_required_for_admins: bool = False

    # Reviewing. A post page shows at most this many characters of a post's text (the whole
    # text is a download), so no page costs more than a short one whatever a site served.
    post_text_cap: int = Field(default=20_000, ge=1000, le=1_000_000)
    claim_seconds: int = Field(default=15 * 60, ge=60)  # a reviewer's claim on a post expires
    uncertain_margin: float = Field(default=0.1, gt=0, le=0.5)  # |score - threshold| of "uncertain"
    bulk_max: int = Field(default=5000, ge=1)  # posts one bulk decision may cover

    @property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else not is_loopback(self.host)


def get_ui_settings(**overrides: object) -> UISettings:
    """Build settings from the environment (LUREWATCH_*), explicit overrides winning."""
    return UISettings(**overrides)  # type: ignore[arg-type]
