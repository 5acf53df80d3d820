"""Rendering helpers shared by every page.

Each page builds one JSON-able ``data`` dict and calls :func:`render`; with
``?format=json`` the same URL returns that dict (the page's JSON twin), so the
dashboard never shows a number the API cannot give.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from haechi import __version__
from haechi.api.deps import get_hc, session_actor
from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import PermissionDenied
from haechi.domain.localformat import DEFAULT_ZONE, local_date, local_datetime, won

from .cardform import CARD_FIELDS, VOCAB_PREFIX
from .i18n import Translator, pick_language
from .nav import nav_items
from .tabs import system_tabs

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
LANG_COOKIE = "haechi_lang"


class LoginRequired(Exception):
    """Raised by :func:`page_actor` when no session exists; the app redirects to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def language(request: Request) -> str:
    return pick_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def translator(request: Request) -> Translator:
    if not hasattr(request.state, "translator"):
        request.state.translator = Translator(language(request))
    found: Translator = request.state.translator
    return found


def localized(item: Any, lang: str, field: str = "name") -> str:
    """``item[field + "_ko"]`` on a Korean page when it is set, else ``item[field]``.

    Records keep an international text and an optional Korean one side by side (a
    system's ``name``/``name_ko``, a control's ``title``/``title_ko``).
    """
    korean = item.get(f"{field}_ko") if lang == "ko" else None
    return str(korean or item.get(field) or "")


def local_title(request: Request, item: Any, field: str = "name") -> str:
    """The page title for a record: its Korean name on Korean pages."""
    return localized(item, translator(request).lang, field)


def page_actor(request: Request) -> Actor:
    """Dependency for pages: the logged-in actor, or a redirect to the login page."""
    found = session_actor(request, get_hc(request))
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return found[0]


def csrf_token(request: Request) -> str:
    found = session_actor(request, get_hc(request))
    return found[1] if found else ""


def check_csrf(request: Request, submitted: str | None) -> None:
    """Forms must echo the session's CSRF token (field ``csrf_token`` or header)."""
    expected = csrf_token(request)
    given = submitted or request.headers.get("x-csrf-token")
    if not expected or given != expected:
        raise PermissionDenied("the form expired or came from another site; reload the page and try again",
                               key="web.form_expired_came_from")


def json_twin_requested(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def render(request: Request, template: str, data: dict[str, Any], *, status: int = 200,
           title: str | None = None) -> Response:
    """Render ``template`` with ``data`` — or return ``data`` itself for ``?format=json``."""
    if json_twin_requested(request):
        return JSONResponse(_jsonable(data), status_code=status)
    t = translator(request)
    hc = get_hc(request)
    found = session_actor(request, hc)
    actor = found[0] if found else None
    context = {
        **data,
        "data": data,
        "t": t,
        "lang": t.lang,
        "tz": hc.reminders.timezone(actor) if actor else hc.clock.timezone,
        "actor": actor,
        "can_write": bool(actor and actor.can(Permission.WRITE)),
        "csrf": found[1] if found else "",
        "csrf_input": lambda: Markup(f'<input type="hidden" name="csrf_token" value="{found[1] if found else ""}">'),
        "nav": nav_items(),
        "system_tabs": system_tabs(),
        "path": request.url.path,
        "json_url": _json_url(request),
        "title": title,
        "version": __version__,
        "quote": quote,
        "local": lambda item, field="name": localized(item, t.lang, field),
    }
    return templates.TemplateResponse(request, template, context, status_code=status)


def _json_url(request: Request) -> str:
    query = dict(request.query_params)
    query["format"] = "json"
    return request.url.path + "?" + "&".join(f"{quote(k)}={quote(str(v))}" for k, v in query.items())


def redirect(path: str, status: int = 303) -> RedirectResponse:
    return RedirectResponse(path, status_code=status)


def local_path(target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site, else ``fallback``: a form's "back" or the
    login's "next" never sends the browser to another site.

    Browsers read ``/\\host`` like ``//host`` and drop tabs and line breaks inside a URL, so
    a backslash or a control character anywhere makes the target foreign too."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return fallback
    return target


def fmt_datetime(value: Any, lang: str = "en", tz: str = DEFAULT_ZONE) -> str:
    """A timestamp for a person: to the minute, in the organisation's zone, with the zone's name."""
    return "—" if value is None else local_datetime(value, lang, tz)


@pass_context
def _datetime_filter(context: Any, value: Any, tz: str | None = None) -> str:
    """``{{ x | dt }}`` in the organisation's zone; ``{{ x | dt(zone) }}`` in another (a regulator
    clock runs in its own zone)."""
    return fmt_datetime(value, context.get("lang", "en"), tz or context.get("tz", DEFAULT_ZONE))


@pass_context
def _date_filter(context: Any, value: Any) -> str:
    """``{{ x | day }}``: a calendar date as the reader writes it (2026년 12월 6일 / 2026-12-06).

    Machine-readable places keep ISO: ``<time datetime>``, form values, JSON and the API."""
    return local_date(value, context.get("lang", "en"), context.get("tz", DEFAULT_ZONE))


templates.env.filters["dt"] = _datetime_filter
templates.env.filters["day"] = _date_filter
templates.env.filters["won"] = won


def fmt_number(value: Any) -> str:
    """Thousands separators for counts and money; scientific notation for huge floats."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and (abs(value) >= 1e9 or (0 < abs(value) < 1e-3)):
        return f"{value:.2e}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


templates.env.filters["num"] = fmt_number


def stored_text(text: str | None, message: Any, lang: str) -> Markup | str:
    """A sentence the product stored with a record, in the page's language; identifiers from
    the user's data (columns, monitor names) are marked as code, everything else escaped."""
    from haechi.compliance.messages import localized

    html = localized(None, message, lang, code=lambda ident: f"<code>{escape(ident)}</code>")
    return Markup(html) if html is not None else (text or "")


templates.env.globals["stored_text"] = stored_text


def incident_identifiers(incident: dict[str, Any]) -> list[str]:
    """The identifiers (columns, monitor names) in an incident's stored sentences."""
    from haechi.compliance.messages import identifiers

    lines = [(e.get("data") or {}).get("message") for e in incident.get("timeline") or []]
    return identifiers(incident.get("title_message"), incident.get("description_message"), *lines)


def code_marked(text: str, idents: list[str]) -> Markup:
    """Plain ``text`` escaped, with each of ``idents`` (as a whole word) marked as code."""
    html = str(escape(text))
    if not idents:
        return Markup(html)
    words = "|".join(re.escape(str(escape(ident))) for ident in idents)  # longest first
    return Markup(re.sub(rf"(?<![\w-])(?:{words})(?![\w-])", lambda found: f"<code>{found[0]}</code>", html))


def quoted_code(text: str) -> Markup:
    """A check's message escaped, with the names it quotes ('column') marked as code: the
    checks quote what the person typed or the log holds, which is data, not prose."""
    quoted = r"&#39;((?:(?!&#39;)\S){1,200}?)&#39;"  # (markupsafe escapes the quotes themselves)
    return Markup(re.sub(quoted, lambda found: f"<code>{found[1]}</code>", str(escape(text))))


templates.env.filters["quoted_code"] = quoted_code
templates.env.globals["incident_identifiers"] = incident_identifiers
templates.env.globals["code_marked"] = code_marked
templates.env.globals["vocab_prefix"] = VOCAB_PREFIX
#: Card fields holding a calendar date: a change log shows them like the system page does.
templates.env.globals["card_date_fields"] = frozenset(f.path for f in CARD_FIELDS if f.kind == "date")
templates.env.globals["tojson_pretty"] = lambda v: json.dumps(v, ensure_ascii=False, indent=2, default=str)
