"""The password policy (pure): long enough, not whitespace, not the username, not a common one.

The common list ships with the package (data/common_passwords.txt.gz, built by
data/build_common_passwords.py) and is read once, on first use; nothing is downloaded.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import cache
from pathlib import Path

from .settings import MIN_PASSWORD_LENGTH

COMMON_LIST = Path(__file__).parent / "data" / "common_passwords.txt.gz"
MAX_LENGTH = 1000  # argon2 hashes anything, but a megabyte "password" is an attack on the CPU
MIN_DISTINCT = 4  # "aaaaaaaaaaaa", "121212121212"
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SPACES = re.compile(r"\s+")
_SYMBOLS = re.compile(r"[\W_]+")


class PasswordRejected(ValueError):
    """`code` names the rule (an i18n key "password.<code>"); str() is the English reason."""

    MESSAGES = {
        "too_short": "the password must have at least {min} characters",
        "too_long": "the password must have at most {max} characters",
        "whitespace": "the password cannot be only spaces",
        "contains_username": "the password cannot contain the username",
        "common": "the password is too common or too easy to guess",
    }

    def __init__(self, code: str, min_length: int = MIN_PASSWORD_LENGTH) -> None:
        self.code = code
        self.min_length = min_length
        super().__init__(self.MESSAGES[code].format(min=min_length, max=MAX_LENGTH))


def normalise(text: str) -> str:
    """Lower case, no accents (đ→d), no whitespace: how the common list is compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return _SPACES.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip() and not line.startswith("#"))


def _repeated_unit(text: str) -> str:
    """"abcabcabc" -> "abc"; text that is no repetition comes back whole."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def guessable_forms(password: str) -> set[str]:
    """The password as a guesser would try it: itself, with its symbols dropped, without the
    digits and symbols around it ("password2024!" -> "password"), and the unit it repeats
    ("PASSWORD-PASSWORD" -> "password")."""
    flat = normalise(password)
    alnum = _SYMBOLS.sub("", flat)
    forms = {flat, alnum}
    forms |= {_EDGES.sub("", form) for form in forms}
    forms |= {_repeated_unit(form) for form in forms}
    return {form for form in forms if form}


def check_password(password: str, username: str, min_length: int = MIN_PASSWORD_LENGTH) -> None:
    """Raise PasswordRejected naming the first rule the password breaks."""
    if not password.strip():
        raise PasswordRejected("whitespace", min_length)
    if len(password) < min_length:
        raise PasswordRejected("too_short", min_length)
    if len(password) > MAX_LENGTH:
        raise PasswordRejected("too_long", min_length)
    if username and normalise(username) in normalise(password):
        raise PasswordRejected("contains_username", min_length)
    forms = guessable_forms(password)
    if len(set(normalise(password))) < MIN_DISTINCT or forms & common_passwords():
        raise PasswordRejected("common", min_length)
