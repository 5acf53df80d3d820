"""The Spark engine on a Spark standalone cluster — a master and two one-core workers started
by the test, as an operator starts them — computes the DuckDB engine's numbers. One small
log keeps it to seconds of work beyond the cluster's start (the other Spark tests, local
mode, cover tasks, formats and model versions)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec
from test_engine_spark import same

from haechi.monitor.engine_duckdb import DuckDBEngine
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def cluster_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.conftest import unavailable

    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install 'haechi[spark]')")
    if shutil.which("java") is None:
        unavailable("Java is not installed (Spark needs a JRE)")
    from spark_cluster import standalone_cluster

    from haechi.monitor.engine_spark import SparkEngine

    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster")) as master:
        # configured the way an operator points Haechi at a cluster (docs/scale.md)
        settings = {"HAECHI_SPARK_MASTER": master, "HAECHI_SPARK_CONF": "spark.executor.memory=512m; "
                    "spark.executor.cores=1;spark.cores.max=2;spark.driver.memory=512m"}
        before = {k: os.environ.get(k) for k in settings}
        os.environ.update(settings)
        try:
            engine = SparkEngine.from_env()
        finally:
            for key, value in before.items():
                if value is None:
                    del os.environ[key]
                else:
                    os.environ[key] = value
        try:
            yield engine
        finally:
            engine.spark.stop()


def test_a_standalone_cluster_gives_the_duckdb_numbers(tmp_path: Path, cluster_engine: Any) -> None:
    log = write_log(make_log(n=3000, days=10, seed=6), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, extra="thresholds:\n  psi: {max: 0.1}\n"))
    duck, spark = run_spec(spec, engine=DuckDBEngine()), run_spec(spec, engine=cluster_engine)
    assert spark["run"]["engine"] == "spark"
    same(duck["windows"], spark["windows"])
    same(duck["reference"], spark["reference"])
    same(duck["alerts"], spark["alerts"])
    # the work ran in the two workers' executors, not in the driver
    context = cluster_engine.spark.sparkContext
    assert context.master.startswith("spark://")
    assert context._jsc.sc().getExecutorMemoryStatus().size() - 1 == 2


def test_a_malformed_spark_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from haechi.domain.errors import ValidationFailed
    from haechi.monitor.engine_spark import SparkEngine

    monkeypatch.setenv("HAECHI_SPARK_CONF", "spark.executor.memory=4g;cores")
    with pytest.raises(ValidationFailed) as refused:
        SparkEngine.from_env()
    assert refused.value.issues[0].message == "'cores' has no '='"
