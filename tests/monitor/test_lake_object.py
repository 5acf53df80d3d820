"""The log lake itself on S3-compatible object storage (``HAECHI_LAKE_URL``), against a local
S3 server (moto) started by the test: the same imports through the CLI into a local lake and
into a bucket give exactly the same ``haechi monitor run`` numbers, duplicates are dropped on
both, an object no commit names is never read, upkeep that moves files says it is local-only,
and the keys (given as a file) appear in no output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from metrics_logs import make_log

REGION = "ap-northeast-2"
KEY_ID, SECRET = "haechi-lake-test", "lake-secret-0f3a9c"
SPEC = """
system: test-system
reference: {start: 2026-01-01, end: 2026-01-06}
window: 1d
min_group_size: 20
thresholds:
  recall: {min: 0.6}
  psi: {max: 0.1}
"""
CARD = "id: test-system\nname: Test system\n"


def _bucket(endpoint: str, name: str) -> Any:
    from pyarrow import fs

    s3 = fs.S3FileSystem(endpoint_override=endpoint.split("://")[1], scheme="http", region=REGION,
                         access_key=KEY_ID, secret_key=SECRET, allow_bucket_creation=True)
    s3.create_dir(name)
    return s3


class Workspace:
    """A ``haechi`` home driven through the CLI in subprocesses."""

    def __init__(self, home: Path, extra: dict[str, str]) -> None:
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "AWS_"))},
                    "HAECHI_HOME": str(home), **extra}
        self.outputs: list[str] = []

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "haechi.cli.entry", *args], env=self.env, capture_output=True,
                              text=True, timeout=300, check=False)
        self.outputs += [done.stdout, done.stderr]
        if check and done.returncode:
            raise AssertionError(f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--format", "json").stdout)


@pytest.fixture(scope="module")
def lakes(s3_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same events, duplicates and late labels imported into a local lake and into a bucket."""
    base = tmp_path_factory.mktemp("object-lake")
    s3 = _bucket(s3_server, "haechi-lake")
    (base / "secret").write_text(SECRET + "\n")
    remote = {"HAECHI_LAKE_URL": "s3://haechi-lake/prod", "HAECHI_S3_ENDPOINT": s3_server,
              "HAECHI_S3_REGION": REGION, "HAECHI_S3_ACCESS_KEY_ID": KEY_ID,
              "HAECHI_S3_SECRET_ACCESS_KEY_FILE": str(base / "secret")}
    frame = make_log(n=4000, seed=8).dropna(subset=["y_pred"]).reset_index(drop=True)   # events need one
    frame.iloc[:2600].to_parquet(base / "first.parquet")
    frame.iloc[2000:].to_parquet(base / "second.parquet")      # 600 events sent twice
    labels = frame.iloc[::7][["event_id"]].assign(label=1 - frame.iloc[::7]["y_true"].fillna(0))
    labels.to_parquet(base / "labels.parquet")
    (base / "card.yaml").write_text(CARD)
    (base / "spec.yaml").write_text(SPEC)
    out: dict[str, Any] = {"s3": s3, "base": base, "events": len(frame)}
    for name, extra in (("local", {}), ("object", remote)):
        ws = Workspace(base / name, extra)
        ws.cli("init", "--org", "acme", "--name", "Acme")
        ws.cli("systems", "add", str(base / "card.yaml"))
        mapping = ["--map", "timestamp=ts", "--map", "prediction=y_pred", "--map", "label=y_true",
                   "--sensitive", "sex,age"]
        imports = [ws.json("monitor", "import", "test-system", str(base / f), *mapping)["files"][0]
                   for f in ("first.parquet", "second.parquet")]
        ws.json("monitor", "import", "test-system", str(base / "labels.parquet"), "--labels")
        out[name] = {"ws": ws, "imports": imports, "run": ws.json("monitor", "run", str(base / "spec.yaml"))}
    return out


def test_monitor_run_on_the_bucket_equals_the_local_lake(lakes: dict[str, Any]) -> None:
    local, remote = lakes["local"], lakes["object"]
    second = lakes["events"] - 2600
    assert [i["stored"] for i in remote["imports"]] == [i["stored"] for i in local["imports"]] == [2600, second]
    assert [i["duplicates"] for i in remote["imports"]] == [0, 600]
    windows = remote["run"]["windows"]
    assert len(windows) > 5 and windows == local["run"]["windows"]   # every metric of every window
    assert remote["run"]["alerts"] == local["run"]["alerts"] and remote["run"]["alerts"]
    assert sum(w["n"] for w in windows) == sum(w["n"] for w in local["run"]["windows"])


def test_the_bucket_holds_committed_objects_and_nothing_is_left_staged(lakes: dict[str, Any]) -> None:
    from pyarrow import fs

    s3 = lakes["s3"]
    keys = [f.path for f in s3.get_file_info(fs.FileSelector("haechi-lake/prod/acme/test-system", recursive=True))
            if f.type == fs.FileType.File]
    commits = [k for k in keys if "/_commits/" in k]
    named = set()
    for key in commits:
        with s3.open_input_stream(key) as handle:
            named |= {f["key"] for f in json.loads(handle.read())["files"]}
    data = {k for k in keys if k.endswith(".parquet")}
    assert len(commits) == 3 and data == named and any("/labels/date=" in k for k in data)
    staged = [p for p in (lakes["base"] / "object").rglob("*.parquet*")]
    assert staged == []
    stats = lakes["object"]["ws"].json("monitor", "lake", "stats", "test-system")
    assert stats["events"] == lakes["events"] and stats["event_files"] == len(data) - 1 and stats["bytes"] > 0


def test_an_object_no_commit_names_is_never_read(lakes: dict[str, Any]) -> None:
    """A writer that crashed after uploading but before its commit leaves an object nobody reads."""
    s3, ws = lakes["s3"], lakes["object"]["ws"]
    from pyarrow import fs

    listing = s3.get_file_info(fs.FileSelector("haechi-lake/prod/acme/test-system", recursive=True))
    first = next(f for f in listing if f.path.endswith(".parquet") and "/labels/" not in f.path)
    table = pq.read_table(first.path, filesystem=s3)
    orphan = first.path.rsplit("/", 1)[0] + "/part-orphan.parquet"
    pq.write_table(table.set_column(0, "event_id", pa.array([f"x{i}" for i in range(table.num_rows)])), orphan,
                   filesystem=s3)
    assert ws.json("monitor", "lake", "stats", "test-system")["events"] == lakes["events"]


def test_upkeep_that_moves_files_is_local_only_and_keys_never_show(lakes: dict[str, Any]) -> None:
    ws = lakes["object"]["ws"]
    for command in (("compact",), ("purge",)):
        done = ws.cli("monitor", "lake", *command, "test-system", check=False)
        assert done.returncode == 2 and "works on a local log lake only" in done.stderr, done.stderr
    ws.env["HAECHI_LAKE_URL"] = "s3://no-such-bucket/prod"      # a wrong bucket: a clear message, no traceback
    done = ws.cli("monitor", "lake", "stats", "test-system", check=False)
    assert done.returncode == 2 and "no-such-bucket" in done.stderr and "Traceback" not in done.stderr
    assert not any(SECRET in text for text in ws.outputs)
