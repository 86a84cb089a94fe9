"""Login and logout (argon2 passwords, session cookie, audit of every attempt)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.responses import Response

from ..deps import SESSION_USER_KEY, CsrfChecked, StoreDep
from ..passwords import burn_verify, verify_password
from ..rendering import render
from ..security import csrf_token, safe_next

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - query name
    target = safe_next(next)
    if request.session.get(SESSION_USER_KEY):
        return RedirectResponse(target, status_code=303)
    return render(request, "login.html", {"next": target, "error": False, "login_username": ""})


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002 - form field name
) -> Response:
    target = safe_next(next)
    user = store.get_user(username) if username else None
    if user is None:
        burn_verify(password)  # same cost as a wrong password: no user enumeration by timing
        ok, reason = False, "unknown_user"
    elif not verify_password(password, user.password_hash):
        ok, reason = False, "wrong_password"
    elif not user.active:
        ok, reason = False, "inactive"
    else:
        ok, reason = True, ""
    if not ok:
        store.audit(None, "login_failed", f"user:{username[:200]}", {"reason": reason})
        context = {"next": target, "error": True, "login_username": username}
        return render(request, "login.html", context, status_code=401)

    store.audit(user.username, "login", f"user:{user.username}")
    request.session.clear()  # fresh session and CSRF token for the authenticated user
    request.session[SESSION_USER_KEY] = user.username
    csrf_token(request)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, store: StoreDep, _csrf: CsrfChecked) -> Response:
    username = request.session.get(SESSION_USER_KEY)
    if username:
        store.audit(username, "logout", f"user:{username}")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
