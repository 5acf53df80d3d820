"""The organisation's operator facts: entered once, versioned, used by every system.

Name, country, Korean office, revenue, average daily users in Korea, fines for ignoring
an order and public-body status belong to the organisation, not to each card. Every
change writes a new :class:`OrgFactsRevision` with the actor, time and changed fields and
a ledger entry, and publishes :class:`~haechi.events.OrgFactsRevised` in the same
transaction, so the verdicts of every system move with it (or nothing is stored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.card import Operator
from haechi.domain.errors import Conflict, ValidationFailed
from haechi.domain.operator import LIFT_NOTE, shared_facts, without_operator_values
from haechi.events import OrgFactsRevised
from haechi.ledger import LedgerAction, append, lock_head
from haechi.store.tables import OrgFactsRevision, utcnow

from .diff import card_changes

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.events import EventBus
    from haechi.store.db import Database

    from .service import SystemRegistry


@dataclass(frozen=True)
class OrgFacts:
    """One revision of the organisation's operator facts (revision 0: none entered yet)."""

    facts: Operator
    revision: int
    actor: str | None
    created_at: dt.datetime | None
    changes: list[dict[str, Any]]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"facts": self.facts.model_dump(mode="json"), "revision": self.revision, "actor": self.actor,
                "created_at": self.created_at.isoformat() if self.created_at else None,
                "changes": self.changes, "note": self.note}


EMPTY = OrgFacts(Operator(), 0, None, None, [], None)


def facts_in(s: Session, org_id: int) -> Operator | None:
    """The organisation's current facts inside ``s`` (``None`` before any are entered)."""
    row = _latest(s, org_id)
    return Operator.model_validate(row.facts) if row is not None else None


def _latest(s: Session, org_id: int) -> OrgFactsRevision | None:
    return s.execute(select(OrgFactsRevision).where(OrgFactsRevision.org_id == org_id)
                     .order_by(OrgFactsRevision.revision.desc()).limit(1)).scalar_one_or_none()


def _to_facts(row: OrgFactsRevision) -> OrgFacts:
    return OrgFacts(Operator.model_validate(row.facts), row.revision, row.actor, row.created_at,
                    list(row.changes), row.note)


class OrgFactsService:
    """Read, change and trace the operator facts of the actor's organisation.

    :param db: the workspace database.
    :param events: where a new revision is published (inside the writing transaction).
    :param systems: the registry, whose cards hand shared values over in :meth:`lift_from_cards`.
    """

    def __init__(self, db: Database, events: EventBus, systems: SystemRegistry) -> None:
        self.db, self.events, self.systems = db, events, systems

    def current(self, actor: Actor) -> OrgFacts:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = _latest(s, actor.org_id)
            return _to_facts(row) if row is not None else EMPTY

    def history(self, actor: Actor) -> list[OrgFacts]:
        """Every revision, newest first."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            rows = s.execute(select(OrgFactsRevision).where(OrgFactsRevision.org_id == actor.org_id)
                             .order_by(OrgFactsRevision.revision.desc())).scalars()
            return [_to_facts(row) for row in rows]

    def set(self, actor: Actor, facts: Operator, *, expected_revision: int | None = None,
            note: str | None = None) -> OrgFacts:
        """Store ``facts`` as the new revision (admins); every system is classified again."""
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            return self._write(s, actor, facts, expected_revision, note)

    def lift_from_cards(self, actor: Actor) -> dict[str, Any]:
        """Once, for a workspace whose cards each repeat the operator: the values every card
        states identically become the organisation's facts and leave the cards; values that
        differ stay on their cards as that system's own. Does nothing once facts exist."""
        actor.require(Permission.ADMIN)
        with self.db.reader() as s:
            if _latest(s, actor.org_id) is not None:
                return {"lifted": {}, "systems": [], "revision": None}
        records = self.systems.all(actor)
        shared = shared_facts(r.card for r in records)
        if not shared:
            return {"lifted": {}, "systems": [], "revision": None}
        with self.db.transaction() as s:
            stored = self._write(s, actor, Operator.model_validate(shared), 0, LIFT_NOTE)
            moved = []
            for record in records:
                self.systems.upsert_in(s, actor, without_operator_values(record.card, shared), LIFT_NOTE)
                moved.append(record.slug)
        return {"lifted": shared, "systems": moved, "revision": stored.revision}

    def lift_everywhere(self, accounts: Accounts) -> None:
        """:meth:`lift_from_cards` for every organisation of the workspace."""
        for org in accounts.list_orgs():
            self.lift_from_cards(accounts.local_actor(org.slug))

    def _write(self, s: Session, actor: Actor, facts: Operator, expected_revision: int | None,
               note: str | None) -> OrgFacts:
        lock_head(s, actor.org_id)  # one lock order with card writers: ledger head first
        latest = _latest(s, actor.org_id)
        current = latest.revision if latest is not None else 0
        if expected_revision is not None and expected_revision != current:
            raise Conflict(f"the organisation's facts changed since revision {expected_revision} (now {current}); "
                           "reload and apply your change again",
                           key="registry.organisation_facts_changed_since")
        previous = {"operator": latest.facts} if latest is not None and latest.facts else None
        new_json = facts.model_dump(mode="json", exclude_none=True)
        changes = card_changes(previous, {"operator": new_json} if new_json else None)
        if not changes:
            raise ValidationFailed("the organisation's facts are unchanged: nothing to store",
                                   key="registry.organisation_facts_are_unchanged")
        row = OrgFactsRevision(org_id=actor.org_id, revision=current + 1, facts=new_json, changes=changes,
                               actor=actor.label, note=note, created_at=utcnow())
        s.add(row)
        append(s, actor.org_id, actor.label, LedgerAction.ORG_FACTS_UPDATE, "organisation", actor.org_slug,
               {"revision": row.revision, "changes": changes, "note": note})
        s.flush()
        self.events.publish(OrgFactsRevised(s, actor, row.revision))
        return _to_facts(row)
