"""Grouping alerts into problems: one breach that persists is one problem, not one alert a day.

A *place* is one system's monitor × metric × scope (feature, attribute or column) ×
group. The rule, applied to a run's new alerts in window order:

* a breach at a place with an unresolved (open or acknowledged) problem is another
  occurrence of that problem — also after windows in between were back within bounds:
  the problem stays until a person resolves it (it shows ``recovered`` meanwhile);
* a breach at a place whose last problem was resolved opens a **new** problem that
  ``follows`` the resolved one (a recurrence is news, and the resolution note stays with
  the episode it closed) — except a breach in a window the resolved problem already
  covered (a recomputed old window), which joins that problem without reopening it;
* a breach at a place with no problem opens one.

Each alert keeps its own row (``monitor_alerts``) as an occurrence; the problem holds
the counts, first and last window, the latest values (trend) and, once compliance has
handled the alerts, the incident, evidence and controls they fed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.ledger import LedgerAction, append
from haechi.store.monitor_problem_tables import MonitorProblem
from haechi.store.monitor_tables import MonitorAlert
from haechi.store.tables import utcnow

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.events import AlertsHandled
    from haechi.store.monitor_tables import Monitor

    from .service import MonitorService

PROBLEM_STATUSES = ("open", "acknowledged", "resolved")
ACTIVE = ("open", "acknowledged")
#: how many of the latest occurrences a problem keeps for its trend and sparkline
RECENT_KEEP = 30
#: how many evidence refs a problem lists (the newest; every alert's evidence stays in compliance)
EVIDENCE_KEEP = 50
#: a problem's severity by its metric family: unfair treatment of people and leaked personal data first
SEVERITY = {"fairness": "high", "privacy": "high", "performance": "medium", "transparency": "medium",
            "service": "low", "drift": "low", "data_quality": "low", "volume": "low"}
SEVERITIES = ("high", "medium", "low")
Place = tuple[str, str, str]


def place_of(row: MonitorAlert | MonitorProblem) -> Place:
    return row.metric, row.scope or "", row.grp or ""


def severity_of(family: str) -> str:
    return SEVERITY.get(family, "medium")


def attach(s: Session, actor: Actor, monitor: Monitor, system_slug: str, new: list[MonitorAlert],
           alerts: list[dict[str, Any]], windows: list[dict[str, Any]]) -> list[MonitorProblem]:
    """Make each new alert an occurrence of its place's problem; returns the problems opened.

    ``alerts`` and ``windows`` are the whole run's (new and known alerts), used to tell
    which problems still breach in the newest window with rows.
    """
    active = {place_of(p): p for p in s.execute(select(MonitorProblem).where(
        MonitorProblem.monitor_id == monitor.id, MonitorProblem.status.in_(ACTIVE))).scalars()}
    resolved: dict[Place, MonitorProblem | None] = {}
    opened: list[MonitorProblem] = []
    pairs: list[tuple[MonitorAlert, MonitorProblem]] = []
    for row in sorted(new, key=lambda r: (r.window_start, r.id or 0)):
        place = place_of(row)
        problem = active.get(place)
        if problem is None:
            last = resolved[place] if place in resolved else _last_resolved(s, monitor.id, place)
            resolved[place] = last
            if last is not None and row.window_start <= last.last_window:
                problem = last  # a recomputed window of an episode already handled
            else:
                problem = active[place] = _open(s, monitor, row, last)
                opened.append(problem)
        _add_occurrence(problem, row)
        pairs.append((row, problem))
    s.flush()
    for row, problem in pairs:
        row.problem_id = problem.id
    for problem in opened:
        append(s, actor.org_id, actor.label, LedgerAction.MONITOR_PROBLEM_OPEN, "monitor_problem", str(problem.id),
               {"system": system_slug, "monitor": monitor.name, "metric": problem.metric,
                "scope": problem.scope or None, "group": problem.grp or None, "window": problem.first_window})
    _mark_breaching(active.values(), alerts, windows)
    return opened


def _last_resolved(s: Session, monitor_id: int, place: Place) -> MonitorProblem | None:
    metric, scope, grp = place
    return s.execute(select(MonitorProblem).where(
        MonitorProblem.monitor_id == monitor_id, MonitorProblem.metric == metric, MonitorProblem.scope == scope,
        MonitorProblem.grp == grp, MonitorProblem.status == "resolved").order_by(MonitorProblem.id.desc())
        .limit(1)).scalar_one_or_none()


def _open(s: Session, monitor: Monitor, row: MonitorAlert, follows: MonitorProblem | None) -> MonitorProblem:
    problem = MonitorProblem(org_id=monitor.org_id, monitor_id=monitor.id, system_id=monitor.system_id,
                             metric=row.metric, family=row.family, scope=row.scope or "", grp=row.grp or "",
                             status="open", severity=severity_of(row.family), first_window=row.window_start,
                             last_window=row.window_start, occurrences=0, threshold=row.threshold, recent=[],
                             evidence=[], controls=[], breaching=True, follows_id=follows.id if follows else None)
    s.add(problem)
    return problem


def _add_occurrence(problem: MonitorProblem, row: MonitorAlert) -> None:
    problem.occurrences += 1
    problem.first_window = min(problem.first_window, row.window_start)
    if row.window_start >= problem.last_window:
        problem.last_window, problem.last_value, problem.threshold = row.window_start, row.value, row.threshold
    problem.worst_value = _worse(problem.worst_value, row.value, row.threshold)
    recent = sorted([*problem.recent, [row.window_start, row.value]])[-RECENT_KEEP:]
    problem.recent = recent
    problem.updated_at = utcnow()
    if problem.status == "acknowledged" and row.status == "open":
        row.status = "acknowledged"  # the person working on the problem already knows


def _worse(current: float | None, value: float, threshold: dict[str, Any]) -> float:
    if current is None:
        return value
    return max(current, value) if "max" in threshold else min(current, value)


def _mark_breaching(problems: Iterable[MonitorProblem], alerts: list[dict[str, Any]],
                    windows: list[dict[str, Any]]) -> None:
    """A problem breaches while the newest window with rows still breaches at its place."""
    latest = next((w["start"] for w in reversed(windows) if w.get("n")), None)
    if latest is None:
        return
    now = {(a["metric"], a.get("scope") or "", a.get("group") or "") for a in alerts if a["window_start"] == latest}
    for problem in problems:
        problem.breaching = place_of(problem) in now


def beyond(value: float | None, threshold: dict[str, Any]) -> float | None:
    """How far ``value`` is past the bound it breaks (positive), or inside it (negative)."""
    if value is None:
        return None
    if "max" in threshold and value > threshold["max"]:
        return value - float(threshold["max"])
    if "min" in threshold and value < threshold["min"]:
        return float(threshold["min"]) - value
    gaps = [value - float(threshold["max"])] if "max" in threshold else []
    gaps += [float(threshold["min"]) - value] if "min" in threshold else []
    return max(gaps) if gaps else None


def trend(problem: MonitorProblem) -> str:
    """``recovered`` (back within bounds now), ``new`` (one occurrence), else ``worsening``,
    ``improving`` or ``steady``: the latest breach against the mean of the three before it."""
    if problem.status != "resolved" and not problem.breaching:
        return "recovered"
    values = [beyond(v, problem.threshold) for _, v in problem.recent]
    gaps = [g for g in values if g is not None]
    if len(gaps) < 2:
        return "new"
    last, before = gaps[-1], gaps[-4:-1]
    mean = sum(before) / len(before)
    margin = max(abs(mean) * 0.1, 1e-9)
    return "worsening" if last > mean + margin else "improving" if last < mean - margin else "steady"


def problem_info(row: MonitorProblem, system_slug: str, monitor_name: str) -> dict[str, Any]:
    """A problem as the API, CLI and dashboard show it."""
    def step(at: Any, by: str | None, note: str | None) -> dict[str, Any] | None:
        return {"at": at.isoformat(), "by": by, "note": note} if at else None

    return {"id": row.id, "system": system_slug, "monitor": monitor_name, "metric": row.metric,
            "family": row.family, "scope": row.scope or None, "group": row.grp or None, "status": row.status,
            "severity": row.severity, "first_seen": row.first_window, "last_seen": row.last_window,
            "occurrences": row.occurrences, "last_value": row.last_value, "worst_value": row.worst_value,
            "threshold": row.threshold, "trend": trend(row), "breaching": row.breaching,
            "recent": [{"window_start": w, "value": v} for w, v in row.recent],
            "incident": row.incident, "evidence": list(row.evidence), "controls": list(row.controls),
            "follows": row.follows_id,
            "acknowledged": step(row.acknowledged_at, row.acknowledged_by, row.acknowledged_note),
            "resolved": step(row.resolved_at, row.resolved_by, row.resolved_note),
            "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat()}


# --- what the alerts fed in compliance -----------------------------------------------------

def record_links(s: Session, org_id: int, links: dict[int, dict[str, Any]]) -> None:
    """Add the incident, evidence and controls each alert fed to the alert's problem."""
    if not links:
        return
    rows = s.execute(select(MonitorAlert.id, MonitorAlert.problem_id).where(
        MonitorAlert.org_id == org_id, MonitorAlert.id.in_(list(links)))).all()
    by_problem: dict[int, list[dict[str, Any]]] = {}
    for alert_id, problem_id in rows:
        if problem_id is not None:
            by_problem.setdefault(problem_id, []).append(links[alert_id])
    for problem_id, fed in by_problem.items():
        problem = s.get(MonitorProblem, problem_id)
        if problem is not None and problem.org_id == org_id:
            _add_links(problem, fed)


def _add_links(problem: MonitorProblem, fed: list[dict[str, Any]]) -> None:
    incident = next((f["incident"] for f in reversed(fed) if f.get("incident")), None)
    if incident:
        problem.incident = incident
    evidence = [*problem.evidence, *(f["evidence"] for f in fed if f.get("evidence"))]
    problem.evidence = list(dict.fromkeys(evidence))[-EVIDENCE_KEEP:]
    controls = {*problem.controls, *(c for f in fed for c in f.get("controls") or [])}
    problem.controls = sorted(controls, key=_ref_order)


def _ref_order(ref: str) -> tuple[str, int]:
    prefix, _, number = str(ref).rpartition("-")
    return (prefix, int(number)) if number.isdigit() else (str(ref), 0)


def on_alerts_handled(svc: MonitorService, event: AlertsHandled) -> None:
    """Compliance handled a run's alerts: record on each problem what its alerts fed."""
    record_links(event.session, event.actor.org_id, event.links)
