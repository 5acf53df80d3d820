"""Shared fixtures: real databases (SQLite and PostgreSQL), the facade, actors, API clients.

PostgreSQL: the server at 127.0.0.1:5432 (trust auth, database ``test``; override with
``HAECHI_TEST_PG_URL``). Each test run gets a fresh schema, dropped at the end; tables
are emptied between tests. Locally a missing server skips the PostgreSQL variants; with
``CI=true`` it fails, so CI can never pass without testing PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.settings import Settings

# Property tests judge inputs, not speed: on two cores shared with browser and PostgreSQL
# tests a slow example is load, not a finding, so no deadline and no "too slow" health check.
settings.register_profile("haechi", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("haechi")


PG_URL = os.environ.get("HAECHI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path(os.environ.get("HAECHI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a missing tool must never make CI green."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


# --- PostgreSQL --------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh schema in the test database, for this run only."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"haechi_test_{worker}_{uuid.uuid4().hex[:8]}"
    try:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _empty_tables(hc: Haechi) -> None:
    with hc.db.engine.begin() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version'"))]
        if names:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def _pg_migrated(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    hc = Haechi(Settings(database_url=pg_url, home=tmp_path_factory.mktemp("pg-home")))
    hc.close()
    return pg_url


def make_haechi(backend: str, home: Path, request: pytest.FixtureRequest, **settings: Any) -> Haechi:
    """A migrated, empty facade on ``backend`` ('sqlite' file, 'memory' or 'postgresql'),
    with further ``settings`` (SMTP server, webhook policy …)."""
    if backend == "postgresql":
        url = request.getfixturevalue("_pg_migrated")
        hc = Haechi(Settings(database_url=url, home=home, **settings))
        _empty_tables(hc)
        return hc
    if backend == "sqlite":
        return Haechi(Settings(home=home, **settings))
    return Haechi(Settings(memory=True, **settings))


# --- the facade ---------------------------------------------------------------
@pytest.fixture
def hc() -> Iterator[Haechi]:
    """An in-memory instance (SQLite) for tests that do not care about the backend."""
    instance = Haechi(memory=True)
    yield instance
    instance.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_hc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Haechi]:
    """The same test on a SQLite file and on PostgreSQL."""
    instance = make_haechi(request.param, tmp_path / "home", request)
    yield instance
    instance.close()


def _org_admin(hc: Haechi, slug: str, name: str) -> Actor:
    hc.accounts.create_org(slug, name)
    return hc.local_actor(slug)


@pytest.fixture
def actor(hc: Haechi) -> Actor:
    """Administrator of organisation ``acme`` on the memory instance."""
    return _org_admin(hc, "acme", "Acme Corp")


@pytest.fixture
def other_actor(hc: Haechi, actor: Actor) -> Actor:
    """Administrator of a second organisation, ``globex``."""
    return _org_admin(hc, "globex", "Globex")


def org_with_users(hc: Haechi, slug: str) -> dict[str, str]:
    """Create org ``slug`` with one user per role; returns {role: bearer token}."""
    admin = _org_admin(hc, slug, slug.title())
    tokens = {}
    for role in ("admin", "editor", "viewer", "auditor"):
        email = f"{role}@{slug}.example"
        hc.accounts.create_user(admin, email, role, None, role.title())  # token-only: no slow hashing
        tokens[role] = hc.accounts.create_token(admin, email)
    return tokens


def web_login(client, email: str, password: str, next_path: str = "/", **kwargs):  # type: ignore[no-untyped-def]
    """Sign in through the dashboard's form: fetch the login page for its CSRF token, then post."""
    import re

    page = client.get("/login", headers={"Accept": "text/html"})
    token = re.search(r'id="login-csrf" name="csrf_token" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": email, "password": password, "next": next_path,
                                       "csrf_token": token}, **kwargs)


@pytest.fixture
def api(hc: Haechi):  # type: ignore[no-untyped-def]
    """A TestClient with an admin bearer token of org ``acme`` (``api.tokens`` has all roles)."""
    from fastapi.testclient import TestClient

    from haechi.api import create_app

    tokens = org_with_users(hc, "acme")
    client = TestClient(create_app(hc=hc))
    client.headers["Authorization"] = f"Bearer {tokens['admin']}"
    client.tokens = tokens  # type: ignore[attr-defined]
    client.hc = hc  # type: ignore[attr-defined]
    yield client
    client.close()


# --- browser -----------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Module-scoped on purpose: Playwright's sync API keeps an event loop running on the
    main thread while it is open, which would break ``asyncio.run`` in later tests.
    """
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install 'haechi[dev]')")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory the CLI uses (HAECHI_HOME), SQLite by default."""
    home = tmp_path / "cli-home"
    monkeypatch.setenv("HAECHI_HOME", str(home))
    monkeypatch.delenv("HAECHI_DATABASE_URL", raising=False)
    monkeypatch.delenv("HAECHI_ORG", raising=False)
    yield home
    shutil.rmtree(home, ignore_errors=True)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):  # type: ignore[no-untyped-def]
        import json
        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[:500]!r}, err={self.err[:500]!r})"


@pytest.fixture
def cli(cli_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``haechi`` in-process: ``cli("systems", "list", stdin="...")`` → CliResult."""
    import io

    from haechi.cli.main import run

    def invoke(*args: str, stdin: str | None = None) -> CliResult:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            run(list(args))
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
