"""``haechi backup`` → ``haechi restore`` → ``haechi audit verify``, as a user runs them.

A small workspace (a system, an evidence file, logged predictions, a checkpoint) is backed
up by the CLI in a subprocess, restored into an empty workspace on SQLite and on
PostgreSQL, and verified there; damaged, cut-off and wrongly-unlocked backups are refused
with exit code 2 and leave nothing behind; ``migrate-store`` moves SQLite to PostgreSQL
with equal row counts and a verified chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.integrations.restore import restore
from haechi.settings import Settings
from tests.conftest import PG_URL, unavailable

pytestmark = pytest.mark.slow
EVIDENCE = b"risk assessment, signed 2026-11-30\n" * 50


def haechi(*args: str, home: Path, db: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    environ.update({"HAECHI_HOME": str(home), "PYTHONPATH": str(Path(__file__).parents[2] / "src"), **env})
    if db:
        environ["HAECHI_DATABASE_URL"] = db
    return subprocess.run([sys.executable, "-m", "haechi", *args], env=environ, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite workspace with records of every kind; returns (home, evidence sha256)."""
    home = tmp_path_factory.mktemp("source")
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme", "애크미")
        actor = hc.local_actor("acme")
        hc.systems.add(actor, SystemCard.model_validate(
            {"id": "screener", "name": "Screener", "domains": ["employment"], "markets": ["KR"]}))
        item = hc.compliance.evidence.add_file(actor, EVIDENCE, filename="assessment.txt", system="screener")
        rows = [{"event_id": f"e{i}", "timestamp": "2026-11-01T00:00:00Z", "prediction": i % 2} for i in range(20)]
        hc.lake.ingest(actor, "screener", json.dumps(rows).encode(), "application/json")
        hc.ledger.checkpoint(actor)
    finally:
        hc.close()
    return home, item["sha256"]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema of its own (restores refuse a database with rows)."""
    schema = f"haechi_restore_{uuid.uuid4().hex[:8]}"
    try:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        unavailable(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


PASSPHRASE = {"HAECHI_BACKUP_PASSPHRASE": "correct horse battery staple"}


def _backup(workspace: tuple[Path, str], out: Path, **env: str) -> Path:
    made = haechi("backup", "-o", str(out), home=workspace[0], **env)
    assert made.returncode == 0, made.stderr
    assert out.is_file() and not list(out.parent.glob(".*.partial"))
    return out


@pytest.fixture(scope="module")
def archives(workspace: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workspace backed up by the CLI, plain and sealed with a passphrase."""
    folder = tmp_path_factory.mktemp("archives")
    return {"plain": _backup(workspace, folder / "acme.hbk"),
            "sealed": _backup(workspace, folder / "acme-sealed.hbk", **PASSPHRASE)}


def _restored_ok(home: Path, sha256: str, db: str | None = None) -> None:
    verified = haechi("audit", "verify", "--format", "json", home=home, db=db)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = json.loads(verified.stdout)
    assert report["ok"] and report["evidence_files"]["files"] == 1
    blob = home / "evidence" / sha256[:2] / sha256[2:4] / sha256
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha256
    hc = Haechi(Settings(home=home, database_url=db))
    try:
        actor = hc.local_actor("acme")
        assert [r.slug for r in hc.systems.list(actor).items] == ["screener"]
        assert hc.lake.event_count(actor, "screener") == 20
    finally:
        hc.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_backup_restore_verify(workspace: tuple[Path, str], archives: dict[str, Path], tmp_path: Path, backend: str,
                               request: pytest.FixtureRequest) -> None:
    db = request.getfixturevalue("pg_schema") if backend == "postgresql" else None
    archive = archives["plain"]
    target = tmp_path / "restored"
    restored = haechi("restore", str(archive), "--format", "json", home=target, db=db)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["verification"]["ok"] is True
    _restored_ok(target, workspace[1], db)
    again = haechi("restore", str(archive), home=target, db=db)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_encrypted_backup_needs_its_passphrase(workspace: tuple[Path, str], archives: dict[str, Path],
                                               tmp_path: Path) -> None:
    archive = archives["sealed"]
    assert EVIDENCE[:40] not in archive.read_bytes()
    no_pass = haechi("restore", str(archive), home=tmp_path / "a")
    assert no_pass.returncode == 2 and "encrypted" in no_pass.stderr
    wrong = haechi("restore", str(archive), home=tmp_path / "b", HAECHI_BACKUP_PASSPHRASE="not the passphrase")
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
    right = haechi("restore", str(archive), home=tmp_path / "c", **PASSPHRASE)
    assert right.returncode == 0, right.stderr
    _restored_ok(tmp_path / "c", workspace[1])


@pytest.mark.parametrize("damage", ["truncated", "flipped", "sealed-truncated", "sealed-flipped"])
def test_damaged_backups_are_refused_and_leave_nothing(archives: dict[str, Path], tmp_path: Path,
                                                       damage: str) -> None:
    env = PASSPHRASE if damage.startswith("sealed") else {}
    data = bytearray(archives["sealed" if env else "plain"].read_bytes())
    archive = tmp_path / "x.hbk"
    if damage.endswith("truncated"):
        del data[len(data) * 2 // 3:]
    else:
        data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    target = tmp_path / "target"
    refused = haechi("restore", str(archive), home=target, **env)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "backup refused" in refused.stderr and "Traceback" not in refused.stderr
    assert not target.exists() or not any(target.iterdir())
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]


def test_migrate_store_sqlite_to_postgresql(workspace: tuple[Path, str], archives: dict[str, Path], tmp_path: Path,
                                            pg_schema: str) -> None:
    home = tmp_path / "moving"
    with archives["plain"].open("rb") as source:
        restore(Settings(home=home), source)
    moved = haechi("migrate-store", "--to", pg_schema, "--format", "json", home=home)
    assert moved.returncode == 0, moved.stderr
    result = json.loads(moved.stdout)
    assert result["verification"]["organisations"]["acme"]["ledger_ok"] is True
    assert result["tables"]["ledger_entries"] > 3
    source = create_engine(f"sqlite:///{home / 'haechi.db'}")
    with source.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ledger_entries")).scalar() == result["tables"]["ledger_entries"]
    source.dispose()
    _restored_ok(home, workspace[1], pg_schema)
    card = tmp_path / "card.yaml"
    card.write_text("id: second\nname: Second\ndomains: [employment]\nmarkets: [KR]\n")
    added = haechi("systems", "add", str(card), home=home, db=pg_schema)  # ids continue after the moved rows
    assert added.returncode == 0, added.stderr
    assert haechi("audit", "verify", "--no-files", home=home, db=pg_schema).returncode == 0
    again = haechi("migrate-store", "--to", pg_schema, home=home)
    assert again.returncode == 2 and "already holds data" in again.stderr
