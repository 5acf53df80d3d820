"""The SDK's on-disk outbox: batches that could not be delivered wait here, durably.

Layout: one *root* per (system, receiver, credential) — the credential enters only as a
hash, so one organisation's batches are never sent with another's token and no token
appears in a path — and inside it one directory per live ``Monitor``::

    <root>/<pid>-<nonce>/.lock                 flock-ed while that Monitor lives
    <root>/<pid>-<nonce>/<ns>-<rand>.events.arrows

A Monitor only ever sends the batches in its own directory, so two processes (or two
Monitors, or a parent and its forked child) never send the same batch. A directory whose
lock nobody holds belongs to a process that has ended: the next Monitor for the same
root *adopts* it, moving each batch into its own directory with an atomic rename (a
batch moved by one adopter is gone for every other) and then delivering it.

Each batch is one Arrow IPC file (or an NDJSON file for batches Arrow cannot type),
written under a temporary name, fsynced and renamed, so a crash never leaves a half
batch. Files are deleted only after the receiver has acknowledged them; a batch
delivered twice is harmless anyway because ingestion is idempotent on ``event_id``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

try:
    import fcntl
except ImportError:  # Windows: no flock; a Monitor then delivers only its own batches
    fcntl = None  # type: ignore[assignment]

Kind = Literal["events", "labels"]
Encoding = Literal["arrow", "ndjson"]

SUFFIX = {"arrow": ".arrows", "ndjson": ".ndjson"}
LOCK = ".lock"


def outbox_root(base: Path, system: str, target: str, credential: str | None) -> Path:
    """The root shared by every process sending ``system``'s batches to ``target`` as ``credential``."""
    digest = hashlib.sha256(f"haechi-sdk-outbox\0{target}\0{credential or ''}".encode()).hexdigest()[:20]
    return Path(base) / f"{system}-{digest}"


@dataclass(frozen=True)
class Parcel:
    """One stored batch: what it holds and how it is encoded."""

    path: Path
    kind: Kind
    encoding: Encoding

    def read(self) -> bytes:
        return self.path.read_bytes()


def _parcel(entry: os.DirEntry[str]) -> Parcel | None:
    parts = entry.name.split(".")
    if len(parts) < 3 or entry.name.endswith(".tmp"):
        return None
    kind, suffix = parts[-2], "." + parts[-1]
    encoding = next((e for e, s in SUFFIX.items() if s == suffix), None)
    if kind in ("events", "labels") and encoding:
        return Parcel(Path(entry.path), kind, encoding)  # type: ignore[arg-type]
    return None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Outbox:
    """This Monitor's directory of undelivered batches inside a shared root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock_fd: int | None = None
        self.dir = self.root / f"{os.getpid()}-{secrets.token_hex(4)}"
        self._guard = threading.Lock()  # the sender thread and close() may both store a batch

    # --- this Monitor's own directory ---------------------------------------
    def _own(self) -> Path:
        """Create and lock the own directory on first use (a Monitor that never spills leaves nothing)."""
        with self._guard:
            return self._create_own()

    def _create_own(self) -> Path:
        if self._lock_fd is not None:
            return self.dir
        self.root.mkdir(parents=True, exist_ok=True)
        # Build it under a hidden name and rename it into place already locked, so no
        # adopter can ever see it unlocked.
        staging = self.root / f".{self.dir.name}.new"
        staging.mkdir(exist_ok=True)
        fd = os.open(staging / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(staging, self.dir)
        self._lock_fd = fd
        return self.dir

    def put(self, kind: Kind, encoding: Encoding, body: bytes) -> Parcel:
        """Store ``body`` durably and return its parcel."""
        directory = self._own()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.{kind}{SUFFIX[encoding]}"
        final = directory / name
        tmp = directory / (name + ".tmp")
        with open(tmp, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        _fsync_dir(directory)
        return Parcel(final, kind, encoding)

    def parcels(self) -> list[Parcel]:
        """This Monitor's stored batches, oldest first (names start with the time)."""
        if not self.dir.is_dir():
            return []
        found = [_parcel(entry) for entry in os.scandir(self.dir)]
        return sorted((p for p in found if p is not None), key=lambda p: p.path.name)

    def remove(self, parcel: Parcel) -> None:
        with contextlib.suppress(FileNotFoundError):
            parcel.path.unlink()

    def __len__(self) -> int:
        return len(self.parcels())

    # --- batches left by processes that have ended ----------------------------
    def adopt(self) -> int:
        """Move the batches of every abandoned directory of this root into ours; returns how many."""
        if fcntl is None or not self.root.is_dir():
            return 0
        moved = 0
        for entry in os.scandir(self.root):
            if entry.name.startswith(".") or entry.name == self.dir.name or not entry.is_dir():
                continue
            moved += self._adopt_dir(Path(entry.path))
        return moved

    def _adopt_dir(self, orphan: Path) -> int:
        try:
            fd = os.open(orphan / LOCK, os.O_RDWR)
        except OSError:
            return 0  # gone meanwhile (adopted by another process)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return 0  # its Monitor is alive, or another process is adopting it
            moved = 0
            for entry in os.scandir(orphan):
                if _parcel(entry) is None:
                    continue
                with contextlib.suppress(FileNotFoundError):
                    os.rename(entry.path, self._own() / entry.name)
                    moved += 1
            if moved:
                _fsync_dir(self.dir)
            for entry in os.scandir(orphan):  # leftovers: the lock and half-written *.tmp files
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
            with contextlib.suppress(OSError):
                orphan.rmdir()
            return moved
        finally:
            os.close(fd)

    # --- life cycle ------------------------------------------------------------
    def release(self) -> None:
        """Unlock the own directory (at close): its batches then go to the next Monitor."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def for_child(self) -> Outbox:
        """The outbox of a forked child: a directory of its own; the parent keeps its lock."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # the parent's descriptor still holds the lock
        return Outbox(self.root)
