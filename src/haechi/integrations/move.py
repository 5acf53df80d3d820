"""``haechi migrate-store``: move a workspace's database (SQLite to PostgreSQL, or any to any).

The source is read in one consistent snapshot, the target (which must be empty) gets the
schema at the source's revision, every table is copied in one transaction, and the
schema is brought to this release's head. Then the move is checked on the other side:
row counts per table equal (here), and each organisation's ledger chain verified there
against the checkpoint log of the data directory (by the command, which opens the moved
workspace). Files (keys, logs, evidence, lake) stay where
they are; only the database moves.
"""

from __future__ import annotations

import tempfile
from typing import Any

from sqlalchemy.engine import make_url

from haechi.domain.errors import Conflict, Issue, ValidationFailed
from haechi.settings import Settings
from haechi.store.db import Database

from . import dbdump


def _target_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.get_backend_name() not in ("postgresql", "sqlite"):
        raise ValidationFailed(f"--to {url!r} is not a database URL",
                               issues=[Issue("--to", "not a PostgreSQL or SQLite URL",
                                             "give e.g. postgresql://user@host:5432/haechi")],
                               key="integrations.not_database_url", values={"url": url})
    return url


def move(settings: Settings, target_url: str) -> dict[str, Any]:
    """Copy the workspace database of ``settings`` into the empty database at ``target_url``."""
    source_url = settings.resolved_database_url()
    target_url = _target_url(target_url)
    if make_url(target_url) == make_url(source_url):
        raise Conflict("the target is the workspace's own database", key="integrations.target_workspace_own_database")
    target = Database(target_url)
    try:
        if dbdump.non_empty_tables(target.engine):
            raise Conflict("the target database already holds data: move into an empty database",
                           key="integrations.target_database_already_holds")
        with dbdump.snapshot(source_url) as source:
            revision = dbdump.alembic_revision(source)
            counts = _copy(source, target, revision)
        target.migrate()
        with target.engine.connect() as connection:
            moved = dbdump.row_counts(connection)
    finally:
        target.dispose()
    differing = {t: (counts[t], moved.get(t)) for t in counts if counts[t] != moved.get(t)}
    if differing:
        raise Conflict(f"row counts differ after the move: {differing}", key="integrations.row_counts_differ_after",
                       values={"differing": differing})
    return {"from": _masked(source_url), "to": _masked(target_url), "tables": counts,
            "rows": sum(counts.values())}


def _copy(source: Any, target: Database, revision: str) -> dict[str, int]:
    from alembic import command

    config = target.alembic_config()
    with target.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    counts: dict[str, int] = {}
    with target.engine.begin() as connection:
        for table in dbdump.metadata().sorted_tables:
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
                counts[table.name] = dbdump.dump_table(source, table, spool)
                spool.seek(0)
                dbdump.load_table(connection, table, spool, table.name)
        dbdump.reset_sequences(connection)
    return counts


def _masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
