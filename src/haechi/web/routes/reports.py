"""Pages of reports, exports and passports.

* ``/reports`` — organisation reports, exports, the spreadsheet import and the log of
  generated documents; the forms generate with POST ``/documents/generate`` and then open
  the stored copy from the REST API (which accepts the session) — a link never generates;
* ``/systems/{id}/documents`` — dossiers of one system and its passport settings;
* ``/p/{org}/{system}`` — the public passport page (no login), with its QR code.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.api.errors import roots_of
from haechi.api.routers.reports import document_href
from haechi.auth.roles import Actor
from haechi.domain.errors import Issue, ValidationFailed
from haechi.domain.server_paths import redact_error, upload_name
from haechi.passport.content import FIELDS
from haechi.passport.service import public_base
from haechi.reports.dossier import VARIANTS
from haechi.reports.service import Document

from ..views import check_csrf, local_title, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()
EXPORTS = [("xlsx", "/api/v1/exports/xlsx"), ("csv", "/api/v1/exports/csv"),
           ("oscal_cd", "/api/v1/exports/oscal/component-definition"),
           ("oscal_ar", "/api/v1/exports/oscal/assessment-results")]  # each URL: the newest generated one


def _overview(request: Request, actor: Actor, result: dict[str, Any] | None = None,
              issues: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    hc = get_hc(request)
    systems = [r.summary() for r in hc.systems.all(actor)]
    return {"systems": systems, "documents": hc.reports.documents(actor, 20),
            "passports": hc.passport.enabled_systems(actor), "reports": ["portfolio", "overdue", "incidents", "esg"],
            "exports": [{"key": k, "href": h} for k, h in EXPORTS], "import_result": result,
            "import_issues": issues or []}


@router.get("/reports")
def reports_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    return render(request, "reports/overview.html", _overview(request, actor),
                  title=translator(request)("reports.title"))


@router.post("/reports/import")
async def import_upload(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    upload: Any = form.get("file")
    t = translator(request)
    if upload is None or not getattr(upload, "filename", ""):
        issues = [{"location": "file", "message": t("reports.import_choose")}]
        return render(request, "reports/overview.html", _overview(request, actor, None, issues), status=422)
    with tempfile.TemporaryDirectory(prefix="haechi-import-") as folder:
        path = Path(folder) / upload_name(upload.filename, "upload.xlsx")
        path.write_bytes(await upload.read())
        try:
            # Reading and checking a workbook is CPU work: off the event loop.
            result = await run_in_threadpool(get_hc(request).exports.import_file, actor, path)
        except ValidationFailed as error:
            redact_error(error, roots_of(request))
            issues = [i.to_dict() for i in error.issues] or [{"location": "", "message": error.message}]
            return render(request, "reports/overview.html", _overview(request, actor, None, issues), status=422,
                          title=t("reports.title"))
    return render(request, "reports/overview.html", _overview(request, actor, result), title=t("reports.title"))


# --- generating a document ---------------------------------------------------------------------
def _generate(hc: Any, actor: Actor, form: dict[str, str]) -> Document:
    """One document as the form asks; unknown choices fail in the services with a clear message."""
    what, system = form.get("what", ""), form.get("system", "")
    lang, fmt = form.get("lang", "en"), form.get("format", "pdf")
    makers = {
        "dossier": lambda: hc.reports.dossier(actor, system, variant=form.get("variant", "full"), lang=lang, fmt=fmt),
        "report": lambda: hc.reports.report(actor, form.get("variant", ""), lang=lang, fmt=fmt),
        "cyclonedx": lambda: hc.exports.cyclonedx(actor, system),
        "xlsx": lambda: hc.exports.xlsx(actor),
        "csv": lambda: hc.exports.csv(actor),
        "oscal_cd": lambda: hc.exports.oscal(actor, "component-definition"),
        "oscal_ar": lambda: hc.exports.oscal(actor, "assessment-results"),
    }
    if what not in makers:
        raise ValidationFailed(f"unknown document '{what}'", issues=[
            Issue("what", f"'{what}' is not a document Haechi generates", f"use one of: {', '.join(makers)}")],
            key="web.unknown_document", values={"what": what})
    doc: Document = makers[what]()
    return doc


@router.post("/documents/generate")
async def generate_document(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Generate (a signed checkpoint, a log entry), then open the stored copy with a GET."""
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    doc = _generate(get_hc(request), actor, fields)
    return redirect(document_href(doc.meta["id"]))


# --- one system ------------------------------------------------------------------------------
@router.get("/systems/{system_id}/documents")
def system_documents(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    data = system_header(request, actor, system_id)
    settings = hc.passport.settings(actor, system_id)
    data |= {"variants": list(VARIANTS), "passport": settings, "history": hc.passport.history(actor, system_id),
             "fields": [{"key": k, "label": (ko if translator(request).lang == "ko" else en)}
                        for k, (en, ko) in FIELDS.items()],
             "public_url": f"/p/{actor.org_slug}/{system_id}", "org": actor.org_slug}
    return render(request, "reports/system.html", data, title=local_title(request, data["system"]))


@router.post("/systems/{system_id}/passport")
async def save_passport(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))  # type: ignore[arg-type]
    hc = get_hc(request)
    fields = [str(f) for f in form.getlist("fields")]
    days = str(form.get("valid_days") or "30")
    enabled = form.get("enabled") == "on"
    hc.passport.configure(actor, system_id, enabled=enabled, fields=fields,
                          valid_days=int(days) if days.isdigit() else 0)
    if enabled and form.get("publish") == "1":
        hc.passport.publish(actor, system_id)
        return redirect(f"/systems/{system_id}/documents?published=1")
    return redirect(f"/systems/{system_id}/documents?saved=1")


# --- the public passport ---------------------------------------------------------------------------
def _qr_svg(url: str, title: str) -> str:
    try:
        import segno
    except ImportError:
        return ""
    svg: str = segno.make(url, error="m").svg_inline(scale=4, title=title, omitsize=False)
    return svg


@router.get("/p/{org}/{system}")
def public_passport(request: Request, org: str, system: str) -> Response:
    hc = get_hc(request)
    found = hc.passport.public(org, system)
    document = found["document"]
    url = f"{public_base(hc.settings)}/p/{org}/{system}"  # configured, never the request's Host
    data = {"document": document, "version": found["version"], "sha256": found["sha256"], "page_url": url,
            "json_href": f"/p/{org}/{system}.json", "keys_href": f"/.well-known/haechi/{org}/passport-keys.json",
            "qr": _qr_svg(url, translator(request)("passport.qr_title"))}
    expires = dt.datetime.fromisoformat(document["passport"]["expires_at"])
    data["expired"] = dt.datetime.now(dt.UTC) > expires  # shown, never hidden: the visitor must know
    claims = document["passport"]["claims"]
    names = {"name": claims.get("name"), "name_ko": (claims.get("identity") or {}).get("name_ko")}
    return render(request, "reports/passport.html", data, title=local_title(request, names))


@router.get("/p/{org}/{system}/qr.svg")
def passport_qr(request: Request, org: str, system: str) -> Response:
    hc = get_hc(request)
    hc.passport.public(org, system)  # the same refusal as the page
    url = f"{public_base(hc.settings)}/p/{org}/{system}"
    return Response(_qr_svg(url, "passport"), media_type="image/svg+xml")


# --- home panel: documents and passports ---------------------------------------------------------
EXPIRY_WARNING = dt.timedelta(days=14)


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """Passports live or about to expire, and the latest documents handed out."""
    passports = hc.passport.enabled_systems(actor)
    now = dt.datetime.now(dt.UTC)
    live = {slug: p["current"] for slug, p in passports.items() if p["enabled"] and p["current"]}
    expiring = sorted(slug for slug, cur in live.items()
                      if dt.datetime.fromisoformat(cur["expires_at"]) - now < EXPIRY_WARNING)
    unpublished = sorted(slug for slug, p in passports.items() if p["enabled"] and not p["current"])
    return {"live": sorted(live), "expiring": expiring, "unpublished": unpublished,
            "documents": hc.reports.documents(actor, 3), "org": actor.org_slug}

