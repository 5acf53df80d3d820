"""Login, logout and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from haechi.api.deps import SESSION_COOKIE, get_hc
from haechi.domain.errors import Unauthorized

from ..i18n import LANGUAGES
from ..views import LANG_COOKIE, redirect, render, translator

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after login.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _secure(request: Request) -> bool:
    mode = get_hc(request).settings.cookie_secure
    if mode == "always":
        return True
    if mode == "never":
        return False
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto == "https"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None},
                  title=translator(request)("auth.title"))


@router.post("/login")
def login(request: Request, email: str = Form(...), password: str = Form(...),
          next: str = Form("/")) -> Response:
    hc = get_hc(request)
    try:
        actor = hc.accounts.authenticate(email, password)
    except Unauthorized:
        t = translator(request)
        return render(request, "auth/login.html", {"next": _safe_next(next), "error": t("auth.failed"),
                                                   "email": email}, status=401, title=t("auth.title"))
    session_id, _ = hc.accounts.start_session(actor)
    response = redirect(_safe_next(next))
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=hc.settings.session_hours * 3600, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        get_hc(request).accounts.end_session(cookie)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = redirect(_safe_next(next))
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response
