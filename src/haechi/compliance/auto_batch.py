"""Automatic evidence in bulk: many items of one system with a fixed number of queries.

A monitor run can raise dozens of alerts at once, and ``record_auto`` costs about a dozen
queries and flushes for each (system, duplicate check, targets, counter, insert, a lookup
and an exists-check per link, ledger head, demotion, the result's links). A batch gives
what calling ``record_auto`` for each item in turn gives — the same numbers, rows, links,
demotions with the same reasons, and ledger entries in the same order — but looks each
thing up once and writes rows, links and ledger entries together.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.domain.errors import ValidationFailed
from haechi.ledger import LedgerAction, LedgerBatch, lock_head
from haechi.store.compliance_tables import Control, EvidenceItem, EvidenceLink

from .auto_targets import auto_digest, auto_meta, choose_targets, normalise_auto
from .common import lock_numbers, next_numbers, not_found, parse_ref, ref, system_row, system_slugs
from .evidence_meta import Lifecycle, evidence_dict, ledger_payload, lifecycle
from .freshness import EvidenceFacts

if TYPE_CHECKING:
    from .evidence import EvidenceService


@dataclass
class _Item:
    """One record of the batch, from its plan to its stored row."""

    kind: str
    title: str
    payload: dict[str, Any]
    options: dict[str, Any]
    digest: str
    targets: list[str]  # as the caller's choice names them (they go into the ledger entry)
    control_ids: list[int] = field(default_factory=list)  # the same controls, resolved, once each
    life: Lifecycle | None = None  # only for a new row
    row: EvidenceItem | None = None  # the new row, or the current item it duplicates
    twin: _Item | None = None  # an earlier item of this batch with the same content
    new_links: list[int] = field(default_factory=list)  # controls this item links first


class AutoBatch:
    """One ``record_auto_many`` call: plan, look up, insert, link, then replay in order."""

    def __init__(self, evidence: EvidenceService, s: Session, actor: Actor, system: str,
                 ledger: LedgerBatch) -> None:
        self.ev, self.s, self.actor, self.ledger = evidence, s, actor, ledger
        self.clock, self.controls = evidence.clock, evidence.controls
        self.system = system_row(s, actor, system)
        self.tz = self.clock.timezone(s, actor.org_id)
        self.today = self.clock.today(self.tz)
        self.lib = self.ev.library()

    def record(self, specs: builtins.list[dict[str, Any]],
               on_item: Callable[[int, dict[str, Any]], None] | None) -> builtins.list[dict[str, Any]]:
        if not specs:
            return []
        cache: dict[Any, builtins.list[str]] = {}
        items = [self._plan(dict(spec), cache) for spec in specs]
        controls = self._resolve(items)
        lock_numbers(self.s, self.actor.org_id, "evidence")  # a concurrent batch waits: no twins
        self._deduplicate(items)
        candidates = self._demotable(items, controls)
        facts = self.controls.evidence_facts(self.s, builtins.list(candidates))  # before any new link
        self._insert(items)
        linked = self._link(items)
        results = []
        for i, item in enumerate(items):
            results.append(self._replay(item, controls, candidates, facts, linked))
            if on_item is not None:
                on_item(i, results[-1])
        self.ledger.write()
        return results

    # --- planning ----------------------------------------------------------------------
    def _plan(self, spec: dict[str, Any], cache: dict[Any, builtins.list[str]]) -> _Item:
        kind, title, payload = normalise_auto(spec.pop("kind", None), spec.pop("title", None),
                                              spec.pop("payload", None), spec)
        targets = choose_targets(self.s, self.lib, self.system.id, kind, spec, cache,
                                 prefixes=self.ev.pack_prefixes)
        return _Item(kind, title, payload, spec, auto_digest(kind, self.system.slug, payload), targets)

    def _resolve(self, items: builtins.list[_Item]) -> dict[int, Control]:
        """Every named control in one query, checked as ``_attach`` checks them one by one."""
        numbers = sorted({parse_ref("control", t) for item in items for t in item.targets})
        by_number: dict[int, Control] = {}
        if numbers:
            by_number = {c.number: c for c in self.s.execute(select(Control).where(
                Control.org_id == self.actor.org_id, Control.number.in_(numbers))).scalars()}
        for item in items:
            for text in item.targets:
                control = by_number.get(parse_ref("control", text))
                if control is None:
                    raise not_found("control", text)
                if control.system_id != self.system.id:
                    raise ValidationFailed(
                        f"{ref('control', control.number)} belongs to another system than this evidence",
                        key="compliance.belongs_another_system_than",
                        values={"control": ref("control", control.number)})
                if control.id not in item.control_ids:
                    item.control_ids.append(control.id)
        return {c.id: c for c in by_number.values()}

    def _deduplicate(self, items: builtins.list[_Item]) -> None:
        """Point repeated content at the current item (stored, or earlier in the batch)."""
        stored: dict[str, EvidenceItem] = {}
        for row in self.s.execute(select(EvidenceItem).where(
                EvidenceItem.org_id == self.actor.org_id, EvidenceItem.sha256.in_(sorted({i.digest for i in items})),
                EvidenceItem.deleted_at.is_(None), EvidenceItem.superseded_at.is_(None))
                .order_by(EvidenceItem.id)).scalars():
            stored.setdefault(row.sha256 or "", row)
        first: dict[str, _Item] = {}
        tz = ZoneInfo(self.tz)
        for item in items:
            if item.digest in stored:
                item.row = stored[item.digest]
            elif item.digest in first:
                item.twin = first[item.digest]
            else:  # validated only when stored, as record_auto does
                first[item.digest] = item
                item.life = lifecycle("auto", auto_meta(item.kind, item.title, item.options), self.clock.now(), tz)

    def _demotable(self, items: builtins.list[_Item], controls: dict[int, Control]) -> dict[int, Control]:
        """Operating controls that some open negative item of the batch links (row-locked)."""
        ids = {cid for item in items if _negative(item) for cid in item.control_ids}
        if not ids:
            return {}
        lock_head(self.s, self.actor.org_id)  # before the controls: one lock order
        rows = self.s.execute(select(Control).where(
            Control.org_id == self.actor.org_id, Control.status == "operating", Control.retired_at.is_(None),
            Control.id.in_(ids)).order_by(Control.number).with_for_update()).scalars()
        return {c.id: c for c in rows}  # in number order, as demote_in goes

    # --- writing ----------------------------------------------------------------------
    def _insert(self, items: builtins.list[_Item]) -> None:
        fresh = [i for i in items if i.life is not None]
        numbers = next_numbers(self.s, self.actor.org_id, "evidence", len(fresh)) if fresh else range(0)
        for item, number in zip(fresh, numbers, strict=True):
            assert item.life is not None
            item.row = self.ev.build(self.actor, self.system.id, number, "auto", item.life, self.today,
                                     record=item.payload, sha256=item.digest)
        self.s.add_all([i.row for i in fresh])
        for item in items:
            if item.twin is not None:
                item.row = item.twin.row
        self.s.flush()

    def _link(self, items: builtins.list[_Item]) -> dict[int, set[int]]:
        """Add the missing links; returns the control numbers each row ends up linked to."""
        old = {i.row.id for i in items if i.row is not None and i.life is None and i.twin is None}
        linked: set[tuple[int, int]] = set()
        numbers: dict[int, set[int]] = {}
        if old:  # only rows stored before this batch can already have links
            for evidence_id, control_id, number in self.s.execute(
                    select(EvidenceLink.evidence_id, Control.id, Control.number)
                    .join(Control, Control.id == EvidenceLink.control_id)
                    .where(EvidenceLink.evidence_id.in_(old))):
                linked.add((evidence_id, control_id))
                numbers.setdefault(evidence_id, set()).add(number)
        now = self.clock.now()
        for item in items:
            assert item.row is not None
            for cid in item.control_ids:
                if (item.row.id, cid) not in linked:
                    linked.add((item.row.id, cid))
                    item.new_links.append(cid)
                    self.s.add(EvidenceLink(org_id=self.actor.org_id, evidence_id=item.row.id, control_id=cid,
                                            linked_at=now, linked_by=self.actor.label))
        self.s.flush()
        return numbers

    def _replay(self, item: _Item, controls: dict[int, Control], candidates: dict[int, Control],
                facts: dict[int, builtins.list[EvidenceFacts]], linked: dict[int, set[int]]) -> dict[str, Any]:
        """What ``record_auto`` does after its insert, for this item, at its place in the order."""
        row = item.row
        assert row is not None
        if item.life is not None:
            self.ledger.add(LedgerAction.EVIDENCE_AUTO, "evidence", ref("evidence", row.number),
                            ledger_payload(row, item.targets))
        for cid in item.new_links:
            linked.setdefault(row.id, set()).add(controls[cid].number)
            if cid in candidates:
                facts.setdefault(cid, []).append(_facts(row))
        demoted = self._demote(item, candidates, facts) if _negative(item) else []
        slug = self.system.slug if row.system_id == self.system.id else system_slugs(
            self.s, row.org_id).get(row.system_id or 0)
        controls_now = [ref("control", n) for n in sorted(linked.get(row.id, ()))]
        return (evidence_dict(row, slug, controls_now, row.lineage)
                | {"demoted": demoted, "deduplicated": item.life is None})

    def _demote(self, item: _Item, candidates: dict[int, Control],
                facts: dict[int, builtins.list[EvidenceFacts]]) -> builtins.list[dict[str, Any]]:
        """``demote_in(only=...)`` with the evidence known at this item (hence the same reasons)."""
        demoted = []
        for cid, control in candidates.items():
            if cid not in item.control_ids or control.status != "operating":  # or demoted by an earlier item
                continue
            health = self.controls.health(control, facts.get(cid, []), self.today)
            if not health.effective:
                reason = f"demoted: {health.readiness.explain()}"
                self.ledger.write()  # set_status appends its own entry: keep the order
                self.controls.set_status(self.s, self.actor, control, "needs_review", reason)
                demoted.append({"control": ref("control", control.number), "key": control.key, "reason": reason})
        return demoted


def _negative(item: _Item) -> bool:
    """Open negative evidence that links controls: what makes ``record_auto`` demote them."""
    source = item.twin or item
    if source.life is not None:  # a new row (not resolved yet)
        return source.life.polarity == "contradicts" and bool(item.control_ids)
    row = source.row
    return row is not None and row.polarity == "contradicts" and row.resolved_at is None and bool(item.control_ids)


def _facts(row: EvidenceItem) -> EvidenceFacts:
    return EvidenceFacts(ref("evidence", row.number), row.evidence_type, row.polarity, row.effective_from,
                         row.effective_until, row.valid_until, row.resolved_at is not None)
