"""Monitoring problems on the dashboard: the organisation's page, one problem, the home panel.

``/monitoring`` lists the monitors and the problems (a breach that persists is one
problem; its windows are occurrences), paged and filtered by system, status, metric
family and severity. ``/monitoring/problems/{id}`` shows one with its occurrences and
the incident, evidence and controls it fed, and takes the acknowledgement or resolution
with its note.
"""

from __future__ import annotations

from typing import Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from haechi.api.deps import RowId, get_hc
from haechi.auth.roles import Actor
from haechi.domain.errors import ValidationFailed
from haechi.monitor.metrics.catalog import METRICS, Family
from haechi.monitor.problems import SEVERITIES

from ..views import check_csrf, page_actor, redirect, render, translator

router = APIRouter()

PAGE_SIZE = 10
STATUSES = ("active", "open", "acknowledged", "resolved", "")


def _families() -> list[str]:
    """Metric families of the catalogue, in its order (new families appear by themselves)."""
    declared = list(get_args(Family))
    return [*declared, *sorted({m.family for m in METRICS.values()} - set(declared))]


def _page_links(total: int, offset: int, limit: int) -> dict[str, Any]:
    pages = max(1, -(-total // limit))
    return {"page": offset // limit + 1, "pages": pages, "limit": limit,
            "prev": offset - limit if offset > 0 else None, "next": offset + limit if offset + limit < total else None}


def _query(filters: dict[str, Any], offset: int) -> str:
    return "?" + urlencode({**{k: v for k, v in filters.items() if v is not None}, "offset": offset})


@router.get("/monitoring")
def monitoring_overview(request: Request, status: str = "active", system: str = "", family: str = "",
                        severity: str = "", offset: int = 0, actor: Actor = Depends(page_actor)) -> Response:
    """Every monitor of the organisation and its problems, paged."""
    hc = get_hc(request)
    status = status if status in STATUSES else "active"
    offset = max(0, min(offset, 10_000_000))
    filters = {"status": status, "system": system or None, "family": family or None, "severity": severity or None}
    page = hc.monitor.problems.list(actor, status=status or None, system=system or None, family=family or None,
                                    severity=severity if severity in SEVERITIES else None,
                                    limit=PAGE_SIZE, offset=offset)
    monitors = hc.monitor.list(actor)
    active: dict[str, int] = {}
    for item in hc.monitor.problems.list(actor, status="active", limit=1000)["items"]:
        active[item["system"]] = active.get(item["system"], 0) + 1
    links = _page_links(page["total"], offset, PAGE_SIZE)
    data = {"filters": {k: v or "" for k, v in filters.items()}, "problems": page["items"], "total": page["total"],
            "offset": offset, "paging": links,
            "prev_url": None if links["prev"] is None else _query(filters, links["prev"]),
            "next_url": None if links["next"] is None else _query(filters, links["next"]),
            "choices": {"statuses": list(STATUSES), "systems": sorted({m["system"] for m in monitors}),
                        "families": _families(), "severities": list(SEVERITIES)},
            "monitors": [{"system": m["system"], "name": m["name"], "schedule": m["schedule"],
                          "last_run_at": m["last_run_at"], "last_status": m["last_status"],
                          "active_problems": active.get(m["system"], 0)} for m in monitors]}
    template = "monitor/_problems.html" if request.headers.get("hx-request") else "monitor/overview.html"
    return render(request, template, data, title=translator(request)("monitor.title"))


def _problem_page(request: Request, actor: Actor, problem_id: int, error: str | None = None,
                  action: str | None = None, note: str = "", status: int = 200) -> Response:
    problem = get_hc(request).monitor.problems.get(actor, problem_id)
    data = {"problem": problem, "error": error, "error_action": action, "note": note}
    t = translator(request)
    return render(request, "monitor/problem.html", data, status=status, title=f"{t('monitor.problem')} {problem_id}")


@router.get("/monitoring/problems/{problem_id}")
def problem_page(request: Request, problem_id: RowId, actor: Actor = Depends(page_actor)) -> Response:
    """One problem: its occurrences, what it fed, and the forms to acknowledge or resolve it."""
    return _problem_page(request, actor, problem_id)


@router.post("/monitoring/problems/{problem_id}/{action}")
def move_problem(request: Request, problem_id: RowId, action: str, note: str = Form(""),
                 csrf_token: str = Form(""), actor: Actor = Depends(page_actor)) -> Response:
    """Acknowledge or resolve a problem with its note; a missing note is shown beside the field."""
    check_csrf(request, csrf_token)
    problems = get_hc(request).monitor.problems
    moves = {"acknowledge": problems.acknowledge, "resolve": problems.resolve}
    if action not in moves:
        raise ValidationFailed(f"unknown action '{action}'; use acknowledge or resolve",
                               key="web.unknown_action_use_acknowledge")
    try:
        moves[action](actor, problem_id, note)
    except ValidationFailed:
        t = translator(request)
        return _problem_page(request, actor, problem_id, t("monitor.note_required"), action, note, 422)
    return redirect(f"/monitoring/problems/{problem_id}")


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """Home page: unresolved monitoring problems by severity and the most recent ones."""
    summary: dict[str, Any] = hc.monitor.problems.summary(actor, limit=5)
    return summary
