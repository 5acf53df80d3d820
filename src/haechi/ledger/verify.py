"""Verification of a ledger: the hash chain, its recorded head and its signed checkpoints.

Works on plain dicts, so the same code checks the live database and an exported file
without one. The chain walk stops at the first broken link and says what happened to
which entry: *altered* (content no longer matches its hash), *removed* (a sequence gap
or a missing tail), *reordered* (an entry sits at another position than the one it was
hashed at), or *rewritten* (hashes recomputed after a change, caught by a checkpoint).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from haechi.ledger.chain import GENESIS_HASH, canonical_json, entry_hash

from .keys import verify_signature

CHECKPOINT_FORMAT = "haechi-ledger-checkpoint/1"


@dataclass
class Problem:
    """One thing wrong with the ledger, located by sequence number."""

    seq: int | None
    kind: str
    message: str
    message_ko: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "message": self.message,
            "message_ko": self.message_ko,
        }


@dataclass
class VerifyReport:
    """The outcome of verifying one organisation's ledger."""

    org: str
    entries: int
    head_seq: int
    head_hash: str
    checkpoints: int
    signed_through: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "org": self.org,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "checkpoints": self.checkpoints,
            "signed_through": self.signed_through,
            "first_problem": self.problems[0].to_dict() if self.problems else None,
            "problems": [p.to_dict() for p in self.problems],
        }


def checkpoint_message(org: str, seq: int, head_hash: str, at: str, key: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return canonical_json(
        {
            "format": CHECKPOINT_FORMAT,
            "org": org,
            "seq": seq,
            "head_hash": head_hash,
            "at": at,
            "key_id": key,
        }
    ).encode()


def _recompute(row: dict[str, Any], seq: int) -> str:
    return entry_hash(
        row["prev_hash"],
        seq,
        row["at"],
        row["actor"],
        row["action"],
        row["entity_type"],
        row["entity_id"],
        row["payload"],
    )


def _describe(row: dict[str, Any]) -> str:
    return (
        f"{row['action']} {row['entity_type']}:{row['entity_id']} by {row['actor']} at {row['at']}"
    )


def _original_seq(row: dict[str, Any], upper: int) -> int | None:
    """The sequence number this entry was hashed at, if its content is otherwise intact."""
    for seq in range(1, upper + 1):
        if seq != row["seq"] and _recompute(row, seq) == row["hash"]:
            return seq
    return None


def _altered(row: dict[str, Any], upper: int) -> Problem:
    original = _original_seq(row, upper)
    if original is not None:
        return Problem(
            min(row["seq"], original),
            "reordered",
            f"entry {original} ({_describe(row)}) was moved to position {row['seq']}: "
            "entries reordered",
            f"{original}번 항목이 {row['seq']}번 위치로 옮겨졌습니다: 순서 변경",
        )
    return Problem(
        row["seq"],
        "altered",
        f"entry {row['seq']} altered: its content no longer matches its hash ({_describe(row)})",
        f"{row['seq']}번 항목이 변조되었습니다: 내용이 해시와 일치하지 않습니다",
    )


def _broken_link(row: dict[str, Any], by_hash: dict[str, dict[str, Any]], prev_seq: int) -> Problem:
    earlier = by_hash.get(row["prev_hash"])
    if earlier is not None and earlier["seq"] != prev_seq:
        return Problem(
            row["seq"],
            "reordered",
            f"entry {row['seq']} was written after entry {earlier['seq']}, not after entry "
            f"{prev_seq}: entries reordered",
            f"{row['seq']}번 항목의 원래 앞 항목은 {earlier['seq']}번입니다: 순서 변경",
        )
    if prev_seq == 0:
        return Problem(
            row["seq"],
            "removed",
            f"entry {row['seq']} does not start the chain: the entries before it were removed",
            f"{row['seq']}번 앞의 항목들이 삭제되었습니다",
        )
    return Problem(
        prev_seq,
        "rewritten",
        f"entry {prev_seq} was rewritten (its hash was recomputed, so entry {row['seq']} no "
        f"longer links to it)",
        f"{prev_seq}번 항목이 재작성되었습니다 (해시 재계산으로 {row['seq']}번과의 연결이 끊김)",
    )


def _gap(expected: int, row: dict[str, Any], rows: list[dict[str, Any]]) -> Problem:
    if row["seq"] < expected:
        return Problem(
            row["seq"],
            "reordered",
            f"entry {row['seq']} appears twice or out of order",
            f"{row['seq']}번 항목이 중복되었거나 순서가 바뀌었습니다",
        )
    moved = next(
        (r for r in rows if r["seq"] != expected and _recompute(r, expected) == r["hash"]), None
    )
    if moved is not None:
        return Problem(
            expected,
            "reordered",
            f"entry {expected} ({_describe(moved)}) was moved to position {moved['seq']}: "
            "entries reordered",
            f"{expected}번 항목이 {moved['seq']}번 위치로 옮겨졌습니다: 순서 변경",
        )
    missing = f"{expected}" if row["seq"] == expected + 1 else f"{expected}–{row['seq'] - 1}"
    return Problem(
        expected,
        "removed",
        f"entry {missing} removed (the chain jumps from {expected - 1} to {row['seq']})",
        f"{missing}번 항목이 삭제되었습니다",
    )


def walk_chain(rows: list[dict[str, Any]]) -> tuple[Problem | None, str]:
    """Walk entries in stored order; return the first problem (or ``None``) and the last hash."""
    by_hash = {r["hash"]: r for r in rows}
    prev_hash, prev_seq, upper = GENESIS_HASH, 0, len(rows) + 1
    for row in rows:
        expected = prev_seq + 1
        if _recompute(row, row["seq"]) != row["hash"]:
            return _altered(row, max(upper, row["seq"])), prev_hash
        if row["seq"] != expected:
            return _gap(expected, row, rows), prev_hash
        if row["prev_hash"] != prev_hash:
            return _broken_link(row, by_hash, prev_seq), prev_hash
        prev_hash, prev_seq = row["hash"], row["seq"]
    return None, prev_hash


def check_head(rows: list[dict[str, Any]], head: tuple[int, str] | None) -> Problem | None:
    """Compare the recorded head with the end of the chain (catches a removed tail)."""
    last_seq = rows[-1]["seq"] if rows else 0
    last_hash = rows[-1]["hash"] if rows else GENESIS_HASH
    if head is None or head == (last_seq, last_hash):
        return None
    seq, digest = head
    if seq > last_seq:
        missing = f"{last_seq + 1}" if seq == last_seq + 1 else f"{last_seq + 1}–{seq}"
        return Problem(
            last_seq + 1,
            "removed",
            f"entry {missing} removed from the end of the chain (the head records seq {seq})",
            f"체인 끝의 {missing}번 항목이 삭제되었습니다",
        )
    return Problem(
        seq,
        "altered",
        f"the recorded head (seq {seq}, {digest[:12]}…) does not match the "
        f"chain end (seq {last_seq}, {last_hash[:12]}…)",
        "기록된 체인 헤드가 체인 끝과 일치하지 않습니다",
    )


def check_checkpoints(
    org: str,
    rows: list[dict[str, Any]],
    checkpoints: list[dict[str, Any]],
    keys: dict[str, Ed25519PublicKey],
) -> tuple[list[Problem], int]:
    """Check each checkpoint's signature and that the chain still has the signed hash at its seq."""
    problems: list[Problem] = []
    by_seq = {r["seq"]: r for r in rows}
    last_seq = max(by_seq) if by_seq else 0
    signed_through = 0
    for cp in checkpoints:
        problem = _check_checkpoint(org, cp, by_seq, last_seq, keys)
        if problem:
            problems.append(problem)
        else:
            signed_through = max(signed_through, cp["seq"])
    return problems, signed_through


def _check_checkpoint(
    org: str,
    cp: dict[str, Any],
    by_seq: dict[int, dict[str, Any]],
    last_seq: int,
    keys: dict[str, Ed25519PublicKey],
    signed: bool = False,
) -> Problem | None:
    """``signed``: the checkpoint's authenticity was established otherwise (skip its signature)."""
    problem = None if signed else _check_signature(org, cp, keys)
    if problem is not None:
        return problem
    return _check_against_chain(cp, by_seq, last_seq)


def _check_signature(org: str, cp: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> Problem | None:
    key = keys.get(cp["key_id"])
    if key is None:
        return Problem(
            cp["seq"],
            "unknown_key",
            f"checkpoint at seq {cp['seq']} is signed by key "
            f"{cp['key_id']}, which is not a trusted key (the key in the data directory was "
            "replaced, or the checkpoint was forged)",
            "신뢰하지 않는 키로 서명된 체크포인트입니다",
        )
    message = checkpoint_message(org, cp["seq"], cp["head_hash"], cp["at"], cp["key_id"])
    if not isinstance(cp.get("signature"), str) or not verify_signature(key, cp["signature"], message):
        return Problem(
            cp["seq"],
            "bad_signature",
            f"checkpoint at seq {cp['seq']} has an invalid "
            "signature (the checkpoint was altered or forged)",
            f"{cp['seq']}번 체크포인트의 서명이 올바르지 않습니다",
        )
    return None


def _check_against_chain(cp: dict[str, Any], by_seq: dict[int, dict[str, Any]], last_seq: int) -> Problem | None:
    if cp["seq"] == 0:
        return None
    row = by_seq.get(cp["seq"])
    if row is None:
        return Problem(
            min(last_seq + 1, cp["seq"]),
            "removed",
            f"a checkpoint signed the chain through seq {cp['seq']}, but the chain ends at "
            f"seq {last_seq}: entries removed",
            "서명된 체크포인트 이후의 항목이 삭제되었습니다",
        )
    if row["hash"] != cp["head_hash"]:
        return Problem(
            cp["seq"],
            "rewritten",
            f"entry {cp['seq']} or an earlier one was rewritten: its hash differs from the "
            f"one signed at {cp['at']}",
            f"{cp['seq']}번 이하 항목이 재작성되었습니다 (서명된 해시와 다름)",
        )
    return None


def verify_ledger(
    org: str,
    rows: list[dict[str, Any]],
    head: tuple[int, str] | None,
    checkpoints: list[dict[str, Any]],
    keys: dict[str, Ed25519PublicKey],
) -> VerifyReport:
    """Verify chain, head and checkpoints together; problems are ordered by importance."""
    first, last_hash = walk_chain(rows)
    problems = [first] if first else []
    head_problem = check_head(rows, head) if not first else None
    if head_problem:
        problems.append(head_problem)
    cp_problems, signed = check_checkpoints(org, rows, checkpoints, keys)
    problems += cp_problems
    head_seq = rows[-1]["seq"] if rows else 0
    return VerifyReport(org, len(rows), head_seq, last_hash, len(checkpoints), signed, problems)
