"""Login (password, then the TOTP code when the user has one) and logout.

The routes are thin: review_ui.logins checks and throttles, the store keeps the sessions, and
web_sessions sets the cookie.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.responses import Response

from index.sessions import STAGE_FULL, STAGE_TOTP, token_hash

from ..deps import (
    TOTP_LOGIN_PATH, ClientDep, CsrfChecked, LiveDep, LoginsDep, SettingsDep, StoreDep, landing, login_url,
)
from ..logins import LoginResult
from ..rendering import render
from ..security import safe_next
from ..settings import UISettings
from ..web_sessions import SESSION_COOKIE, clear_cookie, set_cookie

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _refused(request: Request, template: str, context: dict, result: LoginResult) -> Response:
    """401 for a wrong password or code; 429 with Retry-After when throttled (nothing checked)."""
    if result.wait_s is not None:
        response = render(request, template, {**context, "error": False, "wait_s": result.wait_s}, 429)
        response.headers["Retry-After"] = str(result.wait_s)
        return response
    return render(request, template, {**context, "error": True, "wait_s": None}, 401)


def _signed_in(response: Response, token: str, settings: UISettings) -> Response:
    set_cookie(response, SESSION_COOKIE, token, settings)
    return response


@router.get("/login")
def login_page(request: Request, live: LiveDep, next: str = "/") -> Response:  # noqa: A002 - query name
    target = safe_next(next)
    if live is not None and live.session.stage == STAGE_FULL:
        return RedirectResponse(target, status_code=303)
    context = {"next": target, "error": False, "wait_s": None, "login_username": ""}
    return render(request, "login.html", context)


@router.post("/login")
def login(
    request: Request,
    live: LiveDep,
    logins: LoginsDep,
    settings: SettingsDep,
    client: ClientDep,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002 - form field name
) -> Response:
    target = safe_next(next)
    result = logins.check_password(username, password, client)
    if result.user is None:
        context = {"next": target, "login_username": username}
        return _refused(request, "login.html", context, result)
    # The browser's previous session (if any) is replaced: a new token at every login.
    token = logins.start_session(result.user, client, False, request.state.session_token)
    if token is None:  # disabled between the check and now
        return _refused(request, "login.html", {"next": target, "login_username": username}, LoginResult())
    if result.user.totp_enabled:
        return _signed_in(RedirectResponse(TOTP_LOGIN_PATH + "?" + urlencode({"next": target}), 303), token, settings)
    return _signed_in(RedirectResponse(landing(result.user.role, target), status_code=303), token, settings)


@router.get(TOTP_LOGIN_PATH)
def totp_page(request: Request, live: LiveDep, next: str = "/") -> Response:  # noqa: A002
    target = safe_next(next)
    if live is None or live.session.stage != STAGE_TOTP:
        return RedirectResponse(login_url(target if target != "/" else None), status_code=303)
    return render(request, "login_totp.html", {"next": target, "error": False, "wait_s": None})


@router.post(TOTP_LOGIN_PATH)
def totp_login(
    request: Request,
    live: LiveDep,
    logins: LoginsDep,
    settings: SettingsDep,
    client: ClientDep,
    _csrf: CsrfChecked,
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    target = safe_next(next)
    if live is None or live.session.stage != STAGE_TOTP:
        return RedirectResponse("/login", status_code=303)
    result = logins.check_totp(live.user, code, client)
    if result.user is None:
        return _refused(request, "login_totp.html", {"next": target}, result)
    # A new token for the full session: the half-way one is deleted with it.
    token = logins.start_session(result.user, client, True, request.state.session_token)
    if token is None:
        return RedirectResponse("/login", status_code=303)
    return _signed_in(RedirectResponse(landing(result.user.role, target), status_code=303), token, settings)


@router.post("/logout")
def logout(request: Request, live: LiveDep, store: StoreDep, settings: SettingsDep, _csrf: CsrfChecked) -> Response:
    token = request.state.session_token
    if token:
        username = store.delete_session(token_hash(token))
        if username:
            store.audit(username, "logout", f"user:{username}", {"stage": live.session.stage if live else None})
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(response, SESSION_COOKIE, settings)
    return response
