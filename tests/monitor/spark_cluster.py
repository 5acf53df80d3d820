"""A Spark standalone cluster on this machine for the tests: one master and two workers
(one core, 512 MiB each), started as the operator would start them (``spark-class …
Master`` / ``… Worker spark://…``), so the engine runs its jobs on real executors in other
JVMs and Python workers, not in ``local[*]`` mode."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Spark master stopped: {log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"the Spark master did not listen on {port}: {log.read_text()[-2000:]}")


def _workers_registered(log: Path, count: int) -> bool:
    return log.read_text(errors="replace").count("Registering worker") >= count


@contextmanager
def standalone_cluster(folder: Path, workers: int = 2) -> Iterator[str]:
    """Start the cluster; yields its master URL and stops every process it started."""
    import pyspark

    home = Path(pyspark.__file__).parent
    env = {**os.environ, "SPARK_HOME": str(home), "PYSPARK_PYTHON": sys.executable,
           "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOG_DIR": str(folder), "SPARK_WORKER_DIR": str(folder / "work")}
    spark_class = [str(home / "bin" / "spark-class")]
    port = _free_port()
    started: list[subprocess.Popen[bytes]] = []
    master_log = folder / "master.log"
    try:
        with open(master_log, "wb") as out:
            started.append(subprocess.Popen([*spark_class, "org.apache.spark.deploy.master.Master", "--host",
                                             "127.0.0.1", "--port", str(port), "--webui-port", str(_free_port())],
                                            env=env, stdout=out, stderr=subprocess.STDOUT))
        _wait_for(port, started[0], master_log)
        url = f"spark://127.0.0.1:{port}"
        for i in range(workers):
            with open(folder / f"worker-{i}.log", "wb") as out:
                started.append(subprocess.Popen(
                    [*spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                     "--cores", "1", "--memory", "512m", "--webui-port", str(_free_port()),
                     "--work-dir", str(folder / f"work-{i}")], env=env, stdout=out, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 90
        while not _workers_registered(master_log, workers):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the workers did not register: {master_log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
