"""The signed-in user's own security: turning the TOTP second factor on (or off).

Enrolment keeps the secret on the server (the session's `totp_pending`) until the user proves
their app has it with a code. An admin who must have a second factor (setting) is sent here
by every other page until it is on.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.accounts import Actor

from ..deps import TOTP_ENROL_PATH, ClientDep, ClockDep, CsrfChecked, LiveDep, SettingsDep, SignedIn, StoreDep, must_enrol_totp
from ..rendering import render
from ..totp import matching_step, new_secret, provisioning_uri

router = APIRouter()


def _page(request: Request, user, settings, secret: str | None, error: str | None, status: int = 200) -> Response:  # type: ignore[no-untyped-def]
    context = {
        "totp_on": user.totp_enabled,
        "required": must_enrol_totp(settings, user),
        "may_disable": user.totp_enabled and not (settings.totp_required_for_admins and user.role == "admin"),
        "secret": secret,
        "uri": provisioning_uri(secret, user.username) if secret else None,
        "error": error,
    }
    return render(request, "account_totp.html", context, status)


@router.get(TOTP_ENROL_PATH)
def totp_page(request: Request, user: SignedIn, live: LiveDep, store: StoreDep, settings: SettingsDep) -> Response:
    secret = None
    if not user.totp_enabled:
        secret = live.session.totp_pending if live else None
        if secret is None and live is not None:
            secret = new_secret()
            store.set_totp_pending(live.session.id, secret)
    return _page(request, user, settings, secret, None)


@router.post(TOTP_ENROL_PATH)
def totp_enable(
    request: Request, user: SignedIn, live: LiveDep, store: StoreDep, settings: SettingsDep,
    client: ClientDep, clock: ClockDep, _csrf: CsrfChecked,
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    secret = live.session.totp_pending if live else None
    if user.totp_enabled or secret is None or live is None:
        return RedirectResponse(TOTP_ENROL_PATH, status_code=303)
    step = matching_step(secret, code, clock())
    if step is None:
        return _page(request, user, settings, secret, "account.totp_bad_code", 400)
    actor = Actor(user.username, "ui", {"address": client.address})
    store.enable_totp(user.username, secret, step, actor, keep_session_id=live.session.id)
    return RedirectResponse("/", status_code=303)


@router.post(TOTP_ENROL_PATH + "/disable")
def totp_disable(
    request: Request, user: SignedIn, live: LiveDep, store: StoreDep, settings: SettingsDep,
    client: ClientDep, clock: ClockDep, _csrf: CsrfChecked,
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if not user.totp_enabled or live is None:
        return RedirectResponse(TOTP_ENROL_PATH, status_code=303)
    if settings.totp_required_for_admins and user.role == "admin":
        return _page(request, user, settings, None, "account.totp_cannot_disable", 403)
    # A code proves the phone is in hand (a stolen session alone cannot remove the factor).
    step = matching_step(user.totp_secret or "", code, clock())
    if step is None or not store.accept_totp_step(user.username, step):
        return _page(request, user, settings, None, "account.totp_bad_code", 400)
    store.reset_totp(user.username, Actor(user.username, "ui", {"address": client.address}), live.session.id)
    return RedirectResponse(TOTP_ENROL_PATH, status_code=303)
