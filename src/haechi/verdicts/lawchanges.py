"""Law-change records: what a pack update or the passage of time meant for a system.

When a re-evaluation stores a verdict because the law moved (a new or removed pack
version, corrected content, or a date that brings a duty into force) — not because the
card changed — the difference is kept as a record: which duties the system gains,
which it loses, which move (status or start date), with articles and before/after,
and the library controls that serve them. Re-evaluating as of an earlier date is a
re-baseline, not a change of law, and records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.ledger import LedgerAction, append
from haechi.rules.library import PackLibrary
from haechi.store.rules_tables import LawChange, RulesVerdict
from haechi.store.tables import System

#: statuses under which a system carries a duty (now, perhaps, or from a later date)
BEARING = ("applies", "may_apply", "not_in_force")
LAW_CAUSES = ("pack_version", "pack_content", "date")
TRIGGERS = ("install", "uninstall", "schedule", "refresh", "demo")

ControlsFor = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def _obligations(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in result.get("obligations", [])}


def _kind(old: str | None, new: str | None) -> str:
    if old not in BEARING:
        return "gained"
    return "lost" if new not in BEARING else "moved"


def obligation_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Duties gained, lost and moved between two stored pack results (absent = not applicable)."""
    old, new = _obligations(before), _obligations(after)
    out: dict[str, list[dict[str, Any]]] = {"gained": [], "lost": [], "moved": []}
    for ob_id in dict.fromkeys([*old, *new]):
        a, b = old.get(ob_id, {}), new.get(ob_id, {})
        was = (a.get("status"), a.get("effective_from"))
        now = (b.get("status"), b.get("effective_from"))
        if was == now or (was[0] not in BEARING and now[0] not in BEARING):
            continue
        shown = b or a
        out[_kind(was[0], now[0])].append({
            "id": ob_id, "article": shown.get("article"), "citation": shown.get("citation"),
            "title": shown.get("title"), "title_ko": shown.get("title_ko"), "topic": shown.get("topic"),
            "old_status": was[0] or "not_applicable", "new_status": now[0] or "not_applicable",
            "old_effective_from": was[1], "new_effective_from": now[1]})
    return out


def _law_moved(prev: RulesVerdict | None, row: RulesVerdict, known: bool) -> bool:
    """Whether a new verdict row is a change of law: a new pack for a system already
    classified, or a version, content or date change read forward in time."""
    if prev is None:
        return known and row.cause == "initial"
    return row.cause in LAW_CAUSES and row.as_of >= prev.as_of


def _effective(prev: RulesVerdict | None, row: RulesVerdict, items: list[dict[str, Any]],
               library: PackLibrary) -> dt.date:
    """The day the change holds from: the day a newly selected version governs from (its
    ``in_force_from`` or publication), or the first duty start that time passed; otherwise
    the evaluation date."""
    if prev is None:
        return row.as_of
    lo, hi = prev.as_of, row.as_of
    if row.cause == "pack_version":
        try:
            published = library.get(f"{row.pack}@{row.pack_version}").pack.governs_from
        except Exception:
            published = None
        if published is not None and lo < published <= hi:
            return published
    starts = [dt.date.fromisoformat(d) for item in items
              for d in (item["old_effective_from"], item["new_effective_from"]) if d]
    passed = sorted(d for d in starts if lo < d <= hi)
    return passed[0] if passed else hi


def record(s: Session, actor: Actor, system_id: int, previous: dict[str, RulesVerdict], rows: list[RulesVerdict],
           trigger: str, library: PackLibrary, controls_for: ControlsFor) -> list[LawChange]:
    """Store a record for each new verdict row that a change of law caused."""
    out = []
    for row in rows:
        prev = previous.get(row.pack)
        if not _law_moved(prev, row, bool(previous)):
            continue
        moved = obligation_changes(prev.result if prev else {}, row.result)
        classes = (row.changes or {}).get("classes", []) if prev else []
        items = [*moved["gained"], *moved["lost"], *moved["moved"]]
        if not items and not classes:
            continue
        change = LawChange(
            org_id=actor.org_id, system_id=system_id, verdict_id=row.id, pack=row.pack,
            old_version=prev.pack_version if prev else None, new_version=row.pack_version,
            old_sha256=prev.pack_sha256 if prev else None, new_sha256=row.pack_sha256,
            old_as_of=prev.as_of if prev else None, as_of=row.as_of,
            effective=_effective(prev, row, items, library), trigger=trigger, cause=row.cause,
            changes={**moved, "classes": classes}, controls=controls_for(items), deliveries=[], actor=actor.label)
        s.add(change)
        s.flush()
        out.append(change)
    return out


def ledger(s: Session, actor: Actor, slug: str, change: LawChange) -> None:
    payload = {"id": change.id, "system": slug, "pack": change.pack, "old_version": change.old_version,
               "new_version": change.new_version, "effective": change.effective.isoformat(),
               "trigger": change.trigger, "cause": change.cause,
               **{k: [i["id"] for i in change.changes.get(k, [])] for k in ("gained", "lost", "moved")}}
    append(s, actor.org_id, actor.label, LedgerAction.RULES_LAW_CHANGE, "system", slug, payload)


def item(change: LawChange, slug: str) -> dict[str, Any]:
    """One record as the page, the API and the CLI show it."""
    return {"id": change.id, "system": slug, "pack": change.pack, "old_version": change.old_version,
            "new_version": change.new_version, "old_sha256": change.old_sha256, "new_sha256": change.new_sha256,
            "old_as_of": change.old_as_of.isoformat() if change.old_as_of else None, "as_of": change.as_of.isoformat(),
            "effective": change.effective.isoformat(), "trigger": change.trigger, "cause": change.cause,
            "gained": change.changes.get("gained", []), "lost": change.changes.get("lost", []),
            "moved": change.changes.get("moved", []), "classes": change.changes.get("classes", []),
            "controls": change.controls, "deliveries": change.deliveries, "actor": change.actor,
            "at": change.created_at.isoformat()}


def page(s: Session, org_id: int, system_id: int | None, limit: int, offset: int) -> dict[str, Any]:
    """Records newest first, ``{items, total, limit, offset}``."""
    where = [LawChange.org_id == org_id] + ([LawChange.system_id == system_id] if system_id is not None else [])
    total = s.execute(select(func.count()).select_from(LawChange).where(*where)).scalar_one()
    rows = s.execute(select(LawChange, System.slug).join(System, System.id == LawChange.system_id)
                     .where(*where).order_by(LawChange.id.desc()).limit(limit).offset(offset)).all()
    return {"items": [item(change, slug) for change, slug in rows], "total": total, "limit": limit,
            "offset": offset}
