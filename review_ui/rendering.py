"""Page rendering: one Jinja environment (autoescape always on) and the common page context."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .deps import INVESTIGATE_ROLES, OPERATE_ROLES, VIEW_ROLES
from .entity_links import entity_url
from .i18n import LANGS, translator
from .labels import labeller
from .security import csrf_token, is_http_url

TEMPLATE_DIR = Path(__file__).parent / "templates"
DISPLAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # reviewers read local (UTC+7) times


def format_when(value: datetime | None) -> str:
    """Local time to the minute; naive datetimes from the store are UTC."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # scraped content is hostile: never rely on file-extension rules
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = format_when
    env.tests["http_url"] = is_http_url
    env.globals["entity_url"] = entity_url  # /entities/<kind>/<value>, encoded
    return Jinja2Templates(env=env)


def lang_switch(request: Request, lang: str) -> tuple[str, str]:
    """(other language, relative URL of this page in it) for the header switch."""
    other = next(code for code in LANGS if code != lang)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", other))
    return other, request.url.path + "?" + urlencode(params)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    lang = request.state.lang
    user = getattr(request.state, "user", None)  # set once the session was resolved (full stage)
    other_lang, switch_url = lang_switch(request, lang)
    page: dict[str, Any] = {
        "t": translator(lang),
        "label": labeller(lang),
        "lang": lang,
        "other_lang": other_lang,
        "lang_switch_url": switch_url,
        "username": user.username if user else None,
        "is_admin": bool(user and user.role == "admin"),
        "can_view": bool(user and user.role in VIEW_ROLES),  # queue, search (not operators)
        "can_investigate": bool(user and user.role in INVESTIGATE_ROLES),  # cases, exports, watchlist
        "can_operate": bool(user and user.role in OPERATE_ROLES),  # the operations page
        "csrf_token": csrf_token(request),
    }
    page.update(context or {})
    templates: Jinja2Templates = request.app.state.templates
    block = getattr(request.state, "fragment", None)
    if block is not None and is_htmx(request):  # htmx asked for a part: render only that block
        template = templates.env.get_template(name)
        body = "".join(template.blocks[block](template.new_context({"request": request, **page})))
        return HTMLResponse(body, status_code=status_code)
    return templates.TemplateResponse(request, name, page, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def as_fragment(request: Request, block: str) -> None:
    """An htmx request to this route gets only `block` of its template (the template's blocks
    double as fragments; a plain request still gets the whole page)."""
    request.state.fragment = block
