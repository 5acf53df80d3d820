"""``/api/v1/transparency``: notices, text labels, label settings, deliveries, decisions and
file verification over HTTP (a thin shell over ``hc.transparency``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi

from ..deps import current_actor, get_hc

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


@router.get("/systems/{system}/notice", summary="The advance notice of a system (KR Art. 31(1))")
def notice(system: str, lang: Literal["ko", "en"] = "ko",
           channel: Literal["terms", "screen", "place", "voice"] = "screen",
           format: Literal["text", "html", "json", "pdf"] = "json",
           hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> Any:
    result = hc.transparency.notice(actor, system, lang=lang, channel=channel, fmt=format)
    if format == "json":
        return {**result.meta(), "notice": result.output}
    body = result.output if isinstance(result.output, bytes) else str(result.output).encode()
    return Response(body, media_type=MEDIA[format], headers={"X-Notice-Version": str(result.content.version)})


@router.get("/systems/{system}/notice/versions", summary="Stored notice versions")
def notice_versions(system: str, hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.notice_versions(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/systems/{system}/duties", summary="Transparency duties read from the verdict")
def duties(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.duties(actor, system).to_dict()


@router.get("/systems/{system}/label-settings", summary="Label wording and marks of a system")
def get_settings(system: str, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.label_settings(actor, system).model_dump()


@router.patch("/systems/{system}/label-settings", summary="Change some label settings")
def patch_settings(system: str, values: dict[str, Any], hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.transparency.set_label_settings(actor, system, values).model_dump()


@router.post("/systems/{system}/label/text", summary="Label generated text (visible + machine-readable)")
def label_text(system: str, body: TextIn, response: Response, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    result = hc.transparency.label_text(actor, system, body.text, fmt=body.format, lang=body.lang,
                                        force=body.force)
    for name, value in result.get("headers", {}).items():
        response.headers[name] = value
    return result


@router.post("/deliveries", summary="Record notice/label deliveries (used by the middleware's HttpSink)")
def deliveries(body: DeliveriesIn, hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return {"recorded": hc.transparency.record_deliveries(actor, body.items, source="api")}


@router.get("/deliveries/counts", summary="Delivery counts per system, kind, channel and notice version")
def delivery_counts(system: str | None = Query(None), hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.delivery_counts(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/decisions", summary="Exceptions and mark choices (why a notice or label was or was not used)")
def decisions(system: str | None = Query(None), hc: Haechi = Depends(get_hc),
              actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.transparency.decisions(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.post("/verify", summary="Verify an uploaded file's C2PA label and look it up in Haechi's records")
def verify(file: UploadFile = File(...), reencode: bool = True, hc: Haechi = Depends(get_hc),
           actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="haechi-verify-") as folder:
        path = Path(folder) / Path(file.filename or "upload").name
        path.write_bytes(file.file.read())
        report = hc.transparency.verify(actor, path, reencode=reencode)
    report["file"] = file.filename
    return report
