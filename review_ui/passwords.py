"""Password hashing (argon2 through pwdlib). The store only ever sees the hash."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher

_HASHER = PasswordHash((Argon2Hasher(),))


@cache
def _dummy_hash() -> str:
    # Verified when the username is unknown, so a miss costs as much time as a wrong password
    # (no user enumeration by timing). Built lazily: no hashing at import time.
    return _HASHER.hash("lurewatch-no-such-user")


def hash_password(pw: str) -> str:
    return _HASHER.hash(pw)


def verify_password(pw: str, hashed: str) -> bool:
    """True when `pw` matches `hashed`; a malformed or foreign hash is simply a mismatch."""
    try:
        return _HASHER.verify(pw, hashed)
    except (PwdlibError, ValueError, TypeError):
        return False


def burn_verify(pw: str) -> None:
    """Spend the time of one verification without a real hash (unknown or inactive user)."""
    verify_password(pw, _dummy_hash())
