"""Admin pages: users (create, disable, enable, role, password, second factor, sessions), the
live sessions, and the login locks, so an admin works without the CLI. Admins only; every change
is audited by the store with the admin as actor (review_ui.account_admin), and its result is said
on the page it returns to (`?done=<what>&user=<name>`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.accounts import ROLES, Actor
from index.rows import UserRow

from ..account_admin import AccountAdmin, AccountError
from ..deps import Admin, AdminDep, ClientDep, ClockDep, CsrfChecked
from ..logins import Client
from ..rendering import render

router = APIRouter(prefix="/admin")

UsernamePath = Annotated[str, Path(max_length=64)]
NOT_FOUND_KEYS = {"admin.error.unknown_user", "admin.error.unknown_session"}
# What a change did, said on the page after it ("admin.done.<what>").
DONE = ("add", "disable", "enable", "role", "password", "totp", "sessions", "session", "unlock")


def _actor(user: UserRow, client: Client) -> Actor:
    return Actor(user.username, "ui", {"address": client.address})


def _done_notice(request: Request) -> tuple[str, str] | None:
    """(what, username) of the change just made, from the redirect's parameters."""
    what = request.query_params.get("done", "")
    return (what, request.query_params.get("user", "")[:64]) if what in DONE else None


def _users_page(request: Request, admin: AccountAdmin, clock, error: AccountError | None = None,  # type: ignore[no-untyped-def]
                form: dict[str, str] | None = None) -> Response:
    context = {
        "users": admin.overview(),
        "locks": admin.locks(),
        "roles": sorted(ROLES),
        "now": clock(),
        "done": _done_notice(request),
        "error": error,
        "form": form or {},  # the create form's fields after a refusal (never the password)
        "min_password": admin.settings.password_min_length,
    }
    status = 200 if error is None else 404 if error.key in NOT_FOUND_KEYS else 400
    return render(request, "admin_users.html", context, status)


def _done(what: str, username: str = "", path: str = "/admin/users") -> Response:
    params = {"done": what, **({"user": username} if username else {})}
    return RedirectResponse(f"{path}?{urlencode(params)}", status_code=303)


@router.get("/users")
def users_page(request: Request, user: Admin, admin: AdminDep, clock: ClockDep) -> Response:
    return _users_page(request, admin, clock)


@router.get("/sessions")
def sessions_page(request: Request, user: Admin, admin: AdminDep) -> Response:
    context = {"sessions": admin.sessions(), "done": _done_notice(request)}
    return render(request, "admin_sessions.html", context)


def _act(request: Request, admin: AccountAdmin, clock, change, what: str, username: str = "",  # type: ignore[no-untyped-def]
         path: str = "/admin/users") -> Response:
    """Run one change; an AccountError is shown on the users page (400, or 404 for unknown)."""
    try:
        change()
    except AccountError as exc:
        return _users_page(request, admin, clock, exc)
    return _done(what, username, path)


@router.post("/users")
def create_user(request: Request, user: Admin, admin: AdminDep, client: ClientDep, clock: ClockDep,
                _csrf: CsrfChecked, username: Annotated[str, Form(max_length=64)] = "",
                role: Annotated[str, Form(max_length=50)] = "",
                password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """A new account with an initial password under the policy (the user changes it later)."""
    name = username.strip()
    try:
        admin.add_user(_actor(user, client), name, password, role)
    except AccountError as exc:
        return _users_page(request, admin, clock, exc, {"username": name, "role": role})
    return _done("add", name)


@router.post("/users/{username}/disable")
def disable(request: Request, username: UsernamePath, user: Admin, admin: AdminDep, client: ClientDep,
            clock: ClockDep, _csrf: CsrfChecked) -> Response:
    return _act(request, admin, clock, lambda: admin.set_active(_actor(user, client), username, False),
                "disable", username)


@router.post("/users/{username}/enable")
def enable(request: Request, username: UsernamePath, user: Admin, admin: AdminDep, client: ClientDep,
           clock: ClockDep, _csrf: CsrfChecked) -> Response:
    return _act(request, admin, clock, lambda: admin.set_active(_actor(user, client), username, True),
                "enable", username)


@router.post("/users/{username}/role")
def set_role(request: Request, username: UsernamePath, user: Admin, admin: AdminDep, client: ClientDep,
             clock: ClockDep, _csrf: CsrfChecked, role: Annotated[str, Form(max_length=50)] = "") -> Response:
    return _act(request, admin, clock, lambda: admin.set_role(_actor(user, client), username, role),
                "role", username)


@router.post("/users/{username}/password")
def reset_password(request: Request, username: UsernamePath, user: Admin, admin: AdminDep, client: ClientDep,
                   clock: ClockDep, _csrf: CsrfChecked,
                   password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    return _act(request, admin, clock, lambda: admin.reset_password(_actor(user, client), username, password),
                "password", username)


@router.post("/users/{username}/totp-reset")
def reset_totp(request: Request, username: UsernamePath, user: Admin, admin: AdminDep, client: ClientDep,
               clock: ClockDep, _csrf: CsrfChecked) -> Response:
    return _act(request, admin, clock, lambda: admin.reset_totp(_actor(user, client), username),
                "totp", username)


@router.post("/users/{username}/revoke-sessions")
def revoke_user_sessions(request: Request, username: UsernamePath, user: Admin, admin: AdminDep,
                         client: ClientDep, clock: ClockDep, _csrf: CsrfChecked) -> Response:
    return _act(request, admin, clock, lambda: admin.revoke_user_sessions(_actor(user, client), username),
                "sessions", username)


@router.post("/sessions/{session_id}/revoke")
def revoke_session(request: Request, session_id: Annotated[int, Path(ge=1, le=2**62)], user: Admin,
                   admin: AdminDep, client: ClientDep, clock: ClockDep, _csrf: CsrfChecked) -> Response:
    return _act(request, admin, clock, lambda: admin.revoke_session(_actor(user, client), session_id),
                "session", path="/admin/sessions")


@router.post("/locks/unlock")
def unlock(request: Request, user: Admin, admin: AdminDep, client: ClientDep, clock: ClockDep,
           _csrf: CsrfChecked, key: Annotated[str, Form(max_length=300)] = "") -> Response:
    return _act(request, admin, clock, lambda: admin.unlock_key(_actor(user, client), key), "unlock")
