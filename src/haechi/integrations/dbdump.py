"""A database as portable JSON lines: one file per table, read in one consistent snapshot.

The same dump loads into SQLite or PostgreSQL, so it serves backups of either backend
and the move from SQLite to PostgreSQL. Values are written by column type (dates and
times as ISO text, bytes as base64, JSON columns as JSON) and read back by the same
type, so nothing depends on guessing what a string was.

Consistency: SQLite is first copied with its online backup API (a point-in-time copy
that writers never wait for) and dumped from the copy; PostgreSQL is read in one
``REPEATABLE READ READ ONLY`` transaction, which sees one snapshot for every table.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.types import JSON, Date, DateTime, LargeBinary, Numeric, TypeDecorator, TypeEngine

from haechi.store.db import make_engine

#: Rows fetched and written per batch: memory stays bounded for any table size.
BATCH = 2000


def metadata() -> MetaData:
    """Every table the product declares (the dump's table list and column types)."""
    import haechi.store.all_tables  # noqa: F401 - registers every table module
    from haechi.store.tables import Base

    return Base.metadata


def _kind(column_type: TypeEngine[Any]) -> str:
    impl = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    for kind, types in (("datetime", DateTime), ("date", Date), ("bytes", LargeBinary), ("json", JSON),
                        ("decimal", Numeric)):
        if isinstance(impl, types) or isinstance(column_type, types):
            return kind
    if column_type.__class__.__name__.lower().startswith("json"):
        return "json"
    return "plain"


def column_kinds(table: Table) -> dict[str, str]:
    return {c.name: _kind(c.type) for c in table.columns}


def encode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("datetime", "date") and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def decode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    return value


@contextmanager
def snapshot(url: str) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database at ``url``."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if not database or database == ":memory:":
            raise ValueError("an in-memory database cannot be backed up from another process")
        with tempfile.TemporaryDirectory(prefix="haechi-snapshot-") as folder:
            copy = Path(folder) / "snapshot.db"
            source, target = sqlite3.connect(database), sqlite3.connect(copy)
            try:
                source.backup(target)  # the online backup API: a consistent copy while others write
            finally:
                source.close()
                target.close()
            engine = create_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as connection:
                    yield connection
            finally:
                engine.dispose()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as plain:
            connection = plain.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield connection
    finally:
        engine.dispose()


def alembic_revision(connection: Connection) -> str:
    return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def dump_table(connection: Connection, table: Table, out: IO[bytes]) -> int:
    """Write ``table``'s rows as JSON lines ordered by primary key; returns the row count."""
    kinds = column_kinds(table)
    order = list(table.primary_key.columns) or list(table.columns)
    rows = 0
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*order))
    for row in result.mappings():
        record = {name: encode(row[name], kind) for name, kind in kinds.items()}
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        rows += 1
    return rows


def load_table(connection: Connection, table: Table, lines: IO[bytes], name: str) -> int:
    """Insert the JSON lines of ``lines`` into ``table`` in batches; returns the row count."""
    kinds = column_kinds(table)
    batch: list[dict[str, Any]] = []
    rows = 0
    for number, raw in enumerate(lines, start=1):
        try:
            record = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"{name} line {number}: not JSON ({exc})") from None
        unknown = set(record) - set(kinds)
        if not isinstance(record, dict) or unknown:
            raise ValueError(f"{name} line {number}: columns {sorted(unknown)} are not in table {table.name}")
        batch.append({k: decode(v, kinds[k]) for k, v in record.items()})
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            rows += len(batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
        rows += len(batch)
    return rows


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per declared table (the check after a move)."""
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
            for t in metadata().sorted_tables}


def reset_sequences(connection: Connection) -> None:
    """After explicit ids were inserted, PostgreSQL's id sequences continue after the largest."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata().sorted_tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
            if sequence:
                connection.execute(text(f"SELECT setval('{sequence}', COALESCE((SELECT MAX(\"{column.name}\") "
                                        f"FROM \"{table.name}\"), 0) + 1, false)"))


def non_empty_tables(engine: Engine) -> list[str]:
    """Declared tables of ``engine``'s database that hold rows (an empty or new database: none)."""
    from sqlalchemy import inspect

    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return [t.name for t in metadata().sorted_tables if t.name in existing
                and connection.execute(select(func.count()).select_from(t)).scalar_one()]
