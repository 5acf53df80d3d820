"""Compliance pages: the organisation overview, the compliance tab of each system, a
control page with its evidence and state changes, and the audit page.

Every page builds one ``data`` dict (its JSON twin with ``?format=json``) from the
compliance service; forms post back here with the CSRF token and redirect (PRG), and
errors render the HTML error page with the message and the fix.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor, Permission
from haechi.compliance.vocab import EVIDENCE_TYPES

from ..views import check_csrf, local_path, local_title, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()


async def form_data(request: Request) -> dict[str, Any]:
    """The posted form (checked against the session's CSRF token); lists for repeated keys."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    out: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        out[key] = values if len(values) > 1 else values[0]
    return out


def clean(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Non-empty text fields among ``keys``."""
    return {k: values[k].strip() for k in keys if isinstance(values.get(k), str) and values[k].strip()}


@router.get("/compliance")
def overview(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Organisation status: obligations met / at risk / unmet / unknown, clocks, next actions."""
    hc = get_hc(request)
    status = hc.compliance.status(actor)
    names_ko = {r.card.id: r.card.name_ko for r in hc.systems.all(actor)}  # Korean pages name systems in Korean
    data = status | {"risk_heatmap": hc.compliance.risks.heatmap(actor),
                     "pending_review": hc.compliance.reviews.pending(actor),
                     "pending_controls": hc.compliance.controls.pending(actor),
                     "systems": [row | {"name_ko": names_ko.get(row["system"])} for row in status["systems"]]}
    return render(request, "compliance/overview.html", data, title=translator(request)("compliance.title"))


@router.get("/systems/{system_id}/compliance")
def system_tab(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    """One system: obligations with their state, controls with their proof, evidence, plans."""
    hc = get_hc(request)
    data = system_header(request, actor, system_id)
    status = hc.compliance.status(actor, system_id)
    data |= {"status": {k: v for k, v in status.items() if k != "controls_detail"},
             "controls": status["controls_detail"],
             "evidence": hc.compliance.evidence.list(actor, system_id),
             "pending_review": hc.compliance.reviews.pending(actor, system_id),
             "pending_controls": hc.compliance.controls.pending(actor, system_id),
             "documents": hc.compliance.documents.list(actor, system_id),
             "forms": hc.compliance.documents.forms(),
             "evidence_types": list(EVIDENCE_TYPES)}
    return render(request, "compliance/system.html", data, title=local_title(request, data["system"]))


@router.get("/compliance/controls/{ref}")
def control_page(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    control = hc.compliance.controls.get(actor, ref)
    from haechi.compliance.states import allowed_targets

    pending = [e for e in hc.compliance.reviews.pending(actor, control["system"]) if control["ref"] in e["controls"]]
    data = {"control": control, "targets": allowed_targets(control["status"]) if not control["retired"] else [],
            "pending_review": pending,
            "pending_controls": [c for c in hc.compliance.controls.pending(actor, control["system"])
                                 if c["ref"] == control["ref"]],
            "evidence_types": list(EVIDENCE_TYPES)}
    title = f"{control['ref']} {local_title(request, control, 'title')}"
    return render(request, "compliance/control.html", data, title=title)


@router.post("/compliance/controls/{ref}/status")
async def control_status(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    get_hc(request).compliance.controls.transition(actor, ref, str(values.get("status", "")),
                                                   values.get("reason") or None)
    return redirect(f"/compliance/controls/{ref}")


@router.post("/compliance/controls/{ref}/assign")
async def control_assign(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    get_hc(request).compliance.controls.assign(actor, ref, owner=values.get("owner") or None,
                                               due_date=values.get("due_date") or None)
    return redirect(f"/compliance/controls/{ref}")


@router.post("/compliance/evidence")
async def evidence_upload(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Upload a file (or record a link) as evidence for a system and its controls."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    hc = get_hc(request)
    meta = clean({k: form.get(k) for k in form}, "title", "evidence_type", "effective_from", "effective_until",
                 "valid_until", "description", "polarity")
    system = str(form.get("system") or "") or None
    controls = [str(c) for c in form.getlist("controls") if str(c).strip()]
    upload = form.get("file")
    url = str(form.get("url") or "").strip()
    if isinstance(upload, UploadFile) and upload.filename:
        # Hashing, sniffing and writing a file of up to max_evidence_mb: off the event loop.
        stream, filename = upload.file, upload.filename
        await run_in_threadpool(lambda: hc.compliance.evidence.add_file(
            actor, stream, filename=filename, system=system, controls=controls, **meta))
    else:
        meta.setdefault("title", url)
        hc.compliance.evidence.add_link(actor, url, system=system, controls=controls, **meta)
    return redirect(local_path(str(form.get("back") or ""), "/compliance"))


@router.post("/compliance/evidence/{ref}/resolve")
async def evidence_resolve(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    values = await form_data(request)
    get_hc(request).compliance.evidence.resolve(actor, ref, str(values.get("resolution") or ""))
    return redirect(local_path(str(values.get("back") or ""), "/compliance"))


@router.post("/compliance/evidence/{ref}/review")
async def evidence_review(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    """Accept or reject evidence waiting for review (the service refuses one's own item)."""
    values = await form_data(request)
    decision = str(values.get("decision") or "")
    if decision not in ("accept", "reject"):
        from haechi.domain.errors import ValidationFailed

        raise ValidationFailed("choose Accept or Reject", key="web.choose_accept_reject")
    get_hc(request).compliance.reviews.decide(actor, ref, decision == "accept", str(values.get("note") or ""))
    return redirect(local_path(str(values.get("back") or ""), "/compliance"))


@router.post("/compliance/controls/{ref}/review")
async def control_review(request: Request, ref: str, actor: Actor = Depends(page_actor)) -> Response:
    """Approve or refuse a request to mark a control operating (never one's own)."""
    values = await form_data(request)
    decision = str(values.get("decision") or "")
    if decision not in ("approve", "refuse"):
        from haechi.domain.errors import ValidationFailed

        raise ValidationFailed("choose Approve or Refuse", key="web.choose_approve_refuse")
    get_hc(request).compliance.controls.decide(actor, ref, decision == "approve", str(values.get("note") or ""))
    return redirect(local_path(str(values.get("back") or ""), "/compliance"))


@router.post("/compliance/check")
async def check_now(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    await form_data(request)
    get_hc(request).compliance.review(actor)
    return redirect("/compliance")


@router.get("/compliance/audit")
def audit_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Ledger verification, checkpoints and the export for outside verifiers (auditors)."""
    hc = get_hc(request)
    actor.require(Permission.AUDIT)
    report = hc.ledger.verify(actor).to_dict()
    data = {"report": report, "files": hc.compliance.verify_files(actor),
            "checkpoints": list(reversed(hc.ledger.checkpoints(actor)))[:20],
            "public_key": hc.ledger.public_key_path().read_text()}
    return render(request, "compliance/audit.html", data, title=translator(request)("compliance.audit"))


@router.post("/compliance/audit/checkpoint")
async def audit_checkpoint(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    await form_data(request)
    get_hc(request).ledger.checkpoint(actor)
    return redirect("/compliance/audit")


@router.post("/compliance/audit/export")
async def audit_export(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Download a signed export (``ledger-<org>.json``)."""
    import json

    await form_data(request)
    doc = get_hc(request).ledger.export(actor)
    body = json.dumps(doc, ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="ledger-{actor.org_slug}.json"'})


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """Data of the home page's compliance panel (``haechi status`` in short)."""
    return hc.compliance.home_summary(actor)

