"""Content-addressed file storage for evidence under ``<home>/evidence/``.

A file is stored once under its SHA-256 (``ab/cd/abcd…``), however many evidence items
refer to it. Writing is atomic: content streams into a temporary file (hashing and
counting as it goes, refusing it past the size limit) and is renamed into place only
when complete, so a reader never sees half a file and a failed upload leaves nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from haechi.domain.errors import PayloadTooLarge

CHUNK = 1 << 20
HEAD_BYTES = 64 * 1024


@dataclass
class StagedBlob:
    """Content written to a temporary file, hashed, not yet in the store."""

    sha256: str
    size: int
    head: bytes
    temp_path: Path


class BlobStore:
    """Files by SHA-256 in a directory tree."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def stage(self, source: bytes | BinaryIO | Path, max_bytes: int, name: str = "upload") -> StagedBlob:
        """Copy ``source`` to a temporary file; :class:`PayloadTooLarge` past ``max_bytes``."""
        tmp_dir = self.root / ".incoming"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=tmp_dir)
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(source):
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(
                            f"{name} is larger than the evidence limit of {max_bytes // (1 << 20)} MB; "
                            "split it or raise HAECHI_MAX_EVIDENCE_MB",
                            key="compliance.larger_than_evidence_limit",
                            values={"name": name, "value": max_bytes // (1 << 20)},
                            details={"limit_bytes": max_bytes})
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StagedBlob(digest.hexdigest(), size, head, Path(tmp))

    def commit(self, staged: StagedBlob) -> bool:
        """Move a staged file into place; ``False`` if identical content was already stored."""
        target = self.path(staged.sha256)
        if target.is_file():
            staged.temp_path.unlink(missing_ok=True)
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.temp_path, 0o440)
        os.replace(staged.temp_path, target)
        return True

    def discard(self, staged: StagedBlob) -> None:
        staged.temp_path.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    def check(self, sha256: str) -> str:
        """``ok``, ``missing`` or ``altered`` (content no longer hashes to its name)."""
        path = self.path(sha256)
        if not path.is_file():
            return "missing"
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
        return "ok" if digest.hexdigest() == sha256 else "altered"


def _chunks(source: bytes | BinaryIO | Path) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for i in range(0, len(source), CHUNK):
            yield source[i:i + CHUNK]
        return
    if isinstance(source, Path):
        with source.open("rb") as fh:
            yield from iter(lambda: fh.read(CHUNK), b"")
        return
    yield from iter(lambda: source.read(CHUNK), b"")
