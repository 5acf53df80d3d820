"""Differences between two versions of a pack, and the systems whose verdicts they change.

Obligations are matched by id (ids are stable across versions): the diff lists those
added, removed and changed (field by field: dates, conditions, penalties, wording).
Rules and classes are compared the same way. :func:`affected` re-classifies cards under
both versions and reports every class or obligation status that moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from haechi.domain.card import SystemCard

from .engine import evaluate_pack
from .loader import LoadedPack
from .results import PackResult

_META = ("title", "status", "published", "in_force_from", "effective", "confidence", "jurisdiction", "market_codes")


def _by_id(items: Iterable[Any]) -> dict[str, dict[str, Any]]:
    return {item.id: item.model_dump(mode="json", by_alias=True) for item in items}


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    keys = list(dict.fromkeys([*old, *new]))
    return [{"field": k, "old": old.get(k), "new": new.get(k)} for k in keys if old.get(k) != new.get(k)]


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "article", "citation", "title", "title_ko", "effective_from", "nature", "confidence")
    return {k: item.get(k) for k in keys if k in item}


def _compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"added": [_summary(new[k]) for k in new if k not in old],
            "removed": [_summary(old[k]) for k in old if k not in new],
            "changed": [{"id": k, "title": new[k].get("title"), "changes": changes}
                        for k in new if k in old and (changes := _field_changes(old[k], new[k]))]}


def diff_packs(old: LoadedPack, new: LoadedPack) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` (usually two versions of one pack)."""
    a, b = old.pack, new.pack
    meta = _field_changes({k: getattr(a, k) for k in _META}, {k: getattr(b, k) for k in _META})
    return {
        "from": {"pack": a.id, "version": a.version, "sha256": old.sha256, "status": a.status},
        "to": {"pack": b.id, "version": b.version, "sha256": new.sha256, "status": b.status},
        "metadata": [{**m, "old": _jsonable(m["old"]), "new": _jsonable(m["new"])} for m in meta],
        "changes_noted": [c.model_dump() for c in b.changes],
        "obligations": _compare(_by_id(a.obligations), _by_id(b.obligations)),
        "rules": _compare(_by_id(a.rules), _by_id(b.rules)),
        "classes": _compare(_by_id(a.classes), _by_id(b.classes)),
    }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _statuses(result: PackResult) -> dict[str, tuple[str, dt.date | None]]:
    # A start date only matters for an obligation that applies in some way.
    return {o.id: (o.status, o.effective_from if o.status != "not_applicable" else None)
            for o in result.obligations}


def verdict_changes(before: PackResult, after: PackResult) -> dict[str, Any]:
    """Class values and obligation statuses that differ between two results."""
    classes = [{"class": k, "old": before.classes.get(k), "new": after.classes.get(k)}
               for k in dict.fromkeys([*before.classes, *after.classes])
               if before.classes.get(k) != after.classes.get(k)]
    old, new = _statuses(before), _statuses(after)
    obligations = []
    for ob_id in dict.fromkeys([*old, *new]):
        was, now = old.get(ob_id, ("not_applicable", None)), new.get(ob_id, ("not_applicable", None))
        if was != now:
            obligations.append({"id": ob_id, "old_status": was[0], "new_status": now[0],
                                "old_effective_from": _jsonable(was[1]),
                                "new_effective_from": _jsonable(now[1])})
    return {"classes": classes, "obligations": obligations}


def affected(cards: Iterable[SystemCard], old: LoadedPack, new: LoadedPack,
             as_of: dt.date) -> list[dict[str, Any]]:
    """Systems whose verdict under ``new`` differs from ``old`` at ``as_of``."""
    out = []
    for card in cards:
        data = card.model_dump(mode="python")
        changes = verdict_changes(evaluate_pack(old, data, as_of, include_all=True),
                                  evaluate_pack(new, data, as_of, include_all=True))
        if changes["classes"] or changes["obligations"]:
            out.append({"system": card.id, "name": card.name, "name_ko": card.name_ko, **changes})
    return out
