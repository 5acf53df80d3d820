"""The Spark engine: the same definitions as the DuckDB engine, for logs beyond one machine.

It reads the log's files (or the lake's Parquet files, joining late labels the way the
lake does), projects them into the same internal columns with Spark SQL, runs the very
same aggregate SQL (:func:`aggregate.sql_aggregate`) grouped by window × keys, and
collects each numeric feature sorted by window and value in slices of windows whose
row counts stay under ``rows_per_collect`` — so the driver holds one slice at a time.
Everything after that (roll-up, drift, AUC, JSON) is the shared code, which is why the
two engines agree; a CI test checks that they do.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pyarrow as pa

from haechi.domain.errors import Issue, MissingExtra, ValidationFailed

from .aggregate import (
    LABEL,
    PRED,
    REFERENCE,
    SCORE,
    VERSION,
    Layout,
    W,
    aggregate_specs,
    auc_stream,
    numeric_stream,
    rollup,
    sql_aggregate,
)
from .engine_duckdb import EngineJob, EngineResult, class_text, window_slices
from .sources import Source
from .windows import to_micros

ROWS_PER_COLLECT = 5_000_000


def _spark_session(master: str, conf: dict[str, str]) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtra("The Spark monitoring engine", "spark", "pyspark") from None
    builder = SparkSession.builder.master(master).appName("haechi-monitor")
    settings = {"spark.ui.enabled": "false", "spark.driver.host": "127.0.0.1",
                "spark.driver.bindAddress": "127.0.0.1", "spark.sql.shuffle.partitions": "4",
                "spark.sql.session.timeZone": "UTC", "spark.sql.execution.arrow.pyspark.enabled": "true",
                **conf}
    for key, value in settings.items():
        builder = builder.config(key, value)
    with _gateway_started_without_python_in_the_child():
        return builder.getOrCreate()


@contextmanager
def _gateway_started_without_python_in_the_child() -> Iterator[None]:
    """Start Spark's JVM gateway in its own process group instead of through a Python
    ``preexec_fn``.

    PySpark keeps Ctrl-C away from the JVM by running ``signal.signal`` in the forked child
    before ``exec``. Python code in a forked child is unsafe when other threads (DuckDB's,
    Arrow's) held allocator locks at the moment of the fork, and it crashed processes that
    had run a DuckDB monitor before starting Spark. A new process group keeps the terminal's
    Ctrl-C away just the same, and is set up by C code in the child.
    """
    from pyspark import java_gateway

    original = java_gateway.Popen

    def spawn(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        kwargs.pop("preexec_fn", None)
        return original(command, process_group=0, **kwargs)

    java_gateway.Popen = spawn  # type: ignore[misc, assignment]
    try:
        yield
    finally:
        java_gateway.Popen = original  # type: ignore[misc]


def q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class SparkEngine:
    """Computes :class:`EngineJob`s with PySpark (extra ``haechi[spark]``)."""

    name = "spark"

    def __init__(self, master: str = "local[2]", conf: dict[str, str] | None = None,
                 rows_per_collect: int = ROWS_PER_COLLECT) -> None:
        self.spark = _spark_session(master, conf or {})
        self.rows_per_collect = rows_per_collect

    @classmethod
    def from_env(cls) -> SparkEngine:
        """The engine the server and CLI use: ``HAECHI_SPARK_MASTER`` (``spark://host:7077``,
        ``yarn``, ``k8s://…``; default ``local[2]``) and ``HAECHI_SPARK_CONF`` (Spark settings
        as ``key=value`` pairs separated by ``;``, e.g. ``spark.executor.memory=4g``)."""
        conf = {}
        for pair in os.environ.get("HAECHI_SPARK_CONF", "").split(";"):
            key, sep, value = pair.partition("=")
            if not pair.strip():
                continue
            if not sep or not key.strip():
                raise ValidationFailed("HAECHI_SPARK_CONF is not a list of key=value settings", issues=[Issue(
                    "HAECHI_SPARK_CONF", f"'{pair.strip()[:80]}' has no '='",
                    "write e.g. spark.executor.memory=4g;spark.cores.max=16")],
                    key="monitor.haechi_spark_conf_not")
            conf[key.strip()] = value.strip()
        return cls(os.environ.get("HAECHI_SPARK_MASTER", "").strip() or "local[2]", conf)

    def run(self, job: EngineJob) -> EngineResult:
        """Compute every statistic of ``job`` (the reference too unless it is cached)."""
        from pyspark.errors import PySparkException

        try:
            tagged = self._tagged(job)
            return self._compute(tagged, job)
        except PySparkException as exc:
            first = str(exc).strip().splitlines()[0][:400]
            raise ValidationFailed(f"cannot compute metrics from '{job.source.label}': {first}",
                                   issues=[Issue("log", first, "check the files and the column types")],
                                   key="monitor.cannot_compute_metrics_from",
                                   values={"label": job.source.label}) from None

    # --- reading and projection ------------------------------------------------------------
    def _read(self, source: Source) -> Any:
        reader = self.spark.read
        # objects are read by the cluster's own S3 connector (hadoop-aws: s3a://, see docs/scale.md)
        def s3a(paths: list[str]) -> list[str]:
            return [("s3a://" + f[5:]) if f.startswith("s3://") else f for f in paths]

        source = replace(source, files=s3a(source.files), label_files=s3a(source.label_files))
        if source.fmt == "parquet":
            frame = reader.option("mergeSchema", "true").parquet(*source.files)
        elif source.fmt == "csv":
            frame = reader.csv(source.files, header=True, inferSchema=True)
        else:
            frame = reader.json(source.files)
        if source.label_files:
            frame = self._join_labels(frame, source.label_files)
        return frame

    def _join_labels(self, events: Any, label_files: list[str]) -> Any:
        """Latest late label by ``labeled_at`` (ties: larger value), else the event's own label."""
        self.spark.read.parquet(*label_files).createOrReplaceTempView("haechi_labels")
        events.createOrReplaceTempView("haechi_events")
        return self.spark.sql(
            "SELECT e.*, coalesce(l.late, e.label) AS __joined_label FROM haechi_events e LEFT JOIN "
            "(SELECT event_id, max_by(label, struct(labeled_at, label)) AS late FROM haechi_labels "
            "GROUP BY event_id) l ON e.event_id = l.event_id").drop("label").withColumnRenamed(
            "__joined_label", "label")

    def _tagged(self, job: EngineJob) -> Any:
        frame = self._read(job.source)
        frame.createOrReplaceTempView("haechi_src")
        present = set(frame.columns)
        cols = job.layout.columns
        ts_us = f"unix_micros(CAST({q(cols.timestamp)} AS TIMESTAMP))"
        origin, size = job.grid.origin_us, job.grid.size_us
        w_expr = f"CASE WHEN {ts_us} >= {origin} THEN ({ts_us} - {origin}) DIV {size} ELSE {REFERENCE} END"
        ranges = []
        if job.windows:
            lo, hi = job.grid.window(min(job.windows)).start, job.grid.window(max(job.windows)).end
            ranges.append(f"({ts_us} >= {to_micros(lo)} AND {ts_us} < {to_micros(hi)})")
        if job.reference_range and job.cached_reference is None and job.reference_source is None:
            ranges.append(f"({ts_us} >= {job.reference_range[0]} AND {ts_us} < {job.reference_range[1]})")
        where = " OR ".join(ranges) or "false"
        wanted = ", ".join(str(k) for k in [*job.windows, REFERENCE])
        tagged = self.spark.sql(f"SELECT * FROM (SELECT {w_expr} AS {W}, {_values(job.layout, present)} "
                                f"FROM haechi_src WHERE {where}) WHERE {W} IN ({wanted})")
        if job.version is not None:  # a DataFrame filter: no literal quoting rules to get wrong
            from pyspark.sql.functions import col, lit

            tagged = tagged.filter((col(W) == REFERENCE) | (col(VERSION) == lit(job.version)))
        if job.reference_source is not None and job.cached_reference is None:
            ref = self._read(job.reference_source)
            ref.createOrReplaceTempView("haechi_ref")
            tagged = tagged.unionByName(self.spark.sql(
                f"SELECT {REFERENCE} AS {W}, {_values(job.layout, set(ref.columns))} FROM haechi_ref"))
        tagged.createOrReplaceTempView("haechi_tagged")
        return tagged

    # --- passes ----------------------------------------------------------------------------
    def _compute(self, tagged: Any, job: EngineJob) -> EngineResult:
        layout = job.layout
        aggs = ", ".join(f"{sql_aggregate(op, args)} AS {alias}" for alias, op, args in aggregate_specs(layout))
        keys = "".join(f", {k}" for k in layout.combo_keys)
        combos = self.spark.sql(f"SELECT {W}{keys}, {aggs} FROM haechi_tagged GROUP BY {W}{keys}").toArrow()
        combos = combos.cast(_combo_schema(combos.schema))
        result = EngineResult(rollup(combos, layout))
        sizes = {w: s.n for w, s in result.stats.items()}
        windows = sorted(w for w in sizes if w != REFERENCE or job.cached_reference is None)
        for internal, _name in layout.numeric:
            batches = self._sorted(windows, sizes, f"{internal}", f"{internal} IS NOT NULL", [internal])
            ref, drift = numeric_stream(batches, (job.cached_reference or {}).get(internal))
            result.references[internal], result.drift[internal] = ref, drift
        if layout.task == "binary_classification" and layout.columns.score and layout.columns.label:
            scored = [w for w in windows if w >= 0]
            result.auc = auc_stream(self._sorted(scored, sizes, SCORE, f"{LABEL} IN (0, 1) AND {SCORE} IS NOT NULL",
                                                 [SCORE, LABEL]))
        return result

    def _sorted(self, windows: list[int], sizes: dict[int, int], order: str, where: str,
                columns: list[str]) -> Iterator[pa.RecordBatch]:
        """(window, values…) sorted by window then ``order``, collected a slice of windows at a time."""
        for group in window_slices(windows, sizes, self.rows_per_collect):
            listed = ", ".join(str(w) for w in group)
            table = self.spark.sql(f"SELECT {W}, {', '.join(columns)} FROM haechi_tagged WHERE {W} IN ({listed}) "
                                   f"AND {where} ORDER BY {W}, {order}").toArrow()
            yield from table.cast(_stream_schema(table.schema)).to_batches()


def _stream_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([pa.field(f.name, pa.int64() if f.name == W else pa.float64()) for f in schema])


def _combo_schema(schema: pa.Schema) -> pa.Schema:
    fields = []
    for f in schema:
        text = f.name.startswith(("__s", "__c")) or f.name in (PRED, LABEL, VERSION)  # keys, classes
        kind = pa.string() if text else pa.int64() if f.name == W else f.type
        fields.append(pa.field(f.name, kind))
    return pa.schema(fields)


def _number(column: str | None, present: set[str]) -> str:
    if not column or column not in present:
        return "CAST(NULL AS DOUBLE)"
    value = f"CAST({q(column)} AS DOUBLE)"
    return f"CASE WHEN isnan({value}) THEN NULL ELSE {value} END"


def _text(column: str, present: set[str]) -> str:
    return f"CAST({q(column)} AS STRING)" if column in present else "CAST(NULL AS STRING)"


def _class(column: str | None, present: set[str]) -> str:
    return class_text(column, present, q).replace("VARCHAR", "STRING")


def _values(layout: Layout, present: set[str]) -> str:
    cols = layout.columns
    target = _class if layout.multiclass else _number
    parts = [f"{target(cols.prediction, present)} AS {PRED}", f"{target(cols.label, present)} AS {LABEL}",
             f"{_number(cols.score, present)} AS {SCORE}"]
    parts += [f"{_text(src, present)} AS {k}" for k, src in layout.sensitive + layout.categorical]
    parts += [f"{_number(src, present)} AS {k}" for k, src in layout.numeric]
    if cols.model_version:
        parts.append(f"{_text(cols.model_version, present)} AS {VERSION}")
    return ", ".join(parts)

