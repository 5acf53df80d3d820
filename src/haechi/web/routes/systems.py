"""System pages: list with search and filters, detail, history, create and edit forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor
from haechi.domain.card import DOMAINS, LIFECYCLE_STAGES, SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.domain.validation import parse_model

from ..cardform import CARD_FIELDS, card_to_form_values, display_value, form_to_card_data, sections
from ..operatorview import operator_rows
from ..views import check_csrf, local_title, page_actor, redirect, render, translator

router = APIRouter()
PAGE_SIZE = 25


def system_header(request: Request, actor: Actor, system_id: str) -> dict[str, Any]:
    """Data every system tab shows at the top (used by capabilities' tabs too)."""
    record = get_hc(request).systems.get(actor, system_id)
    return {"system": record.summary(), "card": record.card.to_json(), "operator_rows": operator_rows(record)}


@router.get("/systems")
def systems_list(request: Request, q: str = "", domain: str = "", market: str = "", stage: str = "",
                 status: str = "", page: int = 1, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    page = max(page, 1)
    filters = {"domains": domain, "markets": market, "lifecycle_stage": stage, "status": status}
    result = hc.systems.list(actor, q=q or None, filters=filters, limit=PAGE_SIZE,
                             offset=(page - 1) * PAGE_SIZE)
    data = {"items": [r.summary() for r in result.items], "total": result.total, "page": page,
            "pages": max(1, -(-result.total // PAGE_SIZE)),
            "query": {"q": q, "domain": domain, "market": market, "stage": stage, "status": status},
            "choices": {"domains": list(DOMAINS), "stages": list(LIFECYCLE_STAGES),
                        "statuses": ["planned", "development", "production", "retired"]}}
    template = "systems/_rows.html" if request.headers.get("hx-request") else "systems/list.html"
    return render(request, template, data, title=translator(request)("systems.title"))


def _form_page(request: Request, values: dict[str, Any], mode: str, issues: list[dict[str, Any]],
               system_id: str | None = None, status: int = 200, revision: int | None = None) -> Response:
    by_field: dict[str, list[str]] = {}
    for issue in issues:
        by_field.setdefault(issue.get("location", ""), []).append(
            issue["message"] + (f" — {issue['fix']}" if issue.get("fix") else ""))
    shown = {f.path: display_value(f, values.get(f.path)) for f in CARD_FIELDS}
    multi = {f.path: values.get(f.path) for f in CARD_FIELDS if f.kind == "multi"}
    data = {"mode": mode, "system_id": system_id, "values": shown, "multi": multi, "issues": issues,
            "field_errors": by_field, "revision": revision}
    t = translator(request)
    return render(request, "systems/form.html", {**data, "sections": sections()}, status=status,
                  title=t("systems.new") if mode == "create" else t("systems.edit"))


def _submitted(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    raw = {key: form.getlist(key) for key in form}
    present = set(form.getlist("__multi__"))
    data = form_to_card_data(raw, present)
    return data, card_to_form_values(data)


@router.get("/systems/new")
def new_system(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    return _form_page(request, {}, "create", [])


@router.post("/systems/new")
async def create_system(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    data, values = _submitted(form)
    try:
        card = parse_model(SystemCard, data, None, "system card", "시스템 카드")
        get_hc(request).systems.add(actor, card, note=str(form.get("note") or "") or None)
    except ValidationFailed as error:
        return _form_page(request, values, "create", [i.to_dict() for i in error.issues] or
                          [{"location": "", "message": error.message}], status=422)
    return redirect(f"/systems/{card.id}?created=1")


@router.get("/systems/{system_id}")
def system_detail(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    data = system_header(request, actor, system_id)
    values = card_to_form_values(data["card"])
    data["sections"] = [{"key": key, "fields": [{"path": f.path, "kind": f.kind, "value": values.get(f.path)}
                                                for f in fields]} for key, fields in sections()]
    return render(request, "systems/detail.html", data, title=local_title(request, data["system"]))


@router.get("/systems/{system_id}/history")
def system_history(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    data = system_header(request, actor, system_id)
    from haechi.rules.answers import answer_note_ko  # the Korean of notes written on answering questions

    data["revisions"] = [{**r.to_dict(), "note_ko": answer_note_ko(r.note)}
                         for r in reversed(hc.systems.history(actor, system_id))]
    return render(request, "systems/history.html", data, title=local_title(request, data["system"]))


@router.get("/systems/{system_id}/edit")
def edit_system(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    record = get_hc(request).systems.get(actor, system_id)
    return _form_page(request, card_to_form_values(record.card.to_json()), "edit", [], system_id,
                      revision=record.revision)


@router.post("/systems/{system_id}/edit")
async def update_system(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    data, values = _submitted(form)
    data["id"] = system_id
    revision = int(str(form.get("revision") or 0)) or None
    try:
        card = parse_model(SystemCard, data, None, "system card", "시스템 카드")
        get_hc(request).systems.update(actor, card, expected_revision=revision,
                                       note=str(form.get("note") or "") or None)
    except ValidationFailed as error:
        return _form_page(request, values, "edit", [i.to_dict() for i in error.issues] or
                          [{"location": "", "message": error.message}], system_id, 422, revision)
    return redirect(f"/systems/{system_id}?updated=1")


@router.post("/systems/{system_id}/delete")
async def delete_system(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    get_hc(request).systems.remove(actor, system_id, note=str(form.get("note") or "") or None)
    return redirect("/systems?removed=" + system_id)
