"""The database handle: engine set-up for SQLite and PostgreSQL, transactions, migrations.

Only this package talks to the database driver. Services get sessions from
:meth:`Database.transaction`, which commits on success and rolls back everything
(data and ledger entries alike) on any exception.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from haechi.domain.errors import Conflict

if TYPE_CHECKING:
    from alembic.config import Config

    from .locks import NamedLock

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_engine(url: str) -> Engine:
    memory = make_url(url).database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if memory:
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (see _on_begin) instead of pysqlite.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a transaction that reads the ledger
        # head and then appends can never be overtaken by another writer.
        read_only = conn.get_execution_options().get("haechi_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings each backend needs."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


#: SQLSTATEs of a transaction that lost a race and succeeds when simply run again.
_RETRYABLE_STATES = {"40P01": "deadlock", "40001": "serialization"}


def lost_race(exc: BaseException) -> str | None:
    """Why ``exc`` is a transaction that lost a race with a concurrent one, or ``None``.

    ``"deadlock"`` and ``"serialization"`` (PostgreSQL rolled it back to let the other
    one finish) succeed when the whole transaction runs again; ``"duplicate"`` (a unique
    key inserted meanwhile by another transaction) runs again into the check that
    answers it properly (a 409, or the stored row for idempotent writes). The caller
    re-runs the *whole* transaction: everything of the failed attempt was rolled back.
    """
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if state in _RETRYABLE_STATES:
        return _RETRYABLE_STATES[state]
    if isinstance(exc, IntegrityError) and (state == "23505" or "UNIQUE constraint failed" in str(exc.orig)):
        return "duplicate"
    return None


_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(.+)$", re.M)


@cache
def _chain() -> tuple[frozenset[str], frozenset[str]] | None:
    """Every revision and every parent named by the migration files, read from their text
    (no imports, so it is fast); ``None`` for a layout this reader does not know."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if found is None:
            return None
        revisions.add(found.group(1))
        down = _DOWN.search(text)
        if down is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions), frozenset(parents)


def migration_heads() -> frozenset[str]:
    """The head revision of the chain.

    A mistake here can only cause an unneeded Alembic run, never a skipped migration:
    a new migration file is always a head that the database does not list yet.
    """
    chain = _chain()
    return chain[0] - chain[1] if chain is not None else frozenset()  # unknown layout: let Alembic decide


#: The first revision of the chain.
INITIAL_REVISION = "0001_initial"

#: The heads of the per-capability branches that ``0001_initial`` replaced. A database
#: listing exactly these has the schema ``0001_initial`` creates, so it is stamped with it.
SQUASHED_HEADS = frozenset({
    "0002_rules", "0003_monitor", "0003l_monitor_lake", "0004l_ledger_checkpoint_numbers",
    "0005_transparency", "0006_esg", "0007b_report_files", "0008_security",
})


def _stamp_squashed_branches(connection: Connection) -> None:
    """Replace the former branch heads by ``0001_initial`` (same schema), in the caller's transaction.

    A database at revisions this release does not have (made by another release of
    Haechi) is refused with a clear message instead of Alembic's traceback.
    """
    if not inspect(connection).has_table("alembic_version"):
        return  # a new database
    applied = {row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")}
    if applied == SQUASHED_HEADS:
        connection.exec_driver_sql("DELETE FROM alembic_version")
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:rev)"),
                           {"rev": INITIAL_REVISION})
        return
    chain = _chain()
    if chain is not None and not applied <= chain[0]:
        found = ", ".join(sorted(applied))
        raise Conflict(
            f"The database's schema version ({found}) is not one this release of Haechi knows: "
            "it was made by another release. Open it with that release, or use a new data directory "
            "or database.",
            key="store.database_schema_version_not", values={"found": found})


class Database:
    """A governance database (SQLite file, in-memory SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # In-memory SQLite has one shared connection, which holds one transaction at a time:
        # sessions of different threads (a request and a background upkeep) take turns.
        memory = url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")
        self._turns = threading.RLock() if memory else contextlib.nullcontext()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self._readers = sessionmaker(
            self.engine.execution_options(haechi_read_only=True), expire_on_commit=False)

    def listen(self, name: str, fn: Callable[..., Any]) -> None:
        """Register a session event (e.g. ``after_commit``) on this database's write sessions."""
        event.listen(self._sessions, name, fn)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: commit on success, roll back on any error."""
        with self._turns:
            session = self._sessions()
            try:
                with session.begin():
                    yield session
            finally:
                session.close()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads; nothing is committed and no write lock is taken."""
        with self._turns:
            session = self._readers()
            try:
                yield session
            finally:
                session.rollback()
                session.close()

    def lock(self, name: str) -> NamedLock:
        """A lock named ``name`` shared by every process using this database (see ``locks``)."""
        from .locks import NamedLock

        return NamedLock(self, name)

    def alembic_config(self) -> Config:
        from alembic.config import Config  # Alembic loads only when a migration is needed

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest revision of the migration chain."""
        if self.schema_is_current():
            return  # the common case: skip loading Alembic and every table module
        from alembic import command

        config = self.alembic_config()
        with self.engine.connect() as connection:
            config.attributes["connection"] = connection
            _stamp_squashed_branches(connection)
            command.upgrade(config, "head")
            connection.commit()

    def schema_is_current(self) -> bool:
        """True when the database already sits at the migration head (cheap check)."""
        try:
            with self.engine.execution_options(haechi_read_only=True).connect() as connection:
                applied = {row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")}
        except SQLAlchemyError:
            return False  # a new database (no alembic_version yet)
        return applied == migration_heads()

    def dispose(self) -> None:
        self.engine.dispose()
