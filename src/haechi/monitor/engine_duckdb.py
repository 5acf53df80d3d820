"""The DuckDB engine (default): all metrics of all requested windows in a few passes.

Pass 1 groups the log once by window × every sensitive and categorical column and
counts what the metrics need (confusion cells, selections, non-null values, error
sums). Then one sorted pass per numeric feature, and one for (score, label), streams
the values of each window in order; drift and AUC are finished per window as the
stream goes by, so Python never holds more than one window of one column. Parquet
row groups outside the requested time range are skipped by DuckDB's filter pushdown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from haechi.domain.errors import Issue, ValidationFailed

from .aggregate import (
    LABEL,
    PRED,
    REFERENCE,
    SCORE,
    Layout,
    W,
    WindowStats,
    aggregate_specs,
    auc_stream,
    numeric_stream,
    rollup,
    sql_aggregate,
)
from .metrics.drift import NumericReference
from .sources import Source, check_columns, describe
from .windows import WindowGrid, from_micros, to_micros

BATCH_ROWS = 1 << 18


@dataclass
class EngineJob:
    """What to compute: the source, the windows, and whether the reference is needed."""

    source: Source
    layout: Layout
    grid: WindowGrid
    windows: list[int]
    reference_range: tuple[int, int] | None = None     # µs, when the reference is in the log
    reference_source: Source | None = None             # a separate reference log
    cached_reference: dict[str, NumericReference] | None = None   # numeric refs, when cached


@dataclass
class EngineResult:
    stats: dict[int, WindowStats]
    drift: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    references: dict[str, NumericReference] = field(default_factory=dict)
    auc: dict[int, float | None] = field(default_factory=dict)


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _time_literal(micros: int, column_type: str) -> str:
    moment = from_micros(micros)
    if column_type == "TIMESTAMP WITH TIME ZONE":
        return f"TIMESTAMPTZ '{moment.isoformat()}'"
    return f"TIMESTAMP '{moment.replace(tzinfo=None).isoformat()}'"


class DuckDBEngine:
    """Computes :class:`EngineJob`s with DuckDB; memory stays under ``memory_limit``."""

    name = "duckdb"

    def __init__(self, *, threads: int | None = None, memory_limit: str = "1GB",
                 temp_directory: str | None = None) -> None:
        config: dict[str, Any] = {"memory_limit": memory_limit, "preserve_insertion_order": False}
        if threads:
            config["threads"] = threads
        if temp_directory:
            config["temp_directory"] = temp_directory
        self.config = config

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config=self.config)
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        return con

    def run(self, job: EngineJob) -> EngineResult:
        """Compute every statistic of ``job`` (the reference too unless it is cached)."""
        con = self.connect()
        try:
            tagged = self._tagged(con, job)
            return self._compute(con, tagged, job)
        except duckdb.Error as exc:
            raise read_error(exc, job.source.label) from None
        finally:
            con.close()

    # --- SQL building ----------------------------------------------------------------------
    def _tagged(self, con: duckdb.DuckDBPyConnection, job: EngineJob) -> str:
        """The projection of the log into internal columns, tagged with the window index."""
        types = describe(con, job.source.sql, job.source.label)
        cols = job.layout.columns
        wanted = [(r, c) for r, c in (("timestamp", cols.timestamp), ("prediction", cols.prediction),
                                      ("label", cols.label), ("score", cols.score)) if c]
        wanted += [("sensitive", c) for c in cols.sensitive] + [("numeric", c) for c in cols.numeric]
        wanted += [("categorical", c) for c in cols.categorical]
        check_columns(types, wanted, job.source.label)
        ts_type = types[cols.timestamp]
        ts_us = _epoch_us(cols.timestamp, ts_type, job.source.label)
        origin, size = job.grid.origin_us, job.grid.size_us
        w_expr = f"CASE WHEN {ts_us} >= {origin} THEN ({ts_us} - {origin}) // {size} ELSE {REFERENCE} END"
        main = (f"SELECT {w_expr} AS {W}, {_values(job.layout, set(types))} "
                f"FROM ({job.source.sql}) AS src WHERE {self._where(job, ts_type, ts_us)}")
        wanted_windows = ", ".join(str(k) for k in [*job.windows, REFERENCE])
        tagged = f"SELECT * FROM ({main}) WHERE {W} IN ({wanted_windows})"
        if job.reference_source is not None and job.cached_reference is None:
            tagged += " UNION ALL " + self._reference_part(con, job)
        return tagged

    def _where(self, job: EngineJob, ts_type: str, ts_us: str) -> str:
        column = job.layout.columns.timestamp
        ranges = []
        if job.windows:
            lo = to_micros(job.grid.window(min(job.windows)).start)
            hi = to_micros(job.grid.window(max(job.windows)).end)
            ranges.append(_range(lo, hi, ts_type, column, ts_us))
        if job.reference_range and job.cached_reference is None and job.reference_source is None:
            ranges.append(_range(*job.reference_range, ts_type, column, ts_us))
        return " OR ".join(f"({r})" for r in ranges) if ranges else "false"

    def _reference_part(self, con: duckdb.DuckDBPyConnection, job: EngineJob) -> str:
        source = job.reference_source
        assert source is not None
        types = describe(con, source.sql, source.label)
        check_columns(types, [("numeric", c) for c in job.layout.columns.numeric]
                      + [("categorical", c) for c in job.layout.columns.categorical], source.label)
        return f"SELECT {REFERENCE} AS {W}, {_values(job.layout, set(types))} FROM ({source.sql}) AS ref"

    # --- passes ----------------------------------------------------------------------------
    def _compute(self, con: duckdb.DuckDBPyConnection, tagged: str, job: EngineJob) -> EngineResult:
        layout = job.layout
        aggs = ", ".join(f"{sql_aggregate(op, args)} AS {alias}" for alias, op, args in aggregate_specs(layout))
        keys = "".join(f", {k}" for k in layout.keys)
        combos = con.sql(f"WITH tagged AS ({tagged}) SELECT {W}{keys}, {aggs} FROM tagged "
                         f"GROUP BY {W}{keys}").to_arrow_table()
        result = EngineResult(rollup(combos, layout))
        skip_ref = f" AND {W} >= 0" if job.cached_reference is not None else ""
        for internal, _source_name in layout.numeric:
            stream = self._stream(con, f"WITH tagged AS ({tagged}) SELECT {W}, {internal} FROM tagged "
                                       f"WHERE {internal} IS NOT NULL{skip_ref} ORDER BY {W}, {internal}")
            cached = (job.cached_reference or {}).get(internal)
            ref, drift = numeric_stream(stream, cached)
            result.references[internal], result.drift[internal] = ref, drift
        if layout.task == "binary_classification" and layout.columns.score and layout.columns.label:
            result.auc = auc_stream(self._stream(
                con, f"WITH tagged AS ({tagged}) SELECT {W}, {SCORE}, {LABEL} FROM tagged WHERE {W} >= 0 "
                     f"AND {LABEL} IN (0, 1) AND {SCORE} IS NOT NULL ORDER BY {W}, {SCORE}"))
        return result

    def _stream(self, con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[pa.RecordBatch]:
        reader = con.sql(sql).to_arrow_reader(BATCH_ROWS)
        yield from reader


def _range(lo_us: int, hi_us: int, ts_type: str, column: str, ts_us: str) -> str:
    """A half-open time filter, on the raw column when its type lets DuckDB prune row groups."""
    if ts_type in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP"):
        return (f"{q(column)} >= {_time_literal(lo_us, ts_type)} AND "
                f"{q(column)} < {_time_literal(hi_us, ts_type)}")
    return f"{ts_us} >= {lo_us} AND {ts_us} < {hi_us}"


_TIME_TYPES = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S",
               "DATE", "VARCHAR")


def _epoch_us(column: str, column_type: str, label: str) -> str:
    """SQL for the column's instant in µs since the epoch (naive times are UTC)."""
    if column_type not in _TIME_TYPES:
        raise ValidationFailed(f"the timestamp column '{column}' of '{label}' has type {column_type}",
                               issues=[Issue("columns.timestamp", f"'{column}' is {column_type}, not a time",
                                             "map a timestamp column or ISO 8601 text such as 2026-01-08T09:30:00Z")],
                               message_ko=f"'{column}' 열이 시각 형식이 아닙니다")
    if column_type == "TIMESTAMP WITH TIME ZONE":
        return f"epoch_us({q(column)})"
    return f"epoch_us(CAST({q(column)} AS TIMESTAMPTZ))"


def _number(column: str | None, present: set[str]) -> str:
    if not column or column not in present:
        return "CAST(NULL AS DOUBLE)"
    return f"nullif(CAST({q(column)} AS DOUBLE), 'NaN'::DOUBLE)"


def _text(column: str, present: set[str]) -> str:
    return f"CAST({q(column)} AS VARCHAR)" if column in present else "CAST(NULL AS VARCHAR)"


def _values(layout: Layout, present: set[str]) -> str:
    cols = layout.columns
    parts = [f"{_number(cols.prediction, present)} AS {PRED}", f"{_number(cols.label, present)} AS {LABEL}",
             f"{_number(cols.score, present)} AS {SCORE}"]
    parts += [f"{_text(src, present)} AS {k}" for k, src in layout.sensitive + layout.categorical]
    parts += [f"{_number(src, present)} AS {k}" for k, src in layout.numeric]
    return ", ".join(parts)


def read_error(exc: duckdb.Error, label: str) -> ValidationFailed:
    first = str(exc).strip().splitlines()[0][:400]
    fix = "check the file (complete, one format, consistent columns)"
    if isinstance(exc, duckdb.ConversionException):
        fix = ("a mapped column holds values of the wrong type: prediction, label, score and numeric features "
               "must be numbers")
    return ValidationFailed(f"cannot compute metrics from '{label}': {first}", issues=[Issue("log", first, fix)],
                            message_ko=f"로그 '{label}'에서 지표를 계산할 수 없습니다")
