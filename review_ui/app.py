"""Application factory: settings, store and search backend come in; nothing is global."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from index.cases import CaseError
from index.models import utcnow
from index.search.base import SearchBackend
from index.store import Store

from .account_admin import AccountAdmin
from .deps import SeeOther
from .i18n import LANG_COOKIE, LANGS, pick_lang
from .logins import Logins
from .operations import SourceOperations, StoreOnlyOperations
from .passwords import Argon2Params, Passwords
from .rendering import build_templates, render
from .routes import account, admin, audit, auth, cases, dashboard, entities, evidence, network, posts, queue, watchlist
from .routes import operations as operations_routes
from .routes import search as search_routes
from .security import SecurityHeadersMiddleware, hsts_header
from .settings import UISettings
from .web_sessions import ANON_COOKIE, SESSION_COOKIE, clear_cookie, cookie_token, new_token, set_cookie

STATIC_DIR = Path(__file__).parent / "static"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def create_app(settings: UISettings, store: Store, search: SearchBackend,
               clock: Callable[[], datetime] = utcnow, operations: SourceOperations | None = None) -> FastAPI:
    """`clock` (aware UTC) decides every session expiry and login lock. `operations` runs the
    operations page's actions (flows hands in the CLI's; without it the page only reads)."""
    app = FastAPI(title="lurewatch review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store
    app.state.search = search
    app.state.clock = clock
    app.state.operations = operations or StoreOnlyOperations(store)
    app.state.templates = build_templates()
    passwords = Passwords(Argon2Params.from_settings(settings))
    app.state.passwords = passwords
    app.state.logins = Logins(store, passwords, settings, clock)
    app.state.account_admin = AccountAdmin(store, passwords, settings, clock)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for it on every page: no login needed, cached for a day."""
        return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    for module in (auth, account, admin, queue, posts, search_routes, evidence, entities, network, cases, dashboard,
                   audit, operations_routes, watchlist):
        app.include_router(module.router)

    @app.middleware("http")
    async def anonymous_token(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Every browser gets a random anonymous cookie: the key of its CSRF token while logged out."""
        token = cookie_token(request, ANON_COOKIE, settings)
        fresh = token is None
        request.state.anon_token = new_token() if fresh else token
        response: Response = await call_next(request)
        if fresh:
            set_cookie(response, ANON_COOKIE, request.state.anon_token, settings)
        return response

    @app.middleware("http")
    async def language(request: Request, call_next):  # type: ignore[no-untyped-def]
        asked = request.query_params.get("lang")
        request.state.lang = pick_lang(asked, request.cookies.get(LANG_COOKIE), settings.default_lang)
        response: Response = await call_next(request)
        if asked in LANGS:  # remember an explicit choice
            response.set_cookie(
                LANG_COOKIE, asked, max_age=LANG_COOKIE_MAX_AGE, samesite="lax", httponly=True
            )
        return response

    @app.exception_handler(SeeOther)
    async def see_other(request: Request, exc: SeeOther) -> Response:
        response = RedirectResponse(exc.location, status_code=303)
        if exc.clear_session:  # a dead session's cookie is of no use to anyone
            clear_cookie(response, SESSION_COOKIE, settings)
        return response

    app.add_exception_handler(CaseError, cases.case_error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_page(request, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422)

    extra = hsts_header(settings.hsts_max_age) if settings.secure_cookies and settings.hsts_max_age else {}
    app.add_middleware(SecurityHeadersMiddleware, extra=extra)
    return app


def _error_page(request: Request, status_code: int) -> Response:
    if not hasattr(request.state, "lang"):  # raised before the language middleware ran
        default = request.app.state.settings.default_lang
        request.state.lang = pick_lang(None, request.cookies.get(LANG_COOKIE), default)
    known = {400, 401, 403, 404, 405, 409, 422, 429}
    key = f"error.{status_code}" if status_code in known else "error.other"
    return render(request, "error.html", {"message_key": key, "status": status_code}, status_code)
