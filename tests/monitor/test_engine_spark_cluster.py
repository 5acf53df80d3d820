"""The Spark engine on a Spark standalone cluster — a master and two one-core workers started
by the test, as an operator starts them — computes the DuckDB engine's numbers. One small
log keeps it to seconds of work beyond the cluster's start (the other Spark tests, local
mode, cover tasks, formats and model versions)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from metrics_logs import make_log, write_log, write_spec
from test_engine_spark import same

from haechi.monitor.engine_duckdb import DuckDBEngine
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec

pytestmark = pytest.mark.spark


#: The Spark side runs in a fresh interpreter, as 'haechi monitor run' would: launching the
#: JVM gateway forks, and forking a test worker that already runs DuckDB and Arrow threads
#: can crash the child before it execs.
SPARK_SIDE = """
import json, sys
from haechi.monitor.engine_spark import SparkEngine
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec
engine = SparkEngine.from_env()
try:
    result = run_spec(load_spec(sys.argv[1]), engine=engine)
    context = engine.spark.sparkContext
    result["cluster"] = {"master": context.master,
                         "executors": context._jsc.sc().getExecutorMemoryStatus().size() - 1}
finally:
    engine.spark.stop()
print(json.dumps({key: result[key] for key in ("run", "windows", "reference", "alerts", "cluster")}))
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import unavailable

    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install 'haechi[spark]')")
    if shutil.which("java") is None:
        unavailable("Java is not installed (Spark needs a JRE)")
    from spark_cluster import standalone_cluster

    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster")) as master:
        yield master


def test_a_standalone_cluster_gives_the_duckdb_numbers(tmp_path: Path, cluster: str) -> None:
    log = write_log(make_log(n=3000, days=10, seed=6), tmp_path / "log.parquet")
    spec_file = write_spec(tmp_path, log, extra="thresholds:\n  psi: {max: 0.1}\n")
    duck = run_spec(load_spec(spec_file), engine=DuckDBEngine())
    # configured the way an operator points Haechi at a cluster (docs/scale.md)
    env = {**os.environ, "HAECHI_SPARK_MASTER": cluster,
           "HAECHI_SPARK_CONF": "spark.executor.memory=512m; spark.executor.cores=1;spark.cores.max=2;"
                                "spark.driver.memory=512m",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[2] / "src"),
                                                        os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", SPARK_SIDE, str(spec_file)], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    spark = json.loads(done.stdout.strip().splitlines()[-1])
    assert spark["run"]["engine"] == "spark"
    same(duck["windows"], spark["windows"])
    same(duck["reference"], spark["reference"])
    same(duck["alerts"], spark["alerts"])
    # the work ran in the two workers' executors, not in the driver
    assert spark["cluster"]["master"].startswith("spark://")
    assert spark["cluster"]["executors"] == 2


def test_a_malformed_spark_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from haechi.domain.errors import ValidationFailed
    from haechi.monitor.engine_spark import SparkEngine

    monkeypatch.setenv("HAECHI_SPARK_CONF", "spark.executor.memory=4g;cores")
    with pytest.raises(ValidationFailed) as refused:
        SparkEngine.from_env()
    assert refused.value.issues[0].message == "'cores' has no '='"
