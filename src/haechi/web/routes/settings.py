"""Organisation settings: people and roles (admins), API tokens (everyone)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import RowId, get_hc
from haechi.auth.roles import ROLES, Actor, Permission
from haechi.domain.errors import HaechiError

from ..views import check_csrf, page_actor, render, translator

router = APIRouter()


def _page(request: Request, actor: Actor, *, new_token: str | None = None, error: str | None = None,
          status: int = 200) -> Response:
    hc = get_hc(request)
    is_admin = actor.can(Permission.ADMIN)
    data = {
        "organisation": hc.accounts.get_org(actor.org_slug).to_dict(),
        "users": [u.to_dict() for u in hc.accounts.list_users(actor)],
        "tokens": hc.accounts.list_tokens(actor),
        "roles": list(ROLES),
        "is_admin": is_admin,
        # an admin issues ingestion-only tokens for these (a model service embeds one)
        "systems": [r.slug for r in hc.systems.all(actor)] if is_admin else [],
        "new_token": new_token,
        "error": error,
    }
    return render(request, "settings/index.html", data, status=status, title=translator(request)("settings.title"))


@router.get("/settings")
def settings_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    return _page(request, actor)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    return {k: str(v) for k, v in form.items()}


def _message(request: Request, error: HaechiError) -> str:
    lang = translator(request).lang
    return error.message_ko if lang == "ko" and error.message_ko else error.message


@router.post("/settings/users")
async def create_user(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await _form(request)
    try:
        get_hc(request).accounts.create_user(actor, form.get("email", ""), form.get("role", "viewer"),
                                             form.get("password") or None, form.get("name") or None)
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor)


@router.post("/settings/users/{email}")
async def update_user(request: Request, email: str, actor: Actor = Depends(page_actor)) -> Response:
    form = await _form(request)
    active = {"yes": True, "no": False}.get(form.get("active", ""))
    try:
        get_hc(request).accounts.update_user(actor, email, role=form.get("role") or None, active=active)
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor)


@router.post("/settings/tokens")
async def create_token(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await _form(request)
    days = form.get("expires_days", "")
    try:
        token = get_hc(request).accounts.create_token(actor, actor.label, form.get("name") or None,
                                                      int(days) if days.isdigit() else None)
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor, new_token=token)


@router.post("/settings/tokens/ingest")
async def create_ingest_token(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """An ingestion-only token of the signed-in admin for the ticked systems."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    systems = [str(v) for v in form.getlist("systems") if str(v).strip()]
    days = str(form.get("expires_days") or "")
    try:
        token = get_hc(request).accounts.create_token(actor, actor.label, str(form.get("name") or "") or None,
                                                      int(days) if days.isdigit() else None, systems)
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor, new_token=token)


@router.post("/settings/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: RowId, actor: Actor = Depends(page_actor)) -> Response:
    await _form(request)
    get_hc(request).accounts.revoke_token(actor, token_id)
    return _page(request, actor)
