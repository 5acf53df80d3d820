"""Login, logout and the language switch.

The login form carries a CSRF token even though nobody is logged in yet: without it
another site could log a visitor into the attacker's account (login CSRF). Before a
session exists the token is a random value in a ``SameSite=Strict`` cookie that the
form must echo (double submit); logout is a POST with the session's token.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from haechi.api.deps import SESSION_COOKIE, get_hc, session_actor
from haechi.domain.errors import TooManyRequests, Unauthorized

from ..i18n import LANGUAGES
from ..views import LANG_COOKIE, check_csrf, local_path, redirect, render, translator

router = APIRouter()
LOGIN_CSRF_COOKIE = "haechi_login_csrf"


def _secure(request: Request) -> bool:
    mode = get_hc(request).settings.cookie_secure
    if mode == "always":
        return True
    if mode == "never":
        return False
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto == "https"


def _login_form(request: Request, next_path: str | None, *, error: str | None = None, email: str = "",
                status: int = 200) -> Response:
    """The login page with a fresh pre-session CSRF token (cookie and hidden field)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not 24 <= len(token) <= 64:  # keep a live token so two open login tabs both work
        token = secrets.token_urlsafe(24)
    data = {"next": local_path(next_path, "/"), "error": error, "email": email, "login_csrf": token}
    response = render(request, "auth/login.html", data, status=status, title=translator(request)("auth.title"))
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                        max_age=3600, path="/login")
    return response


def _login_csrf_ok(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(expected) and secrets.compare_digest(expected.encode(), submitted.encode())


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return _login_form(request, next)


@router.post("/login")
def login(request: Request, email: str = Form(...), password: str = Form(...),
          next: str = Form("/"), csrf_token: str = Form("")) -> Response:
    hc = get_hc(request)
    t = translator(request)
    if not _login_csrf_ok(request, csrf_token):
        return _login_form(request, next, error=t("auth.expired"), email=email, status=403)
    try:
        actor = hc.accounts.authenticate(email, password, request.client.host if request.client else None)
    except TooManyRequests as refused:
        response = _login_form(request, next, error=refused.message_ko if t.lang == "ko" else refused.message,
                               email=email, status=429)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    except Unauthorized:
        return _login_form(request, next, error=t("auth.failed"), email=email, status=401)
    session_id, _ = hc.accounts.start_session(actor)
    response = redirect(local_path(next, "/"))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=hc.settings.session_hours * 3600, path="/")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    live = bool(cookie) and session_actor(request, get_hc(request)) is not None
    if live:  # only a live session can be ended, and only by its own page (no token: 403)
        check_csrf(request, csrf_token)
    if cookie:
        get_hc(request).accounts.end_session(cookie)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = redirect(local_path(next, "/"))
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response
