"""``haechi-sdk`` on its own, as a model-serving image installs it: no server, no dependencies.

The SDK wheel is built from ``sdk/`` and installed alone into a clean venv (offline:
it has no dependencies). That venv logs into a real ``haechi serve`` (the server runs
from this checkout's environment) from a parent and from children forked by
``multiprocessing`` with the ``fork`` start method; the server must then hold every
event exactly once, and no process may have sent a batch the server had already stored.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
import tomllib
import venv
from pathlib import Path

import httpx
import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.settings import Settings
from tests.foundation.test_wheel_install import ROOT, _copy_tree, _free_port, _run, build, clean_env

SYSTEM = "scorer"
#: Events each process logs: the parent before and after forking, and each of four children.
PER_PROCESS = 400
CHILDREN = 4
#: The SDK is meant for slim images: everything it installs must stay well under this.
MAX_INSTALLED_BYTES = 1_000_000


def test_server_and_sdk_are_released_with_the_same_version() -> None:
    import haechi
    import haechi_sdk

    server = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    sdk = tomllib.loads((ROOT / "sdk" / "pyproject.toml").read_text())["project"]
    assert server["version"] == sdk["version"] == haechi.__version__ == haechi_sdk.__version__
    assert f"haechi-sdk=={sdk['version']}" in server["dependencies"]
    assert sdk["dependencies"] == [], "the SDK must install without dependencies"


@pytest.fixture(scope="module")
def sdk_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv (no pip even) holding only the haechi-sdk wheel."""
    source = tmp_path_factory.mktemp("source")
    _copy_tree(source)
    wheel, _ = build(source / "sdk", tmp_path_factory.mktemp("dist"))
    target = tmp_path_factory.mktemp("sdk") / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    _run(sys.executable, "-m", "pip", "--python", target / "bin" / "python", "install", "--no-index", "--no-deps",
         "-q", wheel)
    return target


def _site_packages(target: Path) -> Path:
    return next((target / "lib").glob("python3*/site-packages"))


def test_the_sdk_installs_alone_small_and_without_server_dependencies(sdk_venv: Path) -> None:
    site = _site_packages(sdk_venv)
    installed = sorted(p.name for p in site.iterdir() if not p.name.startswith(("_", ".")))
    assert [n for n in installed if not n.startswith("haechi_sdk")] == [], installed
    size = sum(f.stat().st_size for d in site.glob("haechi_sdk*") for f in d.rglob("*") if f.is_file())
    assert size < MAX_INSTALLED_BYTES, f"haechi-sdk installs {size:,} bytes"
    probe = textwrap.dedent("""
        import importlib.util, sys
        import haechi_sdk
        from haechi_sdk import Monitor
        print(haechi_sdk.__version__)
        print(sorted(m for m in ("haechi", "pyarrow", "httpx", "orjson", "numpy") if importlib.util.find_spec(m)))
        try:
            Monitor("x", path="/tmp/nowhere")
        except ValueError as exc:
            print(exc)
    """)
    out = _run(sdk_venv / "bin" / "python", "-c", probe, env=clean_env(sdk_venv / "home")).stdout.splitlines()
    assert out[1] == "[]", out
    assert "needs the server package" in out[2]


def _prepare_server_home(home: Path) -> tuple[str, str]:
    """Organisation acme with system ``scorer``; (admin token, ingestion-only token for it)."""
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme")
        admin = hc.local_actor("acme")
        hc.accounts.create_user(admin, "ml@acme.example", "admin", None, "ML")
        hc.systems.add(admin, SystemCard.model_validate({"id": SYSTEM, "name": "Scorer"}))
        full = hc.accounts.create_token(admin, "ml@acme.example", "reader")
        ingest = hc.accounts.create_token(admin, "ml@acme.example", "scoring-service", None, [SYSTEM])
    finally:
        hc.close()
    return full, ingest


FORKING_SERVICE = textwrap.dedent("""
    import json, multiprocessing, multiprocessing.util, sys
    from pathlib import Path
    from haechi_sdk import Monitor

    url, token, per, children, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
    monitor = Monitor("scorer", url=url, token=token, batch_size=64, flush_interval=0.2)

    def log(who, n):
        for i in range(n):
            monitor.log(prediction=i % 2, score=(i % 10) / 10, features={"x": float(i), "who": who},
                        sensitive={"group": "ab"[i % 2]})

    def report(name):
        (out / f"{name}.json").write_text(json.dumps(monitor.stats))

    def child(k):
        # runs after the SDK's own exit hook (higher priorities first): the stats are final
        multiprocessing.util.Finalize(None, report, args=(f"child-{k}",), exitpriority=1)
        log(f"child-{k}", per)
        if k % 2 == 0:  # half flush explicitly, half rely on the SDK's exit hook
            assert monitor.flush(60)

    log("parent-before", per)  # queued in the parent when the children are forked
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=child, args=(k,)) for k in range(children)]
    for w in workers:
        w.start()
    log("parent-after", per)
    for w in workers:
        w.join(120)
        assert w.exitcode == 0, w.exitcode
    assert monitor.flush(60)
    monitor.close()
    report("parent")
""")


def test_forked_workers_of_an_sdk_only_service_lose_and_repeat_nothing(sdk_venv: Path, tmp_path: Path) -> None:
    home = tmp_path / "server"
    admin_token, ingest_token = _prepare_server_home(home)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    env.update({"HAECHI_HOME": str(home), "HAECHI_LAKE_UPKEEP_MINUTES": "0"})
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "haechi", "serve", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server, tmp_path / "serve.log")
        stats_dir = tmp_path / "stats"
        stats_dir.mkdir()
        service_env = {**clean_env(tmp_path / "unused"), "HAECHI_OUTBOX": str(tmp_path / "outbox")}
        _run(sdk_venv / "bin" / "python", "-c", FORKING_SERVICE, url, ingest_token, str(PER_PROCESS), str(CHILDREN),
             stats_dir, env=service_env, cwd=tmp_path, timeout=300)
        counted = httpx.get(f"{url}/api/v1/systems/{SYSTEM}/events/count",
                            headers={"Authorization": f"Bearer {admin_token}"}, timeout=30)
        # the service's own token may only write: reading the count is refused
        refused = httpx.get(f"{url}/api/v1/systems/{SYSTEM}/events/count",
                            headers={"Authorization": f"Bearer {ingest_token}"}, timeout=30)
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
    expected = PER_PROCESS * (2 + CHILDREN)
    assert counted.status_code == 200 and counted.json()["events"] == expected, counted.text
    assert refused.status_code == 403
    reports = {p.stem: json.loads(p.read_text()) for p in stats_dir.glob("*.json")}
    assert set(reports) == {"parent", *(f"child-{k}" for k in range(CHILDREN))}
    assert sum(r["stored"] for r in reports.values()) == expected, reports
    assert sum(r["duplicates"] for r in reports.values()) == 0, reports
    assert not [p for p in (tmp_path / "outbox").rglob("*") if re.search(r"\.(arrows|ndjson)$", p.name)]


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.3)
