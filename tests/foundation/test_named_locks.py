"""``hc.db.lock(name)``: one holder at a time across database handles (as across
processes), released on release, and — on PostgreSQL — private to the schema."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text

from haechi import Haechi
from haechi.store.db import Database
from tests.conftest import PG_URL


def test_one_holder_at_a_time_across_handles(db_hc: Haechi) -> None:
    other = Database(db_hc.db.url)  # another process's handle on the same database
    try:
        mine, theirs = db_hc.db.lock("job"), other.lock("job")
        assert mine.try_acquire() and mine.still_held()
        assert not theirs.try_acquire()
        assert not theirs.acquire(timeout=0.3)
        assert other.lock("another-job").try_acquire()
        mine.release()
        assert theirs.acquire(timeout=5)
        theirs.release()
    finally:
        other.dispose()


def test_postgresql_locks_are_private_to_the_schema(pg_url: str) -> None:
    schema = f"haechi_lock_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    first, same = Database(pg_url), Database(pg_url)
    second = Database(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    held, elsewhere = first.lock("server-leader"), second.lock("server-leader")
    try:
        assert held.try_acquire()
        assert elsewhere.try_acquire(), "another installation's lock blocked this one"
        assert not same.lock("server-leader").try_acquire()
    finally:
        held.release()
        elsewhere.release()
        for db in (first, same, second):
            db.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
