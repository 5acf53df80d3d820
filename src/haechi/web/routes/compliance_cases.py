"""Pages for the risk register (with the heat map), incidents (with live countdowns and
draft reports), and the guided plan/assessment forms (ko/en)."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor
from haechi.compliance.messages import localized
from haechi.compliance.vocab import CRA_INCIDENT_KINDS, INCIDENT_SOURCES, SERIOUS_CATEGORIES, SEVERITIES
from haechi.domain.errors import ValidationFailed

from ..views import redirect, render, translator
from .compliance import clean, form_data, page_actor
from .systems import system_header

router = APIRouter()


def _int(values: dict[str, Any], key: str) -> int | None:
    text = str(values.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(f"{key}: '{text}' is not a whole number", key="web.not_whole_number",
                               values={"key": key})
    return int(text)


def _listed(values: dict[str, Any], key: str) -> list[str]:
    raw = values.get(key)
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return [str(i).strip() for i in items if str(i).strip()]


# --- risks ---------------------------------------------------------------------------------
@router.get("/compliance/risks")
def risks_page(request: Request, system: str = "", residual: bool = False,
               actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    data = {"risks": hc.compliance.risks.list(actor, system or None),
            "risk_heatmap": hc.compliance.risks.heatmap(actor, system or None, residual),
            "matrix": hc.compliance.risks.matrix(actor).model_dump(), "system": system, "residual": residual,
            "systems": [s.slug for s in hc.systems.all(actor)], "cra_kinds": ["none", *CRA_INCIDENT_KINDS]}
    return render(request, "compliance/risks.html", data, title=translator(request)("compliance.risks"))


@router.post("/compliance/risks")
async def risks_add(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    likelihood, severity = _int(values, "likelihood"), _int(values, "severity")
    if likelihood is None or severity is None:
        raise ValidationFailed("rate likelihood and severity", key="web.rate_likelihood_severity")
    get_hc(request).compliance.risks.add(
        actor, likelihood=likelihood, severity=severity, system=values.get("system") or None,
        affected=[a.strip() for a in str(values.get("affected") or "").split(",") if a.strip()],
        **clean(values, "title", "hazard", "harm", "owner") | {"title": str(values.get("title") or "")})
    return redirect("/compliance/risks")


@router.post("/compliance/risks/{ref}")
async def risks_update(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    """Residual rating, a new treatment, acceptance or closure from the register page."""
    values = await form_data(request)
    svc = get_hc(request).compliance.risks
    action = values.get("action")
    if action == "accept":
        svc.accept(actor, ref, str(values.get("note") or ""))
    elif action == "close":
        svc.close(actor, ref, str(values.get("note") or ""))
    elif action == "treat":
        current = svc.get(actor, ref)["treatments"]
        svc.update(actor, ref, treatments=[*current, clean(values, "action_text", "type", "owner", "due")
                                           | {"action": str(values.get("action_text") or "")}])
    else:
        svc.update(actor, ref, residual_likelihood=_int(values, "residual_likelihood"),
                   residual_severity=_int(values, "residual_severity"))
    return redirect("/compliance/risks")


# --- incidents ---------------------------------------------------------------------------------
@router.get("/compliance/incidents")
def incidents_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    data = {"incidents": hc.compliance.incidents.list(actor), "sources": list(INCIDENT_SOURCES),
            "severities": list(SEVERITIES), "categories": list(SERIOUS_CATEGORIES),
            "systems": [s.slug for s in hc.systems.all(actor)], "cra_kinds": ["none", *CRA_INCIDENT_KINDS]}
    return render(request, "compliance/incidents.html", data, title=translator(request)("compliance.incidents"))


@router.post("/compliance/incidents")
async def incidents_open(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    created = get_hc(request).compliance.incidents.open(
        actor, title=str(values.get("title") or ""), system=values.get("system") or None,
        categories=_listed(values, "categories"), widespread_infringement=values.get("widespread") == "on",
        **clean(values, "description", "source", "severity", "aware_at", "occurred_at", "cra"))
    return redirect(f"/compliance/incidents/{created['ref']}")


@router.get("/compliance/incidents/{ref}")
def incident_page(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    lang = translator(request).lang
    incident = hc.compliance.incidents.get(actor, ref)
    data = {"incident": incident, "categories": list(SERIOUS_CATEGORIES), "severities": list(SEVERITIES),
            "cra_kinds": ["none", *CRA_INCIDENT_KINDS],
            "report": hc.compliance.incidents.draft_report(actor, ref, "eu", lang),
            "report_kr": hc.compliance.incidents.draft_report(actor, ref, "kr", lang)}
    return render(request, "compliance/incident.html", data, title=f"{ref} {short_title(incident, lang)}")


def short_title(incident: dict[str, Any], lang: str) -> str:
    """The incident's title for the browser tab, in ``lang``: identifiers from the user's data
    (a column) are left out, as plain text cannot mark them as code."""
    text = localized(incident["title"], incident.get("title_message"), lang, code=lambda _: "")
    return " ".join(html.unescape(text or incident["title"]).split())


@router.post("/compliance/incidents/{ref}")
async def incident_update(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    svc = get_hc(request).compliance.incidents
    action = values.get("action")
    if action == "classify":
        svc.classify(actor, ref, categories=_listed(values, "categories"),
                     widespread_infringement=values.get("widespread") == "on",
                     severity=values.get("severity") or None, cra=values.get("cra") or None,
                     cra_fix_available_at=values.get("cra_fix_available_at") or None)
    elif action == "note":
        svc.note(actor, ref, str(values.get("text") or ""))
    elif action == "status":
        svc.set_status(actor, ref, str(values.get("status") or ""), values.get("text") or None)
    elif action == "root_cause":
        svc.set_root_cause(actor, ref, str(values.get("text") or ""))
    elif action == "corrective":
        svc.add_action(actor, ref, str(values.get("text") or ""), values.get("owner") or None,
                       values.get("due") or None)
    elif action == "file":
        svc.file_report(actor, ref, clock=values.get("clock") or None, reference=values.get("reference") or None,
                        filed_at=values.get("filed_at") or None)
    elif action == "close":
        svc.close(actor, ref, str(values.get("text") or ""))
    else:
        raise ValidationFailed("unknown action", key="web.unknown_action")
    return redirect(f"/compliance/incidents/{ref}")


# --- plans and assessments --------------------------------------------------------------------------
def _plan_data(request: Request, actor: Actor, system_id: str, kind: str,
               answers: dict[str, Any] | None = None, issues: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    hc = get_hc(request)
    data = system_header(request, actor, system_id)
    try:
        current = hc.compliance.documents.get(actor, system_id, kind)
    except Exception:  # NotFound: no version yet, start from suggestions
        current = None
    suggested = hc.compliance.documents.prefill(actor, system_id, kind, translator(request).lang)
    values = answers if answers is not None else (current["answers"] if current else suggested)
    return data | {"form": hc.compliance.documents.form(kind), "document": current, "values": values,
                   "suggested": suggested, "issues": issues or [],
                   "field_errors": {i["location"]: i["message"] for i in issues or []}}


@router.get("/systems/{system_id}/plans/{kind}")
def plan_page(request: Request, system_id: str, kind: str, actor: Actor = Depends(page_actor)) -> Response:
    data = _plan_data(request, actor, system_id, kind)
    title = data["form"]["title_ko"] if translator(request).lang == "ko" else data["form"]["title"]
    return render(request, "compliance/plan.html", data, title=title)


@router.post("/systems/{system_id}/plans/{kind}")
async def plan_save(request: Request, system_id: str, kind: str, actor: Actor = Depends(page_actor)) -> Response:
    """Save a draft (and approve it when asked); problems are shown next to their fields."""
    values = await form_data(request)
    definition = get_hc(request).compliance.documents.form(kind)
    answers = _answers(definition, values)
    svc = get_hc(request).compliance.documents
    try:
        svc.save(actor, system_id, kind, answers, values.get("note") or None)
        if values.get("approve"):
            svc.approve(actor, system_id, kind)
    except ValidationFailed as error:
        data = _plan_data(request, actor, system_id, kind, answers, [i.to_dict() for i in error.issues])
        return render(request, "compliance/plan.html", data, status=422)
    return redirect(f"/systems/{system_id}/plans/{kind}")


def _answers(definition: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section in definition["sections"]:
        for f in section["fields"]:
            raw = values.get(f["id"])
            if f["type"] == "multichoice":
                out[f["id"]] = _listed(values, f["id"])
            elif f["type"] == "bool":
                out[f["id"]] = raw == "on"
            elif raw not in (None, ""):
                out[f["id"]] = raw
    return out
