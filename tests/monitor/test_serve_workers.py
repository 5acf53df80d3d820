"""``haechi serve --workers 2`` in a real subprocess: periodic work runs in one worker only.

A monitor with a schedule is due when the server starts; each worker's scheduler would
pick it up about five seconds later. With the leader lock exactly one worker runs it,
and the server log says which worker holds the lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from metrics_logs import make_log
from server_helpers import free_port
from sqlalchemy import func, select
from test_engine_lake import _to_lake_table
from tests.conftest import make_haechi

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.monitor.spec import parse_spec_text
from haechi.store.monitor_tables import MonitorRun

SCHEDULED_SPEC = """
system: test-system
reference: {start: 2026-01-01, end: 2026-01-06}
window: 1d
schedule: 1h
thresholds:
  psi: {max: 0.1}
"""


def _prepare(hc: Haechi) -> None:
    actor = hc.accounts.local_actor(hc.accounts.create_org("acme", "Acme").slug)
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test"}))
    frame = make_log(seed=5)
    hc.lake.ingest_table(actor, "test-system", _to_lake_table(frame[frame.y_pred.notna()]))
    hc.monitor.save(actor, parse_spec_text(SCHEDULED_SPEC, "scheduled.yaml"))


def _scheduled_runs(hc: Haechi) -> int:
    with hc.db.reader() as s:
        return int(s.execute(select(func.count()).select_from(MonitorRun)
                             .where(MonitorRun.trigger == "schedule")).scalar_one())


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_workers_run_a_scheduled_monitor_once(backend: str, tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    home = tmp_path / "home"
    hc = make_haechi(backend, home, request)
    _prepare(hc)
    env = {**os.environ, "HAECHI_HOME": str(home), "HAECHI_LAKE_UPKEEP_MINUTES": "0"}
    env.pop("HAECHI_DATABASE_URL", None)
    if backend == "postgresql":
        env["HAECHI_DATABASE_URL"] = hc.settings.resolved_database_url()
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "haechi", "serve", "--workers", "2", "--port", str(port)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while _scheduled_runs(hc) == 0 and time.monotonic() < deadline:
            assert server.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.5)
        assert _scheduled_runs(hc) >= 1, "no scheduled run: " + log_path.read_text()[-3000:]
        time.sleep(10)  # both workers' first scheduler tick is long past
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
        assert _scheduled_runs(hc) == 1, "the scheduled monitor ran in more than one worker"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        hc.close()
    text = log_path.read_text()
    assert text.count("holds the leader lock: it runs") == 1, text[-3000:]
    # the leader's scheduler says when each of its jobs runs next
    assert text.count("Haechi periodic job monitors: next run at") == 1, text[-3000:]
    assert text.count("Haechi periodic job compliance-upkeep: next run at") == 1, text[-3000:]
    assert "standing by" in text and "Traceback" not in text, text[-3000:]
