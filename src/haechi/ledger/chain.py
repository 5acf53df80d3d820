"""The hash chain.

Each entry hashes ``prev_hash`` together with the canonical JSON of its own fields
(sorted keys, no spaces, UTF-8), so changing, removing or reordering any entry breaks
every hash after it. Entries are appended inside the caller's transaction: if the
change rolls back, so does its ledger entry, and the log and the data never disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from haechi.ledger.actions import LedgerAction
from haechi.store.tables import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, compact separators, non-ASCII kept as UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} in the ledger")


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, entity_type: str,
               entity_id: str, payload: str) -> str:
    """SHA-256 over the previous hash and the canonical form of the entry's fields."""
    body = canonical_json({
        "seq": seq, "at": at, "actor": actor, "action": action,
        "entity_type": entity_type, "entity_id": entity_id, "payload": payload,
    })
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def append(session: Session, org_id: int, actor: str, action: LedgerAction, entity_type: str,
           entity_id: str, payload: Any) -> LedgerEntry:
    """Append one entry to the organisation's chain inside ``session``'s transaction."""
    return append_many(session, org_id, actor, [(action, entity_type, entity_id, payload)])[0]


#: One entry to append: (action, entity_type, entity_id, payload).
Pending = tuple[LedgerAction, str, str, Any]


def append_many(session: Session, org_id: int, actor: str, entries: list[Pending]) -> list[LedgerEntry]:
    """Append ``entries`` in order with one read of the chain head and one flush.

    The entries are exactly those of appending them one by one; a batch (e.g. the
    evidence of a monitor run's alerts) just skips re-reading the head for each.
    """
    if not entries:
        return []
    head = lock_head(session, org_id)
    rows = [_chained(head, org_id, actor, *entry) for entry in entries]
    session.add_all(rows)
    session.flush()
    return rows


def lock_head(session: Session, org_id: int) -> LedgerHead:
    """The organisation's chain head, row-locked until the transaction ends (created if new).

    Every write takes this lock *before* any other row lock (counters, controls, a system
    row), so concurrent writers of one organisation queue here in one order instead of
    deadlocking on each other's rows.
    """
    stmt = select(LedgerHead).where(LedgerHead.org_id == org_id).with_for_update()
    head = session.execute(stmt).scalar_one_or_none()
    if head is None:
        try:  # two first writers may race to create it; the loser locks the winner's
            with session.begin_nested():
                session.add(LedgerHead(org_id=org_id, seq=0, hash=GENESIS_HASH))
        except IntegrityError:
            pass
        head = session.execute(stmt).scalar_one()
    return head


def _chained(head: LedgerHead, org_id: int, actor: str, action: LedgerAction, entity_type: str,
             entity_id: str, payload: Any) -> LedgerEntry:
    """The entry after ``head``, which then moves on to it."""
    if not isinstance(action, LedgerAction):  # untyped callers: every entry speaks the documented vocabulary
        raise TypeError(f"ledger action {action!r} is not a LedgerAction member")
    name = str(action)  # the stored and hashed text is the member's value, as before the vocabulary
    seq = head.seq + 1
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    text = canonical_json(payload)
    digest = entry_hash(head.hash, seq, at, actor, name, entity_type, str(entity_id), text)
    entry = LedgerEntry(org_id=org_id, seq=seq, at=at, actor=actor, action=name,
                        entity_type=entity_type, entity_id=str(entity_id), payload=text,
                        prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    return entry


class LedgerBatch:
    """Entries of one actor collected in order and written together by :func:`append_many`.

    Code that appends directly in between (a helper calling :func:`append`) must
    :meth:`write` first, so the chain keeps the order in which things happened.
    """

    def __init__(self, session: Session, org_id: int, actor: str) -> None:
        self.session, self.org_id, self.actor = session, org_id, actor
        self.pending: list[Pending] = []

    def add(self, action: LedgerAction, entity_type: str, entity_id: str, payload: Any) -> None:
        self.pending.append((action, entity_type, entity_id, payload))

    def write(self) -> list[LedgerEntry]:
        """Append what is pending (nothing happens when nothing is)."""
        entries, self.pending = self.pending, []
        return append_many(self.session, self.org_id, self.actor, entries)


@dataclass
class ChainReport:
    """Outcome of a verification: ``ok`` or the first broken entry and why."""

    ok: bool
    entries: int
    head_hash: str
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head_hash": self.head_hash,
                "problems": self.problems}


def verify_rows(rows: list[dict[str, Any]], expected_head: tuple[int, str] | None = None) -> ChainReport:
    """Re-compute a chain given as dicts (database rows or an export file)."""
    prev, expected_seq = GENESIS_HASH, 1
    for row in rows:
        problem = _check_row(row, prev, expected_seq)
        if problem:
            return ChainReport(False, len(rows), prev, [problem])
        prev, expected_seq = row["hash"], expected_seq + 1
    if expected_head is not None and expected_head != (expected_seq - 1, prev):
        seq, digest = expected_head
        return ChainReport(False, len(rows), prev, [{
            "seq": expected_seq, "reason": "entries missing at the end of the chain",
            "detail": f"head says seq {seq} hash {digest[:12]}…, chain ends at seq {expected_seq - 1}",
        }])
    return ChainReport(True, len(rows), prev)


def _check_row(row: dict[str, Any], prev: str, expected_seq: int) -> dict[str, Any] | None:
    if row["seq"] != expected_seq:
        reason = "entry removed or reordered" if row["seq"] > expected_seq else "entry reordered or duplicated"
        return {"seq": expected_seq, "found_seq": row["seq"], "reason": reason}
    if row["prev_hash"] != prev:
        return {"seq": row["seq"],
                "reason": "link to previous entry broken (entry before it altered, removed or reordered)"}
    digest = entry_hash(prev, row["seq"], row["at"], row["actor"], row["action"],
                        row["entity_type"], row["entity_id"], row["payload"])
    if digest != row["hash"]:
        return {"seq": row["seq"], "reason": "entry altered (its content does not match its hash)"}
    return None


def chain_rows(session: Session, org_id: int) -> list[dict[str, Any]]:
    """The organisation's chain in sequence order as plain dicts."""
    result = session.execute(
        select(LedgerEntry).where(LedgerEntry.org_id == org_id).order_by(LedgerEntry.seq, LedgerEntry.id)
    ).scalars()
    return [{
        "seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
        "entity_type": e.entity_type, "entity_id": e.entity_id, "payload": e.payload,
        "prev_hash": e.prev_hash, "hash": e.hash,
    } for e in result]


def verify_chain(session: Session, org_id: int) -> ChainReport:
    """Verify the stored chain of one organisation against its recorded head."""
    head = session.get(LedgerHead, org_id)
    expected = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    return verify_rows(chain_rows(session, org_id), expected)
