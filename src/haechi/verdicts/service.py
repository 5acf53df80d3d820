"""``hc.rules``: the workspace's verdicts — the only place a system card is classified.

Verdicts are evaluated with the workspace's pack library (shipped packs plus the
workspace's own) as of the workspace clock's date, and stored per system revision and
pack version (see :mod:`.store`), so history shows when a verdict changed and why. Every
new card revision is classified once, in the transaction that stores it (a
:class:`~haechi.events.CardRevised` reaction); ``refresh`` re-evaluates every system
after a pack update or with the passage of time. Each stored verdict is written to the
ledger and published as :class:`~haechi.events.VerdictChanged` with the whole verdict,
so compliance and the other capabilities never classify on their own.

Reading a verdict never writes: only card changes and ``refresh`` store verdicts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.clock import Clock
from haechi.domain.card import Operator, SystemCard
from haechi.domain.errors import NotFound
from haechi.domain.operator import effective_card
from haechi.domain.validation import parse_model
from haechi.events import EventBus, VerdictChanged
from haechi.ledger import LedgerAction, append
from haechi.rules.answers import answer_note, apply_answers
from haechi.rules.api import classify, pack_summary
from haechi.rules.compare import compare
from haechi.rules.crosswalk import lookup, parse_query
from haechi.rules.diff import affected, diff_packs
from haechi.rules.library import PackLibrary
from haechi.rules.loader import LoadedPack
from haechi.rules.results import Classification
from haechi.store.db import Database
from haechi.store.rules_tables import LawChange, RulesVerdict
from haechi.store.tables import System

from . import lawchanges
from . import store as verdicts
from .lawchanges import ControlsFor
from .notify import Mailer, message, owner_emails
from .updates import PackUpdates

if TYPE_CHECKING:
    from haechi.registry.service import SystemRecord, SystemRegistry

    from .packstore import PackStore


class VerdictService:
    """Classification, verdict history, packs, diffs, comparison and crosswalks.

    :param db: the governance store (verdict rows, ledger entries).
    :param systems: the registry, for the cards being classified.
    :param packs_dir: the workspace's own packs, beside the shipped ones.
    :param events: where changed verdicts are published.
    :param clock: the workspace clock; its date is the default ``as_of``.
    :param store: the workspace's trusted keys and packs installed from signed bundles.
    :param controls_for: the library controls serving a list of obligations (for law-change records).
    :param mailer: sends a law change to a system's owners (the alert e-mail channel).
    """

    def __init__(self, db: Database, systems: SystemRegistry, packs_dir: Path | None, events: EventBus,
                 clock: Clock, store: PackStore | None = None, controls_for: ControlsFor | None = None,
                 mailer: Mailer | None = None, sender: str = "haechi@localhost") -> None:
        self.db, self.systems, self.packs_dir = db, systems, packs_dir
        self.events, self.clock = events, clock
        self.store, self.mailer, self.sender = store, mailer, sender
        self.controls_for: ControlsFor = controls_for or (lambda _obligations: [])
        self._library: PackLibrary | None = None
        self._installed_seen: tuple[tuple[str, int], ...] = ()
        #: the day and library the ``law-dates`` job last re-evaluated with
        self.last_advanced: tuple[dt.date, str] | None = None
        self._updates: PackUpdates | None = None

    @property
    def updates(self) -> PackUpdates:
        """Trusted keys and installed packs (``install``, ``uninstall``, ``trust`` …)."""
        if self.store is None:
            raise NotFound("this workspace has no pack store", key="verdicts.this_workspace_has_no")
        if self._updates is None:
            self._updates = PackUpdates(self.db, self.store, self.clock, self.reload,
                                        lambda actor, trigger: self.refresh(actor, trigger=trigger))
        return self._updates

    def install(self, actor: Actor, data: bytes, source: str) -> dict[str, Any]:
        """Install a signed pack bundle (admin); every system is re-evaluated (law changes)."""
        return self.updates.install(actor, data, source, self.library)

    def uninstall(self, actor: Actor, ref: str) -> dict[str, Any]:
        return self.updates.uninstall(actor, ref)

    # --- packs ------------------------------------------------------------------
    @property
    def library(self) -> PackLibrary:
        """Shipped packs plus ``settings.packs_dir``; loaded once (see :meth:`reload`)."""
        seen = self.store.fingerprint() if self.store else ()
        if self._library is None or seen != self._installed_seen:
            installed = self.store.installed_dir if self.store else None
            self._library = PackLibrary.load(self.packs_dir, installed_dir=installed)
            self._installed_seen = seen
        return self._library

    def reload(self, packs_dir: Path | None = None) -> PackLibrary:
        """Read the packs again (after adding a user pack), optionally from another folder."""
        if packs_dir is not None:
            self.packs_dir = packs_dir
        self._library = None
        return self.library

    def packs(self, actor: Actor) -> list[dict[str, Any]]:
        """Every pack version with its identity, dates, status and checksum."""
        actor.require(Permission.READ)
        return [pack_summary(p) for p in self.library]

    def pack(self, actor: Actor, ref: str) -> LoadedPack:
        actor.require(Permission.READ)
        return self.library.get(ref)

    def diff(self, actor: Actor, old: str, new: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """Obligations added, removed and changed, and the organisation's systems affected."""
        actor.require(Permission.READ)
        a, b = self.library.get(old), self.library.get(new)
        out = diff_packs(a, b)
        cards = [r.effective_card for r in self.systems.all(actor)]
        day = as_of or self.clock.today()
        out["as_of"] = day.isoformat()
        out["affected_systems"] = affected(cards, a, b, day)
        return out

    def crosswalk(self, actor: Actor, query: str) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        pack, ref = parse_query(query, self.library.prefixes())
        return lookup(self.library.crosswalks, pack, ref)

    # --- classification ---------------------------------------------------------
    def classify_card(self, actor: Actor, card: SystemCard | dict[str, Any], *,
                      as_of: dt.date | None = None, packs: list[str] | None = None,
                      include_all: bool = False, provisional: bool = False) -> Classification:
        """Classify a card that is not (necessarily) registered."""
        actor.require(Permission.READ)
        return classify(self._effective(actor, card), as_of or self.clock.today(), packs, include_all,
                        library=self.library, provisional=provisional)

    def classify_card_in(self, s: Session, actor: Actor, card: SystemCard | dict[str, Any]) -> Classification:
        """``classify_card`` inside the caller's transaction ``s`` (the organisation's facts are
        read there: a second transaction could not start while ``s`` holds the write lock)."""
        actor.require(Permission.READ)
        return classify(self._under(self.systems.org_operator_in(s, actor), card), self.clock.today(),
                        None, False, library=self.library)

    def classify(self, actor: Actor, slug: str, *, as_of: dt.date | None = None,
                 packs: list[str] | None = None, include_all: bool = False,
                 provisional: bool = False) -> Classification:
        """Classify a registered system's current card (a read: nothing is stored)."""
        record = self.systems.get(actor, slug)
        return classify(record.effective_card, as_of or self.clock.today(), packs, include_all,
                        library=self.library, provisional=provisional)

    def verdict(self, actor: Actor, slug: str) -> Classification:
        """The verdict of the current revision today, under the governing pack versions."""
        record = self.systems.get(actor, slug)
        return classify(record.effective_card, self.clock.today(), library=self.library)

    def compare(self, actor: Actor, card: SystemCard | str, as_of: dt.date | None = None,
                provisional: bool = False, include_all: bool = False,
                packs: list[str] | None = None) -> dict[str, Any]:
        """The side-by-side table for a card or system: the laws of its markets and the
        packs named in ``packs``, or every pack with a comparison column (``include_all``)."""
        actor.require(Permission.READ)
        the_card = self.systems.get(actor, card).effective_card if isinstance(card, str) \
            else effective_card(card, self.systems.org_operator(actor))
        return compare(the_card, self.library, as_of or self.clock.today(), provisional=provisional,
                       include_all=include_all, extra=packs or ())

    def history(self, actor: Actor, slug: str, pack: str | None = None) -> list[dict[str, Any]]:
        """Stored verdicts, newest first: when they changed and why."""
        record = self.systems.get(actor, slug, include_deleted=True)
        with self.db.reader() as s:
            stmt = select(RulesVerdict).where(RulesVerdict.org_id == actor.org_id,
                                              RulesVerdict.system_id == record.pk)
            if pack:
                stmt = stmt.where(RulesVerdict.pack == pack)
            rows = s.execute(stmt.order_by(RulesVerdict.id.desc())).scalars()
            return [verdicts.history_item(r) for r in rows]

    def refresh(self, actor: Actor, as_of: dt.date | None = None, trigger: str = "refresh") -> list[dict[str, Any]]:
        """Re-evaluate every system; store and report verdicts that changed.

        A verdict that moved because the law did (not the card) is also kept as a
        law-change record (``law_changes``) and sent to the system's owners.
        """
        actor.require(Permission.WRITE)
        changed = []
        for record in self.systems.all(actor):
            rows, laws = self._store(actor, record, as_of, trigger)
            if rows:
                changed.append({"system": record.slug, "verdicts": [verdicts.history_item(r) for r in rows],
                                "law_changes": laws})
        return changed

    def law_changes(self, actor: Actor, system: str | None = None, limit: int = 50,
                    offset: int = 0) -> dict[str, Any]:
        """Law-change records, newest first (``{items, total, limit, offset}``)."""
        actor.require(Permission.READ)
        system_pk = self.systems.get(actor, system, include_deleted=True).pk if system else None
        with self.db.reader() as s:
            return lawchanges.page(s, actor.org_id, system_pk, max(1, min(limit, 500)), max(0, offset))

    def timeline(self, actor: Actor, slug: str, today: dt.date | None = None) -> dict[str, Any]:
        """The days on which the system's duties start, end or change (24 months back and ahead)."""
        from haechi.rules.timeline import timeline

        record = self.systems.get(actor, slug)
        return timeline(record.effective_card, self.library, today or self.clock.today())

    def answer(self, actor: Actor, slug: str, answers: dict[str, Any],
               expected_revision: int | None = None) -> SystemRecord:
        """Apply answers to open questions as a new card revision (which is then classified)."""
        actor.require(Permission.WRITE)
        record = self.systems.get(actor, slug)
        card = apply_answers(record.card, answers)
        note = answer_note(answers)
        return self.systems.update(actor, card, expected_revision=expected_revision, note=note)

    # --- storage ----------------------------------------------------------------
    def _store(self, actor: Actor, record: SystemRecord, as_of: dt.date | None = None,
               trigger: str = "refresh") -> tuple[list[RulesVerdict], list[dict[str, Any]]]:
        with self.db.transaction() as s:
            previous = verdicts.latest_rows(s, record.pk)
            rows = self.record_in(s, actor, record, as_of)
            changes = lawchanges.record(s, actor, record.pk, previous, rows, trigger, self.library, self.controls_for)
            items = [lawchanges.item(change, record.slug) for change in changes]
            for change in changes:
                lawchanges.ledger(s, actor, record.slug, change)
        if items:
            self._notify(record, items)
        return rows, items

    def _notify(self, record: SystemRecord, items: list[dict[str, Any]]) -> None:
        """Send each record to the card's owners (after commit) and keep the outcome on it."""
        recipients = owner_emails(record.card.to_json())
        if self.mailer is None or not recipients:
            return
        for item in items:
            outcome = self.mailer(message(item, self.sender, recipients))
            item["deliveries"] = [outcome]
            with self.db.transaction() as s:
                row = s.get(LawChange, item["id"])
                if row is not None:
                    row.deliveries = [outcome]

    def record_in(self, s: Session, actor: Actor, record: SystemRecord, as_of: dt.date | None = None,
                  reason: str | None = None, cause: str = "date") -> list[RulesVerdict]:
        """Classify ``record`` once, store what changed and publish it (in ``s``)."""
        card = record.effective_card
        verdict = classify(card, as_of or self.clock.today(), library=self.library)
        rows = verdicts.record(s, record.org_id, record.pk, record.revision, verdict, actor.label, cause)
        for row in rows:
            append(s, actor.org_id, actor.label, LedgerAction.RULES_VERDICT, "system", record.slug,
                   verdicts.ledger_payload(row, record.slug))
        if rows and (reason or any(_substantive(row) for row in rows)):
            changes = {row.pack: row.changes for row in rows}
            self.events.publish(VerdictChanged(
                s, actor, record.slug, record.revision, verdict, card.to_json(),
                reason or _law_reason(rows), changes))
        return rows

    def on_card_revised(self, s: Session, actor: Actor, record: SystemRecord, action: str) -> None:
        """Classify a new card revision in the transaction that stored it."""
        if action == "delete":
            return
        system = s.get(System, record.pk)
        if system is None or system.org_id != actor.org_id:
            raise NotFound(f"system '{record.slug}' not found", key="system.not_found", values={"slug": record.slug})
        self.record_in(s, actor, record, reason=f"card revision {record.revision} ({action})")

    def on_org_facts_revised(self, s: Session, actor: Actor, revision: int) -> None:
        """Classify every system of the organisation again under its new operator facts
        (in the transaction that stored them)."""
        for record in self.systems.all_in(s, actor):
            self.record_in(s, actor, record, reason=f"organisation facts revision {revision}", cause="org_facts")

    def _effective(self, actor: Actor, card: SystemCard | dict[str, Any]) -> SystemCard | dict[str, Any]:
        """A card given directly, under the organisation's operator facts (as a registered one is)."""
        return self._under(self.systems.org_operator(actor), card)

    @staticmethod
    def _under(org: Operator | None, card: SystemCard | dict[str, Any]) -> SystemCard | dict[str, Any]:
        if org is None:
            return card
        the_card = card if isinstance(card, SystemCard) else parse_model(SystemCard, card, None, "system card",
                                                                         "시스템 카드")
        return effective_card(the_card, org)


def _substantive(row: RulesVerdict) -> bool:
    """A first verdict, or one whose classes or obligations changed (not only its pack's hash)."""
    return row.cause == "initial" or bool(row.changes.get("classes") or row.changes.get("obligations"))


def _law_reason(rows: list[RulesVerdict]) -> str:
    kinds = sorted({kind for row in rows for kind, items in (row.changes or {}).items() if items})
    return f"law-pack verdict changed ({', '.join(kinds) or 'verdict'})"
