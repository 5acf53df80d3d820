"""Named locks shared by every process that uses the same database.

They serialise work that must not run twice at once — two runs of one monitor, the
periodic work of ``haechi serve`` with several workers — without holding a database
transaction open for minutes (on SQLite that would block every other writer).

* PostgreSQL: a session advisory lock on a connection of its own; the server releases
  it when that connection or the whole process dies, so a crashed holder never blocks
  the others.
* SQLite file: ``flock`` on a file beside the database (SQLite is local to one machine);
  the operating system releases it when the process dies.
* In-memory SQLite: a lock of this process (the database lives only here).
"""

from __future__ import annotations

import os
import re
import threading
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: fall back to locks of this process
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .db import Database

_LOCAL: weakref.WeakKeyDictionary[Database, dict[str, threading.Lock]] = weakref.WeakKeyDictionary()
_LOCAL_GUARD = threading.Lock()


class NamedLock:
    """One named lock of a database; not re-entrant, one holder at a time."""

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self._held: Any = None  # the connection, file descriptor or local lock while held

    @property
    def held(self) -> bool:
        return self._held is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self._held is not None:
            return True
        self._held = self._take()
        return self._held is not None

    def acquire(self, timeout: float, poll: float = 0.2) -> bool:
        """Wait up to ``timeout`` seconds for the lock; False if it stayed taken."""
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))
        return True

    def still_held(self) -> bool:
        """False when a PostgreSQL holder lost its connection (and with it the lock)."""
        if self._held is None:
            return False
        if self.db.dialect != "postgresql":
            return True
        try:
            self._held.execute(text("SELECT 1"))
        except SQLAlchemyError:
            self._held = None
            return False
        return True

    def release(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        if self.db.dialect == "postgresql":
            try:
                held.execute(text(f"SELECT pg_advisory_unlock({_PG_KEY})"), {"name": self.name})
            except SQLAlchemyError:
                held.invalidate()  # the session is gone, and its lock with it
            finally:
                held.close()
        elif isinstance(held, int):
            os.close(held)  # closing the descriptor releases the flock
        else:
            held.release()

    def __enter__(self) -> NamedLock:
        if not self.acquire(timeout=365 * 24 * 3600):
            raise TimeoutError(self.name)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # --- one backend each ------------------------------------------------------------
    def _take(self) -> Any:
        if self.db.dialect == "postgresql":
            return self._take_advisory()
        path = _lock_file(self.db.url, self.name)
        if path is None or fcntl is None:
            lock = _local_lock(self.db, self.name)
            return lock if lock.acquire(blocking=False) else None
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        return fd

    def _take_advisory(self) -> Any:
        connection = self.db.engine.connect()
        try:
            connection.execution_options(isolation_level="AUTOCOMMIT")  # no transaction left open
            taken = connection.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEY})"), {"name": self.name}).scalar()
        except BaseException:
            connection.close()
            raise
        if taken:
            return connection
        connection.close()
        return None


#: The advisory-lock key of ``:name``: advisory locks are shared by the whole PostgreSQL
#: cluster, so the key also names the database and schema — two Haechi installations in
#: one server (or two test runs) never take each other's locks.
_PG_KEY = "hashtextextended('haechi/' || current_database() || '/' || current_schema() || '/' || :name, 0)"


def _lock_file(url: str, name: str) -> Path | None:
    """``<database>.locks/<name>.lock`` for a SQLite file, None for an in-memory database."""
    database = make_url(url).database
    if database in (None, "", ":memory:"):
        return None
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return Path(database).with_name(Path(database).name + ".locks") / f"{safe}.lock"


def _local_lock(db: Database, name: str) -> threading.Lock:
    with _LOCAL_GUARD:
        return _LOCAL.setdefault(db, {}).setdefault(name, threading.Lock())
