"""Retention and integrity of stored evidence.

Evidence is kept at least ``settings.retention_years`` (default 5, KR Decree Art. 27(2))
and can be deleted only after its ``retain_until`` date, by an administrator, with a
reason that goes into the ledger. A file is removed from disk only when no remaining
item (of any organisation) uses the same content. ``verify_files`` re-hashes every
stored file so an auditor can see that evidence on disk was not swapped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.compliance_tables import EvidenceItem

from .common import iso, ref

if TYPE_CHECKING:
    from .evidence import EvidenceService


def delete_evidence(ev: EvidenceService, actor: Actor, evidence: str | int, reason: str) -> dict[str, Any]:
    """Delete an item whose retention period is over (administrators only)."""
    actor.require(Permission.ADMIN)
    if not reason or not reason.strip():
        raise ValidationFailed("give a reason for deleting evidence", key="compliance.give_reason_deleting_evidence")
    with ev.db.transaction() as s:
        row = ev.row(s, actor, evidence, lock=True)
        label = ref("evidence", row.number)
        if row.deleted_at is not None:
            raise Conflict(f"{label} is already deleted", key="compliance.already_deleted", values={"label": label})
        today = ev.clock.org_today(s, actor.org_id)
        if today <= row.retain_until:
            raise Conflict(
                f"{label} must be kept until {row.retain_until} (retention of {ev.policy.retention_years} "
                "years); it cannot be deleted before then",
                key="compliance.must_kept_until_retention",
                values={"years": ev.policy.retention_years, "label": label, "retain_until": row.retain_until},
                details={"retain_until": iso(row.retain_until)})
        row.deleted_at, row.deleted_by = ev.clock.now(), actor.label
        append(s, actor.org_id, actor.label, LedgerAction.EVIDENCE_DELETE, "evidence", label,
               {"reason": reason.strip(), "sha256": row.sha256, "retain_until": row.retain_until})
        digest = row.sha256 if row.kind == "file" else None
    if digest and not _still_used(ev, digest):
        ev.blobs.delete(digest)
    return {"deleted": label, "reason": reason.strip()}


def _still_used(ev: EvidenceService, digest: str) -> bool:
    with ev.db.reader() as s:
        return s.execute(select(EvidenceItem.id).where(
            EvidenceItem.sha256 == digest, EvidenceItem.kind == "file",
            EvidenceItem.deleted_at.is_(None)).limit(1)).first() is not None


def verify_files(ev: EvidenceService, actor: Actor) -> dict[str, Any]:
    """Re-hash every stored file of the organisation: ``ok``, ``missing`` or ``altered``."""
    actor.require(Permission.AUDIT)
    with ev.db.reader() as s:
        rows = [(n, h, t) for n, h, t in s.execute(select(
            EvidenceItem.number, EvidenceItem.sha256, EvidenceItem.title).where(
            EvidenceItem.org_id == actor.org_id, EvidenceItem.kind == "file",
            EvidenceItem.deleted_at.is_(None)).order_by(EvidenceItem.number))]
    checked: dict[str, str] = {}
    problems = []
    for number, digest, title in rows:
        if digest is None:
            continue
        state = checked.setdefault(digest, ev.blobs.check(digest))
        if state != "ok":
            problems.append({"evidence": ref("evidence", number), "sha256": digest, "state": state,
                             "title": title})
    return {"ok": not problems, "files": len(rows), "problems": problems}
