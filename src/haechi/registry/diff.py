"""Field-level differences between two card revisions, for history and the ledger."""

from __future__ import annotations

from typing import Any


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def card_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Leaf fields that differ, as ``{"field", "old", "new"}``; lists compare whole."""
    before = _flatten(old or {}) if old else {}
    after = _flatten(new or {}) if new else {}
    fields = sorted(set(before) | set(after))
    return [{"field": f, "old": before.get(f), "new": after.get(f)}
            for f in fields if f and before.get(f) != after.get(f)]
