"""``haechi backup | restore | migrate-store``: keep a workspace and move it.

Governance records must be kept for years (KR Enforcement Decree Art. 27(2): five), across
machines and databases. ``haechi backup -o FILE`` writes one consistent snapshot of a
running workspace; ``haechi restore FILE`` puts it into an empty one and verifies the
ledger and every evidence file there; ``haechi migrate-store --to postgresql://…`` moves
the database and verifies the chain on the other side.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from haechi.domain.errors import Issue, ValidationFailed
from haechi.settings import Settings

from .common import Format, FormatOption, console, emit, success
from .language import tr
from .startup import resume_collector

PASSPHRASE_ENV = "HAECHI_BACKUP_PASSPHRASE"
#: Exit code when the restored ledger or evidence files do not verify (as ``haechi audit verify``).
TAMPERED = 3


def _passphrase(path: Path | None) -> bytes | None:
    if path is not None:
        try:
            secret = path.read_bytes().rstrip(b"\r\n")
        except OSError as exc:
            raise ValidationFailed(f"cannot read the passphrase file {path}: {exc.strerror}",
                                   issues=[Issue("--passphrase-file", str(exc.strerror), "give a readable file")],
                                   key="cli.cannot_read_passphrase_file", values={"path": path}) from None
    else:
        secret = os.environ.get(PASSPHRASE_ENV, "").encode()
    if path is not None and len(secret) < 8:
        raise ValidationFailed("the passphrase is shorter than 8 characters",
                               issues=[Issue("--passphrase-file", "too short", "use at least 8 characters")],
                               key="cli.passphrase_shorter_than_characters")
    return secret or None


PassphraseOption = typer.Option(None, "--passphrase-file", help="encrypt/decrypt with the passphrase in this file "
                                f"(or set {PASSPHRASE_ENV}); scrypt + AES-256-GCM")


def backup(output: Path = typer.Option(..., "--output", "-o", help="file to write (.haechi-backup)"),
           passphrase_file: Path | None = PassphraseOption, fmt: Format = FormatOption) -> None:
    """Write one consistent snapshot of the workspace (database, ledger logs, evidence, lake, keys, settings)."""
    from haechi.integrations.backup import backup as run_backup

    resume_collector()
    settings = Settings()
    secret = _passphrase(passphrase_file)
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as out:
            manifest = run_backup(settings, out, secret)
        partial.replace(output)  # a reader never sees half a backup under the final name
    finally:
        partial.unlink(missing_ok=True)
    summary = {"file": str(output), "bytes": output.stat().st_size, "encrypted": secret is not None,
               "tables": len(manifest.tables), "rows": sum(manifest.tables.values()),
               "files": sum(1 for m in manifest.members if not m.startswith("db/")),
               "ledgers": manifest.ledgers, "revision": manifest.revision}
    emit(summary, fmt.value, table=_backup_line)


def _backup_line(s: dict[str, Any]) -> None:
    lock = tr("backup.encrypted", " (encrypted)") if s["encrypted"] else ""
    success(tr("backup.wrote", "wrote {file}{lock}: {rows} rows in {tables} tables, {files} files, {bytes} bytes",
               file=s["file"], lock=lock, rows=s["rows"], tables=s["tables"], files=s["files"], bytes=s["bytes"]))


def restore(archive: Path = typer.Argument(..., help="backup file written by 'haechi backup'"),
            passphrase_file: Path | None = PassphraseOption, fmt: Format = FormatOption) -> None:
    """Restore a backup into an empty workspace (HAECHI_HOME, HAECHI_DATABASE_URL), then verify it."""
    from haechi.integrations.restore import restore as run_restore

    resume_collector()
    settings = Settings()
    secret = _passphrase(passphrase_file)
    if not archive.is_file():
        raise ValidationFailed(f"no backup file {archive}", issues=[Issue(str(archive), "not found", "check the path")],
                               key="cli.no_backup_file", values={"archive": archive})
    with archive.open("rb") as source:
        result = run_restore(settings, source, secret)
    result["verification"] = _verify(settings)
    emit(result, fmt.value, table=_restore_lines)
    if not result["verification"]["ok"]:
        raise typer.Exit(TAMPERED)


def _verify(settings: Settings) -> dict[str, Any]:
    """``haechi audit verify`` for every organisation of the restored workspace."""
    from haechi.core import Haechi

    hc = Haechi(settings)
    try:
        orgs = {}
        for org in hc.accounts.list_orgs():
            actor = hc.local_actor(org.slug)
            ledger = hc.ledger.verify(actor).to_dict()
            files = hc.compliance.verify_files(actor)
            orgs[org.slug] = {"ledger_ok": ledger["ok"], "entries": ledger["entries"], "files_ok": files["ok"],
                              "evidence_files": files["files"],
                              "problems": [p["message"] for p in ledger["problems"]] + [
                                  f"evidence {p['evidence']} file {p['state']}" for p in files["problems"]]}
        return {"ok": all(o["ledger_ok"] and o["files_ok"] for o in orgs.values()), "organisations": orgs}
    finally:
        hc.close()


def _restore_lines(r: dict[str, Any]) -> None:
    success(tr("restore.done", "restored {rows} rows and {files} files into {home}",
               rows=sum(r["tables"].values()), files=r["files"], home=r["home"]))
    _verification_lines(r["verification"])


def _verification_lines(verification: dict[str, Any]) -> None:
    for slug, o in verification["organisations"].items():
        if o["ledger_ok"] and o["files_ok"]:
            success(tr("restore.verified", "{org}: ledger verified ({entries} entries), {files} evidence files intact",
                       org=slug, entries=o["entries"], files=o["evidence_files"]))
        else:
            failed = tr("restore.failed", "{org}: verification FAILED", org=slug)
            console.print(f"[bold red]{escape(failed)}[/bold red]")
            for problem in o["problems"]:
                console.print(f"  - {problem}", markup=False, highlight=False)


def migrate_store(to: str = typer.Option(..., "--to", help="target database URL, e.g. postgresql://user@host/haechi"),
                  fmt: Format = FormatOption) -> None:
    """Move the workspace's database to another (empty) database and verify the ledger there."""
    from haechi.integrations.move import move

    resume_collector()
    settings = Settings()
    result = move(settings, to)
    result["verification"] = _verify(settings.model_copy(update={"database_url": to}))
    emit(result, fmt.value, table=_move_lines)
    if not result["verification"]["ok"]:
        raise typer.Exit(TAMPERED)


def _move_lines(r: dict[str, Any]) -> None:
    success(tr("move.done", "moved {rows} rows to {to}; row counts equal in every table", rows=r["rows"], to=r["to"]))
    _verification_lines(r["verification"])
    print(tr("move.tip", "now set HAECHI_DATABASE_URL={to} (with its password) for every Haechi process", to=r["to"]),
          file=sys.stderr)


def register(root: typer.Typer) -> None:
    root.command("backup")(backup)
    root.command("restore")(restore)
    root.command("migrate-store")(migrate_store)
