"""``/api/v1/transparency``: notices, text labels, label settings, deliveries, decisions and
file verification over HTTP (a thin shell over ``hc.transparency``)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi
from haechi.domain.server_paths import upload_name

from ..deps import RowId, current_actor, get_hc
from ..models import returns
from ..models.transparency import (
    TransparencyCreateReceipt,
    TransparencyDecisions,
    TransparencyDeliveries,
    TransparencyDeliveryCounts,
    TransparencyDuties,
    TransparencyGetPosting,
    TransparencyGetSettings,
    TransparencyLabelText,
    TransparencyNotice,
    TransparencyNoticeVersions,
    TransparencyPublicPosting,
    TransparencyPublicReceipt,
    TransparencyRequestReview,
    TransparencyResolveReview,
    TransparencyReviewRequests,
    TransparencySnapshot,
    TransparencyStoreNotice,
    TransparencyVerify,
)

router = APIRouter(prefix="/api/v1/transparency", tags=["transparency"])
MEDIA = {"text": "text/plain; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=1_000_000)
    format: Literal["text", "html", "json"] = "text"
    lang: Literal["ko", "en"] | None = None
    force: bool = False


class DeliveriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[dict[str, Any]] = Field(..., max_length=5000)


def read_only(actor: Actor) -> Actor:
    """The same person with read rights only: a GET shows the notice, it never stores a version."""
    return replace(actor, role="auditor" if actor.role in ("admin", "auditor") else "viewer")


@router.post("/systems/{system}/notice", summary="Store the current notice as a new version (card or verdict changed)",
             **returns(TransparencyStoreNotice))
def store_notice(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    actor.require(Permission.WRITE)
    content, _ = hc.transparency.current_notice(actor, system)
    return {"system": system, "version": content.version, "effective": content.effective, "draft": False}


@router.get("/systems/{system}/notice", summary="The advance notice of a system (KR Art. 31(1))",
            description="Reads only: when the card or verdict changed since the stored version, the answer is "
                        "the next version as a draft (\"draft\": true) until it is stored with POST.",
            **returns(TransparencyNotice))
def notice(system: str, lang: Literal["ko", "en"] = "ko",
           channel: Literal["terms", "screen", "place", "voice"] = "screen",
           format: Literal["text", "html", "json", "pdf"] = "json",
           hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Any:
    result = hc.transparency.notice(read_only(actor), system, lang=lang, channel=channel, fmt=format)
    if format == "json":
        return {**result.meta(), "notice": result.output}
    body = result.output if isinstance(result.output, bytes) else str(result.output).encode()
    return Response(body, media_type=MEDIA[format], headers={"X-Notice-Version": str(result.content.version)})


@router.get("/systems/{system}/notice/versions", summary="Stored notice versions",
            **returns(TransparencyNoticeVersions))
def notice_versions(system: str, hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.notice_versions(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/systems/{system}/duties", summary="Transparency duties read from the verdict",
            **returns(TransparencyDuties))
def duties(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.duties(actor, system).to_dict()


@router.get("/systems/{system}/snapshot", summary="What the disclosure middleware needs about a system",
            **returns(TransparencySnapshot))
def snapshot(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.snapshot(read_only(actor), system)


@router.get("/systems/{system}/label-settings", summary="Label wording and marks of a system",
            **returns(TransparencyGetSettings))
def get_settings(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.label_settings(actor, system).model_dump()


@router.patch("/systems/{system}/label-settings", summary="Change some label settings",
              **returns(TransparencyGetSettings))
def patch_settings(system: str, values: dict[str, Any], hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.set_label_settings(actor, system, values).model_dump()


@router.post("/systems/{system}/label/text", summary="Label generated text (visible + machine-readable)",
             **returns(TransparencyLabelText))
def label_text(system: str, body: TextIn, response: Response, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    result = hc.transparency.label_text(actor, system, body.text, fmt=body.format, lang=body.lang,
                                        force=body.force)
    for name, value in result.get("headers", {}).items():
        response.headers[name] = value
    return result


@router.post("/deliveries", summary="Record notice/label deliveries (used by the middleware's HttpSink)",
             **returns(TransparencyDeliveries))
def deliveries(body: DeliveriesIn, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return {"recorded": hc.transparency.record_deliveries(actor, body.items, source="api")}


@router.get("/deliveries/counts", summary="Delivery counts per system, kind, channel and notice version",
            **returns(TransparencyDeliveryCounts))
def delivery_counts(system: str | None = Query(None), hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.delivery_counts(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/decisions", summary="Exceptions and mark choices (why a notice or label was or was not used)",
            **returns(TransparencyDecisions))
def decisions(system: str | None = Query(None), hc: Haechi = Depends(get_hc),
              actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.decisions(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.post("/verify", summary="Verify an uploaded file's C2PA label and look it up in Haechi's records",
             **returns(TransparencyVerify))
def verify(file: UploadFile = File(...), reencode: bool = True, hc: Haechi = Depends(get_hc),
           actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="haechi-verify-") as folder:
        path = Path(folder) / upload_name(file.filename, "upload")
        path.write_bytes(file.file.read())
        report = hc.transparency.verify(actor, path, reencode=reencode)
    report["file"] = file.filename
    return report


# --- explanation receipts and review requests ---------------------------------------------
class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)  # "inf" as text is no score either
    decision_id: str = Field(..., min_length=1, max_length=200)
    result: str = Field(..., min_length=1, max_length=500)
    result_ko: str | None = Field(None, max_length=500)
    decided_at: str | None = None
    score: float | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    contributions: dict[str, float] | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["review", "objection", "question"] = "review"
    message: str = Field(..., min_length=1, max_length=5000)
    contact: str | None = Field(None, max_length=320)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "in_review", "upheld", "changed", "closed"]
    resolution: str = Field("", max_length=5000)


PUBLIC = {"x-public": True}


@router.post("/systems/{system}/receipts", status_code=201,
             summary="Explanation receipt for a logged decision (KR Art. 34(1)(2); EU Art. 86)",
             **returns(TransparencyCreateReceipt))
def create_receipt(system: str, body: EventIn, top: int = Query(5, ge=1, le=20), hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.receipts.create(actor, system, body.model_dump(exclude_none=True), top=top)


@router.get("/receipts/{token}", openapi_extra=PUBLIC,
            summary="A receipt for the person it concerns (the token is the authority; no login)",
            **returns(TransparencyPublicReceipt))
def public_receipt(token: str, lang: Literal["ko", "en"] = "ko",
                   format: Literal["json", "text", "html", "pdf"] = "json", hc: Haechi = Depends(get_hc)) -> Any:
    review_url = f"/api/v1/transparency/receipts/{token}/review"
    output = hc.transparency.receipts.render(None, token, format, lang, review_url)
    if isinstance(output, dict):
        return output
    return Response(output if isinstance(output, bytes) else output.encode(), media_type=MEDIA[format])


@router.post("/receipts/{token}/review", status_code=201, openapi_extra=PUBLIC,
             summary="Ask for human review of, or object to, an explained decision (no login)",
             **returns(TransparencyRequestReview))
def request_review(token: str, body: ReviewIn, request: Request, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    client = request.client.host if request.client else "unknown"
    result = hc.transparency.receipts.request_review(token, body.kind, body.message, body.contact, client=client)
    return {"id": result["id"], "status": result["status"], "due_at": result["due_at"]}


@router.get("/review-requests", summary="Review requests of the organisation (the overseers' task list)",
            **returns(TransparencyReviewRequests))
def review_requests(status: str | None = Query(None), system: str | None = Query(None), hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.receipts.requests(actor, status, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.post("/review-requests/{request_id}/resolve", summary="Record the outcome of a review request",
             **returns(TransparencyResolveReview))
def resolve_review(request_id: RowId, body: ResolveIn, hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.receipts.resolve(actor, request_id, body.status, body.resolution)


# --- public posting page ----------------------------------------------------------------
@router.get("/posting", summary="What the organisation publishes on its public AI page",
            **returns(TransparencyGetPosting))
def get_posting(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.posting.settings(actor).model_dump()


@router.put("/posting", summary="Replace the public AI page settings (Decree Art. 27(1))",
            **returns(TransparencyGetPosting))
def put_posting(values: dict[str, Any], hc: Haechi = Depends(get_hc),
                actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.posting.update(actor, values).model_dump()


@router.get("/public/{org}", openapi_extra=PUBLIC, summary="The organisation's public AI page as JSON (no login)",
            **returns(TransparencyPublicPosting))
def public_posting(org: str, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.transparency.posting.public(org)
