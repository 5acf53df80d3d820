"""The DuckDB engine (default): all metrics of all requested windows in a few passes.

Pass 1 groups the log once by window × every sensitive and categorical column and
counts what the metrics need (confusion cells, selections, non-null values, error
sums). Then one sorted pass per numeric feature, and one for (score, label), streams
the values of each window in order; drift and AUC are finished per window as the
stream goes by, so Python never holds more than one window of one column. Parquet
row groups outside the requested time range are skipped by DuckDB's filter pushdown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import duckdb

from haechi.domain.errors import Issue, ValidationFailed

from .aggregate import (
    LABEL,
    PRED,
    REFERENCE,
    SCORE,
    VERSION,
    Layout,
    W,
    WindowStats,
    aggregate_specs,
    rollup,
    sorted_values,
    sql_aggregate,
    table_windows,
    window_auc,
)
from .metrics.drift import NumericReference, numeric_drift
from .object_store import attach
from .sources import Source, UnreadableLog, check_columns, describe, hide_paths, sql_string
from .windows import WindowGrid, from_micros, to_micros

BATCH_ROWS = 1 << 18
ROWS_PER_SLICE = 1_000_000


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
    version: str | None = None     # only the windows' rows of this model version (the reference whole)


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
                 temp_directory: str | None = None, rows_per_slice: int = ROWS_PER_SLICE) -> None:
        self.rows_per_slice = rows_per_slice
        self.workers = threads or os.cpu_count() or 2
        config: dict[str, Any] = {"memory_limit": memory_limit, "preserve_insertion_order": False}
        if threads:
            config["threads"] = threads
        if temp_directory:
            config["temp_directory"] = temp_directory
        self.config = config

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config=self.config)
        attach(con)   # logs on object storage, read as Arrow datasets
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        return con

    def run(self, job: EngineJob) -> EngineResult:
        """Compute every statistic of ``job`` (the reference too unless it is cached)."""
        con = self.connect()
        try:
            projection = self._projection(con, job)
            return self._compute(con, projection, job)
        except duckdb.Error as exc:
            raise read_error(exc, job.source.label) from None
        finally:
            con.close()

    # --- SQL building ----------------------------------------------------------------------
    def _projection(self, con: duckdb.DuckDBPyConnection, job: EngineJob) -> _Projection:
        """Check the mapped columns once and prepare the SQL pieces every pass reuses."""
        types = describe(con, job.source.sql, job.source.label)
        cols = job.layout.columns
        wanted = [(r, c) for r, c in (("timestamp", cols.timestamp), ("prediction", cols.prediction),
                                      ("label", cols.label), ("score", cols.score)) if c]
        wanted += [("sensitive", c) for c in cols.sensitive] + [("numeric", c) for c in cols.numeric]
        wanted += [("categorical", c) for c in cols.categorical]
        wanted += [("model_version", cols.model_version)] if cols.model_version else []
        check_columns(types, wanted, job.source.label)
        ts_type = types[cols.timestamp]
        ts_us = _epoch_us(cols.timestamp, ts_type, job.source.label)
        origin, size = job.grid.origin_us, job.grid.size_us
        w_expr = f"CASE WHEN {ts_us} >= {origin} THEN ({ts_us} - {origin}) // {size} ELSE {REFERENCE} END"
        reference = None
        if job.reference_source is not None and job.cached_reference is None:
            reference = self._reference_part(con, job)
        return _Projection(ts_type, ts_us, w_expr, _values(job.layout, set(types)), reference)

    def _tagged(self, job: EngineJob, p: _Projection, windows: list[int], reference: bool) -> str:
        """Rows of ``windows`` (and of the reference when asked) tagged with their window index."""
        column = job.layout.columns.timestamp
        ranges = []
        if windows:
            lo = to_micros(job.grid.window(min(windows)).start)
            hi = to_micros(job.grid.window(max(windows)).end)
            ranges.append(_range(lo, hi, p.ts_type, column, p.ts_us))
        if reference and job.reference_range and job.reference_source is None:
            ranges.append(_range(*job.reference_range, p.ts_type, column, p.ts_us))
        where = " OR ".join(f"({r})" for r in ranges) if ranges else "false"
        wanted = ", ".join(str(k) for k in [*windows, *([REFERENCE] if reference else [])]) or "NULL"
        main = f"SELECT {p.w_expr} AS {W}, {p.values} FROM ({job.source.sql}) AS src WHERE {where}"
        tagged = f"SELECT * FROM ({main}) WHERE {W} IN ({wanted})"
        if job.version is not None:
            tagged += f" AND ({W} = {REFERENCE} OR {VERSION} = {sql_string(job.version)})"
        if reference and p.reference is not None:
            tagged += " UNION ALL " + p.reference
        return tagged

    def _reference_part(self, con: duckdb.DuckDBPyConnection, job: EngineJob) -> str:
        source = job.reference_source
        assert source is not None
        types = describe(con, source.sql, source.label)
        check_columns(types, [("numeric", c) for c in job.layout.columns.numeric]
                      + [("categorical", c) for c in job.layout.columns.categorical], source.label)
        return f"SELECT {REFERENCE} AS {W}, {_values(job.layout, set(types))} FROM ({source.sql}) AS ref"

    # --- passes ----------------------------------------------------------------------------
    def _compute(self, con: duckdb.DuckDBPyConnection, p: _Projection, job: EngineJob) -> EngineResult:
        layout = job.layout
        aggs = ", ".join(f"{sql_aggregate(op, args)} AS {alias}" for alias, op, args in aggregate_specs(layout))
        keys = "".join(f", {k}" for k in layout.combo_keys)
        tagged = self._tagged(job, p, job.windows, job.cached_reference is None)
        # NumPy releases the GIL in sorts and searches: the pool works while DuckDB reads
        with ThreadPoolExecutor(self.workers) as pool:
            references = self._reference_summaries(con, p, job, pool)  # built during the aggregate pass
            combos = con.sql(f"WITH tagged AS ({tagged}) SELECT {W}{keys}, {aggs} FROM tagged "
                             f"GROUP BY {W}{keys}").to_arrow_table()
            result = EngineResult(rollup(combos, layout, con))
            result.references = {k: f.result() if isinstance(f, Future) else f for k, f in references.items()}
            self._values_pass(con, p, job, result, pool)
        return result

    @staticmethod
    def _streamed(job: EngineJob) -> tuple[list[str], bool]:
        """The numeric features, and whether (score, label) are streamed for the AUC."""
        layout = job.layout
        auc = layout.task == "binary_classification" and bool(layout.columns.score and layout.columns.label)
        return [k for k, _ in layout.numeric], auc

    def _reference_summaries(self, con: duckdb.DuckDBPyConnection, p: _Projection, job: EngineJob,
                             pool: ThreadPoolExecutor) -> dict[str, Any]:
        """Numeric reference summaries: the cached ones, or futures of new ones."""
        numeric, _ = self._streamed(job)
        if job.cached_reference is not None or not numeric:
            return dict(job.cached_reference or {})
        table = con.sql(f"WITH tagged AS ({self._tagged(job, p, [], True)}) "
                        f"SELECT {', '.join(numeric)} FROM tagged").to_arrow_table()
        return {k: pool.submit(_summary, table.column(k)) for k in numeric}

    def _values_pass(self, con: duckdb.DuckDBPyConnection, p: _Projection, job: EngineJob,
                     result: EngineResult, pool: ThreadPoolExecutor) -> None:
        """Second pass: each window's numeric values (and scores) in turn, sorted in NumPy.

        A slice of contiguous windows per query, so DuckDB prunes row groups by time and
        memory stays bounded; the rows come unordered and NumPy groups them by window.
        DuckDB reads the next slice while the pool still works on the previous one, so at
        most two slices are held.
        """
        numeric, auc = self._streamed(job)
        columns = numeric + ([SCORE, LABEL] if auc else [])
        if not columns:
            return
        refs = result.references
        result.drift = {k: {} for k in numeric}
        sizes = {w: s.n for w, s in result.stats.items()}
        select = ", ".join(columns)
        previous: list[tuple[str, int, Future[Any]]] = []
        for group in window_slices([w for w in job.windows if sizes.get(w)], sizes, self.rows_per_slice):
            sql = f"WITH tagged AS ({self._tagged(job, p, group, False)}) SELECT {W}, {select} FROM tagged"
            current: list[tuple[str, int, Future[Any]]] = []
            for window, arrays in table_windows(con.sql(sql).to_arrow_table()):
                for key, column in zip(numeric, arrays, strict=False):
                    current.append((key, window, pool.submit(_drift, refs[key], column)))
                if auc:
                    current.append((AUC_JOB, window, pool.submit(window_auc, arrays[-2], arrays[-1])))
            self._collect(previous, result)
            previous = current
        self._collect(previous, result)

    @staticmethod
    def _collect(pending: list[tuple[str, int, Future[Any]]], result: EngineResult) -> None:
        """Wait for a slice's jobs and file the results."""
        for key, window, future in pending:
            if key == AUC_JOB:
                result.auc[window] = future.result()
            else:
                result.drift[key][window] = future.result()


AUC_JOB = "__auc"


def _drift(reference: NumericReference, column: Any) -> dict[str, Any]:
    return numeric_drift(reference, sorted_values(column))


def _summary(column: Any) -> NumericReference:
    return NumericReference.from_sorted(sorted_values(column))


@dataclass(frozen=True)
class _Projection:
    ts_type: str
    ts_us: str
    w_expr: str
    values: str
    reference: str | None


def window_slices(windows: list[int], sizes: dict[int, int], budget: int) -> Iterator[list[int]]:
    """Contiguous runs of windows, in order, holding at most ``budget`` rows (one window may
    exceed it). The Spark engine slices its collects the same way."""
    group: list[int] = []
    rows = 0
    for window in sorted(windows):
        if group and rows + sizes.get(window, 0) > budget:
            yield group
            group, rows = [], 0
        group.append(window)
        rows += sizes.get(window, 0)
    if group:
        yield group


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
                               key="monitor.timestamp_column_has_type", values={"column": column})
    if column_type == "TIMESTAMP WITH TIME ZONE":
        return f"epoch_us({q(column)})"
    return f"epoch_us(CAST({q(column)} AS TIMESTAMPTZ))"


def _number(column: str | None, present: set[str]) -> str:
    if not column or column not in present:
        return "CAST(NULL AS DOUBLE)"
    return f"nullif(CAST({q(column)} AS DOUBLE), 'NaN'::DOUBLE)"


def _text(column: str, present: set[str]) -> str:
    return f"CAST({q(column)} AS VARCHAR)" if column in present else "CAST(NULL AS VARCHAR)"


def class_text(column: str | None, present: set[str], quote: Any = q) -> str:
    """A class name as text: whole numbers without a decimal part (``2.0`` and ``2`` are one
    class), other numbers as written, text as it is; NaN is null. Plain SQL that DuckDB and
    Spark read alike, so both engines name the classes the same."""
    if not column or column not in present:
        return "CAST(NULL AS VARCHAR)"
    value, number = quote(column), f"try_cast({quote(column)} AS DOUBLE)"
    return (f"CASE WHEN {value} IS NULL THEN NULL WHEN {number} IS NULL THEN CAST({value} AS VARCHAR) "
            f"WHEN isnan({number}) THEN NULL WHEN {number} = floor({number}) AND abs({number}) < 1e15 "
            f"THEN CAST(CAST({number} AS BIGINT) AS VARCHAR) ELSE CAST({number} AS VARCHAR) END")


def _values(layout: Layout, present: set[str]) -> str:
    cols = layout.columns
    target = class_text if layout.multiclass else _number
    parts = [f"{target(cols.prediction, present)} AS {PRED}", f"{target(cols.label, present)} AS {LABEL}",
             f"{_number(cols.score, present)} AS {SCORE}"]
    parts += [f"{_text(src, present)} AS {k}" for k, src in layout.sensitive + layout.categorical]
    parts += [f"{_number(src, present)} AS {k}" for k, src in layout.numeric]
    if cols.model_version:
        parts.append(f"{_text(cols.model_version, present)} AS {VERSION}")
    return ", ".join(parts)


def read_error(exc: duckdb.Error, label: str) -> UnreadableLog:
    first = hide_paths(str(exc).strip().splitlines()[0])[:400]
    fix = "check the file (complete, one format, consistent columns)"
    if isinstance(exc, duckdb.ConversionException):
        fix = ("a mapped column holds values of the wrong type: prediction, label, score and numeric features "
               "must be numbers")
    return UnreadableLog(f"cannot compute metrics from '{label}': {first}", issues=[Issue("log", first, fix)],
                         key="monitor.cannot_compute_metrics_from", values={"label": label})
