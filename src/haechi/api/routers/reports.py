"""``/api/v1`` reports, exports, imports and passports; public passport JSON and keys.

Documents are returned as files (``Content-Disposition: attachment``) with their SHA-256
and the ledger checkpoint they were made from in ``X-Haechi-Sha256`` /
``X-Haechi-Checkpoint``. The two public endpoints (the signed passport and the
organisation's key list) need no login and answer every refusal with the same 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.reports.service import Document

from ..deps import current_actor, get_hc

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


@router.get("/api/v1/systems/{system_id}/dossier",
            summary="Dossier of a system (full, kr-art34, eu-annex-iv, model-card)")
def dossier(system_id: str, variant: Literal["full", "kr-art34", "eu-annex-iv", "model-card"] = "full",
            lang: Lang = "en", format: DocFormat = "pdf", hc: Haechi = Depends(get_hc),
            actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.dossier(actor, system_id, variant=variant, lang=lang, fmt=format))


@router.get("/api/v1/reports/documents", summary="Documents generated in the organisation, newest first")
def documents(limit: int = Query(50, ge=1, le=500), hc: Haechi = Depends(get_hc),
              actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.reports.documents(actor, limit)
    return {"items": items, "total": len(items), "limit": limit, "offset": 0}


@router.get("/api/v1/reports/{kind}", summary="Organisation report: portfolio, overdue, incidents or esg")
def report(kind: Literal["portfolio", "overdue", "incidents", "esg"], lang: Lang = "en", format: DocFormat = "json",
           hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.reports.report(actor, kind, lang=lang, fmt=format), inline=format == "json")


@router.get("/api/v1/systems/{system_id}/cyclonedx", summary="CycloneDX 1.6 ML-BOM with modelCard (schema-validated)")
def cyclonedx(system_id: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.exports.cyclonedx(actor, system_id))


@router.get("/api/v1/exports/oscal/{kind}", summary="OSCAL component definition or assessment results")
def oscal(kind: Literal["component-definition", "assessment-results"], system: list[str] = Query(None),
          hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.exports.oscal(actor, kind, system or None))


@router.get("/api/v1/exports/xlsx", summary="Excel workbook: inventory, verdicts, controls, evidence, risks, incidents")
def xlsx(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.exports.xlsx(actor))


@router.get("/api/v1/exports/csv", summary="CSV of one sheet, or a zip of every sheet")
def csv_export(sheet: str | None = None, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> Response:
    return file_response(hc.exports.csv(actor, sheet))


@router.post("/api/v1/imports", summary="Import an exported workbook or CSV sheet (all or nothing)")
def import_file(file: UploadFile = File(...), hc: Haechi = Depends(get_hc),
                actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="haechi-import-") as folder:
        path = Path(folder) / Path(file.filename or "upload.xlsx").name
        path.write_bytes(file.file.read())
        return hc.exports.import_file(actor, path)


# --- passports ----------------------------------------------------------------------------
class PassportSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool
    fields: list[str] | None = None
    valid_days: int = Field(30, ge=1, le=366)


@router.get("/api/v1/systems/{system_id}/passport", summary="Passport settings and publication history")
def passport_settings(system_id: str, hc: Haechi = Depends(get_hc),
                      actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.settings(actor, system_id) | {"history": hc.passport.history(actor, system_id)}


@router.put("/api/v1/systems/{system_id}/passport", summary="Opt in or out and choose the public fields")
def configure_passport(system_id: str, body: PassportSettingsIn, hc: Haechi = Depends(get_hc),
                       actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.configure(actor, system_id, enabled=body.enabled, fields=body.fields, valid_days=body.valid_days)


@router.post("/api/v1/systems/{system_id}/passport/publish", status_code=201, summary="Sign and publish a new passport")
def publish_passport(system_id: str, hc: Haechi = Depends(get_hc),
                     actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.passport.publish(actor, system_id)


@router.get("/p/{org}/{system}.json", openapi_extra=PUBLIC, summary="The signed public passport (no login)")
def public_passport(org: str, system: str, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    document: dict[str, Any] = hc.passport.public(org, system)["document"]
    return document


@router.get("/.well-known/haechi/{org}/passport-keys.json", openapi_extra=PUBLIC,
            summary="The organisation's passport signing keys (no login)")
def passport_keys(org: str, hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.passport.keys(org)
