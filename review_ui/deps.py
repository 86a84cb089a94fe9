"""Dependency aliases: a route's signature says what it needs and who may call it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, HTTPException, Request

from index.rows import UserRow
from index.search.base import SearchBackend
from index.store import Store

from .security import CSRF_FORM_FIELD, csrf_ok
from .settings import UISettings

SESSION_USER_KEY = "username"


class LoginRequired(Exception):
    """Raised by CurrentUser; the app turns it into a 303 redirect to the login page."""

    def __init__(self, next_url: str | None) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def login_url(next_url: str | None) -> str:
    return "/login?" + urlencode({"next": next_url}) if next_url else "/login"


def _store(request: Request) -> Store:
    return request.app.state.store


def _search(request: Request) -> SearchBackend:
    return request.app.state.search


def _settings(request: Request) -> UISettings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(_store)]
SearchDep = Annotated[SearchBackend, Depends(_search)]
SettingsDep = Annotated[UISettings, Depends(_settings)]


def _current_user(request: Request, store: StoreDep) -> UserRow:
    """The logged-in, still active user; anything else goes back to the login page."""
    username = request.session.get(SESSION_USER_KEY)
    user = store.get_user(username) if username else None
    if user is None or not user.active:
        request.session.pop(SESSION_USER_KEY, None)
        wants_page = request.method in ("GET", "HEAD")
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path if wants_page else None)
    return user


CurrentUser = Annotated[UserRow, Depends(_current_user)]


def RequireRole(*roles: str) -> Any:  # noqa: N802 - reads as a type in signatures
    """`user: RequireRole("admin", "reviewer")`: logged in AND one of these roles, else 403."""

    def _check(user: CurrentUser) -> UserRow:
        if user.role not in roles:
            raise HTTPException(status_code=403)
        return user

    return Annotated[UserRow, Depends(_check)]


# Who may do what (one place to read the policy).
VIEW_ROLES = ("admin", "reviewer", "investigator")  # queue, posts, search, evidence
DECIDE_ROLES = ("admin", "reviewer")  # decisions on posts
Viewer = RequireRole(*VIEW_ROLES)
Reviewer = RequireRole(*DECIDE_ROLES)


def _check_csrf(
    request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FORM_FIELD)] = ""
) -> None:
    if not csrf_ok(request, csrf_token):
        raise HTTPException(status_code=403)


CsrfChecked = Annotated[None, Depends(_check_csrf)]
