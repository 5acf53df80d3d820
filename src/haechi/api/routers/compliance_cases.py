"""``/api/v1`` endpoints for risks, incidents (with clocks and draft reports), plans and
assessments (guided forms), and Korean Art. 33 confirmation requests."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi

from ..deps import Paging, RowId, current_actor, get_hc, paging
from ..models import returns
from ..models.compliance.cases import (
    ComplianceGetIncident,
    ComplianceGetMatrix,
    ComplianceGetRisk,
    ComplianceHeatmap,
    ComplianceIncidentReport,
    ComplianceListIncidents,
    ComplianceListRisks,
)
from ..models.compliance.documents import (
    ComplianceGetDocument,
    ComplianceGetForm,
    ComplianceListConfirmations,
    ComplianceListDocuments,
    ComplianceListForms,
    CompliancePrefillDocument,
    ComplianceSubmitConfirmation,
)
from .compliance import envelope

router = APIRouter(prefix="/api/v1", tags=["compliance"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewRisk(_Body):
    title: str
    likelihood: int
    severity: int
    system: str | None = None
    hazard: str | None = None
    harm: str | None = None
    affected: list[str] | None = None
    owner: str | None = None
    treatments: list[dict[str, Any]] | None = None
    review_date: str | None = None
    controls: list[str] | None = None


class RiskChange(_Body):
    title: str | None = None
    hazard: str | None = None
    harm: str | None = None
    affected: list[str] | None = None
    likelihood: int | None = None
    severity: int | None = None
    residual_likelihood: int | None = None
    residual_severity: int | None = None
    owner: str | None = None
    treatments: list[dict[str, Any]] | None = None
    review_date: str | None = None


class Note(_Body):
    note: str


class RiskLinkBody(_Body):
    control: str | None = None
    incident: str | None = None


class NewIncident(_Body):
    title: str
    system: str | None = None
    description: str | None = None
    source: str = "manual"
    severity: str = "medium"
    categories: list[str] = Field(default_factory=list)
    widespread_infringement: bool = False
    jurisdictions: list[str] | None = None
    cra: str | None = Field(None, description="Cyber Resilience Act Art. 14: exploited_vulnerability or "
                            "severe_incident (starts the 24 h / 72 h clocks when the system is a CRA product)")
    cra_fix_available_at: str | None = Field(None, description="when a corrective or mitigating measure for the "
                                             "exploited vulnerability became available")
    aware_at: str | None = None
    occurred_at: str | None = None
    clock_tz: str | None = None
    affected: dict[str, Any] | None = None


class Classification(_Body):
    categories: list[str] | None = None
    widespread_infringement: bool | None = None
    jurisdictions: list[str] | None = None
    severity: str | None = None
    cra: str | None = Field(None, description="exploited_vulnerability, severe_incident, or none to clear it")
    cra_fix_available_at: str | None = None


class IncidentStatus(_Body):
    status: str
    note: str | None = None


class Text(_Body):
    text: str


class Action(_Body):
    action: str
    owner: str | None = None
    due: str | None = None


class Filing(_Body):
    clock: str | None = None
    filed_at: str | None = None
    reference: str | None = None
    note: str | None = None


class Closure(_Body):
    summary: str


class Answers(_Body):
    answers: dict[str, Any]
    note: str | None = None


class NewConfirmation(_Body):
    system: str
    submitted_at: str | None = None
    note: str | None = None


class Step(_Body):
    step: str
    at: str | None = None
    reply: str | None = None


# --- risks -------------------------------------------------------------------------------------
@router.get("/risks", summary="Risk register", **returns(ComplianceListRisks))
def list_risks(system: str | None = None, include_closed: bool = False, page: Paging = Depends(paging),
               actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.compliance.risks.list(actor, system, include_closed), page)


@router.post("/risks", status_code=status.HTTP_201_CREATED, summary="Register a risk", **returns(ComplianceGetRisk))
def add_risk(body: NewRisk, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.add(actor, **body.model_dump())


@router.get("/risks/{ref}", summary="One risk", **returns(ComplianceGetRisk))
def get_risk(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.get(actor, ref)


@router.patch("/risks/{ref}", summary="Re-rate or treat a risk", **returns(ComplianceGetRisk))
def change_risk(ref: str, body: RiskChange, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.update(actor, ref, **body.model_dump(exclude_unset=True))


@router.post("/risks/{ref}/accept", summary="Accept the residual risk", **returns(ComplianceGetRisk))
def accept_risk(ref: str, body: Note, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.accept(actor, ref, body.note)


@router.post("/risks/{ref}/close", summary="Close a risk", **returns(ComplianceGetRisk))
def close_risk(ref: str, body: Note, actor: Actor = Depends(current_actor),
               hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.close(actor, ref, body.note)


@router.post("/risks/{ref}/links", summary="Link a risk to a control or an incident", **returns(ComplianceGetRisk))
def link_risk(ref: str, body: RiskLinkBody, actor: Actor = Depends(current_actor),
              hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.link(actor, ref, control=body.control, incident=body.incident)


@router.get("/risk-heatmap", summary="Heat map of open risks", **returns(ComplianceHeatmap))
def heatmap(system: str | None = None, residual: bool = False, actor: Actor = Depends(current_actor),
            hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.heatmap(actor, system, residual)


@router.get("/risk-matrix", summary="The organisation's risk matrix", **returns(ComplianceGetMatrix))
def get_matrix(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.matrix(actor).model_dump()


@router.put("/risk-matrix", summary="Replace the risk matrix (admin)", **returns(ComplianceGetMatrix))
def set_matrix(body: dict[str, Any], actor: Actor = Depends(current_actor),
               hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.risks.set_matrix(actor, body).model_dump()


# --- incidents ----------------------------------------------------------------------------------
@router.get("/incidents", summary="Incidents", **returns(ComplianceListIncidents))
def list_incidents(system: str | None = None, include_closed: bool = True, page: Paging = Depends(paging),
                   actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.compliance.incidents.list(actor, system, include_closed), page)


@router.post("/incidents", status_code=status.HTTP_201_CREATED, summary="Open an incident",
             **returns(ComplianceGetIncident))
def open_incident(body: NewIncident, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    fields = body.model_dump(exclude={"title", "system"})
    return hc.compliance.incidents.open(actor, title=body.title, system=body.system, **fields)


@router.get("/incidents/{ref}", summary="One incident with clocks and timeline", **returns(ComplianceGetIncident))
def get_incident(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.get(actor, ref)


@router.post("/incidents/{ref}/classification", summary="Classify (drives the regulator clocks)",
             **returns(ComplianceGetIncident))
def classify_incident(ref: str, body: Classification, actor: Actor = Depends(current_actor),
                      hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.classify(actor, ref, **body.model_dump())


@router.post("/incidents/{ref}/status", summary="Change status (not to closed)", **returns(ComplianceGetIncident))
def incident_status(ref: str, body: IncidentStatus, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.set_status(actor, ref, body.status, body.note)


@router.post("/incidents/{ref}/notes", summary="Add a note to the timeline", **returns(ComplianceGetIncident))
def incident_note(ref: str, body: Text, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.note(actor, ref, body.text)


@router.post("/incidents/{ref}/root-cause", summary="Record the root cause", **returns(ComplianceGetIncident))
def incident_root_cause(ref: str, body: Text, actor: Actor = Depends(current_actor),
                        hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.set_root_cause(actor, ref, body.text)


@router.post("/incidents/{ref}/actions", summary="Add a corrective action", **returns(ComplianceGetIncident))
def incident_action(ref: str, body: Action, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.add_action(actor, ref, body.action, body.owner, body.due)


@router.post("/incidents/{ref}/actions/{action_id}/done", summary="Mark a corrective action done",
             **returns(ComplianceGetIncident))
def incident_action_done(ref: str, action_id: RowId, actor: Actor = Depends(current_actor),
                         hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.complete_action(actor, ref, action_id)


@router.post("/incidents/{ref}/filings", summary="Record a report filed with a regulator",
             **returns(ComplianceGetIncident))
def incident_filing(ref: str, body: Filing, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.file_report(actor, ref, **body.model_dump())


@router.post("/incidents/{ref}/close", summary="Close (needs a root cause)", **returns(ComplianceGetIncident))
def close_incident(ref: str, body: Closure, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.close(actor, ref, body.summary)


@router.get("/incidents/{ref}/report", summary="Draft report in the regulator's structure",
            **returns(ComplianceIncidentReport))
def incident_report(ref: str, regulator: str = Query("eu", pattern="^(eu|kr)$"),
                    lang: str = Query("en", pattern="^(en|ko)$"), actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.incidents.draft_report(actor, ref, regulator, lang)


# --- plans and assessments --------------------------------------------------------------------------
@router.get("/forms", summary="Guided forms for plans and assessments", **returns(ComplianceListForms))
def list_forms(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.READ)
    items = hc.compliance.documents.forms()
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/forms/{kind}", summary="One form with sections, fields, labels ko/en and citations",
            **returns(ComplianceGetForm))
def get_form(kind: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.READ)
    return hc.compliance.documents.form(kind)


@router.get("/systems/{system_id}/documents", summary="Newest version of each document",
            **returns(ComplianceListDocuments))
def list_documents(system_id: str, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.compliance.documents.list(actor, system_id)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/systems/{system_id}/documents/{kind}", summary="A document version (default newest)",
            **returns(ComplianceGetDocument))
def get_document(system_id: str, kind: str, version: int | None = Query(None, ge=1),
                 actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.documents.get(actor, system_id, kind, version)


@router.post("/systems/{system_id}/documents/{kind}", status_code=status.HTTP_201_CREATED,
             summary="Save answers as a new draft version", **returns(ComplianceGetDocument))
def save_document(system_id: str, kind: str, body: Answers, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.documents.save(actor, system_id, kind, body.answers, body.note)


@router.post("/systems/{system_id}/documents/{kind}/approve", summary="Approve the newest draft",
             **returns(ComplianceGetDocument))
def approve_document(system_id: str, kind: str, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.documents.approve(actor, system_id, kind)


@router.get("/systems/{system_id}/documents/{kind}/prefill", summary="Suggested answers",
            **returns(CompliancePrefillDocument))
def prefill_document(system_id: str, kind: str, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.documents.prefill(actor, system_id, kind)


@router.get("/systems/{system_id}/documents/{kind}/history", summary="Every version",
            **returns(ComplianceListDocuments))
def document_history(system_id: str, kind: str, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.compliance.documents.history(actor, system_id, kind)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


# --- confirmations -----------------------------------------------------------------------------------
@router.get("/confirmations", summary="KR Art. 33 confirmation requests", **returns(ComplianceListConfirmations))
def list_confirmations(system: str | None = None, page: Paging = Depends(paging),
                       actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.compliance.confirmations.list(actor, system), page)


@router.post("/confirmations", status_code=status.HTTP_201_CREATED, summary="Record a submitted request",
             **returns(ComplianceSubmitConfirmation))
def submit_confirmation(body: NewConfirmation, actor: Actor = Depends(current_actor),
                        hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.confirmations.submit(actor, body.system, body.submitted_at, body.note)


@router.post("/confirmations/{confirmation_id}/steps", summary="Record extension, reply or re-request",
             **returns(ComplianceSubmitConfirmation))
def confirmation_step(confirmation_id: RowId, body: Step, actor: Actor = Depends(current_actor),
                      hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.confirmations.record(actor, confirmation_id, body.step, body.at, body.reply)
