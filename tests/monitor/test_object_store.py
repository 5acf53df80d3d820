"""Logs on S3-compatible object storage: a local S3 server (moto) started by the test, read
through PyArrow's S3 client; the numbers equal those of the same files on local disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi.domain.errors import ValidationFailed
from haechi.monitor.file_area import FileArea
from haechi.monitor.runner import MemoryCache, run_spec
from haechi.monitor.spec import load_spec, parse_spec_text

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "haechi-test", "AWS_SECRET_ACCESS_KEY": "haechi-test-secret"}


@pytest.fixture
def bucket(s3_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """A bucket holding one log as day partitions, the way a log lake is laid out."""
    from pyarrow import fs

    for key, value in {**CREDENTIALS, "HAECHI_S3_ENDPOINT": s3_server, "HAECHI_S3_REGION": "ap-northeast-2"}.items():
        monkeypatch.setenv(key, value)
    s3 = fs.S3FileSystem(endpoint_override=s3_server.split("://")[1], scheme="http", region="ap-northeast-2",
                         allow_bucket_creation=True, **{"access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
                                                        "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"]})
    name = f"logs-{tmp_path.name.replace('_', '-').lower()}"[:60]
    s3.create_dir(name)
    local = write_log(make_log(seed=11), tmp_path / "log.parquet")
    table = pq.read_table(local)
    days = table.column("ts").to_pylist()
    for day in sorted({d.date() for d in days}):
        part = table.filter([d.date() == day for d in days])
        pq.write_table(part, f"{name}/hiring/date={day}/part-0.parquet", filesystem=s3)
    return {"bucket": name, "local": local, "s3": s3, "endpoint": s3_server}


def test_a_log_on_object_storage_gives_the_local_numbers(bucket: dict[str, Any], tmp_path: Path) -> None:
    local = run_spec(load_spec(write_spec(tmp_path, bucket["local"])))
    spec_file = write_spec(tmp_path, bucket["local"])
    spec_file.write_text(spec_file.read_text().replace("log: log.parquet", f"log: s3://{bucket['bucket']}/hiring/"))
    cache = MemoryCache()
    remote = run_spec(load_spec(spec_file), cache=cache)
    assert remote["windows"] == local["windows"] and remote["reference"]["n"] == local["reference"]["n"]
    assert remote["alerts"] == local["alerts"]
    # a new day's object dirties only that day's window
    again = run_spec(load_spec(spec_file), cache=cache)
    assert again["run"]["computed_windows"] == 0
    table = pq.read_table(f"{bucket['bucket']}/hiring/date=2026-01-16/part-0.parquet", filesystem=bucket["s3"])
    pq.write_table(table.slice(0, 10), f"{bucket['bucket']}/hiring/date=2026-01-16/part-0.parquet",
                   filesystem=bucket["s3"])
    changed = run_spec(load_spec(spec_file), cache=cache)
    assert changed["run"]["computed_windows"] == 1 and changed["windows"][-1]["n"] == 10


def test_the_cli_reads_a_bucket_and_reports_a_wrong_one(bucket: dict[str, Any], tmp_path: Path) -> None:
    spec_file = write_spec(tmp_path, bucket["local"])
    spec_file.write_text(spec_file.read_text().replace("log: log.parquet", f"log: s3://{bucket['bucket']}/hiring"))
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    haechi = [sys.executable, "-m", "haechi"]
    subprocess.run([*haechi, "init", "--org", "acme", "--name", "Acme"], env=env, check=True, capture_output=True)
    (tmp_path / "card.yaml").write_text("id: test-system\nname: Test\n")
    subprocess.run([*haechi, "systems", "add", str(tmp_path / "card.yaml")], env=env, check=True, capture_output=True)
    done = subprocess.run([*haechi, "monitor", "run", str(spec_file), "--format", "json"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    remote = spec_file.read_text()
    local = run_spec(load_spec(write_spec(tmp_path, bucket["local"])))
    assert json.loads(done.stdout)["windows"] == local["windows"]
    spec_file.write_text(remote.replace(f"s3://{bucket['bucket']}/hiring", "s3://no-such-bucket/x/"))
    wrong = subprocess.run([*haechi, "monitor", "run", str(spec_file)], env=env, capture_output=True, text=True,
                           check=False)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "no-such-bucket" in wrong.stderr + wrong.stdout and "HAECHI_S3_ENDPOINT" in wrong.stderr + wrong.stdout


def test_a_spec_sent_over_the_api_cannot_name_a_bucket(tmp_path: Path) -> None:
    text = write_spec(tmp_path, tmp_path / "log.parquet").read_text().replace("log: log.parquet",
                                                                               "log: s3://bucket/logs/")
    spec = parse_spec_text(text).in_area(FileArea.organisation(tmp_path))
    with pytest.raises(ValidationFailed) as refused:
        spec.check_files()
    assert "URLs are not read" in str(refused.value.issues[0])
