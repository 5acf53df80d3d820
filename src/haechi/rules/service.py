"""``hc.rules``: the law-pack engine inside a workspace.

Verdicts are stored per system revision and pack version (see :mod:`.verdicts`), so
history shows when a verdict changed and why. Every new card revision is classified in
the transaction that stores it (``system_changed`` hook); ``refresh`` re-evaluates every
system after a pack update or with the passage of time. Each stored verdict is also
written to the ledger, and ``verdict_changed`` hooks run for changed verdicts.

This module touches the database; the rest of :mod:`haechi.rules` stays pure.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.card import SystemCard
from haechi.domain.errors import NotFound
from haechi.ledger import append
from haechi.store.rules_tables import RulesVerdict
from haechi.store.tables import System

from . import verdicts
from .answers import apply_answers
from .api import classify
from .compare import compare
from .crosswalk import lookup, parse_query
from .diff import affected, diff_packs
from .library import PackLibrary
from .loader import LoadedPack
from .results import Classification

if TYPE_CHECKING:
    from haechi.core import Haechi
    from haechi.registry.service import SystemRecord


class RulesService:
    """Classification, verdict history, packs, diffs, comparison and crosswalks."""

    def __init__(self, hc: Haechi) -> None:
        self.hc = hc
        self._library: PackLibrary | None = None
        hc.hooks.register("system_changed", self._on_system_changed)

    # --- packs ------------------------------------------------------------------
    @property
    def library(self) -> PackLibrary:
        """Shipped packs plus ``settings.packs_dir``; loaded once (see :meth:`reload`)."""
        if self._library is None:
            self._library = PackLibrary.load(self.hc.settings.packs_dir)
        return self._library

    def reload(self) -> PackLibrary:
        """Read the packs again (after adding a user pack)."""
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
        cards = [r.card for r in self.hc.systems.all(actor)]
        out["as_of"] = (as_of or dt.date.today()).isoformat()
        out["affected_systems"] = affected(cards, a, b, as_of or dt.date.today())
        return out

    def crosswalk(self, actor: Actor, query: str) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        pack, ref = parse_query(query)
        return lookup(self.library.crosswalks, pack, ref)

    # --- classification ---------------------------------------------------------
    def classify_card(self, actor: Actor, card: SystemCard | dict[str, Any], *,
                      as_of: dt.date | None = None, packs: list[str] | None = None,
                      include_all: bool = False, provisional: bool = False) -> Classification:
        """Classify a card that is not (necessarily) registered."""
        actor.require(Permission.READ)
        return classify(card, as_of, packs, include_all, library=self.library,
                        provisional=provisional)

    def classify(self, actor: Actor, slug: str, *, as_of: dt.date | None = None,
                 packs: list[str] | None = None, include_all: bool = False,
                 provisional: bool = False) -> Classification:
        """Classify a registered system's current card; a writer's call also records it."""
        record = self.hc.systems.get(actor, slug)
        result = classify(record.card, as_of, packs, include_all, library=self.library,
                          provisional=provisional)
        if actor.can(Permission.WRITE):
            self._store(actor, record)
        return result

    def verdict(self, actor: Actor, slug: str) -> Classification:
        """The verdict of the current revision today, under the governing pack versions."""
        record = self.hc.systems.get(actor, slug)
        return classify(record.card, library=self.library)

    def compare(self, actor: Actor, card: SystemCard | str, as_of: dt.date | None = None,
                provisional: bool = False) -> dict[str, Any]:
        """The KR / EU / JP side-by-side table for a card or a registered system."""
        actor.require(Permission.READ)
        the_card = self.hc.systems.get(actor, card).card if isinstance(card, str) else card
        return compare(the_card, self.library, as_of, provisional=provisional)

    def history(self, actor: Actor, slug: str, pack: str | None = None) -> list[dict[str, Any]]:
        """Stored verdicts, newest first: when they changed and why."""
        record = self.hc.systems.get(actor, slug, include_deleted=True)
        with self.hc.db.reader() as s:
            stmt = select(RulesVerdict).where(RulesVerdict.org_id == actor.org_id,
                                              RulesVerdict.system_id == record.pk)
            if pack:
                stmt = stmt.where(RulesVerdict.pack == pack)
            rows = s.execute(stmt.order_by(RulesVerdict.id.desc())).scalars()
            return [verdicts.history_item(r) for r in rows]

    def refresh(self, actor: Actor, as_of: dt.date | None = None) -> list[dict[str, Any]]:
        """Re-evaluate every system; store and report verdicts that changed."""
        actor.require(Permission.WRITE)
        changed = []
        for record in self.hc.systems.all(actor):
            rows = self._store(actor, record, as_of)
            if rows:
                changed.append({"system": record.slug,
                                "verdicts": [verdicts.history_item(r) for r in rows]})
        return changed

    def answer(self, actor: Actor, slug: str, answers: dict[str, Any],
               expected_revision: int | None = None) -> SystemRecord:
        """Apply answers to open questions as a new card revision (which is then classified)."""
        actor.require(Permission.WRITE)
        record = self.hc.systems.get(actor, slug)
        card = apply_answers(record.card, answers)
        note = "answered law-pack questions: " + ", ".join(sorted(answers))
        return self.hc.systems.update(actor, card, expected_revision=expected_revision, note=note)

    # --- storage ----------------------------------------------------------------
    def _store(self, actor: Actor, record: SystemRecord,
               as_of: dt.date | None = None) -> list[RulesVerdict]:
        with self.hc.db.transaction() as s:
            return self._record(s, actor, record, as_of)

    def _record(self, s: Session, actor: Actor, record: SystemRecord,
                as_of: dt.date | None = None) -> list[RulesVerdict]:
        verdict = classify(record.card, as_of, library=self.library)
        rows = verdicts.record(s, record.org_id, record.pk, record.revision, verdict, actor.label)
        for row in rows:
            append(s, actor.org_id, actor.label, "rules.verdict", "system", record.slug,
                   verdicts.ledger_payload(row, record.slug))
            if row.cause == "initial" or row.changes.get("classes") or row.changes.get("obligations"):
                for hook in getattr(self.hc.hooks, "verdict_changed", []):
                    hook(s, actor, record.slug, row.changes, row.result)
        return rows

    def _on_system_changed(self, s: Session, actor: Actor, record: SystemRecord,
                           action: str) -> None:
        if action == "delete":
            return
        system = s.get(System, record.pk)
        if system is None or system.org_id != actor.org_id:
            raise NotFound(f"system '{record.slug}' not found")
        self._record(s, actor, record)


def pack_summary(loaded: LoadedPack) -> dict[str, Any]:
    """One pack version as lists show it."""
    p = loaded.pack
    return {"id": p.id, "version": p.version, "ref": loaded.ref, "urn": p.urn, "kind": p.kind,
            "status": p.status, "title": p.title, "title_ko": p.title_ko,
            "short_title": p.short_title, "jurisdiction": p.jurisdiction,
            "published": p.published.isoformat(),
            "effective": p.effective.isoformat() if p.effective else None,
            "confidence": p.confidence, "sha256": loaded.sha256, "origin": loaded.origin,
            "source": loaded.source, "obligations": len(p.obligations),
            "classes": [c.id for c in p.classes]}
