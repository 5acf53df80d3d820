"""``haechi restore``: a backup into an empty workspace, all or nothing.

The archive is read once, as a stream, into a staging folder beside the data directory;
every member is hashed on the way. Only when the manifest matches every member (and a
sealed archive authenticated every chunk) is the database loaded — in one transaction,
at the backup's schema revision and then migrated to this release's — and the staged
files moved into place. A damaged, cut-off or altered archive is refused with a message
saying so, and leaves neither files nor rows behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy.engine import make_url

from haechi.domain.errors import Conflict, Issue, ValidationFailed
from haechi.settings import Settings
from haechi.store.db import Database

from . import dbdump
from .backup import FORMAT
from .sealed import MAGIC, SealedReader, SealError

PARTS = ("db/", "home/", "lake/")
#: Largest manifest read into memory (it lists members, not their contents).
MAX_MANIFEST = 64 << 20


class BackupRefused(ValidationFailed):
    """The archive cannot be restored (damaged, altered, cut off, wrong passphrase, unknown format)."""


def refused(message: str, message_ko: str, fix: str = "use an intact copy of the backup") -> BackupRefused:
    return BackupRefused(f"backup refused: {message}", issues=[Issue("backup", message, fix)],
                         key="integrations.backup_refused", values={"message_ko": message_ko})


@dataclass
class Staged:
    folder: Path
    manifest: dict[str, Any]
    seen: dict[str, dict[str, Any]]


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (path.is_absolute() or ".." in path.parts or not path.parts
            or not (name == "manifest.json" or name.startswith(PARTS))):
        raise refused(f"member '{name}' is outside the backup layout", f"백업 구조 밖의 항목 '{name}'")
    return path


def _open_stream(source: IO[bytes], passphrase: bytes | None) -> IO[bytes]:
    head = source.read(len(MAGIC))
    source.seek(0)
    if head == MAGIC:
        if passphrase is None:
            raise refused("it is encrypted: give the passphrase (--passphrase-file or HAECHI_BACKUP_PASSPHRASE)",
                          "암호화된 백업입니다: 암호를 주십시오", fix="pass the passphrase used for the backup")
        return SealedReader(source, passphrase)  # type: ignore[return-value]
    if not head.startswith(b"\x1f\x8b"):
        raise refused("not a Haechi backup (neither sealed nor gzip)", "Haechi 백업 파일이 아닙니다")
    return source


def stage(source: IO[bytes], passphrase: bytes | None, folder: Path) -> Staged:
    """Extract and hash every member into ``folder``; the manifest is checked against them."""
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(fileobj=_open_stream(source, passphrase), mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise refused(f"member '{member.name}' is not a regular file", f"'{member.name}'은(는) 파일이 아님")
                name = _safe_name(member.name)
                reader = tar.extractfile(member)
                assert reader is not None  # a regular file always has one
                if member.name == "manifest.json":
                    manifest = _manifest(reader.read(MAX_MANIFEST + 1))
                    continue
                seen[member.name] = _copy(reader, folder / name)
    except SealError as exc:
        raise refused(str(exc), "암호가 틀렸거나 백업이 변조·손상되었습니다",
                      fix="check the passphrase; otherwise use an intact copy") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise refused(f"the archive is damaged or cut off ({exc.__class__.__name__}: {exc})",
                      "백업 파일이 손상되었거나 잘렸습니다") from None
    if manifest is None:
        raise refused("it has no manifest (cut off before its end)", "매니페스트가 없습니다 (파일 끝이 잘림)")
    _check(manifest, seen)
    return Staged(folder, manifest, seen)


def _manifest(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_MANIFEST:
        raise refused("its manifest is implausibly large", "매니페스트가 너무 큽니다")
    try:
        data = json.loads(raw)
    except ValueError:
        raise refused("its manifest is not JSON", "매니페스트가 JSON이 아닙니다") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise refused(f"unknown format {found!r} (this release reads {FORMAT})", f"알 수 없는 형식 {found!r}",
                      fix="restore it with the release of Haechi that made it")
    return data


def _copy(reader: IO[bytes], target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        os.chmod(target, 0o600)
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _check(manifest: dict[str, Any], seen: dict[str, dict[str, Any]]) -> None:
    listed: dict[str, Any] = manifest.get("members") or {}
    missing = sorted(set(listed) - set(seen))
    extra = sorted(set(seen) - set(listed))
    altered = sorted(n for n in set(listed) & set(seen) if listed[n] != seen[n])
    for problem, names, ko in (("missing", missing, "없음"), ("not in the manifest", extra, "매니페스트에 없음"),
                               ("altered (hash differs from the manifest)", altered, "변조됨")):
        if names:
            shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
            raise refused(f"{len(names)} member(s) {problem}: {shown}", f"{len(names)}개 항목 {ko}: {shown}")


def check_empty(settings: Settings) -> None:
    """Refuse a workspace that holds anything (exit 2): a restore never merges."""
    home = settings.home
    if home.exists() and any(home.iterdir()):
        raise Conflict(f"the data directory {home} is not empty: restore into a new, empty workspace",
                       key="integrations.data_directory_not_empty", values={"home": home})
    lake = settings.lake_path()
    if lake.exists() and any(lake.iterdir()):
        raise Conflict(f"the log lake {lake} is not empty", key="integrations.log_lake_not_empty",
                       values={"lake": lake})
    if settings.database_url:
        database = Database(settings.database_url)
        try:
            if _sqlite_file(settings.database_url) is None and dbdump.non_empty_tables(database.engine):
                raise Conflict("the database already holds a workspace: restore into an empty database",
                               key="integrations.database_already_holds_workspace")
        finally:
            database.dispose()
        path = _sqlite_file(settings.database_url)
        if path is not None and path.exists() and path.stat().st_size:
            raise Conflict(f"the database file {path} exists: restore into a new file",
                           key="integrations.database_file_exists_restore", values={"path": path})


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    name = make_url(url).database
    return Path(name) if name and name != ":memory:" else None


def load_database(url: str, staged: Staged) -> None:
    """Create the schema at the backup's revision, load every table in one transaction, migrate."""
    from alembic import command

    database = Database(url)
    try:
        config = database.alembic_config()
        with database.engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, str(staged.manifest["revision"]))
            connection.commit()
        with database.engine.begin() as connection:
            for table in dbdump.metadata().sorted_tables:
                path = staged.folder / "db" / f"{table.name}.jsonl"
                if not path.exists():
                    continue
                with path.open("rb") as lines:
                    rows = dbdump.load_table(connection, table, lines, f"db/{table.name}.jsonl")
                if rows != staged.manifest["tables"].get(table.name):
                    raise refused(f"table {table.name} has {rows} rows, the manifest says "
                                  f"{staged.manifest['tables'].get(table.name)}", f"{table.name} 행 수가 다릅니다")
            dbdump.reset_sequences(connection)
        database.migrate()
    finally:
        database.dispose()


def restore(settings: Settings, source: IO[bytes], passphrase: bytes | None = None) -> dict[str, Any]:
    """Restore the backup read from ``source`` into the (empty) workspace of ``settings``."""
    check_empty(settings)
    home = settings.home.resolve()
    home.parent.mkdir(parents=True, exist_ok=True)
    folder = home.parent / f".{home.name}.restoring-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    try:
        staged = stage(source, passphrase, folder)
        (folder / "home").mkdir(exist_ok=True, mode=0o700)
        url = settings.database_url or f"sqlite:///{folder / 'home' / 'haechi.db'}"
        load_database(url, staged)
        _move_into_place(folder, home, settings.lake_path().resolve())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    files = sum(1 for name in staged.seen if not name.startswith("db/"))
    return {"home": str(home), "tables": staged.manifest["tables"], "files": files,
            "backend": (settings.database_url and make_url(settings.database_url).get_backend_name()) or "sqlite",
            "created_at": staged.manifest["created_at"], "ledgers": staged.manifest.get("ledgers", {})}


def _move_into_place(folder: Path, home: Path, lake: Path) -> None:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for entry in sorted((folder / "home").iterdir()):
        os.replace(entry, home / entry.name)
    if (folder / "lake").is_dir():
        if lake.exists():
            lake.rmdir()  # checked empty before the restore began
        lake.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / "lake", lake)
