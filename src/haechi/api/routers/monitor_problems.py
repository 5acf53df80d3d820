"""Monitoring problems over HTTP (``/api/v1/problems``): a breach that persists, worked through.

A problem groups the alerts of one place (system × metric × scope × group) from the
first breach until someone resolves it; acknowledging and resolving take a note.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query

from haechi.auth.roles import Actor
from haechi.core import Haechi

from ..deps import Paging, RowId, current_actor, get_hc, paging
from ..models import returns
from ..models.monitoring import MonitoringGetProblem, MonitoringListProblems, MonitoringProblem

router = APIRouter(prefix="/api/v1", tags=["monitoring"])

_NOTE = Body(..., embed=True,
             description="what was found or done (required; stored with who and when, and in the ledger)")


@router.get("/problems", summary="Monitoring problems, unresolved first, then by last breach",
            **returns(MonitoringListProblems))
def list_problems(system: str | None = None,
                  status: str | None = Query(None, description="open|acknowledged|resolved|active"),
                  family: str | None = Query(None, description="metric family: performance, fairness, drift, …"),
                  severity: str | None = Query(None, description="high|medium|low"),
                  metric: str | None = Query(None, description="metric name, e.g. psi"),
                  page: Paging = Depends(paging), actor: Actor = Depends(current_actor),
                  hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.problems.list(actor, system=system, status=status, family=family, severity=severity,
                                    metric=metric, limit=page.limit, offset=page.offset)


@router.get("/problems/{problem_id}", summary="One problem with its occurrences and what it fed in compliance",
            **returns(MonitoringGetProblem))
def get_problem(problem_id: RowId, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.problems.get(actor, problem_id)


@router.post("/problems/{problem_id}/acknowledge", summary="Acknowledge a problem (a note is required)",
             **returns(MonitoringProblem))
def acknowledge_problem(problem_id: RowId, note: str = _NOTE, actor: Actor = Depends(current_actor),
                        hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.problems.acknowledge(actor, problem_id, note)


@router.post("/problems/{problem_id}/resolve", summary="Resolve a problem (a note is required)",
             **returns(MonitoringProblem))
def resolve_problem(problem_id: RowId, note: str = _NOTE, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.monitor.problems.resolve(actor, problem_id, note)
