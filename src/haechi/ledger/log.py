"""The checkpoint log: an append-only file per organisation, beside the database.

``<home>/ledger/<org>.log`` holds one JSON line per event, each signed with the ledger
key and chained to the line before it by that line's SHA-256:

* ``head`` — after every committed transaction that appended entries: the chain moved
  from ``from_seq``/``from_hash`` to ``seq``/``hash``;
* ``checkpoint`` — after a checkpoint was committed: a copy of it, number included.

Whoever can write only the database cannot change this file, so a chain rewritten with
recomputed hashes, a deleted checkpoint or a cut-off tail no longer matches it. The
writer appends under an exclusive ``flock`` so several processes (CLI, server) interleave
whole lines.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .chain import GENESIS_HASH, canonical_json
from .keys import Signer, verify_signature
from .verify import Problem

LOG_FORMAT = "haechi-ledger-log/1"
DOMAIN = b"haechi-ledger-log-v1\n"
LOG_DIR = "ledger"
#: How far from the end the writer looks for the last line (lines are well under 2 KiB).
TAIL_BYTES = 16384
#: Integrity problems of one log reported in full before the rest are summed up.
MAX_LOG_PROBLEMS = 5


def log_name(org: str) -> str:
    """The log's path relative to the data directory (what messages show)."""
    return f"{LOG_DIR}/{org}.log"


def log_path(home: Path, org: str) -> Path:
    return home / log_name(org)


def line_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def signed_bytes(record: dict[str, Any]) -> bytes:
    """The exact bytes a line's signature covers: the line without ``sig``."""
    return DOMAIN + canonical_json({k: v for k, v in record.items() if k != "sig"}).encode()


def head_record(from_seq: int, from_hash: str, seq: int, digest: str) -> dict[str, Any]:
    return {"kind": "head", "from_seq": from_seq, "from_hash": from_hash, "seq": seq, "hash": digest}


def checkpoint_record(cp: dict[str, Any]) -> dict[str, Any]:
    fields = ("number", "seq", "head_hash", "at", "key_id", "signature", "reason")
    return {"kind": "checkpoint", "checkpoint": {k: cp.get(k) for k in fields}}


class LogWriter:
    """Appends signed, chained lines to the organisations' logs of one data directory."""

    def __init__(self, home: Path, signer: Callable[[], Signer]) -> None:
        self.home, self._signer = home, signer
        # path -> (inode, size, last n, last line hash): skips re-reading the tail when
        # no other process wrote since this one did.
        self._tails: dict[Path, tuple[int, int, int, str]] = {}

    def append(self, org: str, records: list[dict[str, Any]]) -> None:
        """Append ``records`` as consecutive lines of ``org``'s log."""
        if not records:
            return
        path = log_path(self.home, org)
        path.parent.mkdir(parents=True, exist_ok=True)
        signer = self._signer()
        with open(path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            n, prev = self._tail(fh, path)
            at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
            chunk = b""
            for record in records:
                n += 1
                line = {"format": LOG_FORMAT, "n": n, "prev": prev, "org": org, "at": at,
                        "key_id": signer.key_id, **record}
                line["sig"] = signer.sign(signed_bytes(line))
                raw = canonical_json(line).encode()
                chunk += raw + b"\n"
                prev = line_hash(raw)
            fh.write(chunk)
            fh.flush()
            stat = os.fstat(fh.fileno())
            self._tails[path] = (stat.st_ino, stat.st_size, n, prev)

    def _tail(self, fh: IO[bytes], path: Path) -> tuple[int, str]:
        """Number and hash of the last line (0 and the genesis hash for an empty log)."""
        stat = os.fstat(fh.fileno())
        cached = self._tails.get(path)
        if cached and cached[:2] == (stat.st_ino, stat.st_size):
            return cached[2], cached[3]
        if stat.st_size == 0:
            return 0, GENESIS_HASH
        fh.seek(max(0, stat.st_size - TAIL_BYTES))
        data = fh.read()
        if not data.endswith(b"\n"):
            fh.write(b"\n")  # a torn last line stays a line of its own, reported by verify
        last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        try:
            n = int(json.loads(last)["n"])
        except (ValueError, KeyError, TypeError):
            fh.seek(0)
            n = sum(1 for _ in fh)
        return n, line_hash(last)


@dataclass
class LogContents:
    """What a log says, read back: records from lines whose signature holds, and problems."""

    name: str
    exists: bool
    lines: int = 0
    heads: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_log(home: Path, org: str, keys: dict[str, Ed25519PublicKey]) -> LogContents:
    """Read and check ``org``'s log: numbering, links between lines, signatures, organisation."""
    path = log_path(home, org)
    contents = LogContents(log_name(org), path.is_file())
    if not contents.exists:
        return contents
    prev = GENESIS_HASH
    with open(path, "rb") as fh:
        for number, raw_line in enumerate(fh, start=1):
            raw = raw_line.rstrip(b"\n")
            _read_line(contents, org, number, raw, prev, keys)
            prev = line_hash(raw)
            contents.lines = number
    _summarise(contents)
    return contents


def _read_line(contents: LogContents, org: str, number: int, raw: bytes, prev: str,
               keys: dict[str, Ed25519PublicKey]) -> None:
    record = _parse(raw)
    where = f"{contents.name} line {number}"
    if record is None:
        contents.problems.append(_log_problem(
            f"{where} is not a valid log record (edited, or only partly written)",
            f"{where}: 올바른 로그 기록이 아닙니다 (편집되었거나 일부만 기록됨)"))
        return
    if record["n"] != number:
        contents.problems.append(_log_problem(
            f"{where} is numbered {record['n']}: lines were removed, inserted or reordered before it",
            f"{where}의 번호가 {record['n']}입니다: 앞의 줄이 삭제·삽입되었거나 순서가 바뀌었습니다"))
    elif record["prev"] != prev:
        contents.problems.append(_log_problem(
            f"{where} does not follow the line before it: a line was edited, removed or inserted",
            f"{where}이(가) 앞 줄과 이어지지 않습니다: 줄이 편집·삭제·삽입되었습니다"))
    if not _signed_by_trusted(record, keys):
        contents.problems.append(_log_problem(
            f"{where} was edited or forged: its signature does not verify with the trusted key",
            f"{where}이(가) 편집되었거나 위조되었습니다: 서명이 신뢰 키로 검증되지 않습니다"))
        return
    if record["org"] != org:
        contents.problems.append(_log_problem(
            f"{where} belongs to organisation '{record['org']}': the log was swapped or copied",
            f"{where}은(는) '{record['org']}' 조직의 기록입니다: 로그가 바뀌었거나 복사되었습니다"))
        return
    _collect(contents, record)


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    required = {"format": str, "n": int, "prev": str, "org": str, "key_id": str, "sig": str, "kind": str}
    if not isinstance(record, dict) or record.get("format") != LOG_FORMAT:
        return None
    if any(not isinstance(record.get(k), t) for k, t in required.items()):
        return None
    return record


def _signed_by_trusted(record: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> bool:
    key = keys.get(record["key_id"])
    return key is not None and verify_signature(key, record["sig"], signed_bytes(record))


def _collect(contents: LogContents, record: dict[str, Any]) -> None:
    if record["kind"] == "head" and _ints(record, "from_seq", "seq") and _strs(record, "from_hash", "hash"):
        contents.heads.append(record)
    elif record["kind"] == "checkpoint" and isinstance(record.get("checkpoint"), dict):
        contents.checkpoints.append(record["checkpoint"] | {"logged_at": record["at"]})


def _ints(record: dict[str, Any], *names: str) -> bool:
    return all(isinstance(record.get(n), int) and not isinstance(record.get(n), bool) for n in names)


def _strs(record: dict[str, Any], *names: str) -> bool:
    return all(isinstance(record.get(n), str) for n in names)


def _log_problem(message: str, message_ko: str) -> Problem:
    return Problem(None, "log_altered", message, message_ko)


def _summarise(contents: LogContents) -> None:
    extra = len(contents.problems) - MAX_LOG_PROBLEMS
    if extra > 0:
        more = _log_problem(f"{contents.name}: {extra} more line(s) with problems",
                            f"{contents.name}: 문제가 있는 줄 {extra}개 더 있음")
        contents.problems = [*contents.problems[:MAX_LOG_PROBLEMS], more]
