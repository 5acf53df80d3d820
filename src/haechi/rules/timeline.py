"""A system's law timeline: the days on which its duties start, end or change, across packs.

For each pack that governs the card, the verdict is read at the start of the window and
again at every date on which something in the law can change — a version's publication
or entry into force (the selection rule picks another text), a pack's or an obligation's start date, a
system-dependent start (``effective``). Consecutive readings are compared; each
difference is an event on that day. The window is 24 months back and 24 months ahead
of ``today``, so the page shows what already changed and what is coming.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haechi.domain.card import SystemCard

from .engine import evaluate_pack
from .library import PackLibrary
from .results import PackResult

ACTIVE = ("applies", "may_apply")
MONTHS = 24


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (the last day of a shorter month when needed)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def _candidates(library: PackLibrary, pack_id: str, start: dt.date, end: dt.date) -> list[dt.date]:
    days: set[dt.date] = set()
    for version in library.versions(pack_id):
        pack = version.pack
        days.add(pack.governs_from)
        if pack.effective:
            days.add(pack.effective)
        for ob in pack.obligations:
            if ob.effective_from:
                days.add(ob.effective_from)
            days.update(variant.from_ for variant in ob.effective)
    return sorted(d for d in days if start < d <= end)


def _reading(library: PackLibrary, pack_id: str, card: dict[str, Any], day: dt.date) -> PackResult:
    chosen = library.select(pack_id, day)
    return evaluate_pack(chosen.pack, card, day, include_all=True)


def _kind(old: str, new: str) -> str:
    if new in ACTIVE and old not in ACTIVE:
        return "starts"
    if old in ACTIVE and new not in ACTIVE:
        return "ends"
    return "changes"


def _events(before: PackResult, after: PackResult, day: dt.date) -> list[dict[str, Any]]:
    out = []
    if before.pack_version != after.pack_version:
        out.append({"date": day.isoformat(), "pack": after.pack, "kind": "version",
                    "old_version": before.pack_version, "new_version": after.pack_version})
    old, new = {o.id: o for o in before.obligations}, {o.id: o for o in after.obligations}
    for ob_id in dict.fromkeys([*new, *old]):
        a, b = old.get(ob_id), new.get(ob_id)
        was = (a.status, a.effective_from) if a else ("not_applicable", None)
        now = (b.status, b.effective_from) if b else ("not_applicable", None)
        if was == now or (was[0] == "not_applicable" and now[0] == "not_applicable"):
            continue
        shown = b or a
        assert shown is not None
        out.append({"date": day.isoformat(), "pack": after.pack, "pack_version": after.pack_version,
                    "kind": _kind(was[0], now[0]), "id": ob_id, "article": shown.article, "citation": shown.citation,
                    "title": shown.title, "title_ko": shown.title_ko, "old_status": was[0], "new_status": now[0],
                    "old_effective_from": was[1].isoformat() if was[1] else None,
                    "new_effective_from": now[1].isoformat() if now[1] else None})
    return out


def timeline(card: SystemCard, library: PackLibrary, today: dt.date, months: int = MONTHS) -> dict[str, Any]:
    """Events (oldest first) in ``[today - months, today + months]`` for every governing pack."""
    start, end = shift_months(today, -months), shift_months(today, months)
    data = card.model_dump(mode="python")
    events: list[dict[str, Any]] = []
    for pack_id in library.for_markets(card.markets):
        previous = _reading(library, pack_id, data, start)
        for day in _candidates(library, pack_id, start, end):
            current = _reading(library, pack_id, data, day)
            events += _events(previous, current, day)
            previous = current
    events.sort(key=lambda e: (e["date"], e["pack"], e["kind"] != "version", e.get("article") or ""))
    for event in events:
        event["past"] = event["date"] <= today.isoformat()
    return {"system": card.id, "today": today.isoformat(), "from": start.isoformat(), "to": end.isoformat(),
            "events": events}
