"""Storing verdicts: one row per change, with the cause and what changed.

A row is written when a system gets a new card revision, when the pack version that
governs it changes (new release or a user pack), when a pack's content changes under
the same version, when the organisation's operator facts change, or when time alone
moves an obligation into force. Nothing is
updated in place, so the rows are the history of a system's verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.rules.diff import verdict_changes
from haechi.rules.loader import content_sha256
from haechi.rules.results import Classification, PackResult
from haechi.store.rules_tables import RulesVerdict


def verdict_digest(result: PackResult) -> str:
    """SHA-256 of a verdict's substance: scope, classes, obligation statuses and dates."""
    return content_sha256({
        "in_scope": result.in_scope, "classes": result.classes,
        "obligations": sorted([o.id, o.status, str(o.effective_from)] for o in result.obligations)})


def latest_rows(s: Session, system_id: int) -> dict[str, RulesVerdict]:
    """The newest stored row per pack for a system."""
    rows = s.execute(select(RulesVerdict).where(RulesVerdict.system_id == system_id)
                     .order_by(RulesVerdict.id)).scalars()
    return {row.pack: row for row in rows}


def _cause(prev: RulesVerdict | None, revision: int, result: PackResult, digest: str,
           changed: str = "date") -> str | None:
    """Why a new row is needed, or ``None`` when the stored one still says the same."""
    if prev is None:
        return "initial"
    if prev.revision != revision:
        return "revision"
    if prev.pack_version != result.pack_version:
        return "pack_version"
    if prev.pack_sha256 != result.pack_sha256:
        return "pack_content"
    return changed if prev.digest != digest else None


def record(s: Session, org_id: int, system_id: int, revision: int, verdict: Classification,
           actor: str, changed: str = "date") -> list[RulesVerdict]:
    """Store the pack results of ``verdict`` that differ from the stored ones; return the new rows.

    ``changed`` names the cause of a new row under the same revision and pack text: the
    date (time alone moved a duty) or ``org_facts`` (the organisation's facts changed).
    """
    previous = latest_rows(s, system_id)
    added = []
    for result in verdict.results:
        digest = verdict_digest(result)
        prev = previous.get(result.pack)
        cause = _cause(prev, revision, result, digest, changed)
        if cause is None:
            continue
        changes = verdict_changes(PackResult.model_validate(prev.result), result) if prev \
            else {"classes": [{"class": k, "old": None, "new": v} for k, v in result.classes.items()],
                  "obligations": []}
        row = RulesVerdict(org_id=org_id, system_id=system_id, revision=revision, pack=result.pack,
                           pack_version=result.pack_version, pack_sha256=result.pack_sha256,
                           as_of=verdict.as_of, cause=cause, digest=digest,
                           result=result.model_dump(mode="json"), changes=changes, actor=actor)
        s.add(row)
        added.append(row)
    s.flush()
    return added


def history_item(row: RulesVerdict) -> dict[str, Any]:
    """One stored verdict as the history shows it."""
    result = row.result
    counts: dict[str, int] = {}
    for ob in result.get("obligations", []):
        counts[ob["status"]] = counts.get(ob["status"], 0) + 1
    return {"id": row.id, "at": row.created_at.isoformat(), "revision": row.revision,
            "pack": row.pack, "pack_version": row.pack_version, "pack_sha256": row.pack_sha256,
            "as_of": row.as_of.isoformat() if isinstance(row.as_of, dt.date) else row.as_of,
            "cause": row.cause, "digest": row.digest, "actor": row.actor,
            "in_scope": result.get("in_scope"), "classes": result.get("classes", {}),
            "status_counts": counts, "changes": row.changes}


def ledger_payload(row: RulesVerdict, slug: str) -> dict[str, Any]:
    """What the ledger keeps about a stored verdict (enough to re-check it later)."""
    return {"system": slug, "revision": row.revision, "pack": row.pack,
            "pack_version": row.pack_version, "pack_sha256": row.pack_sha256,
            "as_of": row.as_of.isoformat(), "cause": row.cause, "digest": row.digest,
            "classes": row.result.get("classes", {}),
            "changed_obligations": [c["id"] for c in row.changes.get("obligations", [])]}
