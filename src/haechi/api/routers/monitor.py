"""Monitors, window results and alerts over HTTP (``/api/v1``).

The events endpoint of the log lake lives in ``monitor_events.py``. Specs are sent as
JSON in the shape of ``spec/monitoring.md``. Such a spec reads its system's log lake, or
with ``log`` files of the organisation's monitor files folder only (``file_area.py``), which
``PUT /monitor-files/{name}`` fills.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.yamlio import Document
from haechi.monitor.spec import parse_spec

from ..deps import Paging, RowId, current_actor, get_hc, paging
from ..models import returns
from ..models.monitoring import (
    MonitoringGetMonitor,
    MonitoringListAlerts,
    MonitoringListFiles,
    MonitoringListMonitors,
    MonitoringMonitorResults,
    MonitoringMonitorRuns,
    MonitoringPutFile,
    MonitoringRunMonitor,
    MonitoringUpdateAlert,
)

router = APIRouter(prefix="/api/v1", tags=["monitoring"])


@router.get("/monitors", summary="List monitors and their last run", **returns(MonitoringListMonitors))
def list_monitors(system: str | None = None, actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.monitor.list(actor, system)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.put("/systems/{system}/monitors/{name}", summary="Create or replace a monitor from a spec",
            **returns(MonitoringGetMonitor))
def save_monitor(system: str, name: str, spec: dict[str, Any] = Body(..., description="monitor spec (JSON)"),
                 actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    parsed = parse_spec(Document({**spec, "system": system, "name": name}, {}, "request body"))
    return hc.monitor.save(actor, parsed)


@router.get("/systems/{system}/monitors/{name}", summary="One monitor with its spec", **returns(MonitoringGetMonitor))
def get_monitor(system: str, name: str, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.get(actor, system, name)


@router.delete("/systems/{system}/monitors/{name}", status_code=204, summary="Delete a monitor and its results")
def delete_monitor(system: str, name: str, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> None:
    hc.monitor.delete(actor, system, name)


@router.post("/systems/{system}/monitors/{name}/run", summary="Run a monitor now (JSON of spec/monitoring.md)",
             **returns(MonitoringRunMonitor))
def run_monitor(system: str, name: str, full: bool = Query(False, description="ignore cached windows"),
                actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.run(actor, system, name=name, full=full)


@router.get("/systems/{system}/monitors/{name}/results", summary="Stored window results",
            **returns(MonitoringMonitorResults))
def monitor_results(system: str, name: str, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.results(actor, system, name)


@router.get("/systems/{system}/monitors/{name}/runs", summary="Run history", **returns(MonitoringMonitorRuns))
def monitor_runs(system: str, name: str, limit: int = Query(20, ge=1, le=500),
                 actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.monitor.runs(actor, system, name, limit)
    return {"items": items, "total": len(items), "limit": limit, "offset": 0}


@router.get("/monitor-files", summary="The organisation's monitor files (what specs may name in 'log')",
            **returns(MonitoringListFiles))
def list_files(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.monitor.files(actor)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.put("/monitor-files/{name:path}", summary="Upload a log or reference file for monitor specs (raw body)",
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
            **returns(MonitoringPutFile))
async def put_file(name: str, request: Request, actor: Actor = Depends(current_actor),
                   hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    body = await request.body()
    return await run_in_threadpool(hc.monitor.put_file, actor, name, body)


@router.delete("/monitor-files/{name:path}", status_code=204, summary="Delete a monitor file")
def delete_file(name: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> None:
    hc.monitor.delete_file(actor, name)


@router.get("/alerts", summary="Monitoring alerts, newest window first", **returns(MonitoringListAlerts))
def list_alerts(system: str | None = None, status: str | None = Query(None, description="open|acknowledged|resolved"),
                page: Paging = Depends(paging), actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.alerts(actor, system=system, status=status, limit=page.limit, offset=page.offset)


@router.patch("/alerts/{alert_id}", summary="Acknowledge, resolve or reopen an alert", **returns(MonitoringUpdateAlert))
def update_alert(alert_id: RowId, body: dict[str, Any] = Body(..., examples=[{"status": "acknowledged", "note": "…"}]),
                 actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.set_alert_status(actor, alert_id, str(body.get("status", "")), body.get("note"))
