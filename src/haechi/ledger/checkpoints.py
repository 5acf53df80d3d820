"""Signed checkpoints: an Ed25519 signature over an organisation's chain head.

A hash chain alone shows that entries were changed, unless someone with database access
recomputes every hash after the change. A checkpoint signed with a key kept outside the
database pins the head at a moment, so a rewritten or truncated chain no longer matches
it. Checkpoints are taken on demand, at intervals (by entry count or age) and before
every export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.ledger.chain import GENESIS_HASH
from haechi.store.compliance_tables import LedgerCheckpoint
from haechi.store.tables import LedgerHead

from .keys import Signer, register_key
from .recorder import note_checkpoint
from .verify import checkpoint_message


@dataclass(frozen=True)
class CheckpointPolicy:
    """When an automatic checkpoint is due: after ``every_entries`` entries or ``every_hours``."""

    every_entries: int = 500
    every_hours: float = 24.0


def checkpoint_dict(cp: LedgerCheckpoint) -> dict[str, Any]:
    return {
        "number": cp.number,
        "seq": cp.seq,
        "head_hash": cp.head_hash,
        "at": cp.at,
        "key_id": cp.key_id,
        "signature": cp.signature,
        "reason": cp.reason,
        "created_by": cp.created_by,
    }


def list_checkpoints(session: Session, org_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.org_id == org_id)
        .order_by(LedgerCheckpoint.seq, LedgerCheckpoint.id)
    ).scalars()
    return [checkpoint_dict(cp) for cp in rows]


def latest_checkpoint(session: Session, org_id: int) -> LedgerCheckpoint | None:
    return session.execute(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.org_id == org_id)
        .order_by(LedgerCheckpoint.seq.desc(), LedgerCheckpoint.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _locked_head(session: Session, org_id: int) -> tuple[int, str]:
    head = session.execute(
        select(LedgerHead).where(LedgerHead.org_id == org_id).with_for_update()
    ).scalar_one_or_none()
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


def create_checkpoint(
    session: Session, org_id: int, org_slug: str, signer: Signer, *, actor: str,
    reason: str = "manual",
) -> dict[str, Any]:
    """Sign the current head (locked, so no entry slips in between) and store the checkpoint.

    Signing the same head twice returns the existing checkpoint instead of a duplicate.
    A new checkpoint gets the organisation's next number and goes to the checkpoint log
    once the transaction commits.
    """
    seq, head_hash = _locked_head(session, org_id)
    last = latest_checkpoint(session, org_id)
    if (
        last is not None
        and last.seq == seq
        and last.head_hash == head_hash
        and last.key_id == signer.key_id
    ):
        return checkpoint_dict(last) | {"new": False}
    register_key(session, signer)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    signature = signer.sign(checkpoint_message(org_slug, seq, head_hash, at, signer.key_id))
    cp = LedgerCheckpoint(
        org_id=org_id,
        number=_next_number(session, org_id),
        seq=seq,
        head_hash=head_hash,
        at=at,
        key_id=signer.key_id,
        signature=signature,
        reason=reason,
        created_by=actor,
    )
    session.add(cp)
    session.flush()
    note_checkpoint(session, org_slug, checkpoint_dict(cp))
    return checkpoint_dict(cp) | {"new": True}


def _next_number(session: Session, org_id: int) -> int:
    """One more than the highest number so far (the caller holds the chain head's lock)."""
    highest = session.execute(
        select(func.max(LedgerCheckpoint.number)).where(LedgerCheckpoint.org_id == org_id)
    ).scalar_one_or_none()
    return (highest or 0) + 1


def checkpoint_due(
    session: Session, org_id: int, policy: CheckpointPolicy, now: dt.datetime | None = None
) -> bool:
    """True when enough entries were added, or enough time passed, since the last checkpoint."""
    head = session.get(LedgerHead, org_id)
    if head is None or head.seq == 0:
        return False
    last = latest_checkpoint(session, org_id)
    if last is None:
        return True
    if head.seq == last.seq:
        return False
    if head.seq - last.seq >= policy.every_entries:
        return True
    now = now or dt.datetime.now(dt.UTC)
    return now - dt.datetime.fromisoformat(last.at) >= dt.timedelta(hours=policy.every_hours)


def checkpoint_count(session: Session, org_id: int) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(LedgerCheckpoint)
            .where(LedgerCheckpoint.org_id == org_id)
        ).scalar_one()
    )
