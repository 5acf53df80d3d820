"""``/api/v1`` reports, exports, imports and passports; public passport JSON and keys.

Documents are generated with POST (a signed checkpoint and a log entry: writes), which
answers 303 with the stored document's URL; GET only reads stored documents, so links,
prefetchers and crawlers never write to the ledger. Files come with their SHA-256 and
the ledger checkpoint they were made from in ``X-Haechi-Sha256`` / ``X-Haechi-Checkpoint``.
The two public endpoints (the signed passport and the organisation's key list) need no
login and answer every refusal with the same 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.server_paths import upload_name
from haechi.reports.service import Document

from ..deps import RowId, current_actor, get_hc
from ..models import FileBody, Redirects, returns
from ..models.reports import (
    ReportsConfigurePassport,
    ReportsDocuments,
    ReportsImportFile,
    ReportsPassportKeys,
    ReportsPassportSettings,
    ReportsPublicPassport,
    ReportsPublishPassport,
)

router = APIRouter(tags=["reports"])
PUBLIC = {"x-public": True}
Lang = Literal["ko", "en"]
DocFormat = Literal["html", "pdf", "json"]


def file_response(doc: Document, inline: bool = False) -> Response:
    """A generated document with its identity in headers."""
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{doc.filename}"', "X-Haechi-Sha256": doc.sha256}
    if doc.meta.get("checkpoint_seq") is not None:
        headers["X-Haechi-Checkpoint"] = f"{doc.meta['checkpoint_seq']}:{doc.meta.get('checkpoint_hash')}"
    return Response(doc.content, media_type=doc.media_type, headers=headers)


def created(doc: Document) -> Response:
    """303 to the stored copy: the POST generated and logged it, a GET reads it back."""
    return RedirectResponse(document_href(doc.meta["id"]), status_code=303,
                            headers={"X-Haechi-Sha256": doc.sha256})


def document_href(doc_id: int) -> str:
    return f"/api/v1/reports/documents/{doc_id}"


Variant = Literal["full", "kr-art34", "eu-annex-iv", "model-card"]
DOSSIER = "Dossier of a system (full, kr-art34, eu-annex-iv, model-card)"


@router.post("/api/v1/systems/{system_id}/dossier", status_code=303, summary=f"Generate: {DOSSIER}",
             description="Signs a ledger checkpoint, logs the file and redirects (303) to the stored document.",
             **Redirects())
def generate_dossier(system_id: str, variant: Variant = "full", lang: Lang = "en", format: DocFormat = "pdf",
                     hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.reports.dossier(actor, system_id, variant=variant, lang=lang, fmt=format))


@router.get("/api/v1/systems/{system_id}/dossier", summary=f"The newest generated {DOSSIER}",
            description="Reads only: 404 until the dossier has been generated with POST to the same URL.",
            **FileBody("application/pdf", "text/html", "application/json", description="the document"))
def dossier(system_id: str, variant: Variant = "full", lang: Lang = "en", format: DocFormat = "pdf",
            hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.newest_document(actor, kind="dossier", variant=variant, fmt=format, lang=lang,
                                                    system=system_id))


@router.get("/api/v1/reports/documents", summary="Documents generated in the organisation, newest first",
            **returns(ReportsDocuments))
def documents(limit: int = Query(50, ge=1, le=500), hc: Haechi = Depends(get_hc),
              actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.reports.documents(actor, limit)
    return {"items": items, "total": len(items), "limit": limit, "offset": 0}


@router.get("/api/v1/reports/documents/{doc_id}", summary="A generated document, read back unchanged",
            **FileBody("application/pdf", "text/html", "application/json", "text/csv", "application/zip",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description="the document"))
def stored_document(doc_id: RowId, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    doc = hc.reports.stored_document(actor, doc_id)
    return file_response(doc, inline=doc.meta["format"] in ("json", "html", "pdf"))


ReportKind = Literal["portfolio", "overdue", "incidents", "esg"]


@router.post("/api/v1/reports/{kind}", status_code=303, summary="Generate an organisation report",
             **Redirects())
def generate_report(kind: ReportKind, lang: Lang = "en", format: DocFormat = "json", hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.reports.report(actor, kind, lang=lang, fmt=format))


@router.get("/api/v1/reports/{kind}", summary="The newest generated organisation report (reads only)",
            **FileBody("application/pdf", "text/html", "application/json", description="the document"))
def report(kind: ReportKind, lang: Lang = "en", format: DocFormat = "json",
           hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    doc = hc.reports.newest_document(actor, kind="report", variant=kind, fmt=format, lang=lang)
    return file_response(doc, inline=format == "json")


@router.post("/api/v1/systems/{system_id}/cyclonedx", status_code=303,
             summary="Generate the CycloneDX 1.6 ML-BOM with modelCard (schema-validated)",
             **Redirects())
def generate_cyclonedx(system_id: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.exports.cyclonedx(actor, system_id))


@router.get("/api/v1/systems/{system_id}/cyclonedx", summary="The newest generated CycloneDX ML-BOM (reads only)",
            **FileBody("application/json", description="CycloneDX 1.6 JSON"))
def cyclonedx(system_id: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.newest_document(actor, kind="export", variant="cyclonedx", fmt="json",
                                                    system=system_id))


OscalKind = Literal["component-definition", "assessment-results"]


@router.post("/api/v1/exports/oscal/{kind}", status_code=303,
             summary="Generate an OSCAL component definition or assessment results",
             **Redirects())
def generate_oscal(kind: OscalKind, system: list[str] = Query(None), hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.exports.oscal(actor, kind, system or None))


@router.get("/api/v1/exports/oscal/{kind}", summary="The newest generated OSCAL document (reads only)",
            **FileBody("application/json", description="OSCAL JSON"))
def oscal(kind: OscalKind, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.newest_document(actor, kind="export", variant=f"oscal-{kind}", fmt="json"))


@router.post("/api/v1/exports/xlsx", status_code=303,
             summary="Generate the Excel workbook: inventory, verdicts, controls, evidence, risks, incidents",
             **Redirects())
def generate_xlsx(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.exports.xlsx(actor))


@router.get("/api/v1/exports/xlsx", summary="The newest generated Excel workbook (reads only)",
            **FileBody("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description="the workbook"))
def xlsx(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.newest_document(actor, kind="export", variant="xlsx", fmt="xlsx"))


@router.post("/api/v1/exports/csv", status_code=303, summary="Generate the CSV of one sheet, or a zip of every sheet",
             **Redirects())
def generate_csv(sheet: str | None = None, hc: Haechi = Depends(get_hc),
                 actor: Actor = Depends(current_actor)) -> Response:
    return created(hc.exports.csv(actor, sheet))


@router.get("/api/v1/exports/csv", summary="The newest generated CSV sheet or zip of sheets (reads only)",
            **FileBody("text/csv", "application/zip", description="the sheet or the zip of sheets"))
def csv_export(sheet: str | None = None, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> Response:
    variant, fmt = (f"csv-{sheet}", "csv") if sheet else ("csv", "zip")
    return file_response(hc.reports.newest_document(actor, kind="export", variant=variant, fmt=fmt))


@router.post("/api/v1/imports", summary="Import an exported workbook or CSV sheet (all or nothing)",
             **returns(ReportsImportFile))
def import_file(file: UploadFile = File(...), hc: Haechi = Depends(get_hc),
                actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="haechi-import-") as folder:
        path = Path(folder) / upload_name(file.filename, "upload.xlsx")
        path.write_bytes(file.file.read())
        return hc.exports.import_file(actor, path)


# --- passports ----------------------------------------------------------------------------
class PassportSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool
    fields: list[str] | None = None
    valid_days: int = Field(30, ge=1, le=366)


@router.get("/api/v1/systems/{system_id}/passport", summary="Passport settings and publication history",
            **returns(ReportsPassportSettings))
def passport_settings(system_id: str, hc: Haechi = Depends(get_hc),
                      actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.settings(actor, system_id) | {"history": hc.passport.history(actor, system_id)}


@router.put("/api/v1/systems/{system_id}/passport", summary="Opt in or out and choose the public fields",
            **returns(ReportsConfigurePassport))
def configure_passport(system_id: str, body: PassportSettingsIn, hc: Haechi = Depends(get_hc),
                       actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.configure(actor, system_id, enabled=body.enabled, fields=body.fields, valid_days=body.valid_days)


@router.post("/api/v1/systems/{system_id}/passport/publish", status_code=201, summary="Sign and publish a new passport",
             **returns(ReportsPublishPassport))
def publish_passport(system_id: str, hc: Haechi = Depends(get_hc),
                     actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.publish(actor, system_id)


@router.get("/p/{org}/{system}.json", openapi_extra=PUBLIC, summary="The signed public passport (no login)",
            **returns(ReportsPublicPassport))
def public_passport(org: str, system: str, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    document: dict[str, Any] = hc.passport.public(org, system)["document"]
    return document


@router.get("/.well-known/haechi/{org}/passport-keys.json", openapi_extra=PUBLIC,
            summary="The organisation's passport signing keys (no login)", **returns(ReportsPassportKeys))
def passport_keys(org: str, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.passport.keys(org)
