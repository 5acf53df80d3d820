"""``/metrics``: Prometheus scrape target (text exposition format).

Who may scrape: the operator's token (``HAECHI_METRICS_TOKEN``), which sees every
organisation, or the bearer token of an organisation's administrator or auditor, which
sees that organisation only. Nothing is public: anonymous requests get a 401.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse

from haechi.auth.roles import Permission
from haechi.core import Haechi
from haechi.domain.errors import Unauthorized
from haechi.integrations.metrics import CONTENT_TYPE

from ..deps import current_actor, get_hc

router = APIRouter(tags=["metrics"])

_TEXT: dict[int | str, dict[str, Any]] = {200: {"description": "Prometheus text exposition format 0.0.4",
               "content": {"text/plain": {"schema": {"type": "string"}}}}}


def _scope(request: Request, hc: Haechi) -> str | None:
    """The organisation the caller may see, or ``None`` for every organisation (operator)."""
    operator = hc.settings.metrics_token
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if operator and scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), operator.encode()):
        return None
    if not header:
        raise Unauthorized("metrics need a bearer token: HAECHI_METRICS_TOKEN or an admin/auditor API token",
                           key="api.metrics_need_bearer_token")
    actor = current_actor(request, hc)
    actor.require(Permission.AUDIT)
    return actor.org_slug


@router.get("/metrics", summary="Prometheus metrics (operator token: all organisations; admin/auditor: own)",
            response_class=PlainTextResponse, responses=_TEXT)
def metrics(request: Request, hc: Haechi = Depends(get_hc)) -> PlainTextResponse:
    return PlainTextResponse(hc.metrics.exposition(_scope(request, hc)), media_type=CONTENT_TYPE)
