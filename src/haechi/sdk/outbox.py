"""The SDK's on-disk outbox: batches that could not be delivered wait here, durably.

Each batch is one Arrow IPC file (or an NDJSON file for batches Arrow cannot type),
written under a temporary name, fsynced and renamed, so a crash never leaves a half
batch. Files are delivered oldest first and deleted only after the server (or the lake)
has acknowledged them; a batch delivered twice is harmless because ingestion is
idempotent on ``event_id``.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["events", "labels"]
Encoding = Literal["arrow", "ndjson"]

SUFFIX = {"arrow": ".arrows", "ndjson": ".ndjson"}


@dataclass(frozen=True)
class Parcel:
    """One stored batch: what it holds and how it is encoded."""

    path: Path
    kind: Kind
    encoding: Encoding

    def read(self) -> bytes:
        return self.path.read_bytes()


class Outbox:
    """A directory of undelivered batches, one file per batch."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def put(self, kind: Kind, encoding: Encoding, body: bytes) -> Parcel:
        """Store ``body`` durably and return its parcel."""
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.{kind}{SUFFIX[encoding]}"
        final = self.dir / name
        tmp = self.dir / (name + ".tmp")
        with open(tmp, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return Parcel(final, kind, encoding)

    def parcels(self) -> list[Parcel]:
        """Stored batches, oldest first (names start with a monotonic time)."""
        if not self.dir.is_dir():
            return []
        found = []
        for entry in sorted(os.scandir(self.dir), key=lambda e: e.name):
            parts = entry.name.split(".")
            if len(parts) < 3 or entry.name.endswith(".tmp"):
                continue
            kind, suffix = parts[-2], "." + parts[-1]
            encoding = next((e for e, s in SUFFIX.items() if s == suffix), None)
            if kind in ("events", "labels") and encoding:
                found.append(Parcel(Path(entry.path), kind, encoding))  # type: ignore[arg-type]
        return found

    def remove(self, parcel: Parcel) -> None:
        with contextlib.suppress(FileNotFoundError):  # another process delivered it first
            parcel.path.unlink()

    def __len__(self) -> int:
        return len(self.parcels())
