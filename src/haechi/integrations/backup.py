"""``haechi backup``: one consistent snapshot of a workspace in one file.

The archive is a gzip-compressed tar stream (optionally sealed with a passphrase, see
:mod:`.sealed`) holding

* ``db/<table>.jsonl`` — every table, dumped from one consistent snapshot (:mod:`.dbdump`);
* ``home/…`` — the data directory's files: keys, the ledger's checkpoint logs, evidence
  files, generated documents, monitor files (not the database file, caches or temporary files);
* ``lake/…`` — the prediction-log lake (Parquet), wherever it lives;
* ``manifest.json`` — last: format, Haechi version, schema revision, row counts, each
  ledger's head, the SHA-256 and size of every member, and the workspace settings.

The database is read first. The checkpoint logs are then copied up to the state of that
snapshot (lines written by later commits are left out; a log still catching up with a
commit just made is waited for), so ``haechi audit verify`` holds after a restore even
when the workspace was busy during the backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, select

from haechi import __version__
from haechi.settings import Settings, environment_values

from . import dbdump
from .sealed import SealedWriter

FORMAT = "haechi-backup/1"
#: Parts of the data directory that are never backed up (rebuilt or temporary).
SKIP_TOP = {"cache", "lake", "haechi.db.locks"}
SKIP_NAMES = {"haechi.db", "haechi.db-wal", "haechi.db-shm", "haechi.db-journal"}
#: Settings that describe this machine, not the workspace (a restore chooses its own).
MACHINE_SETTINGS = {"home", "database_url", "lake_dir", "memory", "secret_key", "metrics_token", "host", "port"}
LOG_WAIT_SECONDS = 10.0


@dataclass
class Manifest:
    """What an archive holds; written last into it and checked first on restore."""

    created_at: str
    backend: str
    revision: str
    tables: dict[str, int] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    ledgers: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "haechi_version": __version__, **self.__dict__}


class _Hashing(io.RawIOBase):
    """A file-like wrapper counting and hashing what passes through it."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.digest, self.size = source, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members to a tar stream, recording each one's hash in the manifest."""

    def __init__(self, tar: tarfile.TarFile, manifest: Manifest) -> None:
        self.tar, self.manifest = tar, manifest

    def add_bytes(self, name: str, data: bytes) -> None:
        self._add(name, io.BytesIO(data), len(data), time.time())

    def add_file(self, name: str, path: Path) -> None:
        stat = path.stat()
        with path.open("rb") as fh:
            self._add(name, fh, stat.st_size, stat.st_mtime)

    def _add(self, name: str, source: IO[bytes], size: int, mtime: float) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime), 0o600
        hashing = _Hashing(source)
        self.tar.addfile(info, hashing)
        self.manifest.members[name] = {"sha256": hashing.digest.hexdigest(), "size": size}


def _spooled_table(connection: Connection, table: Any) -> tuple[IO[bytes], int, int]:
    """The table's JSON lines in a spooled temporary file (memory up to 8 MiB, then disk)."""
    import tempfile

    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - returned open
    rows = dbdump.dump_table(connection, table, spool)
    size = spool.tell()
    spool.seek(0)
    return spool, rows, size


def _ledger_heads(connection: Connection) -> dict[str, dict[str, Any]]:
    from haechi.store.compliance_tables import LedgerCheckpoint
    from haechi.store.tables import LedgerHead, Organisation

    heads: dict[str, dict[str, Any]] = {}
    for slug, seq, digest in connection.execute(
            select(Organisation.slug, LedgerHead.seq, LedgerHead.hash).join(
                LedgerHead, LedgerHead.org_id == Organisation.id)):
        heads[slug] = {"seq": seq, "hash": digest, "checkpoints": 0}
    for slug, number in connection.execute(
            select(Organisation.slug, LedgerCheckpoint.number).join(
                Organisation, Organisation.id == LedgerCheckpoint.org_id)):
        if slug in heads and number is not None:
            heads[slug]["checkpoints"] = max(heads[slug]["checkpoints"], int(number))
    return heads


def log_prefix(raw: bytes, head_seq: int, checkpoints: int) -> bytes | None:
    """The lines of a checkpoint log that the snapshot's state accounts for, or ``None``
    while the log has not yet recorded the snapshot's last commit."""
    kept: list[bytes] = []
    covered = head_seq == 0
    for line in raw.splitlines(keepends=True):
        try:
            record = json.loads(line)
        except ValueError:
            break  # a torn last line of a write in progress
        if record.get("kind") == "head" and int(record.get("seq", 0)) > head_seq:
            break
        checkpoint = record.get("checkpoint") or {}
        if record.get("kind") == "checkpoint" and int(checkpoint.get("number") or 0) > checkpoints:
            break
        covered = covered or (record.get("kind") == "head" and int(record.get("seq", 0)) == head_seq)
        kept.append(line)
    return b"".join(kept) if covered else None


def _settled_log(path: Path, head: dict[str, Any]) -> bytes:
    """The log's prefix for ``head``, waiting briefly for a commit's log line to be written."""
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while True:
        raw = path.read_bytes() if path.is_file() else b""
        prefix = log_prefix(raw, head["seq"], head["checkpoints"])
        if prefix is not None or time.monotonic() > deadline:
            return prefix if prefix is not None else raw
        time.sleep(0.1)


def _home_files(home: Path, lake: Path) -> Iterator[tuple[str, Path]]:
    for root, dirs, files in os.walk(home):
        here = Path(root)
        rel_dir = here.relative_to(home)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (
            rel_dir == Path(".") and d in SKIP_TOP) and (here / d).resolve() != lake.resolve())
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(home).as_posix()
            if name.startswith(".") or path.is_symlink() or (rel_dir == Path(".") and name in SKIP_NAMES):
                continue
            yield rel, path


def _lake_files(lake: Path) -> Iterator[tuple[str, Path]]:
    if not lake.is_dir():
        return
    for root, dirs, files in os.walk(lake):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and not path.is_symlink() and not name.endswith(".tmp"):
                yield path.relative_to(lake).as_posix(), path


def workspace_settings(settings: Settings) -> dict[str, str]:
    """The ``HAECHI_*`` settings that describe the workspace (not this machine or its secrets)."""
    return {k: v for k, v in environment_values().items() if k not in MACHINE_SETTINGS}


def backup(settings: Settings, output: IO[bytes], passphrase: bytes | None = None) -> Manifest:
    """Write one consistent snapshot of the workspace of ``settings`` to ``output``."""
    url = settings.resolved_database_url()
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    sink: IO[bytes] = SealedWriter(output, passphrase) if passphrase else output  # type: ignore[assignment]
    with dbdump.snapshot(url) as connection, tarfile.open(fileobj=sink, mode="w|gz") as tar:
        manifest = Manifest(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), backend,
                            dbdump.alembic_revision(connection), settings=workspace_settings(settings))
        writer = ArchiveWriter(tar, manifest)
        for table in dbdump.metadata().sorted_tables:
            spool, rows, size = _spooled_table(connection, table)
            with spool:
                writer._add(f"db/{table.name}.jsonl", spool, size, time.time())
            manifest.tables[table.name] = rows
        manifest.ledgers = _ledger_heads(connection)
        _write_files(writer, settings, manifest)
        writer.add_bytes("manifest.json", json.dumps(manifest.to_dict(), indent=1, sort_keys=True).encode())
    if passphrase:
        sink.close()
    return manifest


def _write_files(writer: ArchiveWriter, settings: Settings, manifest: Manifest) -> None:
    home, lake = settings.home, settings.lake_path()
    logs = {f"ledger/{org}.log": head for org, head in manifest.ledgers.items()}
    for rel, path in _home_files(home, lake):
        if rel in logs:
            writer.add_bytes(f"home/{rel}", _settled_log(path, logs[rel]))
        else:
            writer.add_file(f"home/{rel}", path)
    for rel, path in _lake_files(lake):
        writer.add_file(f"lake/{rel}", path)
