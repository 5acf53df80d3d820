"""The SDK across credentials, processes and forks, against a real server process.

Each test counts what the server stored: events of one organisation never end up in
another's lake, nothing logged in a forked child is lost, no batch is sent twice, and
``flush(timeout)`` waits for what it promises.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from server_helpers import Server, prepare_home

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.monitor.lake import Lake
from haechi.sdk import Monitor
from haechi.settings import Settings

SYSTEM = "cnc-spindle-pm"


def _second_org(home: Path) -> str:
    """Organisation ``globex`` with a system of the same id; returns its editor token."""
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("globex", "Globex")
        admin = hc.local_actor("globex")
        hc.accounts.create_user(admin, "ml@globex.example", "editor", None, "ML")
        token = hc.accounts.create_token(admin, "ml@globex.example")
        hc.systems.add(admin, SystemCard.model_validate({"id": SYSTEM, "name": SYSTEM}))
    finally:
        hc.close()
    return token


def _ids(home: Path, org: str) -> list[str]:
    sl = Lake(home / "lake").system(org, SYSTEM)
    if sl.event_count() == 0:
        return []
    return sl.source().arrow().column("event_id").to_pylist()


def _log_while_down(url: str, token: str, prefix: str, count: int, env: dict[str, str]) -> None:
    """A process that logs with the server down and exits: its batches stay in the outbox."""
    script = textwrap.dedent(f"""
        from haechi.sdk import Monitor
        m = Monitor({SYSTEM!r}, url={url!r}, token={token!r}, batch_size=100)
        for i in range({count}):
            m.log(prediction=i % 2, event_id=f"{prefix}-{{i}}", features={{"rpm": i}})
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, env=env)


@pytest.fixture
def outbox_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The default outbox (no ``outbox=``) under a temporary ``HAECHI_OUTBOX``."""
    monkeypatch.setenv("HAECHI_OUTBOX", str(tmp_path / "outbox"))
    return {**os.environ, "HAECHI_OUTBOX": str(tmp_path / "outbox")}


@pytest.mark.slow
def test_default_outbox_never_mixes_two_credentials(tmp_path: Path, outbox_env: dict[str, str]) -> None:
    home = tmp_path / "home"
    acme = prepare_home(home, SYSTEM)
    globex = _second_org(home)
    server = Server(home)
    _log_while_down(server.url, acme, "acme", 250, outbox_env)
    server.start()
    try:
        with Monitor(SYSTEM, url=server.url, token=globex) as monitor:
            monitor.log(prediction=1, event_id="globex-0")
            assert monitor.flush(30)
        assert _ids(home, "globex") == ["globex-0"], "another organisation's events were delivered"
        for path in (tmp_path / "outbox").rglob("*"):
            assert acme not in str(path) and globex not in str(path), "a token appears in an outbox path"
        with Monitor(SYSTEM, url=server.url, token=acme) as monitor:
            assert monitor.flush(30)
    finally:
        server.stop()
    assert sorted(_ids(home, "acme")) == sorted(f"acme-{i}" for i in range(250))


@pytest.mark.slow
def test_two_processes_draining_a_dead_ones_outbox_send_each_batch_once(
    tmp_path: Path, outbox_env: dict[str, str]
) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home)
    _log_while_down(server.url, token, "dead", 3000, outbox_env)
    server.start()
    script = textwrap.dedent(f"""
        import json
        from haechi.sdk import Monitor
        m = Monitor({SYSTEM!r}, url={server.url!r}, token={token!r})
        ok = m.flush(60)
        m.close()
        print(json.dumps({{"ok": ok, **m.stats}}))
    """)
    try:
        procs = [
            subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=outbox_env) for _ in range(2)
        ]
        stats = [json.loads(proc.communicate(timeout=90)[0].decode().strip().splitlines()[-1]) for proc in procs]
    finally:
        server.stop()
    assert all(s["ok"] for s in stats)
    assert sum(s["stored"] for s in stats) == 3000
    assert sum(s["duplicates"] for s in stats) == 0, f"a batch was sent twice: {stats}"
    assert len(_ids(home, "acme")) == 3000


#: The forking model service runs in a fresh interpreter that imports only the SDK, as a
#: gunicorn or Celery parent does: forking the test worker itself, which runs DuckDB and
#: Arrow threads, could crash a child before the SDK's code ran.
FORKING_SERVICE = """
import json, multiprocessing, sys
from haechi.sdk import Monitor

url, token, system = sys.argv[1:4]
monitor = Monitor(system, url=url, token=token, flush_interval=0.05)


def child_logs(count, flush, results):
    for i in range(count):
        monitor.log(prediction=i % 2, features={"rpm": i})
    if flush:
        results.put({"flushed": monitor.flush(30), **monitor.stats})
    # otherwise: the process ends without flush or close; the SDK must still deliver


if __name__ == "__main__":
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    for i in range(700):  # partly still queued at the fork: the children must not send these
        monitor.log(prediction=i % 2, features={"rpm": i})
    children = [fork.Process(target=child_logs, args=(400, True, results)),
                fork.Process(target=child_logs, args=(300, False, results))]
    for child in children:
        child.start()
    for i in range(500):
        monitor.log(prediction=i % 2, features={"rpm": i})
    for child in children:
        child.join(60)
    child_stats = results.get(timeout=10)
    flushed = monitor.flush(30)
    monitor.close()
    print(json.dumps({"exitcodes": [c.exitcode for c in children], "child": child_stats,
                      "flushed": flushed, "parent": monitor.stats}))
"""


@pytest.mark.slow
def test_events_logged_in_forked_children_are_delivered_once(tmp_path: Path, outbox_env: dict[str, str]) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home).start()
    service = tmp_path / "service.py"
    service.write_text(FORKING_SERVICE)
    try:
        done = subprocess.run([sys.executable, str(service), server.url, token, SYSTEM], env=outbox_env,
                              capture_output=True, text=True, timeout=180, check=False)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["exitcodes"] == [0, 0]
    child = report["child"]
    assert child["flushed"] and child["stored"] == 400 and child["duplicates"] == 0
    assert report["flushed"]
    assert report["parent"]["stored"] == 1200 and report["parent"]["duplicates"] == 0
    ids = _ids(home, "acme")
    assert len(ids) == len(set(ids)) == 700 + 500 + 400 + 300


@pytest.mark.slow
def test_flush_waits_through_backoff_until_the_server_answers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home)
    starter = threading.Timer(2.0, server.start)
    monitor = Monitor(SYSTEM, url=server.url, token=token, outbox=tmp_path / "ob", flush_interval=0.05, max_backoff=1)
    try:
        for i in range(100):
            monitor.log(prediction=i % 2, event_id=f"e-{i}")
        starter.start()
        assert monitor.flush(60) is True, "flush gave up while the SDK was backing off"
        assert server.proc is not None, "flush reported a delivery before the server was started"
        assert monitor.stats["spilled"] >= 1, "the receiver was down: the first attempt must have failed"
        assert monitor.stats["stored"] == 100 and len(monitor.outbox) == 0
    finally:
        starter.join()
        monitor.close(timeout=2)
        server.stop()


def test_flush_times_out_with_everything_durable_and_log_still_enqueues(tmp_path: Path) -> None:
    monitor = Monitor(SYSTEM, url="http://127.0.0.1:9", token="t", outbox=tmp_path / "ob", flush_interval=0.05)
    try:
        for i in range(50):
            monitor.log(prediction=1, event_id=f"x-{i}")
        began = time.monotonic()
        assert monitor.flush(1.5) is False
        # the deadline is a floor load cannot break; how much later it returns depends on the machine
        assert time.monotonic() - began >= 1.5, "flush gave up before its timeout"
        assert monitor.pending() == {"queued": 0, "outbox": 1}
        # log() only enqueues while the receiver is down (its speed is measured in bench/)
        for _ in range(1_000):
            monitor.log(prediction=1, features={"a": 1.0})
        assert monitor.pending()["queued"] + monitor.pending()["outbox"] >= 1
    finally:
        monitor.close(timeout=2)
