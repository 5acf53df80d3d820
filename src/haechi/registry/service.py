"""Registry service: add, update, list, show, history, export and soft-delete systems.

Nothing is overwritten: every change writes a new :class:`SystemRevision` with the
actor, time and changed fields, and appends a ledger entry in the same transaction.
Other capabilities react to changes through the ``CardRevised`` event (published inside
that transaction, so a failing reaction rolls the whole change back).
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.card import Operator, SystemCard
from haechi.domain.errors import Conflict, NotFound, ValidationFailed
from haechi.domain.operator import Source, effective_card, operator_sources
from haechi.events import CardAction, CardRevised
from haechi.ledger import LedgerAction, append, lock_head
from haechi.store.tables import System, SystemRevision, utcnow

from .diff import card_changes
from .orgfacts import facts_in

if TYPE_CHECKING:
    from haechi.events import EventBus
    from haechi.store.db import Database

#: The ledger entry of each kind of card revision.
CARD_LEDGER_ACTIONS: dict[CardAction, LedgerAction] = {
    "create": LedgerAction.SYSTEM_CREATE,
    "update": LedgerAction.SYSTEM_UPDATE,
    "delete": LedgerAction.SYSTEM_DELETE,
    "restore": LedgerAction.SYSTEM_RESTORE,
}

@dataclass(frozen=True)
class SystemRecord:
    """The current state of one system."""

    pk: int
    org_id: int
    card: SystemCard
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    #: the organisation's operator facts when the record was read (``None``: none entered)
    org_operator: Operator | None = None

    @property
    def slug(self) -> str:
        return self.card.id

    @property
    def effective_card(self) -> SystemCard:
        """The card as the law packs read it: the organisation's operator facts, overlaid by
        the values this card states itself (``card`` is what was entered, for editing)."""
        return effective_card(self.card, self.org_operator)

    @property
    def operator_sources(self) -> dict[str, Source]:
        """Operator field → ``"org"`` (taken from the organisation) or ``"system"`` (this card's own)."""
        return operator_sources(self.org_operator, self.card.operator)

    def summary(self) -> dict[str, Any]:
        c = self.card
        return {"id": c.id, "name": c.name, "name_ko": c.name_ko, "revision": self.revision,
                "status": c.status, "domains": c.domains, "roles": c.roles, "markets": c.markets,
                "lifecycle_stage": c.lifecycle_stage, "updated_at": self.updated_at.isoformat(),
                "deleted": self.deleted_at is not None}


@dataclass(frozen=True)
class Revision:
    """One stored version of a card and why it exists."""

    revision: int
    action: str
    actor: str
    created_at: dt.datetime
    changes: list[dict[str, Any]]
    note: str | None
    card: dict[str, Any]

    def to_dict(self, with_card: bool = False) -> dict[str, Any]:
        out = {"revision": self.revision, "action": self.action, "actor": self.actor,
               "created_at": self.created_at.isoformat(), "changes": self.changes, "note": self.note}
        if with_card:
            out["card"] = self.card
        return out


@dataclass(frozen=True)
class Page:
    items: list[SystemRecord]
    total: int
    limit: int
    offset: int


def _not_found(slug: str) -> NotFound:
    return NotFound(f"system '{slug}' not found", key="system.not_found", values={"slug": slug})


class SystemRegistry:
    """Versioned system cards of the actor's organisation.

    :param db: the workspace database.
    :param events: where card revisions are published (inside the writing transaction).
    """

    def __init__(self, db: Database, events: EventBus) -> None:
        self.db = db
        self.events = events

    # --- reads ---------------------------------------------------------------
    def get(self, actor: Actor, slug: str, *, revision: int | None = None,
            include_deleted: bool = False) -> SystemRecord:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return self._record(s, self._system(s, actor, slug, include_deleted), revision)

    def list(self, actor: Actor, *, q: str | None = None, filters: dict[str, str] | None = None,
             include_deleted: bool = False, limit: int = 50, offset: int = 0) -> Page:
        """Systems of the organisation, searched by text and filtered by card fields."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            records = self._current(s, actor, include_deleted)
        matching = [r for r in records if _matches(r.card, q, filters or {})]
        return Page(matching[offset:offset + limit], len(matching), limit, offset)

    def all(self, actor: Actor) -> builtins.list[SystemRecord]:
        """Every live system of the organisation (no paging)."""
        page = self.list(actor, limit=10**9)
        return page.items

    def all_in(self, s: Session, actor: Actor) -> builtins.list[SystemRecord]:
        """Every live system of the organisation, read inside the caller's transaction ``s``."""
        return self._current(s, actor, include_deleted=False)

    def org_operator(self, actor: Actor) -> Operator | None:
        """The organisation's operator facts (``None`` before any are entered)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return self.org_operator_in(s, actor)

    def org_operator_in(self, s: Session, actor: Actor) -> Operator | None:
        """``org_operator`` read inside the caller's transaction ``s``."""
        actor.require(Permission.READ)
        return facts_in(s, actor.org_id)

    def history(self, actor: Actor, slug: str) -> builtins.list[Revision]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            system = self._system(s, actor, slug, include_deleted=True)
            rows = s.execute(select(SystemRevision).where(SystemRevision.system_id == system.id)
                             .order_by(SystemRevision.revision)).scalars()
            return [Revision(r.revision, r.action, r.actor, r.created_at, r.changes, r.note, r.card)
                    for r in rows]

    # --- writes --------------------------------------------------------------
    def add(self, actor: Actor, card: SystemCard, note: str | None = None) -> SystemRecord:
        """Register a new system (or bring back a removed one with the same id)."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            existing = s.execute(select(System).where(System.org_id == actor.org_id,
                                                      System.slug == card.id)).scalar_one_or_none()
            if existing is not None and existing.deleted_at is None:
                raise Conflict(f"system '{card.id}' already exists; use 'update' to change it",
                               key="registry.system_already_exists_use", values={"id": card.id})
            if existing is not None:
                return self._write(s, actor, existing, card, "restore", note)
            system = System(org_id=actor.org_id, slug=card.id, name=card.name, current_revision=0)
            s.add(system)
            s.flush()
            return self._write(s, actor, system, card, "create", note)

    def update(self, actor: Actor, card: SystemCard, *, expected_revision: int | None = None,
               note: str | None = None) -> SystemRecord:
        """Store a new revision of an existing system; refuses a stale ``expected_revision``."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            system = self._system(s, actor, card.id, for_update=True)
            if expected_revision is not None and expected_revision != system.current_revision:
                raise Conflict(
                    f"system '{card.id}' changed since revision {expected_revision} "
                    f"(now {system.current_revision}); reload and apply your change again",
                    key="registry.system_changed_since_revision", values={"id": card.id})
            return self._write(s, actor, system, card, "update", note)

    def remove(self, actor: Actor, slug: str, note: str | None = None) -> SystemRecord:
        """Soft delete: the system disappears from lists but its history is kept."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            system = self._system(s, actor, slug, for_update=True)
            current = self._record(s, system)
            return self._write(s, actor, system, current.card, "delete", note)

    def upsert_in(self, s: Session, actor: Actor, card: SystemCard, note: str | None = None) -> str:
        """Create, revise or leave one system inside the caller's transaction ``s``.

        For bulk operations that must be all-or-nothing (spreadsheet import): returns
        ``"created"``, ``"updated"`` (also a restore) or ``"unchanged"``.
        """
        actor.require(Permission.WRITE)
        system = s.execute(select(System).where(System.org_id == actor.org_id,
                                                System.slug == card.id)).scalar_one_or_none()
        if system is None:
            system = System(org_id=actor.org_id, slug=card.id, name=card.name, current_revision=0)
            s.add(system)
            s.flush()
            self._write(s, actor, system, card, "create", note)
            return "created"
        if system.deleted_at is None and self._latest_card(s, system) == card.to_json():
            return "unchanged"
        self._write(s, actor, system, card, "restore" if system.deleted_at else "update", note)
        return "updated"

    def _write(self, s: Session, actor: Actor, system: System, card: SystemCard, action: CardAction,
               note: str | None) -> SystemRecord:
        previous = self._latest_card(s, system) if system.current_revision else None
        new_json = card.to_json()
        changes = card_changes(previous, new_json) if action != "delete" else []
        if action == "update" and not changes:
            raise ValidationFailed(f"system '{card.id}' is unchanged: nothing to store",
                                   key="registry.system_unchanged_nothing_store", values={"id": card.id})
        now = utcnow()
        system.current_revision += 1
        system.name = card.name
        system.updated_at = now
        system.deleted_at = now if action == "delete" else None
        s.add(SystemRevision(system_id=system.id, org_id=system.org_id, revision=system.current_revision,
                             action=action, card=new_json, changes=changes, actor=actor.label,
                             note=note, created_at=now))
        append(s, actor.org_id, actor.label, CARD_LEDGER_ACTIONS[action], "system", card.id,
               {"revision": system.current_revision, "changes": changes, "note": note})
        s.flush()
        record = self._record(s, system)
        self.events.publish(CardRevised(s, actor, record, action))
        return record

    # --- helpers -------------------------------------------------------------
    def _current(self, s: Session, actor: Actor, include_deleted: bool) -> builtins.list[SystemRecord]:
        # One query: each system joined with its current revision (no N+1).
        stmt = (select(System, SystemRevision)
                .join(SystemRevision, (SystemRevision.system_id == System.id)
                      & (SystemRevision.revision == System.current_revision))
                .where(System.org_id == actor.org_id).order_by(System.slug))
        if not include_deleted:
            stmt = stmt.where(System.deleted_at.is_(None))
        org_operator = facts_in(s, actor.org_id)
        return [_to_record(system, revision, org_operator) for system, revision in s.execute(stmt)]

    def _system(self, s: Session, actor: Actor, slug: str, include_deleted: bool = False,
                for_update: bool = False) -> System:
        stmt = select(System).where(System.org_id == actor.org_id, System.slug == slug)
        if for_update:
            lock_head(s, actor.org_id)  # before the system row: one lock order for every writer
            stmt = stmt.with_for_update()
        system = s.execute(stmt).scalar_one_or_none()
        if system is None or (system.deleted_at is not None and not include_deleted):
            raise _not_found(slug)
        return system

    def _latest_card(self, s: Session, system: System) -> dict[str, Any]:
        row = s.execute(select(SystemRevision.card).where(
            SystemRevision.system_id == system.id,
            SystemRevision.revision == system.current_revision)).scalar_one()
        return dict(row)

    def _record(self, s: Session, system: System, revision: int | None = None) -> SystemRecord:
        number = revision or system.current_revision
        row = s.execute(select(SystemRevision).where(SystemRevision.system_id == system.id,
                                                     SystemRevision.revision == number)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"system '{system.slug}' has no revision {number}",
                           key="registry.system_has_no_revision", values={"slug": system.slug, "number": number})
        return _to_record(system, row, facts_in(s, system.org_id))


def _to_record(system: System, revision: SystemRevision, org_operator: Operator | None) -> SystemRecord:
    return SystemRecord(system.id, system.org_id, SystemCard.model_validate(revision.card), revision.revision,
                        system.created_at, system.updated_at, system.deleted_at, org_operator)


def _matches(card: SystemCard, q: str | None, filters: dict[str, str]) -> bool:
    if q:
        text = " ".join(filter(None, [card.id, card.name, card.name_ko, card.description,
                                      card.description_ko, *(card.tags or [])])).lower()
        if q.lower() not in text:
            return False
    for key, wanted in filters.items():
        if not wanted:
            continue
        value = getattr(card, key, None)
        values = value if isinstance(value, list) else [value]
        if wanted not in [str(v) for v in values if v is not None]:
            return False
    return True
