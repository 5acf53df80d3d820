"""Organisation settings: the company's operator facts and people and roles (admins), API tokens (everyone)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import RowId, get_hc
from haechi.auth.roles import ROLES, Actor, Permission
from haechi.domain.card import Operator
from haechi.domain.errors import HaechiError
from haechi.domain.validation import parse_model
from haechi.rules.answers import answer_note_ko

from ..cardform import form_to_card_data
from ..operatorview import facts_form_fields
from ..views import check_csrf, page_actor, redirect, render, translator

router = APIRouter()


def _page(request: Request, actor: Actor, *, new_token: str | None = None, error: str | None = None,
          status: int = 200) -> Response:
    hc = get_hc(request)
    is_admin = actor.can(Permission.ADMIN)
    facts = hc.org_facts.current(actor)
    data = {
        "organisation": hc.accounts.get_org(actor.org_slug).to_dict(),
        "org_facts": {"revision": facts.revision, "actor": facts.actor, "created_at": facts.created_at,
                      "fields": facts_form_fields(facts.facts)},
        "org_facts_history": [{**r.to_dict(), "note_ko": answer_note_ko(r.note)}
                              for r in hc.org_facts.history(actor)[:10]],
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


@router.post("/settings/org-facts")
async def save_org_facts(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Store the company's operator facts (admins); every system is classified again."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    raw = {key: [str(v) for v in form.getlist(key)] for key in form if key.startswith("operator.")}
    revision = str(form.get("revision") or "")
    try:
        data = form_to_card_data(raw, set())
        facts = parse_model(Operator, data.get("operator", {}), None, "organisation facts", "회사 정보")
        get_hc(request).org_facts.set(actor, facts, expected_revision=int(revision) if revision.isdigit() else None,
                                      note=str(form.get("note") or "").strip()[:2000] or None)
    except HaechiError as error:
        details = "; ".join(f"{i.location}: {i.message}" for i in error.issues)
        return _page(request, actor, error=_message(request, error) + (f" ({details})" if details else ""),
                     status=error.status)
    return redirect("/settings?facts_saved=1#org-facts")


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
