"""Dependency aliases: a route's signature says what it needs and who may call it.

Who may do what is read in one place (VIEW_ROLES, DECIDE_ROLES, ADMIN_ROLES). Every refusal
(no session: 401 shown as a redirect to the login page; wrong role or CSRF token: 403) is
audited with the route, the method and the role.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, HTTPException, Request

from index.rows import UserRow
from index.search.base import SearchBackend
from index.sessions import STAGE_FULL, STAGE_TOTP, LiveSession, token_hash
from index.store import Store

from .account_admin import AccountAdmin
from .logins import Client, Logins
from .operations import SourceOperations
from .passwords import Passwords
from .security import CSRF_FORM_FIELD, csrf_ok
from .settings import UISettings
from .web_sessions import SESSION_COOKIE, client_address, cookie_token, session_limits, user_agent

TOTP_LOGIN_PATH = "/login/totp"
TOTP_ENROL_PATH = "/account/totp"


class SeeOther(Exception):
    """Turned by the app into a 303 to `location` (and the session cookie cleared if asked)."""

    def __init__(self, location: str, clear_session: bool = False) -> None:
        super().__init__(location)
        self.location = location
        self.clear_session = clear_session


def login_url(next_url: str | None) -> str:
    return "/login?" + urlencode({"next": next_url}) if next_url else "/login"


def _state(name: str) -> Callable[[Request], Any]:
    def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    return get


StoreDep = Annotated[Store, Depends(_state("store"))]
SearchDep = Annotated[SearchBackend, Depends(_state("search"))]
SettingsDep = Annotated[UISettings, Depends(_state("settings"))]
PasswordsDep = Annotated[Passwords, Depends(_state("passwords"))]
LoginsDep = Annotated[Logins, Depends(_state("logins"))]
AdminDep = Annotated[AccountAdmin, Depends(_state("account_admin"))]
ClockDep = Annotated[Callable[[], datetime], Depends(_state("clock"))]
OperationsDep = Annotated[SourceOperations, Depends(_state("operations"))]


def _client(request: Request) -> Client:
    return Client(client_address(request), user_agent(request))


ClientDep = Annotated[Client, Depends(_client)]


def _live_session(request: Request, store: StoreDep, settings: SettingsDep, clock: ClockDep) -> LiveSession | None:
    """The session the cookie names, if it is still live (any stage). Cached per request, and
    remembered on request.state for CSRF tokens and the page header."""
    if hasattr(request.state, "live"):
        return request.state.live
    token = cookie_token(request, SESSION_COOKIE, settings)
    live = store.resolve_session(token_hash(token), clock(), session_limits(settings)) if token else None
    request.state.live = live
    request.state.session_token = token if live else None
    request.state.had_session_cookie = token is not None
    if live is not None and live.session.stage == STAGE_FULL:
        request.state.user = live.user
    return live


LiveDep = Annotated[LiveSession | None, Depends(_live_session)]


def audit_refusal(request: Request, store: Store, status: int, reason: str, user: UserRow | None) -> None:
    store.audit(user.username if user else None, "access_refused", request.url.path[:300], {
        "status": status, "method": request.method, "route": request.url.path[:300],
        "role": user.role if user else None, "reason": reason, "address": client_address(request),
    })


def _signed_in(request: Request, live: LiveDep, store: StoreDep) -> UserRow:
    """A fully logged-in user (password, and code if they have TOTP); else the login page."""
    if live is not None and live.session.stage == STAGE_TOTP:
        raise SeeOther(TOTP_LOGIN_PATH)
    if live is None:
        reason = "invalid_session" if request.state.had_session_cookie else "no_session"
        audit_refusal(request, store, 401, reason, None)
        wants_page = request.method in ("GET", "HEAD")
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SeeOther(login_url(path if wants_page else None), clear_session=request.state.had_session_cookie)
    return live.user


SignedIn = Annotated[UserRow, Depends(_signed_in)]


def must_enrol_totp(settings: UISettings, user: UserRow) -> bool:
    return settings.totp_required_for_admins and user.role == "admin" and not user.totp_enabled


def _current_user(user: SignedIn, settings: SettingsDep) -> UserRow:
    """SignedIn, and not an admin who still has to turn on the second factor (setting)."""
    if must_enrol_totp(settings, user):
        raise SeeOther(TOTP_ENROL_PATH)
    return user


CurrentUser = Annotated[UserRow, Depends(_current_user)]


def RequireRole(*roles: str) -> Any:  # noqa: N802 - reads as a type in signatures
    """`user: RequireRole("admin", "reviewer")`: logged in AND one of these roles, else 403."""

    def _check(request: Request, user: CurrentUser, store: StoreDep) -> UserRow:
        if user.role not in roles:
            audit_refusal(request, store, 403, "role", user)
            raise HTTPException(status_code=403)
        return user

    return Annotated[UserRow, Depends(_check)]


# Who may do what (one place to read the policy).
VIEW_ROLES = ("admin", "reviewer", "investigator")  # queue, posts, search, evidence, entities, networks
DECIDE_ROLES = ("admin", "reviewer")  # decisions on posts
INVESTIGATE_ROLES = ("admin", "investigator")  # cases, dossiers, CSV exports, the watchlist
OPERATE_ROLES = ("admin", "operator")  # the operations page: sources, runs, alerts; pause/resume/run
ADMIN_ROLES = ("admin",)  # accounts, sessions, login locks
OPERATOR_HOME = "/operations"


def landing(role: str, target: str) -> str:
    """Where a login goes: the page asked for; for "/" (the queue) an operator, who may not see
    it, goes to the operations page."""
    return OPERATOR_HOME if target == "/" and role in OPERATE_ROLES and role not in VIEW_ROLES else target


Viewer = RequireRole(*VIEW_ROLES)
Reviewer = RequireRole(*DECIDE_ROLES)
Investigator = RequireRole(*INVESTIGATE_ROLES)
Operator = RequireRole(*OPERATE_ROLES)
Admin = RequireRole(*ADMIN_ROLES)


def _check_csrf(
    request: Request, live: LiveDep, store: StoreDep,
    csrf_token: Annotated[str, Form(alias=CSRF_FORM_FIELD, max_length=200)] = "",
) -> None:
    """The form's token must be the one of this browser's session (or, logged out, of its
    anonymous cookie). Resolving the session first makes the token's key known."""
    if not csrf_ok(request, csrf_token):
        audit_refusal(request, store, 403, "csrf", live.user if live else None)
        raise HTTPException(status_code=403)


CsrfChecked = Annotated[None, Depends(_check_csrf)]
