"""``/api/v1/systems/{id}/events`` and ``/labels``: prediction logs over HTTP.

Bodies are JSON arrays, NDJSON, Arrow IPC streams or Parquet files (by Content-Type).
A 200 answer means every accepted row is fsynced in the lake; rejected rows are listed
with their row number, field and reason. Oversized bodies get a 413 from the
``BodySizeLimit`` middleware before they are read in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from haechi.auth.roles import Actor
from haechi.core import Haechi

from ..deps import current_actor, get_hc
from ..models import returns
from ..models.monitoring import (
    MonitoringEventsCount,
    MonitoringEventsSchema,
    MonitoringEventsStats,
    MonitoringPostEvents,
)

router = APIRouter(prefix="/api/v1/systems", tags=["monitoring"])

_EVENT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["prediction"],
    "properties": {
        "event_id": {"type": "string", "maxLength": 200, "description": "unique per system; makes retries safe"},
        "timestamp": {"type": ["string", "number"], "description": "ISO 8601 (no zone = UTC) or epoch seconds"},
        "prediction": {"type": ["number", "boolean"]},
        "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "label": {"type": ["number", "boolean", "null"]},
        "features": {"type": "object", "additionalProperties": {"type": ["number", "string", "boolean", "null"]}},
        "sensitive": {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}},
    },
}
_LABEL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["event_id", "label"],
    "properties": {"event_id": {"type": "string"}, "label": {"type": ["number", "boolean"]}},
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def _body(row: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI request body: the raw body is read by the endpoint, so describe it here."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "array", "items": row}},
                "application/x-ndjson": {"schema": {"type": "string", "description": "one JSON object per line"}},
                "application/vnd.apache.arrow.stream": _BINARY,
                "application/vnd.apache.parquet": _BINARY,
            },
        }
    }


BODY_DOC = (
    "Content-Type: application/json (array of events), application/x-ndjson, "
    "application/vnd.apache.arrow.stream or application/vnd.apache.parquet."
)


@router.post(
    "/{system}/events",
    summary="Log prediction events (durable before the answer)",
    description="Event fields: event_id, timestamp (ISO 8601, UTC if no zone), prediction, "
    "score, label, features {name: value}, sensitive {name: value}. " + BODY_DOC,
    openapi_extra=_body(_EVENT),
    **returns(MonitoringPostEvents),
)
async def post_events(
    system: str,
    request: Request,
    strict: bool = Query(False, description="reject the whole batch if any row is bad"),
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    answer = await _ingest(hc.lake.ingest, actor, system, request, strict)
    hc.metrics.ingested.add(actor.org_slug, system, int(answer.get("stored", 0)))
    return answer


@router.post(
    "/{system}/labels",
    summary="Attach late ground-truth labels to logged events",
    description="Rows {event_id, label}; the latest label of an event wins. " + BODY_DOC,
    openapi_extra=_body(_LABEL),
    **returns(MonitoringPostEvents),
)
async def post_labels(
    system: str,
    request: Request,
    strict: bool = Query(False, description="reject the whole batch if any row is bad"),
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    return await _ingest(hc.lake.ingest_labels, actor, system, request, strict)


async def _ingest(method: Callable[..., Any], actor: Actor, system: str, request: Request,
                  strict: bool) -> dict[str, Any]:
    """Read the body and hand it to the lake off the event loop (decoding and fsync block)."""
    body = await request.body()
    result = await run_in_threadpool(method, actor, system, body, request.headers.get("content-type"),
                                     strict=strict, content_encoding=request.headers.get("content-encoding"))
    return {"system": system, **result.to_dict()}


@router.get("/{system}/events/stats", summary="Size, span and retention of a system's logs",
            **returns(MonitoringEventsStats))
def events_stats(system: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.lake.stats(actor, system)


@router.get("/{system}/events/count", summary="Number of logged events in [start, end)",
            **returns(MonitoringEventsCount))
def events_count(
    system: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    count = hc.lake.event_count(actor, system, start, end)
    return {
        "system": system,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "events": count,
    }


@router.get("/{system}/events/schema", summary="Columns of a system's logs and their roles",
            **returns(MonitoringEventsSchema))
def events_schema(system: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.lake.schema(actor, system)
