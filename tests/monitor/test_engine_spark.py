"""The Spark engine computes the same numbers as the DuckDB engine (local mode; the
standalone cluster is in ``test_engine_spark_cluster.py``)."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi.monitor.engine_duckdb import DuckDBEngine
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_engine() -> Iterator[Any]:
    from tests.conftest import unavailable

    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install 'haechi[spark]')")
    if shutil.which("java") is None:
        unavailable("Java is not installed (Spark needs a JRE)")
    from haechi.monitor.engine_spark import SparkEngine

    engine = SparkEngine("local[2]", rows_per_collect=4000)  # two slices: exercises the slicing
    yield engine
    engine.spark.stop()


def same(a: Any, b: Any, path: str = "") -> None:
    """Equal structures; floats within 1e-12 relative (sums may run in another order)."""
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("task", ["binary_classification", "multiclass_classification", "regression"])
def test_spark_equals_duckdb(tmp_path: Path, spark_engine: Any, task: str) -> None:
    log = write_log(make_log(task=task, seed=5), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, task, extra="thresholds:\n  psi: {max: 0.1}\n"))
    duck = run_spec(spec, engine=DuckDBEngine())
    spark = run_spec(spec, engine=spark_engine)
    assert spark["run"]["engine"] == "spark"
    same(duck["windows"], spark["windows"])
    same(duck["reference"], spark["reference"])
    same(duck["alerts"], spark["alerts"])


def test_spark_reads_csv_and_reuses_a_cached_reference(tmp_path: Path, spark_engine: Any) -> None:
    frame = make_log(seed=8)
    log = write_log(frame, tmp_path / "log.csv", "csv")
    spec = load_spec(write_spec(tmp_path, log))
    duck = run_spec(spec, engine=DuckDBEngine(), reference_dir=tmp_path / "refs")
    spark = run_spec(spec, engine=spark_engine, reference_dir=tmp_path / "refs")  # reference from the cache
    same(duck["windows"], spark["windows"])



def test_spark_breaks_windows_down_per_model_version(tmp_path: Path, spark_engine: Any) -> None:
    from metrics_logs import versioned_log

    path = write_spec(tmp_path, write_log(versioned_log(), tmp_path / "log.parquet"))
    path.write_text(path.read_text().replace("  categorical: [c0, c1]\n",
                                             "  categorical: [c0, c1]\n  model_version: model_version\n").replace(
        "end: 2026-01-06}", "end: 2026-01-06, reset_on_version_change: true}"))
    spec = load_spec(path)
    duck, spark = run_spec(spec, engine=DuckDBEngine()), run_spec(spec, engine=spark_engine)
    assert {v for w in spark["windows"] for v in w["versions"]} == {"v1", "v2"} and len(spark["references"]) == 2
    same(duck["windows"], spark["windows"])
    same(duck["references"], spark["references"])


def test_the_jvm_gateway_starts_in_its_own_process_group(spark_engine: Any) -> None:
    """No Python runs in the forked child (a ``preexec_fn`` could crash a process whose
    DuckDB threads held locks at the fork); a process group keeps Ctrl-C away instead."""
    import os

    proc = spark_engine.spark.sparkContext._gateway.proc
    assert proc is not None and os.getpgid(proc.pid) == proc.pid != os.getpgid(0)
