"""Application factory: settings, store and search backend come in; nothing is global."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from index.search.base import SearchBackend
from index.store import Store

from .deps import LoginRequired, login_url
from .i18n import LANG_COOKIE, LANGS, pick_lang
from .rendering import build_templates, render
from .routes import auth, evidence, posts, queue
from .routes import search as search_routes
from .security import SecurityHeadersMiddleware
from .settings import UISettings

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "lurewatch_session"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def create_app(settings: UISettings, store: Store, search: SearchBackend) -> FastAPI:
    app = FastAPI(title="lurewatch review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store
    app.state.search = search
    app.state.templates = build_templates()

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, queue, posts, search_routes, evidence):
        app.include_router(module.router)

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

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_page(request, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422)

    # Last added is outermost: headers wrap everything, the session wraps the app.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=False,  # served on loopback over plain HTTP
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _error_page(request: Request, status_code: int) -> Response:
    if not hasattr(request.state, "lang"):  # raised before the language middleware ran
        default = request.app.state.settings.default_lang
        request.state.lang = pick_lang(None, request.cookies.get(LANG_COOKIE), default)
    known = {400, 401, 403, 404, 405, 422}
    key = f"error.{status_code}" if status_code in known else "error.other"
    return render(request, "error.html", {"message_key": key, "status": status_code}, status_code)
