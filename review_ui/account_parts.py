"""What the account services (review_ui.logins, review_ui.account_admin) work with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from index.store import Store

from .passwords import Passwords
from .settings import UISettings


@dataclass
class AccountParts:
    store: Store
    passwords: Passwords
    settings: UISettings
    clock: Callable[[], datetime]  # aware UTC: decides every expiry and lock
