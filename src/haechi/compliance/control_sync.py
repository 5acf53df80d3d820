"""Controls proposed and retired from a system's applicable obligations.

``sync`` compares the classifier's obligations with the controls a system has: controls
the library proposes for newly applicable obligations are added, controls whose
obligations no longer apply are retired (never deleted), and every change carries an
explanation naming the obligations and the card revision or pack versions behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.ledger import LedgerAction, append
from haechi.store.compliance_tables import Control
from haechi.store.tables import System

from .common import as_date, next_number, ref, system_row
from .obligations import RELEVANT, card_of, obligations_of, sync_obligations

if TYPE_CHECKING:
    from haechi.store.db import Database
    from haechi.verdicts.service import VerdictService

    from .catalog import ControlLibrary
    from .controls import ControlService
    from .workspace import OrgClock


class ControlSync:
    """Keeps each system's controls in line with the obligations that apply to it."""

    def __init__(self, db: Database, clock: OrgClock, library: Callable[[], ControlLibrary],
                 verdicts: Callable[[], VerdictService], controls: ControlService) -> None:
        """:param verdicts: gives the workspace's verdict service, asked for only when a sync
        has no obligations handed to it (so creating compliance never loads the law engine).
        :param controls: records each proposal, restoration and retirement in a control's history.
        """
        self.db, self.clock, self.library = db, clock, library
        self.verdicts, self.controls = verdicts, controls

    def sync(self, actor: Actor, system: str, obligations: list[dict[str, Any]] | None = None,
             context: str | None = None) -> dict[str, Any]:
        """Propose and retire controls of ``system`` from its current obligations.

        Without ``obligations`` the system's current verdict (from the verdict service,
        with the workspace's packs, as of today) is used.
        """
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = system_row(s, actor, system)
            return self.sync_in(s, actor, row, obligations, context)

    def sync_in(self, s: Session, actor: Actor, system: System, obligations: list[dict[str, Any]] | None,
                context: str | None, card: dict[str, Any] | None = None) -> dict[str, Any]:
        """``sync`` inside the caller's transaction (used by the system-changed hook)."""
        card = card if card is not None else card_of(s, system)
        if obligations is None:
            obligations, packs = obligations_of(self.verdicts().classify_card_in(s, actor, card))
            context = context or f"card revision {system.current_revision}; packs {packs or 'none'}"
        context = context or f"card revision {system.current_revision}"
        changes = sync_obligations(s, system, obligations, context, self.clock.now())
        if changes.get("skipped"):
            return {"system": system.slug, **changes}
        relevant = [o for o in obligations if o.get("status") in RELEVANT]
        result = self._apply(s, actor, system, card, relevant, context)
        summary = {"system": system.slug, "context": context, **changes, **result}
        append(s, actor.org_id, actor.label, LedgerAction.CONTROLS_SYNC, "system", system.slug,
               {k: v for k, v in summary.items() if k != "system"})
        return summary

    def _apply(self, s: Session, actor: Actor, system: System, card: dict[str, Any],
               relevant: list[dict[str, Any]], context: str) -> dict[str, list[dict[str, Any]]]:
        wanted = self.library().for_obligations(relevant)
        existing = {c.key: c for c in s.execute(select(Control).where(
            Control.org_id == system.org_id, Control.system_id == system.id)).scalars()}
        added, restored, changed, retired = [], [], [], []
        for key, served in wanted.items():
            ids = sorted({o["id"] for o in served})
            control = existing.get(key)
            if control is None:
                added.append(self._propose(s, actor, system, card, key, served, context))
            elif control.retired_at is not None:
                restored.append(self._restore(s, actor, control, ids, context))
            elif sorted(control.obligations) != ids:
                changed.append(self._reassign(s, actor, control, ids, context))
        for key, control in existing.items():
            if key not in wanted and control.retired_at is None:
                retired.append(self._retire(s, actor, control, context))
        return {"added": added, "restored": restored, "changed": changed, "retired": retired}

    def _propose(self, s: Session, actor: Actor, system: System, card: dict[str, Any], key: str,
                 served: list[dict[str, Any]], context: str) -> dict[str, Any]:
        definition = self.library().controls[key]
        now = self.clock.now()
        ids = sorted({o["id"] for o in served})
        control = Control(
            org_id=system.org_id, number=next_number(s, system.org_id, "control"), system_id=system.id,
            key=key, library_version=self.library().versions[key], title=definition.title,
            title_ko=definition.title_ko, owner=_owner(card, definition.owner),
            due_date=_due(served, self.clock.today(), definition.due_days), status="not_started",
            status_reason=None, status_changed_at=now, obligations=ids,
            evidence_types=[e.model_dump() for e in definition.evidence], created_at=now, updated_at=now)
        s.add(control)
        s.flush()
        why = f"proposed because {', '.join(ids)} appl{'ies' if len(ids) == 1 else 'y'} ({context})"
        self.controls.record_event(s, actor, control, "proposed", None, "not_started", why)
        return {"control": ref("control", control.number), "key": key, "obligations": ids, "why": why}

    def _restore(self, s: Session, actor: Actor, control: Control, ids: list[str],
                 context: str) -> dict[str, Any]:
        control.retired_at, control.retired_reason, control.obligations = None, None, ids
        why = f"restored because {', '.join(ids)} apply again ({context})"
        self.controls.record_event(s, actor, control, "restored", None, control.status, why)
        return {"control": ref("control", control.number), "key": control.key, "obligations": ids, "why": why}

    def _reassign(self, s: Session, actor: Actor, control: Control, ids: list[str],
                  context: str) -> dict[str, Any]:
        gone, new = sorted(set(control.obligations) - set(ids)), sorted(set(ids) - set(control.obligations))
        why = f"now serves {', '.join(ids)}" + (f"; added {', '.join(new)}" if new else "") + (
            f"; no longer {', '.join(gone)}" if gone else "") + f" ({context})"
        control.obligations = ids
        self.controls.record_event(s, actor, control, "obligations", None, None, why)
        return {"control": ref("control", control.number), "key": control.key, "obligations": ids, "why": why}

    def _retire(self, s: Session, actor: Actor, control: Control, context: str) -> dict[str, Any]:
        why = f"retired because {', '.join(control.obligations) or 'its obligations'} no longer apply ({context})"
        control.retired_at, control.retired_reason = self.clock.now(), why
        self.controls.record_event(s, actor, control, "retired", None, None, why)
        return {"control": ref("control", control.number), "key": control.key,
                "obligations": list(control.obligations), "why": why}

    def retire_all(self, s: Session, actor: Actor, system: System, reason: str) -> list[dict[str, Any]]:
        """Retire every live control of a removed system."""
        rows = s.execute(select(Control).where(Control.system_id == system.id, Control.retired_at.is_(None))).scalars()
        return [self._retire(s, actor, c, reason) for c in rows]


def _owner(card: dict[str, Any], role: str) -> str | None:
    owners = card.get("owners") or {}
    value = owners.get(role)
    if isinstance(value, dict):
        return value.get("email") or value.get("name")
    return value or owners.get("business")


def _due(served: list[dict[str, Any]], today: dt.date, due_days: int) -> dt.date:
    """Due ``due_days`` from today, or by the start date of obligations not yet in force."""
    starts = [as_date(o.get("effective_from"), "effective_from") for o in served
              if o.get("status") == "not_in_force" and o.get("effective_from")]
    future = [d for d in starts if d is not None and d > today]
    if future and len(future) == len(served):
        return min(future)
    return today + dt.timedelta(days=due_days)
