"""``/api/v1/systems``: the registry over HTTP, taking and returning card JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Response, status

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import BadRequest
from haechi.registry.service import SystemRecord

from ..deps import Paging, current_actor, get_hc, paging
from ..models import returns
from ..models.systems import (
    SystemsDeleteSystem,
    SystemsGetSystem,
    SystemsListSystems,
    SystemsSystemHistory,
    SystemsUpdateSystem,
)

router = APIRouter(prefix="/api/v1/systems", tags=["systems"])


def _etag(record: SystemRecord) -> str:
    return f'"rev-{record.revision}"'


def _revision_from(if_match: str | None) -> int | None:
    if not if_match or if_match.strip() == "*":
        return None
    value = if_match.strip().strip('"')
    if value.startswith("rev-") and value[4:].isdigit():
        return int(value[4:])
    raise BadRequest("If-Match must be an ETag from a GET, such as \"rev-3\"",
                     key="api.if_match_must_etag")


def _with_headers(response: Response, record: SystemRecord) -> dict[str, Any]:
    response.headers["ETag"] = _etag(record)
    response.headers["X-Haechi-Revision"] = str(record.revision)
    return record.card.to_json()


def _item(record: SystemRecord) -> dict[str, Any]:
    return {"card": record.card.to_json(), "revision": record.revision,
            "updated_at": record.updated_at.isoformat(), "deleted": record.deleted_at is not None}


@router.get("", summary="List systems", **returns(SystemsListSystems))
def list_systems(q: str | None = Query(None, description="text search in id, names, description, tags"),
                 domain: str | None = None, market: str | None = None, role: str | None = None,
                 status_: str | None = Query(None, alias="status"),
                 lifecycle_stage: str | None = None, include_deleted: bool = False,
                 page: Paging = Depends(paging), actor: Actor = Depends(current_actor),
                 hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    filters = {"domains": domain or "", "markets": market or "", "roles": role or "",
               "status": status_ or "", "lifecycle_stage": lifecycle_stage or ""}
    result = hc.systems.list(actor, q=q, filters=filters, include_deleted=include_deleted,
                             limit=page.limit, offset=page.offset)
    return {"items": [_item(r) for r in result.items], "total": result.total,
            "limit": result.limit, "offset": result.offset}


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a system", **returns(SystemsGetSystem))
def create_system(card: SystemCard, response: Response, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    record = hc.systems.add(actor, card)
    response.headers["Location"] = f"/api/v1/systems/{record.slug}"
    return _with_headers(response, record)


@router.get("/{system_id}", summary="Get a system's card", **returns(SystemsGetSystem))
def get_system(system_id: str, response: Response, revision: int | None = Query(None, ge=1),
               actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return _with_headers(response, hc.systems.get(actor, system_id, revision=revision))


@router.put("/{system_id}", summary="Store a new revision of a system", **returns(SystemsUpdateSystem))
def update_system(system_id: str, card: SystemCard, response: Response,
                  if_match: str | None = Header(None), actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    if card.id != system_id:
        raise BadRequest(f"card id '{card.id}' does not match the URL '{system_id}'",
                         key="api.card_id_does_not", values={"id": card.id, "system_id": system_id})
    record = hc.systems.update(actor, card, expected_revision=_revision_from(if_match))
    return _with_headers(response, record)


@router.delete("/{system_id}", summary="Remove a system (soft delete; history is kept)", **returns(SystemsDeleteSystem))
def delete_system(system_id: str, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    record = hc.systems.remove(actor, system_id)
    return {"id": record.slug, "revision": record.revision, "deleted": True}


@router.get("/{system_id}/history", summary="Revision history of a system", **returns(SystemsSystemHistory))
def system_history(system_id: str, page: Paging = Depends(paging), with_cards: bool = False,
                   actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    revisions = hc.systems.history(actor, system_id)
    chosen = revisions[page.offset:page.offset + page.limit]
    return {"items": [r.to_dict(with_card=with_cards) for r in chosen], "total": len(revisions),
            "limit": page.limit, "offset": page.offset}
