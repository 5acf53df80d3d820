"""The chain checked against every witness outside it: the checkpoint log and documents.

:func:`haechi.ledger.verify.verify_ledger` checks what the database says about itself.
This module compares the database with what was recorded elsewhere when it was written:

* the checkpoint log's *head* records, which must cover the chain from seq 0 to its end
  without a gap and still match it (a rewritten chain, a cut-off tail or an older backup
  no longer does);
* the checkpoints of the log and of witness files (exports, dossiers, passports), each
  checked like a database checkpoint;
* checkpoint numbers: 1, 2, 3, … in the database and the log alike, so a deleted one is
  named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .chain import GENESIS_HASH
from .log import LogContents
from .verify import Problem, VerifyReport, _check_checkpoint


@dataclass
class Witness:
    """Checkpoints carried by a document produced earlier (export, dossier, passport)."""

    source: str
    kind: str
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check_log(rows: list[dict[str, Any]], before: LogContents, after: Callable[[], LogContents]) -> list[Problem]:
    """The log's head records against the chain: matching hashes, coverage from 0 to the end.

    ``before`` was read before the database, so everything it records was committed by
    then: a record beyond the chain's end is a removed tail, not a concurrent write.
    Entries the database has beyond ``before`` are looked up in ``after()``, a re-read,
    since the log is written just after each commit.
    """
    last_seq = rows[-1]["seq"] if rows else 0
    if not before.exists:  # every organisation has one from its creation (its first entry)
        return [_missing_log(before.name)]
    mismatch = _first_mismatch(_sorted(before.heads), {r["seq"]: r["hash"] for r in rows}, last_seq, before.name)
    if mismatch:
        return [mismatch]
    heads = _sorted(before.heads)
    if not heads or heads[-1]["seq"] < last_seq:
        heads = _sorted(after().heads)
    gap = _first_gap(heads, before.name)
    if gap:
        return [gap]
    logged = heads[-1]["seq"] if heads else 0
    return [_unlogged(logged, last_seq, before.name)] if last_seq > logged else []


def _sorted(heads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(heads, key=lambda r: (r["seq"], r["from_seq"]))


def _missing_log(name: str) -> Problem:
    return Problem(None, "log_missing",
                   f"the checkpoint log {name} is missing from the data directory: it was deleted or moved "
                   "(every change to the ledger is recorded there)",
                   f"체크포인트 로그 {name}이(가) 데이터 디렉터리에 없습니다: 삭제되었거나 옮겨졌습니다")


def _first_mismatch(heads: list[dict[str, Any]], by_seq: dict[int, str], last_seq: int,
                    name: str) -> Problem | None:
    matched = 0
    for head in heads:
        if head["seq"] > last_seq:
            return _truncated(heads[-1], last_seq, name)  # the newest record says how much is gone
        if by_seq.get(head["seq"], GENESIS_HASH if head["seq"] == 0 else None) != head["hash"]:
            span = f"{matched + 1}–{head['seq']}" if head["seq"] > matched + 1 else f"{head['seq']}"
            return Problem(
                head["seq"], "rewritten",
                f"an entry in {span} was rewritten: entry {head['seq']} no longer has the hash "
                f"{name} recorded for it at {head['at']}",
                f"{span}번 항목 중 하나가 재작성되었습니다: {head['seq']}번 항목의 해시가 "
                f"{name}에 기록된 값과 다릅니다",
            )
        matched = head["seq"]
    return None


def _truncated(head: dict[str, Any], last_seq: int, name: str) -> Problem:
    missing = f"{last_seq + 1}" if head["seq"] == last_seq + 1 else f"{last_seq + 1}–{head['seq']}"
    return Problem(
        last_seq + 1, "removed",
        f"{_entries(missing)} removed: {name} recorded the chain at seq {head['seq']} at {head['at']}, "
        f"but it now ends at seq {last_seq} (tail cut off, or the database restored from an older backup)",
        f"{missing}번 항목이 삭제되었습니다: {name}에는 {head['seq']}번까지 기록되어 있으나 체인은 "
        f"{last_seq}번에서 끝납니다 (끝부분 삭제 또는 이전 백업으로 복원)",
    )


def _first_gap(heads: list[dict[str, Any]], name: str) -> Problem | None:
    seq, digest = 0, GENESIS_HASH
    for head in heads:
        if head["from_seq"] > seq or (head["from_seq"] == seq and head["from_hash"] != digest):
            if seq == 0 and head["from_seq"] > 0:
                return Problem(
                    None, "log_truncated",
                    f"{name} starts at seq {head['from_seq']}: its first lines were removed "
                    "(or the workspace predates the checkpoint log)",
                    f"{name}이(가) {head['from_seq']}번부터 시작합니다: 앞부분 줄이 삭제되었습니다",
                )
            return _unlogged(seq, head["from_seq"], name)
        if head["seq"] > seq:
            seq, digest = head["seq"], head["hash"]
    return None


def _entries(span: str) -> str:
    """'entry 5' or 'entries 5–9'."""
    return f"entries {span}" if "–" in span else f"entry {span}"


def _unlogged(logged: int, last_seq: int, name: str) -> Problem:
    span = f"{logged + 1}" if last_seq == logged + 1 else f"{logged + 1}–{last_seq}"
    return Problem(
        logged + 1, "unlogged",
        f"{_entries(span)} {'are' if '–' in span else 'is'} not recorded in {name}: appended directly "
        "in the database, or the log was truncated (or Haechi stopped between committing and logging)",
        f"{span}번 항목이 {name}에 기록되어 있지 않습니다: 데이터베이스에 직접 추가되었거나 "
        "로그가 잘렸습니다",
    )


def cross_verify(report: VerifyReport, rows: list[dict[str, Any]], db_checkpoints: list[dict[str, Any]],
                 keys: dict[str, Ed25519PublicKey], log: LogContents, reread: Callable[[], LogContents],
                 witnesses: list[Witness]) -> None:
    """Add to ``report`` what the log and the witness files say about the database's chain."""
    after = _once(reread)
    report.problems += check_log(rows, log, after) + log.problems
    sources = [(log.name, log.checkpoints)] + [(w.source, w.checkpoints) for w in witnesses]
    problems, signed, valid = check_outside_checkpoints(report.org, rows, sources, keys,
                                                        {cp["signature"] for cp in db_checkpoints})
    report.problems += problems
    for witness in witnesses:
        report.problems += witness.problems
    witnessed = [(source, cp) for source, cp in valid if source != log.name]
    report.problems += check_numbers(db_checkpoints, log, after, witnessed)
    report.signed_through = max(report.signed_through, signed)
    report.checkpoints = len(db_checkpoints)


def _once(read: Callable[[], LogContents]) -> Callable[[], LogContents]:
    cache: list[LogContents] = []

    def reader() -> LogContents:
        if not cache:
            cache.append(read())
        return cache[0]
    return reader


def check_outside_checkpoints(
    org: str, rows: list[dict[str, Any]], sources: list[tuple[str, list[dict[str, Any]]]],
    keys: dict[str, Ed25519PublicKey], stored: set[str],
) -> tuple[list[Problem], int, list[tuple[str, dict[str, Any]]]]:
    """Check checkpoints found outside the database like database ones, naming where from.

    Returns the problems, the highest seq they validly sign, and the valid ones with their
    source. A copy of a database checkpoint (same signature) was checked already.
    """
    by_seq = {r["seq"]: r for r in rows}
    last_seq = max(by_seq) if by_seq else 0
    problems: list[Problem] = []
    valid: list[tuple[str, dict[str, Any]]] = []
    checked: set[str] = set()
    for source, checkpoints in sources:
        for cp in checkpoints:
            if cp.get("signature") in stored or cp.get("signature") in checked:
                continue
            checked.add(str(cp.get("signature")))
            problem = _check_outside(org, cp, by_seq, last_seq, keys)
            if problem is None:
                valid.append((source, cp))
                continue
            problem.message = f"{problem.message} (found in {source})"
            problem.message_ko = f"{problem.message_ko} ({source})"
            problems.append(problem)
    signed = max((cp["seq"] for _, cp in valid), default=0)
    return problems, signed, valid


def _check_outside(org: str, cp: dict[str, Any], by_seq: dict[int, dict[str, Any]], last_seq: int,
                   keys: dict[str, Ed25519PublicKey]) -> Problem | None:
    if isinstance(cp.get("signature"), str):
        return _check_checkpoint(org, cp, by_seq, last_seq, keys)
    # A passport from before claims carried the checkpoint signature: the passport's own
    # (already checked) signature vouches for seq and hash, so compare those.
    return _check_checkpoint(org, cp, by_seq, last_seq, keys, signed=True)


def check_numbers(db: list[dict[str, Any]], before: LogContents, after: Callable[[], LogContents],
                  witnessed: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Checkpoint numbers: each logged one is in the database and vice versa, with no gaps.

    Like the heads, the log read before the database must not have more than it; the
    database's newest checkpoints are looked up in a re-read of the log.
    """
    db_numbers = {cp["number"]: cp for cp in db if cp.get("number") is not None}
    problems = [p for p in (_duplicate(db),) if p]
    logged = _numbered(before)
    for number, cp in sorted(logged.items()):
        problems += _compare(number, cp, db_numbers.get(number), before.name)
    if before.exists and any(n not in logged for n in db_numbers):
        logged = _numbered(after()) | logged
        problems += [_not_logged(n, cp, before.name) for n, cp in sorted(db_numbers.items()) if n not in logged]
    problems += _witnessed_missing(db, witnessed)
    known = set(db_numbers) | set(logged)
    problems += [_missing_number(n) for n in range(1, max(known, default=0)) if n not in known]
    return problems


def _numbered(log: LogContents) -> dict[int, dict[str, Any]]:
    return {cp["number"]: cp for cp in log.checkpoints if isinstance(cp.get("number"), int)}


def _duplicate(db: list[dict[str, Any]]) -> Problem | None:
    seen: set[int] = set()
    for cp in db:
        if cp.get("number") in seen:
            return Problem(cp["seq"], "checkpoint_duplicated",
                           f"checkpoint {cp['number']} appears twice in the database",
                           f"{cp['number']}번 체크포인트가 데이터베이스에 두 번 있습니다")
        if cp.get("number") is not None:
            seen.add(cp["number"])
    return None


def _compare(number: int, logged: dict[str, Any], stored: dict[str, Any] | None, name: str) -> list[Problem]:
    if stored is None:
        return [Problem(logged["seq"], "checkpoint_removed",
                        f"checkpoint {number} (seq {logged['seq']}, signed {logged['at']}) is in {name} "
                        "but not in the database: it was deleted",
                        f"{number}번 체크포인트(seq {logged['seq']})가 {name}에는 있으나 데이터베이스에서 "
                        "삭제되었습니다")]
    fields = ("seq", "head_hash", "at", "key_id", "signature")
    if any(stored.get(f) != logged.get(f) for f in fields):
        return [Problem(stored["seq"], "checkpoint_altered",
                        f"checkpoint {number} in the database differs from the one in {name} "
                        f"(seq {logged['seq']}, signed {logged['at']}): it was altered or renumbered",
                        f"데이터베이스의 {number}번 체크포인트가 {name}의 기록과 다릅니다: 변조 또는 번호 변경")]
    return []


def _not_logged(number: int, cp: dict[str, Any], name: str) -> Problem:
    return Problem(cp["seq"], "checkpoint_unlogged",
                   f"checkpoint {number} (seq {cp['seq']}) is in the database but not in {name}: "
                   "added to the database directly, or the log was truncated",
                   f"{number}번 체크포인트가 데이터베이스에만 있고 {name}에는 없습니다: 직접 추가되었거나 "
                   "로그가 잘렸습니다")


def _witnessed_missing(db: list[dict[str, Any]], witnessed: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Valid checkpoints of witness files that the database no longer has."""
    stored = {cp["signature"] for cp in db}
    problems = []
    for source, cp in witnessed:
        if cp.get("signature") and cp["signature"] not in stored:
            number = f"checkpoint {cp['number']}" if cp.get("number") else "the checkpoint"
            problems.append(Problem(
                cp["seq"], "checkpoint_removed",
                f"{number} of seq {cp['seq']} signed {cp['at']}, carried by {source}, "
                "is not in the database: it was deleted",
                f"{source}에 실린 체크포인트(seq {cp['seq']})가 데이터베이스에 없습니다: 삭제됨"))
    return problems


def _missing_number(number: int) -> Problem:
    return Problem(None, "checkpoint_removed",
                   f"checkpoint {number} is missing from both the database and the checkpoint log",
                   f"{number}번 체크포인트가 데이터베이스와 체크포인트 로그 모두에 없습니다")
