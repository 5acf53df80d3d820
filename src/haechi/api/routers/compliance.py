"""``/api/v1`` compliance endpoints: controls, evidence, status and the audit ledger.

Every endpoint is a thin shell over ``hc.compliance`` / ``hc.ledger``: the services check
roles (viewer/auditor read, editor writes, auditor/admin audit, admin deletes) and
tenancy (another organisation's items are 404). Lists use the standard envelope.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi

from ..deps import Paging, current_actor, get_hc, paging
from ..models import FileBody, returns
from ..models.compliance.controls import (
    ComplianceChangeStatus,
    ComplianceCheckControls,
    ComplianceControlLibrary,
    ComplianceGetControl,
    ComplianceListControls,
    ComplianceOrgStatus,
    ComplianceSyncControls,
    ComplianceSystemStatus,
)
from ..models.compliance.evidence import (
    ComplianceAuditCheckpoint,
    ComplianceAuditCheckpoints,
    ComplianceAuditExport,
    ComplianceAuditVerify,
    ComplianceAutoEvidence,
    ComplianceDeleteEvidence,
    ComplianceEvidenceReview,
    ComplianceGetEvidence,
    ComplianceListEvidence,
    ComplianceResolveEvidence,
    ComplianceReviewPolicy,
    ComplianceUploadEvidence,
)

router = APIRouter(prefix="/api/v1", tags=["compliance"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusChange(_Body):
    status: str = Field(description="not_started | in_progress | operating | needs_review")
    reason: str | None = None


class Assignment(_Body):
    owner: str | None = None
    due_date: str | None = Field(None, description="YYYY-MM-DD")


class Lifecycle(_Body):
    title: str
    system: str | None = None
    controls: list[str] = Field(default_factory=list)
    evidence_type: str | None = None
    description: str | None = None
    effective_from: str | None = None
    effective_until: str | None = None
    valid_until: str | None = None
    collected_at: str | None = None
    polarity: str | None = None

    def meta(self) -> dict[str, Any]:
        skip = {"system", "controls", "url", "record"}
        return {k: v for k, v in self.model_dump(exclude=skip).items() if v is not None}


class LinkEvidence(Lifecycle):
    url: str


class RecordEvidence(Lifecycle):
    record: dict[str, Any]


class AutoEvidence(_Body):
    system: str
    kind: str = Field(description="evidence type, e.g. monitoring_result, notice_delivery")
    title: str
    payload: dict[str, Any]
    source: str | None = None
    source_ref: str | None = None
    articles: list[str] | None = None
    polarity: str | None = None
    effective_from: str | None = None
    valid_until: str | None = None


class Controls(_Body):
    controls: list[str] = Field(min_length=1)


class Resolution(_Body):
    resolution: str


class ReviewDecision(_Body):
    decision: str = Field(description="accept | reject", pattern="^(accept|reject)$")
    note: str = Field(description="what the reviewer checked (required)", max_length=4000)


class ControlDecision(_Body):
    decision: str = Field(description="approve | refuse", pattern="^(approve|refuse)$")
    note: str = Field(description="what the reviewer checked (required)", max_length=4000)


class ReviewPolicy(_Body):
    policy: str = Field(description="high_impact (four eyes for high-impact systems) | all")


def envelope(items: list[dict[str, Any]], page: Paging) -> dict[str, Any]:
    return {"items": items[page.offset:page.offset + page.limit], "total": len(items), "limit": page.limit,
            "offset": page.offset}


# --- controls ---------------------------------------------------------------------------------
@router.get("/controls", summary="List controls with their health", **returns(ComplianceListControls))
def list_controls(system: str | None = None, status_: str | None = Query(None, alias="status"),
                  include_retired: bool = False, page: Paging = Depends(paging),
                  actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.compliance.controls.list(actor, system, status_, include_retired), page)


@router.get("/controls/pending", summary="Controls waiting for approval to become operating",
            **returns(ComplianceListControls))
def pending_controls(system: str | None = None, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc), page: Paging = Depends(paging)) -> dict[str, Any]:
    return envelope(hc.compliance.controls.pending(actor, system), page)


@router.get("/controls/{ref}", summary="One control with evidence, obligations and history",
            **returns(ComplianceGetControl))
def get_control(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.controls.get(actor, ref)


@router.post("/controls/{ref}/status", summary="Move a control through its state machine",
             **returns(ComplianceChangeStatus))
def change_status(ref: str, body: StatusChange, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.controls.transition(actor, ref, body.status, body.reason)


@router.post("/controls/{ref}/review", summary="Approve or refuse a request to mark a control operating (four eyes)",
             **returns(ComplianceChangeStatus))
def review_control(ref: str, body: ControlDecision, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.controls.decide(actor, ref, body.decision == "approve", body.note)


@router.patch("/controls/{ref}", summary="Change owner and/or due date", **returns(ComplianceChangeStatus))
def assign_control(ref: str, body: Assignment, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.controls.assign(actor, ref, **body.model_dump(exclude_unset=True))


@router.post("/systems/{system_id}/controls/sync", summary="Re-classify and add or retire controls",
             **returns(ComplianceSyncControls))
def sync_controls(system_id: str, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.control_sync.sync(actor, system_id)


@router.post("/controls/check", summary="Demote controls whose evidence lapsed", **returns(ComplianceCheckControls))
def check_controls(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.review(actor)


@router.get("/control-library", summary="The control library", **returns(ComplianceControlLibrary))
def control_library(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.READ)
    items = [c.summary() for c in hc.compliance.library().controls.values()]
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


# --- evidence ---------------------------------------------------------------------------------
@router.get("/evidence", summary="List evidence", **returns(ComplianceListEvidence))
def list_evidence(system: str | None = None, control: str | None = None, history: bool = False,
                  page: Paging = Depends(paging), actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.compliance.evidence.list(actor, system, control, history), page)


@router.post("/evidence", status_code=status.HTTP_201_CREATED, summary="Upload a file as evidence",
             **returns(ComplianceUploadEvidence))
def upload_evidence(file: UploadFile = File(...), title: str | None = Form(None), system: str | None = Form(None),
                    controls: list[str] = Form(default_factory=list), evidence_type: str | None = Form(None),
                    media_type: str | None = Form(None), description: str | None = Form(None),
                    effective_from: str | None = Form(None), effective_until: str | None = Form(None),
                    valid_until: str | None = Form(None), collected_at: str | None = Form(None),
                    polarity: str | None = Form(None), actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    meta = {"title": title, "evidence_type": evidence_type, "description": description,
            "effective_from": effective_from, "effective_until": effective_until, "valid_until": valid_until,
            "collected_at": collected_at, "polarity": polarity}
    return hc.compliance.evidence.add_file(actor, file.file, filename=file.filename or "upload", system=system,
                                           media_type=media_type, controls=[c for c in controls if c],
                                           **{k: v for k, v in meta.items() if v})


@router.post("/evidence/links", status_code=status.HTTP_201_CREATED, summary="Record a link as evidence",
             **returns(ComplianceUploadEvidence))
def link_evidence(body: LinkEvidence, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.evidence.add_link(actor, body.url, system=body.system, controls=body.controls,
                                           **body.meta())


@router.post("/evidence/records", status_code=status.HTTP_201_CREATED, summary="Store a structured record",
             **returns(ComplianceUploadEvidence))
def record_evidence(body: RecordEvidence, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.evidence.add_record(actor, body.record, system=body.system, controls=body.controls,
                                             **body.meta())


@router.post("/evidence/auto", summary="Automatic evidence from a tool (idempotent)", **returns(ComplianceAutoEvidence))
def auto_evidence(body: AutoEvidence, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.WRITE)
    options = body.model_dump(exclude={"system", "kind", "title", "payload"}, exclude_none=True)
    return hc.compliance.record_auto_evidence(actor, body.system, body.kind, body.title, body.payload, **options)


@router.get("/evidence/pending", summary="Evidence waiting for review", **returns(ComplianceListEvidence))
def pending_evidence(system: str | None = None, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc), page: Paging = Depends(paging)) -> dict[str, Any]:
    return envelope(hc.compliance.reviews.pending(actor, system), page)


@router.get("/evidence/review-policy", summary="Who needs a second reviewer", **returns(ComplianceReviewPolicy))
def get_review_policy(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.reviews.policy(actor)


@router.put("/evidence/review-policy", summary="Set who needs a second reviewer (admin)",
            **returns(ComplianceReviewPolicy))
def set_review_policy(body: ReviewPolicy, actor: Actor = Depends(current_actor),
                      hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.reviews.set_policy(actor, body.policy)


@router.post("/evidence/{ref}/review", summary="Accept or reject evidence waiting for review (four eyes)",
             **returns(ComplianceEvidenceReview))
def review_evidence(ref: str, body: ReviewDecision, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.reviews.decide(actor, ref, body.decision == "accept", body.note)


@router.get("/evidence/{ref}", summary="One evidence item with revisions", **returns(ComplianceGetEvidence))
def get_evidence(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.evidence.get(actor, ref)


@router.get("/evidence/{ref}/file", summary="Download the evidence file", response_class=FileResponse,
            **FileBody("application/octet-stream", description="the stored file, byte for byte"))
def download_evidence(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> FileResponse:
    path, media, name = hc.compliance.evidence.download(actor, ref)
    # Always as an attachment: evidence is never rendered in the dashboard's origin.
    return FileResponse(path, media_type=media, filename=name, content_disposition_type="attachment",
                        headers={"X-Content-Type-Options": "nosniff"})


@router.post("/evidence/{ref}/revisions", status_code=status.HTTP_201_CREATED, summary="New revision",
             **returns(ComplianceUploadEvidence))
def revise_evidence(ref: str, file: UploadFile | None = File(None), title: str | None = Form(None),
                    effective_from: str | None = Form(None), effective_until: str | None = Form(None),
                    valid_until: str | None = Form(None), media_type: str | None = Form(None),
                    actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": title, "effective_from": effective_from, "effective_until": effective_until,
                            "valid_until": valid_until}
    return hc.compliance.evidence.revise(actor, ref, file.file if file else None,
                                         filename=file.filename if file else None, media_type=media_type,
                                         **{k: v for k, v in meta.items() if v})


@router.post("/evidence/{ref}/links", summary="Attach evidence to controls", **returns(ComplianceUploadEvidence))
def attach_evidence(ref: str, body: Controls, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.evidence.link(actor, ref, body.controls)


@router.post("/evidence/{ref}/resolve", summary="Resolve negative evidence", **returns(ComplianceResolveEvidence))
def resolve_evidence(ref: str, body: Resolution, actor: Actor = Depends(current_actor),
                     hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.evidence.resolve(actor, ref, body.resolution)


@router.delete("/evidence/{ref}", summary="Delete evidence after its retention period (admin)",
               **returns(ComplianceDeleteEvidence))
def delete_evidence(ref: str, reason: str = Query(...), actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.delete_evidence(actor, ref, reason)


# --- status --------------------------------------------------------------------------------------
@router.get("/status", summary="Organisation compliance status", **returns(ComplianceOrgStatus))
def org_status(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.status(actor)


@router.get("/systems/{system_id}/status", summary="One system's compliance status", **returns(ComplianceSystemStatus))
def system_status(system_id: str, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.compliance.status(actor, system_id)


# --- audit ------------------------------------------------------------------------------------------
@router.get("/audit/verify", summary="Verify the ledger and the stored evidence files",
            **returns(ComplianceAuditVerify))
def audit_verify(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    report = hc.ledger.verify(actor).to_dict()
    report["evidence_files"] = hc.compliance.verify_files(actor)
    report["ok"] = report["ok"] and report["evidence_files"]["ok"]
    return report


@router.get("/audit/checkpoints", summary="Signed checkpoints", **returns(ComplianceAuditCheckpoints))
def audit_checkpoints(page: Paging = Depends(paging), actor: Actor = Depends(current_actor),
                      hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return envelope(hc.ledger.checkpoints(actor), page)


@router.post("/audit/checkpoints", status_code=status.HTTP_201_CREATED, summary="Sign the head now",
             **returns(ComplianceAuditCheckpoint))
def audit_checkpoint(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.ledger.checkpoint(actor)


@router.post("/audit/export", summary="Sign the head; return chain + checkpoints + public keys",
             **returns(ComplianceAuditExport))
def audit_export(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.ledger.export(actor)


@router.get("/audit/public-key", summary="The public key that signs checkpoints (PEM)",
            response_class=PlainTextResponse, **FileBody("text/plain", description="PEM public key"))
def audit_public_key(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> str:
    actor.require(Permission.READ)
    return hc.ledger.public_key_path().read_text()
