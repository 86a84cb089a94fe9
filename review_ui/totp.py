"""TOTP second factor (RFC 6238 through pyotp): secrets, the otpauth URI, checking a code.

Pure: the time comes in. A code is accepted for the current 30-second step or one step either
side (clock drift); the step it matched is returned so the store can refuse a replay of it.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp

ISSUER = "LureWatch"
DRIFT_STEPS = 1
_CODE = re.compile(r"[0-9]{6}")  # ASCII digits only: a bare \d also takes Arabic-Indic ones


def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (within the drift), else None."""
    code = re.sub(r"\s", "", code)
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for offset in (0, -DRIFT_STEPS, DRIFT_STEPS):
        if hmac.compare_digest(totp.generate_otp(step + offset), code):
            return step + offset
    return None
