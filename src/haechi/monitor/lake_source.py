"""Reading the lake: :class:`LakeSource`, the one thing metric engines consume.

A source is plain SQL text over an explicit list of live Parquet files, so DuckDB can
prune row groups by timestamp and read only the columns a query touches. Files are
immutable, so their column sets are cached by path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow.parquet as pq

from .lake_dedup import connection
from .lake_schema import CORE_COLUMNS, duckdb_type

if TYPE_CHECKING:
    from .lake import SystemLake

TimeBound = dt.datetime | dt.date | None

_CORE_TYPES = {
    "event_id": "VARCHAR",
    "timestamp": "TIMESTAMPTZ",
    "prediction": "DOUBLE",
    "score": "DOUBLE",
    "label": "DOUBLE",
    "ingested_at": "TIMESTAMPTZ",
}


def to_utc(value: TimeBound) -> dt.datetime | None:
    """A bound as an aware UTC datetime; dates mean midnight UTC, naive times mean UTC."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def day_range(start: TimeBound, end: TimeBound) -> tuple[dt.date, dt.date]:
    """The UTC days a half-open ``[start, end)`` touches (unbounded sides stay open)."""
    lo, hi = to_utc(start), to_utc(end)
    first = lo.date() if lo else dt.date.min
    last = (hi - dt.timedelta(microseconds=1)).date() if hi else dt.date.max
    return first, last


@lru_cache(maxsize=65536)
def file_columns(path: str) -> frozenset[str]:
    return frozenset(pq.read_schema(path).names)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: dt.datetime) -> str:
    return f"TIMESTAMPTZ '{value.isoformat()}'"


@dataclass(frozen=True)
class LakeSource:
    """One system's events as DuckDB SQL: deduplicated, late labels joined, time-filtered."""

    sql: str
    columns: dict[str, Any]
    files: list[str]
    label_files: list[str]
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    fingerprints: dict[dt.date, str] = field(default_factory=dict)

    def register(self, con: duckdb.DuckDBPyConnection, name: str = "events") -> None:
        """Create (or replace) a view ``name`` over this source on ``con``."""
        con.execute(f"CREATE OR REPLACE VIEW {quote(name)} AS {self.sql}")

    def scalar(self, template: str) -> Any:
        """Run ``template`` (with ``{sql}`` standing for the source) and return one value."""
        rows = _connection().execute(template.format(sql=self.sql)).fetchall()
        return rows[0][0] if rows else None

    def arrow(self) -> Any:
        """All rows as a ``pyarrow.Table`` (small sources and tests only)."""
        return _connection().sql(self.sql).to_arrow_table()

    def day_fingerprints(self) -> dict[dt.date, str]:
        """Per UTC day: a digest of its live event files and of all label files."""
        return dict(self.fingerprints)


def _connection() -> duckdb.DuckDBPyConnection:
    """The thread's connection, with the object-store lake's datasets readable."""
    from .object_store import attach

    con = connection()
    attach(con)
    return con


def _select_list(columns_present: set[str], registry: dict[str, str], labelled: bool) -> str:
    parts = []
    for name in CORE_COLUMNS:
        if name == "label" and labelled:
            # Latest late label wins; else the label that came with the event.
            parts.append("coalesce(l.label, e.label) AS label")
        elif name in columns_present:
            parts.append(f"e.{quote(name)}")
        else:
            parts.append(f"CAST(NULL AS {_CORE_TYPES[name]}) AS {quote(name)}")
    for name, role in sorted(registry.items()):
        kind = duckdb_type(role)  # type: ignore[arg-type]
        expr = f"e.{quote(name)}" if name in columns_present else "NULL"
        parts.append(f"CAST({expr} AS {kind}) AS {quote(name)}")
    return ", ".join(parts)


def _where(start: dt.datetime | None, end: dt.datetime | None) -> str:
    clauses = []
    if start:
        clauses.append(f'e."timestamp" >= {_literal(start)}')
    if end:
        clauses.append(f'e."timestamp" < {_literal(end)}')
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


LABEL_JOIN = (
    " LEFT JOIN (SELECT event_id, arg_max(label, struct_pack(t := labeled_at, v := label))"
    " AS label FROM {files} GROUP BY event_id) l ON e.event_id = l.event_id"
)


def _fingerprints(events: list[str], labels: list[str]) -> dict[dt.date, str]:
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for path in events:
        by_day[dt.date.fromisoformat(Path(path).parent.name[len("date=") :])].append(
            Path(path).name
        )
    label_part = ",".join(sorted(Path(p).name for p in labels))
    return {
        day: hashlib.sha256((",".join(sorted(names)) + "|" + label_part).encode()).hexdigest()
        for day, names in by_day.items()
    }


def build_source(
    sl: SystemLake, events: list[str], labels: list[str], start: TimeBound, end: TimeBound
) -> LakeSource:
    """The :class:`LakeSource` of ``events`` joined with ``labels``."""
    registry = sl.registry()
    roles = dict(registry.columns)
    lo, hi = to_utc(start), to_utc(end)
    present: set[str] = set()
    for path in events:
        present |= sl.file_columns(path)
    labelled = bool(labels) and bool(events)
    select = _select_list(present, roles, labelled)  # type: ignore[arg-type]
    if events:
        sql = f"SELECT {select} FROM {sl.scan(events)} e"
        if labelled:
            sql += LABEL_JOIN.format(files=sl.scan(labels))
        sql += _where(lo, hi)
    else:
        sql = f"SELECT {select} FROM (SELECT 1) e WHERE false"
    return LakeSource(
        sql,
        registry.mapping(),
        events,
        labels if labelled else [],
        lo,
        hi,
        _fingerprints(events, labels),
    )
