"""``/api/v1`` pack updates: install or remove signed pack bundles, the trusted keys, the
law changes they made, and each system's law timeline.

Installing takes the bundle as the raw request body (``application/octet-stream``) and
applies the same checks as ``haechi packs install``: an administrator only, a signature
by a trusted key, every byte as signed, every pack valid; a refused bundle is a 422 with
the reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi
from haechi.domain.errors import PayloadTooLarge

from ..deps import Paging, current_actor, get_hc, paging
from ..models.base import returns
from ..models.pack_updates import LawChanges, PackInstall, PackKeys, PackUninstall, Timeline

router = APIRouter(prefix="/api/v1", tags=["pack updates"])

_BINARY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.post("/packs/install", summary="Install a signed pack bundle (admin; raw body = the bundle)",
             openapi_extra=_BINARY, **returns(PackInstall))
async def install(request: Request, name: str = Query("bundle.haechi-pack", max_length=200,
                                                      description="the bundle's file name, for the records"),
                  actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.ADMIN)
    from haechi.rules.bundle import MAX_BUNDLE_BYTES

    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BUNDLE_BYTES:
            raise PayloadTooLarge(f"a pack bundle is at most {MAX_BUNDLE_BYTES >> 20} MB",
                                  key="api.pack_bundle_at_most", values={"mb": MAX_BUNDLE_BYTES >> 20})
    return await run_in_threadpool(hc.rules.install, actor, bytes(body), name)


@router.delete("/packs/installed/{ref}", summary="Remove an installed pack version (admin)",
               **returns(PackUninstall))
def uninstall(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.rules.uninstall(actor, ref)


@router.get("/pack-keys", summary="Publisher keys: the shipped one and those the administrators trusted",
            **returns(PackKeys))
def keys(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.rules.updates.trusted(actor)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/law-changes", summary="Law changes: duties gained, lost or moved per system, newest first",
            **returns(LawChanges))
def law_changes(system: str | None = Query(None, max_length=64), page: Paging = Depends(paging),
                actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.rules.law_changes(actor, system, min(page.limit, 500), page.offset)


@router.get("/systems/{system_id}/timeline",
            summary="When the system's duties start, end or change (24 months back and ahead)",
            **returns(Timeline))
def timeline(system_id: str, at: dt.date | None = Query(None, description="centre date (default today)"),
             actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.rules.timeline(actor, system_id, at)
