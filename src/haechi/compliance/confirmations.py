"""Korean Art. 33 confirmation requests: asking MSIT whether a system is high-impact.

The operator may ask MSIT to confirm; MSIT replies within 30 days (extendable once by
30); an operator who disagrees may ask for re-confirmation within 10 days of the reply,
which MSIT answers within 30 days (Decree Art. 25(3)–(5), [KR-33-4]). Haechi records
each step and shows the clocks, so a missed re-confirmation window is visible.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, NotFound, ValidationFailed
from haechi.ledger import LedgerAction, append, lock_head
from haechi.store.compliance_tables import KrConfirmation
from haechi.store.tables import System

from .common import as_datetime, iso, system_row
from .deadlines import Clock, confirmation_clocks, zone

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .workspace import OrgClock

STEPS = ("extended_at", "replied_at", "rerequested_at", "rereplied_at")
REPLIES = ("high_impact", "not_high_impact")


class ConfirmationService:
    """Art. 33 confirmation requests of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock) -> None:
        self.db, self.clock = db, clock

    def submit(self, actor: Actor, system: str, submitted_at: Any = None, note: str | None = None) -> dict[str, Any]:
        """Record that a confirmation request was submitted to MSIT (starts MSIT's 30-day clock)."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = system_row(s, actor, system)
            tz = self.clock.timezone(s, actor.org_id)
            when = as_datetime(submitted_at, "submitted_at", zone(tz)) or self.clock.now()
            item = KrConfirmation(org_id=actor.org_id, system_id=row.id, submitted_at=when, clock_tz=tz,
                                  note=note, created_by=actor.label, created_at=self.clock.now())
            s.add(item)
            s.flush()
            append(s, actor.org_id, actor.label, LedgerAction.CONFIRMATION_SUBMIT, "system", system,
                   {"id": item.id, "submitted_at": when})
            return self._dict(s, item)

    def record(self, actor: Actor, confirmation: int, step: str, at: Any = None,
               reply: str | None = None) -> dict[str, Any]:
        """Record a step: ``extended_at``, ``replied_at`` (+ ``reply``), ``rerequested_at``, ``rereplied_at``."""
        actor.require(Permission.WRITE)
        if step not in STEPS:
            raise ValidationFailed(f"unknown step '{step}'; use one of: {', '.join(STEPS)}",
                                   key="compliance.unknown_step_use_one",
                                   values={"steps": ", ".join(STEPS), "step": step})
        with self.db.transaction() as s:
            item = self.row(s, actor, confirmation, lock=True)
            when = as_datetime(at, step, zone(item.clock_tz)) or self.clock.now()
            _check_order(item, step, when)
            if step == "replied_at":
                if reply not in REPLIES:
                    raise ValidationFailed(f"give the reply: {' or '.join(REPLIES)}",
                                           key="compliance.give_reply")
                item.reply = reply
            setattr(item, step, when)
            append(s, actor.org_id, actor.label, LedgerAction.CONFIRMATION_STEP, "confirmation", str(item.id),
                   {"step": step, "at": when, "reply": reply})
            return self._dict(s, item)

    def row(self, s: Session, actor: Actor, confirmation: int, lock: bool = False) -> KrConfirmation:
        stmt = select(KrConfirmation).where(KrConfirmation.org_id == actor.org_id,
                                            KrConfirmation.id == int(confirmation))
        if lock:
            lock_head(s, actor.org_id)  # before the row: one lock order for every writer
        found = s.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if found is None:
            raise NotFound(f"confirmation request {confirmation} not found",
                           key="compliance.confirmation_request_not_found", values={"confirmation": confirmation})
        return found

    def list(self, actor: Actor, system: str | None = None) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(KrConfirmation).where(KrConfirmation.org_id == actor.org_id).order_by(KrConfirmation.id)
            if system:
                stmt = stmt.where(KrConfirmation.system_id == system_row(s, actor, system).id)
            return [self._dict(s, c) for c in s.execute(stmt).scalars()]

    def clocks(self, item: KrConfirmation, slug: str) -> builtins.list[Clock]:
        return confirmation_clocks(item.submitted_at, item.clock_tz, extended=item.extended_at is not None,
                                   replied_at=item.replied_at, rerequested_at=item.rerequested_at,
                                   rereplied_at=item.rereplied_at, subject=f"{slug} confirmation #{item.id}")

    def _dict(self, s: Session, item: KrConfirmation) -> dict[str, Any]:
        system = s.get(System, item.system_id)
        slug = system.slug if system else "?"
        now = self.clock.now()
        return {"id": item.id, "system": slug, "submitted_at": iso(item.submitted_at),
                "extended_at": iso(item.extended_at), "replied_at": iso(item.replied_at), "reply": item.reply,
                "rerequested_at": iso(item.rerequested_at), "rereplied_at": iso(item.rereplied_at),
                "note": item.note, "clock_tz": item.clock_tz,
                "clocks": [c.to_dict(now) for c in self.clocks(item, slug)]}


def _check_order(item: KrConfirmation, step: str, when: Any) -> None:
    """Steps happen in order and after the submission."""
    needs = {"extended_at": None, "replied_at": None, "rerequested_at": "replied_at", "rereplied_at": "rerequested_at"}
    before = needs[step]
    if before and getattr(item, before) is None:
        raise Conflict(f"record {before.removesuffix('_at')} before {step.removesuffix('_at')}",
                       key="compliance.record_before",
                       values={"before": before.removesuffix("_at"), "step": step.removesuffix("_at")})
    if getattr(item, step) is not None:
        raise Conflict(f"{step.removesuffix('_at')} is already recorded", key="compliance.already_recorded",
                       values={"step": step.removesuffix("_at")})
    if step == "extended_at" and item.replied_at is not None:
        raise Conflict("the period cannot be extended after the reply", key="compliance.period_cannot_extended_after")
    earliest = getattr(item, before) if before else item.submitted_at
    if when < earliest:
        raise ValidationFailed(f"{step} ({when.isoformat()}) is before {before or 'submitted_at'}",
                               key="compliance.before_check_order",
                               values={"step": step, "when": when.isoformat(), "before": before or "submitted_at"})
