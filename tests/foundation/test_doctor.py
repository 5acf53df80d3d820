"""``haechi doctor`` as an operator runs it: a subprocess on a real workspace."""

from __future__ import annotations

import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.walk.language import english_in

#: Names of programs and formats a Korean sentence quotes as they are.
PRODUCT_NAMES = {"WeasyPrint", "Chromium", "Pango", "sqlite", "postgresql", "tzdata", "chown", "chmod", "pip",
                 "install", "apt-get", "fonts-nanum", "haechi", "init", "serve", "doctor", "PEM", "SMTP",
                 "acme", "GiB"}  # the organisation id of the test workspace


def doctor(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    environ.update({"HAECHI_HOME": str(home), "PYTHONPATH": str(Path(__file__).parents[2] / "src"), **env})
    return subprocess.run([sys.executable, "-m", "haechi", "doctor", *args], env=environ, capture_output=True,
                          text=True, check=False, timeout=120)


def report(home: Path, *args: str, **env: str) -> tuple[int, dict[str, list[dict[str, object]]]]:
    done = doctor(home, "--format", "json", *args, **env)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    by_check: dict[str, list[dict[str, object]]] = {}
    for finding in data["checks"]:
        by_check.setdefault(str(finding["check"]), []).append(finding)
    assert data["ok"] == (done.returncode == 0)
    return done.returncode, by_check


def statuses(found: dict[str, list[dict[str, object]]], check: str) -> set[object]:
    return {f["status"] for f in found[check]}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("doctor") / "home"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    environ.update({"HAECHI_HOME": str(home), "PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    done = subprocess.run([sys.executable, "-m", "haechi", "init", "--org", "acme"], env=environ,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return home


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for a connection check: greeting, NOOP, QUIT."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        for line in self.rfile:
            verb = line.strip().upper()
            self.wfile.write(b"221 bye\r\n" if verb == b"QUIT" else b"250 ok\r\n")
            if verb == b"QUIT":
                return


def test_a_fresh_directory_fails_and_says_to_run_init(tmp_path: Path) -> None:
    code, found = report(tmp_path / "nothing-here")
    assert code == 1
    assert statuses(found, "database") == {"fail"}
    assert "haechi init" in str(found["database"][0]["fix"])
    ledger_key = found["signing-keys"][0]
    assert ledger_key["status"] == "fail" and "ledger-ed25519.pem" in str(ledger_key["message"])
    assert not (tmp_path / "nothing-here").exists(), "the doctor must not create the workspace"


def test_an_initialised_workspace_passes_and_reports_each_check(workspace: Path) -> None:
    code, found = report(workspace)
    assert code == 0
    assert statuses(found, "database") == {"pass"} and statuses(found, "migrations") == {"pass"}
    assert statuses(found, "signing-keys") == {"pass"}
    paths = {str(f["details"]["path"]) for f in found["signing-keys"]}  # type: ignore[index]
    assert paths >= {str(workspace / "keys" / "ledger-ed25519.pem"),
                     str(workspace / "signing" / "orgs" / "acme" / "signing-key.pem")}
    assert statuses(found, "timezone") == {"pass"}
    assert statuses(found, "disk") <= {"pass", "warn"}
    assert statuses(found, "email") == {"warn"}  # off: not configured
    assert statuses(found, "pdf-fonts") == {"pass"}


def test_weak_secret_open_key_and_unreachable_mail_fail_with_their_fix(workspace: Path) -> None:
    key = workspace / "keys" / "ledger-ed25519.pem"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    key.chmod(0o644)
    try:
        code, found = report(workspace, HAECHI_SECRET_KEY="change-me", HAECHI_SMTP_HOST="127.0.0.1",
                             HAECHI_SMTP_PORT=str(closed_port))
    finally:
        key.chmod(0o600)
    assert code == 1
    assert statuses(found, "secret-key") == {"fail"}
    opened = next(f for f in found["signing-keys"] if f["status"] == "fail")
    assert opened["fix"] == f"chmod 600 {key}" and opened["details"]["mode"] == "0o644"  # type: ignore[index]
    assert statuses(found, "email") == {"fail"}


def test_a_listening_smtp_server_and_a_strong_secret_pass(workspace: Path) -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code, found = report(workspace, "--check", "email", "--check", "secret-key",
                             HAECHI_SECRET_KEY="x" * 48, HAECHI_SMTP_HOST="127.0.0.1",
                             HAECHI_SMTP_PORT=str(server.server_address[1]), HAECHI_SMTP_FROM="ai@hanbit.example")
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0
    assert set(found) == {"email", "secret-key"}
    assert statuses(found, "email") == {"pass"} and statuses(found, "secret-key") == {"pass"}


def test_a_database_behind_this_release_or_from_another_release_fails(workspace: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    copy = tmp_path / "copy"
    shutil.copytree(workspace, copy)
    with sqlite3.connect(copy / "haechi.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zz_from_the_future'")
    code, found = report(copy, "--check", "database")
    assert code == 1
    assert "another release" in str(found["migrations"][0]["message"])


def test_unreachable_postgresql_fails_without_showing_the_password(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://haechi:s3cret-pw@127.0.0.1:{port}/haechi"
    code, found = report(tmp_path, "--check", "database", HAECHI_DATABASE_URL=url)
    assert code == 1
    assert "s3cret-pw" not in json.dumps(found) and "***" in str(found["database"][0]["message"])


def test_korean_report_and_user_errors(workspace: Path) -> None:
    done = doctor(workspace, "--lang", "ko")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "모든 검사를 통과했습니다" in done.stdout
    for line in done.stdout.splitlines():
        # quoted commands, parenthesised details, the check id, time-zone ids
        prose = re.sub(r"'[^']*'|\([^)]*\)|^\W*[a-z-]+\s|\b[A-Z]\w+/\w+", " ", line)
        leftover = [w for w in english_in(prose) if w not in PRODUCT_NAMES]
        assert not leftover, (line, leftover)
    assert doctor(workspace, "--check", "nonsense").returncode == 2
    assert doctor(workspace, "--lang", "fr").returncode == 2
    bad = doctor(workspace, HAECHI_PORT="eighty")
    assert bad.returncode == 2 and "HAECHI_PORT" in bad.stderr


@pytest.mark.postgres
def test_a_migrated_postgresql_database_passes(tmp_path: Path) -> None:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from haechi.store.db import Database
    from tests.conftest import PG_URL, unavailable

    schema = f"haechi_doctor_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        code, found = report(tmp_path, "--check", "database", HAECHI_DATABASE_URL=url)
        assert code == 1 and statuses(found, "migrations") == {"fail"}  # reachable, but no schema yet
        db = Database(url)
        db.migrate()
        db.dispose()
        code, found = report(tmp_path, "--check", "database", HAECHI_DATABASE_URL=url)
        assert code == 0 and statuses(found, "database") == {"pass"} and statuses(found, "migrations") == {"pass"}
        assert "postgresql" in str(found["database"][0]["message"])
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
