"""``hc.monitor.problems``: read the organisation's monitoring problems and work them through.

Acknowledging and resolving take a note (what was found, what was done): it is stored
with who and when, written to the ledger, and the problem's alerts follow its status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, Issue, NotFound, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.monitor_problem_tables import MonitorProblem
from haechi.store.monitor_tables import Monitor, MonitorAlert
from haechi.store.tables import System

from .problems import ACTIVE, PROBLEM_STATUSES, SEVERITIES, problem_info

if TYPE_CHECKING:
    from haechi.clock import Clock
    from haechi.store.db import Database

#: the longest note a person can leave on a problem
NOTE_MAX = 4000
#: how many occurrences a problem's page lists (newest first)
OCCURRENCES_SHOWN = 200
#: a status filter may also say ``active`` (open or acknowledged)
STATUS_FILTERS = (*PROBLEM_STATUSES, "active")
_ACTIONS = {"acknowledged": LedgerAction.MONITOR_PROBLEM_ACKNOWLEDGED,
            "resolved": LedgerAction.MONITOR_PROBLEM_RESOLVED}
#: the statuses each action may start from
_FROM = {"acknowledged": ("open",), "resolved": ACTIVE}


def check_note(note: str | None) -> str:
    """A note is required and bounded; returns it stripped or raises ``ValidationFailed``."""
    text = (note or "").strip()
    if not text:
        raise ValidationFailed("a note is required: say what you found or did",
                               issues=[Issue("note", "required", "write what was found or done, e.g. "
                                                                 "'lighting changed on line 2; lamp replaced'")],
                               key="monitor.note_required_say_what")
    if len(text) > NOTE_MAX:
        raise ValidationFailed(f"the note is longer than {NOTE_MAX} characters",
                               issues=[Issue("note", "too long", f"shorten it to {NOTE_MAX} characters")],
                               key="monitor.note_longer_than_characters", values={"note_max": NOTE_MAX})
    return text


def _choice(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise ValidationFailed(f"unknown {field} '{value}'", issues=[Issue(field, "unknown value",
                                                                           f"use one of: {', '.join(allowed)}")],
                               key="monitor.unknown_choice", values={"field": field, "value": value})
    return value


class ProblemService:
    """Problems of the actor's organisation.

    :param db: the workspace database (problems, their alerts, the ledger).
    :param clock: the workspace clock (when a problem was acknowledged or resolved).
    """

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def list(self, actor: Actor, *, system: str | None = None, status: str | None = None,
             family: str | None = None, severity: str | None = None, metric: str | None = None,
             limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Problems, unresolved first, then the most severe, then the most recently seen; filtered and paged."""
        actor.require(Permission.READ)
        status = _choice("status", status, STATUS_FILTERS)
        severity = _choice("severity", severity, SEVERITIES)
        with self.db.reader() as s:
            stmt = self._select(actor)
            if system:
                stmt = stmt.where(System.slug == system)
            if status == "active":
                stmt = stmt.where(MonitorProblem.status.in_(ACTIVE))
            elif status:
                stmt = stmt.where(MonitorProblem.status == status)
            for column, value in ((MonitorProblem.family, family), (MonitorProblem.severity, severity),
                                  (MonitorProblem.metric, metric)):
                if value:
                    stmt = stmt.where(column == value)
            total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            resolved = case((MonitorProblem.status == "resolved", 1), else_=0)
            severity_rank = case(*((MonitorProblem.severity == sev, rank) for rank, sev in enumerate(SEVERITIES)),
                                 else_=len(SEVERITIES))
            rows = s.execute(stmt.order_by(resolved, severity_rank, MonitorProblem.last_window.desc(),
                                           MonitorProblem.id.desc())
                             .limit(limit).offset(offset)).all()
            items = [problem_info(p, slug, name) for p, slug, name in rows]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def get(self, actor: Actor, problem_id: int) -> dict[str, Any]:
        """One problem with its occurrences (the alerts of each window, newest first)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            problem, slug, name = self._row(s, actor, problem_id)
            alerts = s.execute(select(MonitorAlert).where(MonitorAlert.problem_id == problem.id)
                               .order_by(MonitorAlert.window_start.desc()).limit(OCCURRENCES_SHOWN)).scalars()
            occurrences = [{"alert": a.id, "window_start": a.window_start, "window_end": a.window_end,
                            "value": a.value, "threshold": a.threshold, "n": a.n, "status": a.status}
                           for a in alerts]
            return {**problem_info(problem, slug, name), "occurrences_shown": occurrences}

    def acknowledge(self, actor: Actor, problem_id: int, note: str | None) -> dict[str, Any]:
        """Someone is on it: the note says who looks at what."""
        return self._move(actor, problem_id, "acknowledged", note)

    def resolve(self, actor: Actor, problem_id: int, note: str | None) -> dict[str, Any]:
        """Done: the note says what was found and done. A later breach opens a new problem."""
        return self._move(actor, problem_id, "resolved", note)

    def summary(self, actor: Actor, limit: int = 5) -> dict[str, Any]:
        """For the home page: unresolved problems by severity and the most recent of them."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            counts = dict(s.execute(select(MonitorProblem.severity, func.count()).where(
                MonitorProblem.org_id == actor.org_id, MonitorProblem.status.in_(ACTIVE))
                .group_by(MonitorProblem.severity)).all())
            unacked = s.execute(select(func.count()).where(MonitorProblem.org_id == actor.org_id,
                                                           MonitorProblem.status == "open")).scalar_one()
        latest = self.list(actor, status="active", limit=limit)
        return {"active": sum(counts.values()), "open": unacked,
                "by_severity": {sev: counts.get(sev, 0) for sev in SEVERITIES}, "latest": latest["items"]}

    # --- helpers ---------------------------------------------------------------------------
    def _select(self, actor: Actor) -> Any:
        return (select(MonitorProblem, System.slug, Monitor.name)
                .join(System, System.id == MonitorProblem.system_id)
                .join(Monitor, Monitor.id == MonitorProblem.monitor_id)
                .where(MonitorProblem.org_id == actor.org_id, System.deleted_at.is_(None)))

    def _row(self, s: Session, actor: Actor, problem_id: int) -> tuple[MonitorProblem, str, str]:
        row = s.execute(self._select(actor).where(MonitorProblem.id == problem_id)).first()
        if row is None:
            raise NotFound(f"problem {problem_id} not found",
                           key="monitor.problem_not_found", values={"problem_id": problem_id})
        return row[0], row[1], row[2]

    def _move(self, actor: Actor, problem_id: int, status: str, note: str | None) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        text = check_note(note)
        with self.db.transaction() as s:
            problem, slug, name = self._row(s, actor, problem_id)
            if problem.status not in _FROM[status]:
                raise Conflict(f"problem {problem_id} is {problem.status}; it cannot become {status}",
                               key="monitor.problem_cannot_become",
                               values={"problem_id": problem_id, "status": _KO[problem.status]})
            now = self.clock.now()
            problem.status, problem.updated_at = status, now
            if status == "acknowledged":
                problem.acknowledged_at, problem.acknowledged_by, problem.acknowledged_note = now, actor.label, text
            else:
                problem.resolved_at, problem.resolved_by, problem.resolved_note = now, actor.label, text
            self._alerts_follow(s, problem, status, text, now)
            append(s, actor.org_id, actor.label, _ACTIONS[status], "monitor_problem", str(problem.id),
                   {"system": slug, "monitor": name, "metric": problem.metric, "scope": problem.scope or None,
                    "group": problem.grp or None, "occurrences": problem.occurrences, "note": text})
            s.flush()
            return problem_info(problem, slug, name)

    @staticmethod
    def _alerts_follow(s: Session, problem: MonitorProblem, status: str, note: str, now: Any) -> None:
        """The problem's alerts take its status (an acknowledged one leaves resolved alerts alone)."""
        moving = ("open",) if status == "acknowledged" else ACTIVE
        for alert in s.execute(select(MonitorAlert).where(MonitorAlert.problem_id == problem.id,
                                                          MonitorAlert.status.in_(moving))).scalars():
            alert.status, alert.note, alert.updated_at = status, note, now


_KO = {"open": "열림", "acknowledged": "확인됨", "resolved": "해결됨"}
