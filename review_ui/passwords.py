"""Password hashing (argon2id through pwdlib), with the parameters from settings. The store only
ever sees the hash."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher

from .settings import UISettings


@dataclass(frozen=True)
class Argon2Params:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    @classmethod
    def from_settings(cls, settings: UISettings) -> Argon2Params:
        return cls(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


class Passwords:
    """Hash, verify (and say when a hash needs redoing), and burn the time of a verification."""

    def __init__(self, params: Argon2Params = Argon2Params()) -> None:
        self.params = params
        self._hasher = PasswordHash((Argon2Hasher(
            time_cost=params.time_cost, memory_cost=params.memory_kib, parallelism=params.parallelism,
        ),))

    @cached_property
    def _dummy_hash(self) -> str:
        # Verified when the username is unknown, so a miss costs as much time as a wrong password
        # (no user enumeration by timing); made with the same parameters as real hashes.
        return self.hash("lurewatch-no-such-user")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password: str, hashed: str) -> tuple[bool, str | None]:
        """(matches, new hash when the stored one was made with other parameters)."""
        try:
            return self._hasher.verify_and_update(password, hashed)
        except (PwdlibError, ValueError, TypeError):  # a malformed or foreign hash: a mismatch
            return False, None

    def burn(self, password: str) -> None:
        """Spend the time of one verification without a real hash (unknown user)."""
        self.verify(password, self._dummy_hash)


_DEFAULT = Passwords()


def hash_password(password: str) -> str:
    """With the default parameters (seeding tests and tools; the app uses its own Passwords)."""
    return _DEFAULT.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _DEFAULT.verify(password, hashed)[0]
