"""The password policy, the shipped common list, argon2 parameters and TOTP codes (pure parts)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from review_ui.password_policy import (
    COMMON_LIST, PasswordRejected, check_password, common_passwords, guessable_forms, normalise,
)
from review_ui.passwords import Argon2Params, Passwords
from review_ui.settings import get_ui_settings
from review_ui.totp import matching_step, new_secret, provisioning_uri


@pytest.mark.parametrize(("password", "code"), [
    ("password", "too_short"),  # 8 characters: what the old rule let in
    ("a1!" * 3 + "xy", "too_short"),  # 11
    (" " * 8, "whitespace"),
    (" " * 20, "whitespace"),
    ("\t\n  \u3000  \t" * 2, "whitespace"),
    ("x" * 1001, "too_long"),
    ("TuanAnh-rất-thích-mưa", "contains_username"),
    ("abcabcabcabc", "common"),  # a short unit repeated
])
def test_each_rule_has_its_code(password, code):
    with pytest.raises(PasswordRejected) as caught:
        check_password(password, "tuananh")
    assert caught.value.code == code
    assert str(caught.value)  # an English reason for the CLI


@pytest.mark.parametrize("password", [
    "Password2024!",  # a listed password with digits and a symbol after it
    "2024password",  # ... or before it
    "passwordpassword",  # repeated
    "PASSWORD-PASSWORD",
    "qwertyuiop123",
    "MậtKhẩu123456",  # our Vietnamese list, accents and case do not matter
    "anh yeu em 123456",
    "Lurewatch2026!",
    "111111111111",
    "aaaaaaaaaaab",  # fewer than four different characters
])
def test_common_and_guessable_passwords_are_refused(password):
    with pytest.raises(PasswordRejected) as caught:
        check_password(password, "someone")
    assert caught.value.code == "common"


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "Đèn-đỏ-ở-ngã-tư-Phan-Thiết",
    "x9$kLm2#Qa7!",
])
def test_good_passwords_pass(password):
    check_password(password, "someone")


def test_the_username_is_found_without_case_or_accents():
    with pytest.raises(PasswordRejected):
        check_password("Đẹp-trai-NGUYEN.van_a-2026", "nguyen.van_a")
    with pytest.raises(PasswordRejected):
        check_password("mưa-to-Bình-ơi-2026", "binh")


def test_min_length_is_a_setting_that_cannot_go_below_12():
    with pytest.raises(PasswordRejected) as caught:
        check_password("Đèn-đỏ-ở-ngã-tư", "someone", min_length=20)
    assert caught.value.code == "too_short" and "20" in str(caught.value)
    with pytest.raises(ValueError):
        get_ui_settings(secret_key="x", password_min_length=8)


def test_the_common_list_ships_with_the_package():
    assert COMMON_LIST.exists() and COMMON_LIST.stat().st_size < 200_000
    listed = common_passwords()
    assert 30_000 <= len(listed) <= 31_000
    assert {"password", "iloveyou", "matkhau", "anhyeuem", "123456"} <= listed
    assert all(entry == normalise(entry) for entry in list(listed)[:500])


def test_guessable_forms():
    assert guessable_forms("Password2024!") == {"password2024!", "password2024", "password"}
    assert guessable_forms("abc-abc") == {"abc-abc", "abcabc", "abc"}
    assert normalise("Đặt Cọc") == "datcoc"


def test_argon2_parameters_come_from_settings_and_old_hashes_are_redone():
    settings = get_ui_settings(secret_key="x", argon2_time_cost=1, argon2_memory_kib=8192, argon2_parallelism=1)
    cheap = Passwords(Argon2Params.from_settings(settings))
    hashed = cheap.hash("Đèn-đỏ-ở-ngã-tư")
    assert hashed.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert cheap.verify("Đèn-đỏ-ở-ngã-tư", hashed) == (True, None)
    stronger = Passwords(Argon2Params(time_cost=2, memory_kib=8192, parallelism=1))
    ok, redone = stronger.verify("Đèn-đỏ-ở-ngã-tư", hashed)
    assert ok and redone is not None and redone.startswith("$argon2id$v=19$m=8192,t=2,p=1$")
    assert stronger.verify("sai", hashed) == (False, None)
    assert stronger.verify("x", "not-a-hash") == (False, None)


T = datetime(2026, 12, 1, 8, 0, 10, tzinfo=timezone.utc)


def test_totp_codes_match_their_step_with_one_step_of_drift():
    secret = new_secret()
    assert len(secret) == 32
    app = pyotp.TOTP(secret)  # what the phone computes
    step = app.timecode(T)
    assert matching_step(secret, app.at(T), T) == step
    assert matching_step(secret, app.at(T - timedelta(seconds=30)), T) == step - 1
    assert matching_step(secret, app.at(T + timedelta(seconds=30)), T) == step + 1
    assert matching_step(secret, app.at(T - timedelta(seconds=60)), T) is None
    code = app.at(T)
    assert matching_step(secret, f"{code[:3]} {code[3:]}", T) == step  # spaces as apps show them
    for bad in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert matching_step(secret, bad, T) is None
    uri = provisioning_uri(secret, "nguyen.van_a")
    assert uri.startswith("otpauth://totp/LureWatch:nguyen.van_a?secret=" + secret)
