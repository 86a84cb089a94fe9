"""`lurewatch users ...`: account administration from the shell, audited with who did it, and
one `error:` line for every mistake. Run in-process (flows.cli.main, as the console script
does) on a temp var dir; two cases also in a real subprocess."""

from __future__ import annotations

import getpass
import io
import sys
from datetime import datetime, timezone

import pytest
from test_flows_cli import assert_one_line_error, run_cli

from flows.cli import main
from index.sessions import STAGE_FULL, token_hash
from index.settings import get_index_settings
from index.store import Store

GOOD = "Sóng-vỗ-bờ-Mũi-Né-lúc-sáng-sớm"


@pytest.fixture()
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("LUREWATCH_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("LUREWATCH_DATABASE_URL", raising=False)
    return tmp_path / "var"


@pytest.fixture()
def cli(var, capsys, monkeypatch):
    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _store(var) -> Store:
    return Store.open(get_index_settings(database_url=f"sqlite:///{var / 'lurewatch.db'}"))


def _ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0 and err == "", err
    return out


def _one_error(result: tuple[int, str, str], contains: str) -> None:
    code, out, err = result
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and contains in lines[0], err


def test_every_users_command_works_and_is_audited_with_its_actor(cli, var):
    me = getpass.getuser()
    assert "added with role admin" in _ok(cli("users", "add", "ana", "--role", "admin", "--password-stdin", stdin=GOOD + "\n"))
    _ok(cli("users", "add", "binh", "--password-stdin", "--actor", "ana", stdin=GOOD + "\n"))
    _ok(cli("users", "add", "chi", "--role", "admin", "--password-stdin", stdin=GOOD + "\n"))
    store = _store(var)
    now = datetime.now(timezone.utc)
    store.create_session("binh", token_hash("t1"), STAGE_FULL, "10.1.2.3", "Firefox", now)
    store.create_session("binh", token_hash("t2"), STAGE_FULL, "10.1.2.4", "Chromium", now)

    listing = _ok(cli("users", "list")).splitlines()
    assert listing[1].split("\t") == ["binh", "reviewer", "active", "totp:off", "sessions:2", "locked-until:-"]
    sessions = _ok(cli("users", "sessions", "binh")).splitlines()
    assert len(sessions) == 2 and {line.split("\t")[5] for line in sessions} == {"10.1.2.3", "10.1.2.4"}
    first_id = sessions[0].split("\t")[0]
    assert "ended" in _ok(cli("users", "revoke", first_id, "--actor", "chi"))
    assert "1 session(s) of 'binh' ended" in _ok(cli("users", "revoke", "--user", "binh"))
    _ok(cli("users", "set-role", "binh", "investigator"))
    _ok(cli("users", "reset-password", "binh", "--password-stdin", stdin="Một-mật-khẩu-mới-toanh-2026\n"))
    _ok(cli("users", "reset-totp", "binh"))
    _ok(cli("users", "disable", "binh"))
    assert "binh\tinvestigator\tdisabled" in _ok(cli("users", "list"))
    _ok(cli("users", "enable", "binh"))
    _ok(cli("users", "unlock", "binh"))
    _ok(cli("users", "unlock", "--address", "2001:db8::7"))

    events = [e for e in reversed(store.list_audit(limit=50))]
    assert [(e.username, e.action, e.target) for e in events] == [
        (f"os:{me}", "user.add", "user:ana"),
        ("ana", "user.add", "user:binh"),
        (f"os:{me}", "user.add", "user:chi"),
        ("chi", "session.revoke", f"session:{first_id}"),
        (f"os:{me}", "session.revoke_all", "user:binh"),
        (f"os:{me}", "user.set_role", "user:binh"),
        (f"os:{me}", "user.reset_password", "user:binh"),
        (f"os:{me}", "user.totp_reset", "user:binh"),
        (f"os:{me}", "user.disable", "user:binh"),
        (f"os:{me}", "user.enable", "user:binh"),
        (f"os:{me}", "login_unlocked", "account:binh"),
        (f"os:{me}", "login_unlocked", "address:2001:db8::/64"),
    ]
    assert all(e.detail["via"] == "cli" and e.detail["os_user"] == me for e in events)
    assert store.get_user("binh").role == "investigator" and store.get_user("binh").active


@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (("users", "add", "an", "--password-stdin"), GOOD, "invalid username 'an'"),
    (("users", "add", "a\nb<i>", "--password-stdin"), GOOD, "invalid username"),
    (("users", "add", "", "--password-stdin"), GOOD, "invalid username ''"),
    (("users", "add", "binh", "--password-stdin"), "password\n", "at least 12 characters"),
    (("users", "add", "binh", "--password-stdin"), " " * 14 + "\n", "only spaces"),
    (("users", "add", "binh", "--password-stdin"), "binh-binh-binh-2026\n", "contain the username"),
    (("users", "add", "binh", "--password-stdin"), "iloveyou12345678\n", "too common"),
    (("users", "add", "binh", "--password-stdin"), "", "no password on standard input"),
    (("users", "add", "binh", "--password-stdin", "--actor", ""), GOOD, "--actor"),
    (("users", "add", "binh", "--role", "root", "--password-stdin"), GOOD, "unknown role 'root'"),
    (("users", "add", "ana", "--password-stdin"), GOOD, "already exists"),
    (("users", "disable", "nobody"), "", "no user 'nobody'"),
    (("users", "disable", "ana"), "", "last active admin"),
    (("users", "set-role", "ana", "reviewer"), "", "last active admin"),
    (("users", "set-role", "ana", "god"), "", "unknown role 'god'"),
    (("users", "enable", "nobody"), "", "no user"),
    (("users", "reset-password", "nobody", "--password-stdin"), GOOD, "no user"),
    (("users", "reset-password", "ana", "--password-stdin"), "ana-is-the-admin-here\n", "contain the username"),
    (("users", "reset-totp", "nobody"), "", "no user"),
    (("users", "sessions", "nobody"), "", "no user"),
    (("users", "revoke"), "", "either a session id or --user"),
    (("users", "revoke", "7", "--user", "ana"), "", "either a session id or --user"),
    (("users", "revoke", "999"), "", "no session 999"),
    (("users", "revoke", "abc"), "", "session_id"),
    (("users", "revoke", "--user", "nobody"), "", "no user"),
    (("users", "unlock"), "", "either an account name or --address"),
    (("users", "unlock", "--address", "not-an-ip"), "", "not an IP address"),
    (("users", "list", "extra"), "", "unexpected extra argument"),
])
def test_users_mistakes_are_one_error_line(cli, argv, stdin, message):
    _ok(cli("users", "add", "ana", "--role", "admin", "--password-stdin", stdin=GOOD + "\n"))
    _one_error(cli(*argv, stdin=stdin), message)


def test_users_errors_in_a_real_process(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    assert_one_line_error(run_cli("users", "disable", "nobody", env_extra=env), "no user 'nobody'")
    assert_one_line_error(run_cli("users", "add", "x y", "--password-stdin", stdin=GOOD, env_extra=env),
                          "invalid username")
