"""Controls: read with their health today, moved through their states (four eyes for
``operating``), assigned, and demoted when they lose their proof.

Controls are proposed and retired from a system's obligations by
:class:`~haechi.compliance.control_sync.ControlSync`.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, PermissionDenied, ValidationFailed
from haechi.ledger import LedgerAction, append, lock_head
from haechi.store.compliance_tables import Control, ControlEvent, EvidenceItem, EvidenceLink

from . import evidence_reads
from .common import as_date, iso, not_found, parse_ref, ref, system_row, system_slugs
from .freshness import ControlHealth, EvidenceFacts, control_health
from .messages import control_detail
from .obligations import served_obligations
from .review import counted, four_eyes, review_note
from .states import check_transition

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .catalog import ControlLibrary
    from .workspace import OrgClock

_UNSET: Any = object()


class ControlService:
    """Controls of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock, library: Callable[[], ControlLibrary],
                 warning_days: int) -> None:
        """:param warning_days: evidence expiring within this many days makes a control "expiring"."""
        self.db, self.clock, self.library = db, clock, library
        self.warning_days = warning_days

    # --- reads -------------------------------------------------------------------
    def list(self, actor: Actor, system: str | None = None, status: str | None = None,
             include_retired: bool = False) -> builtins.list[dict[str, Any]]:
        """Controls with their health today, filtered by system and status."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(Control).where(Control.org_id == actor.org_id).order_by(Control.number)
            if system:
                stmt = stmt.where(Control.system_id == system_row(s, actor, system).id)
            if not include_retired:
                stmt = stmt.where(Control.retired_at.is_(None))
            rows = list(s.execute(stmt).scalars())
            out = self.describe(s, actor.org_id, rows)
        return [c for c in out if status is None or c["status"] == status]

    def get(self, actor: Actor, control: str | int) -> dict[str, Any]:
        """One control with its evidence, obligations and history."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = self.row(s, actor, control)
            data = self.describe(s, actor.org_id, [row])[0]
            data["evidence"] = evidence_reads.of_control(s, row, self.library(), self.clock.org_today(s, row.org_id),
                                                         self.warning_days)
            data["events"] = [_event(e) for e in s.execute(select(ControlEvent).where(
                ControlEvent.control_id == row.id).order_by(ControlEvent.at, ControlEvent.id)).scalars()]
            data["obligation_details"] = served_obligations(s, row)
        return data

    def row(self, s: Session, actor: Actor, control: str | int, lock: bool = False) -> Control:
        number = parse_ref("control", control)
        stmt = select(Control).where(Control.org_id == actor.org_id, Control.number == number)
        if lock:
            lock_head(s, actor.org_id)  # before the row: one lock order for every writer
        found = s.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if found is None:
            raise not_found("control", control)
        return found

    def describe(self, s: Session, org_id: int, rows: builtins.list[Control]) -> builtins.list[dict[str, Any]]:
        """Controls as dicts, each with its health today (one query for all evidence)."""
        slugs = system_slugs(s, org_id)
        facts = self.evidence_facts(s, [r.id for r in rows])
        today = self.clock.org_today(s, org_id)
        return [_control_dict(r, slugs.get(r.system_id, "?"), self.health(r, facts.get(r.id, []), today),
                              today, self.library()) for r in rows]

    def evidence_facts(self, s: Session, control_ids: builtins.list[int]) -> dict[int, builtins.list[EvidenceFacts]]:
        """Current (not superseded, not deleted) evidence per control that counts after review."""
        if not control_ids:
            return {}
        rows = s.execute(select(EvidenceLink.control_id, EvidenceItem).join(
            EvidenceItem, EvidenceItem.id == EvidenceLink.evidence_id).where(
            EvidenceLink.control_id.in_(control_ids), EvidenceItem.superseded_at.is_(None),
            EvidenceItem.deleted_at.is_(None), counted()))
        out: dict[int, builtins.list[EvidenceFacts]] = {}
        for control_id, ev in rows:
            out.setdefault(control_id, []).append(EvidenceFacts(
                ref("evidence", ev.number), ev.evidence_type, ev.polarity, ev.effective_from,
                ev.effective_until, ev.valid_until, ev.resolved_at is not None))
        return out

    def health(self, control: Control, facts: builtins.list[EvidenceFacts], today: dt.date) -> ControlHealth:
        definition = self.library().get(control.key)
        rules = definition.rules() if definition else []
        return control_health(control.status, rules, facts, today, self.warning_days)

    # --- state machine ----------------------------------------------------------------
    def transition(self, actor: Actor, control: str | int, target: str, reason: str | None = None) -> dict[str, Any]:
        """Move a control to ``target``; ``operating`` needs fresh evidence of every required type."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = self.row(s, actor, control, lock=True)
            label = ref("control", row.number)
            if row.retired_at is not None:
                raise ValidationFailed(f"{label} is retired: {row.retired_reason}",
                                       key="compliance.retired_transition",
                                       values={"reason": row.retired_reason, "label": label})
            today = self.clock.org_today(s, actor.org_id)
            health = self.health(row, self.evidence_facts(s, [row.id]).get(row.id, []), today)
            if target == "operating" and health.readiness.missing_types and not health.readiness.open_negative:
                _refuse_while_pending(s, row, label)
            check_transition(label, row.status, target, health.readiness)
            if target == "operating" and four_eyes(s, actor.org_id, row.system_id):
                self._request(s, actor, row, target, reason)
            else:
                self.set_status(s, actor, row, target, reason)
            return self.describe(s, actor.org_id, [row])[0]

    def _request(self, s: Session, actor: Actor, control: Control, target: str, reason: str | None) -> None:
        """Four eyes: record the request; a second person approves it (``decide``)."""
        control.requested_status, control.requested_by = target, actor.label
        control.requested_at, control.request_reason = self.clock.now(), reason
        self.record_event(s, actor, control, "requested", control.status, target, reason)
        append(s, actor.org_id, actor.label, LedgerAction.CONTROL_REQUEST, "control", ref("control", control.number),
               {"from": control.status, "to": target, "reason": reason})

    def pending(self, actor: Actor, system: str | None = None) -> builtins.list[dict[str, Any]]:
        """Controls whose move to operating waits for a second person's approval."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(Control).where(Control.org_id == actor.org_id, Control.requested_status.is_not(None),
                                         Control.retired_at.is_(None)).order_by(Control.number)
            if system:
                stmt = stmt.where(Control.system_id == system_row(s, actor, system).id)
            rows = list(s.execute(stmt).scalars())
            return [d | {"can_review": r.requested_by != actor.label}
                    for r, d in zip(rows, self.describe(s, actor.org_id, rows), strict=True)]

    def decide(self, actor: Actor, control: str | int, approve: bool, note: str | None) -> dict[str, Any]:
        """Approve or refuse a request to mark a control operating; never the requester's own."""
        actor.require(Permission.WRITE)
        text = review_note(note)
        with self.db.transaction() as s:
            row = self.row(s, actor, control, lock=True)
            label = ref("control", row.number)
            if row.requested_status is None:
                raise Conflict(f"{label} has no request waiting for approval",
                               key="compliance.has_no_request_waiting", values={"label": label})
            if row.requested_by == actor.label:
                raise PermissionDenied(
                    f"you ({actor.label}) asked to mark {label} operating; another reviewer must approve it",
                    key="compliance.you_asked_mark_operating", values={"label": label})
            target, requester = row.requested_status, row.requested_by
            if approve:
                today = self.clock.org_today(s, actor.org_id)
                health = self.health(row, self.evidence_facts(s, [row.id]).get(row.id, []), today)
                check_transition(label, row.status, target, health.readiness)
                self.set_status(s, actor, row, target, f"approved by {actor.label}: {text}")
            else:
                self._clear_request(row)
            self.record_event(s, actor, row, "approved" if approve else "refused", None, None, text)
            append(s, actor.org_id, actor.label, LedgerAction.CONTROL_REVIEW, "control", label,
                   {"decision": "approved" if approve else "refused", "to": target, "requested_by": requester,
                    "note": text})
            return self.describe(s, actor.org_id, [row])[0]

    @staticmethod
    def _clear_request(control: Control) -> None:
        control.requested_status = control.requested_by = control.requested_at = control.request_reason = None

    def set_status(self, s: Session, actor: Actor, control: Control, target: str, reason: str | None) -> None:
        self._clear_request(control)  # any change of status settles a pending request
        previous = control.status
        control.status, control.status_reason = target, reason
        control.status_changed_at = control.updated_at = self.clock.now()
        self.record_event(s, actor, control, "status", previous, target, reason)
        append(s, actor.org_id, actor.label, LedgerAction.CONTROL_STATUS, "control", ref("control", control.number),
               {"from": previous, "to": target, "reason": reason})

    def assign(self, actor: Actor, control: str | int, owner: str | None = _UNSET,
               due_date: Any = _UNSET) -> dict[str, Any]:
        """Change a control's owner and/or due date."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = self.row(s, actor, control, lock=True)
            changes: dict[str, Any] = {}
            if owner is not _UNSET:
                row.owner = changes["owner"] = (owner or "").strip() or None
            if due_date is not _UNSET:
                row.due_date = as_date(due_date, "due_date")
                changes["due_date"] = iso(row.due_date)
            if not changes:
                raise ValidationFailed("nothing to change: give an owner or a due date",
                                       key="compliance.nothing_change_give_owner")
            row.updated_at = self.clock.now()
            self.record_event(s, actor, row, "assigned", None, None, ", ".join(f"{k}={v}" for k, v in changes.items()))
            append(s, actor.org_id, actor.label, LedgerAction.CONTROL_ASSIGN, "control", ref("control", row.number),
                   changes)
            return self.describe(s, actor.org_id, [row])[0]

    # --- demotion -----------------------------------------------------------------------
    def review(self, actor: Actor) -> dict[str, Any]:
        """Demote the organisation's operating controls that lost their proof today."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            return {"demoted": self.demote_in(s, actor)}

    def demote_in(self, s: Session, actor: Actor,
                  only: builtins.list[int] | None = None) -> builtins.list[dict[str, Any]]:
        # In number order, so the ledger lists demotions alike on every backend (PostgreSQL
        # returns updated rows in no particular order); the ledger head first, as always.
        lock_head(s, actor.org_id)
        stmt = select(Control).where(Control.org_id == actor.org_id, Control.status == "operating",
                                     Control.retired_at.is_(None)).order_by(Control.number).with_for_update()
        if only is not None:
            stmt = stmt.where(Control.id.in_(only))
        rows = list(s.execute(stmt).scalars())
        facts = self.evidence_facts(s, [r.id for r in rows])
        today = self.clock.org_today(s, actor.org_id)
        demoted = []
        for row in rows:
            health = self.health(row, facts.get(row.id, []), today)
            if not health.effective:
                reason = f"demoted: {health.readiness.explain()}"
                self.set_status(s, actor, row, "needs_review", reason)
                demoted.append({"control": ref("control", row.number), "key": row.key, "reason": reason})
        return demoted

    def record_event(self, s: Session, actor: Actor, control: Control, kind: str, frm: str | None,
               to: str | None, detail: str | None) -> None:
        s.add(ControlEvent(org_id=control.org_id, control_id=control.id, at=self.clock.now(), actor=actor.label,
                           kind=kind, from_status=frm, to_status=to, detail=detail))


def _refuse_while_pending(s: Session, control: Control, label: str) -> None:
    """Name the evidence that would make a control ready once a reviewer accepts it."""
    waiting = [ref("evidence", n) for n in s.execute(
        select(EvidenceItem.number).join(EvidenceLink, EvidenceLink.evidence_id == EvidenceItem.id).where(
            EvidenceLink.control_id == control.id, EvidenceItem.review_status == "pending",
            EvidenceItem.polarity != "contradicts",
            EvidenceItem.superseded_at.is_(None), EvidenceItem.deleted_at.is_(None)).order_by(
            EvidenceItem.number)).scalars()]
    if waiting:
        names = ", ".join(waiting)
        raise Conflict(
            f"{label}: cannot mark as operating yet: {names} waiting for review; only accepted evidence counts. "
            f"Someone other than the submitter accepts it with 'haechi evidence review {waiting[0]} --accept "
            "--note …' (or on the compliance page)",
            key="compliance.cannot_mark_as_operating", values={"label": label, "names": names, "waiting": waiting[0]},
            details={"pending_review": waiting})


def _event(e: ControlEvent) -> dict[str, Any]:
    return {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "from": e.from_status,
            "to": e.to_status, "detail": e.detail, "detail_ko": control_detail(e.detail, "ko")}


def _control_dict(c: Control, system: str, health: ControlHealth, today: dt.date, library: Any) -> dict[str, Any]:
    definition = library.get(c.key)
    overdue = c.due_date is not None and c.due_date < today and not health.effective and c.retired_at is None
    return {
        "ref": ref("control", c.number), "system": system, "key": c.key, "title": c.title,
        "title_ko": c.title_ko, "status": c.status, "status_reason": c.status_reason,
        "status_reason_ko": control_detail(c.status_reason, "ko"),
        "status_changed_at": c.status_changed_at.isoformat(), "owner": c.owner,
        "due_date": iso(c.due_date), "overdue": overdue, "obligations": list(c.obligations),
        "evidence_types": c.evidence_types, "effective": health.effective, "health": health.to_dict(),
        "frameworks": definition.frameworks if definition else {},
        "retired": c.retired_at is not None, "retired_reason": c.retired_reason,
        "library_version": c.library_version, "created_at": c.created_at.isoformat(),
        "request": {"status": c.requested_status, "by": c.requested_by, "at": c.requested_at.isoformat()
                    if c.requested_at else None, "reason": c.request_reason} if c.requested_status else None,
    }
