"""``POST /api/v1/otlp/v1/traces``: OTLP/HTTP trace export (GenAI spans → monitoring events).

Point an OpenTelemetry exporter at ``<server>/api/v1/otlp`` (the exporter appends
``/v1/traces``) with ``Authorization: Bearer <token>``: an editor's or admin's API token, or
an ingestion-only token for the systems the spans belong to. Protobuf
(``application/x-protobuf``, needs the ``otel`` extra) and JSON (``application/json``)
encodings, optionally gzip-compressed. The answer is OTLP's ``ExportTraceServiceResponse``
in the request's encoding, with ``partial_success`` counting rejected spans; Haechi's own
counts are in the ``X-Haechi-*`` headers.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi
from haechi.domain.errors import Unauthorized
from haechi.integrations.otlp import response_protobuf
from haechi.integrations.traces import PROTOBUF, TraceResult

from ..deps import _bearer, get_hc
from ..models.base import Open

router = APIRouter(prefix="/api/v1/otlp", tags=["otlp"])


class OtlpExportResponse(Open):
    """OTLP's ExportTraceServiceResponse in JSON: ``partialSuccess`` when spans were rejected."""

    partialSuccess: dict[str, Any] | None = None  # noqa: N815 - OTLP's own JSON name


_BODY = {"requestBody": {"required": True, "content": {
    PROTOBUF: {"schema": {"type": "string", "format": "binary",
                          "description": "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"}},
    "application/json": {"schema": {"type": "object", "description": "ExportTraceServiceRequest in OTLP/JSON"}},
}}}
_ANSWER: dict[int | str, dict[str, Any]] = {200: {"model": OtlpExportResponse, "content": {
    PROTOBUF: {"schema": {"type": "string", "format": "binary"}}}}}


def ingest_actor(request: Request, hc: Haechi = Depends(get_hc)) -> Actor:
    """A bearer token that may write, or an ingestion-only token (systems checked per span)."""
    token = _bearer(request)
    if token is None:
        raise Unauthorized("OTLP export needs 'Authorization: Bearer <token>' (an API or ingestion token)",
                           key="api.otlp_export_needs_authorization")
    actor = hc.accounts.actor_for_token(token)
    if actor.ingest_systems is None:
        actor.require(Permission.WRITE)
    return actor


@router.post("/v1/traces", summary="Receive OpenTelemetry GenAI spans as monitoring events (OTLP/HTTP)",
             response_class=Response, response_model=None, responses=_ANSWER, openapi_extra=_BODY)
async def export_traces(request: Request, actor: Actor = Depends(ingest_actor),
                        hc: Haechi = Depends(get_hc)) -> Response:
    body = await request.body()
    content_type = request.headers.get("content-type")
    result: TraceResult = await run_in_threadpool(hc.traces.receive, actor, body, content_type,
                                                  request.headers.get("content-encoding"))
    headers = {"X-Haechi-Stored": str(result.stored), "X-Haechi-Skipped": str(result.skipped),
               "X-Haechi-Rejected": str(result.rejected)}
    if (content_type or "").split(";")[0].strip().lower() == PROTOBUF:
        return Response(response_protobuf(result.rejected, result.message()), media_type=PROTOBUF, headers=headers)
    answer = {"partialSuccess": {"rejectedSpans": str(result.rejected), "errorMessage": result.message()}} \
        if result.rejected else {}
    return Response(json.dumps(answer), media_type="application/json", headers=headers)
