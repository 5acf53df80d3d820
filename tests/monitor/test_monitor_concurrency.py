"""Runs of one monitor at the same time, on SQLite and PostgreSQL: they take turns.

Real threads call the facade at once (as two API requests, a scheduler and a CLI user
would); none fails, alerts and automatic evidence are stored once, and the ledger stays
intact.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import Conflict
from haechi.monitor.spec import load_spec

THRESHOLDS = """thresholds:
  demographic_parity_difference: {max: 0.05}
  psi: {max: 0.1, scope: [f0, f1]}
  missing_share: {max: 0.04}
"""
RUNS = 4


def test_simultaneous_runs_of_one_monitor_take_turns(db_hc: Haechi, tmp_path: Path) -> None:
    actor = db_hc.accounts.local_actor(db_hc.accounts.create_org("acme", "Acme").slug)
    db_hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    spec = load_spec(write_spec(tmp_path, write_log(make_log(), tmp_path / "log.parquet"), extra=THRESHOLDS))
    db_hc.monitor.save(actor, spec)

    def run(_: int) -> dict[str, Any]:
        return db_hc.monitor.run(actor, "test-system", full=True)

    with ThreadPoolExecutor(RUNS) as pool:
        outs = list(pool.map(run, range(RUNS), timeout=300))
    assert all(out["alerts"] for out in outs)
    stored = db_hc.monitor.alerts(actor)
    assert stored["total"] == len(outs[0]["alerts"]), "an alert was stored twice"
    assert sum(a["new"] for out in outs for a in out["alerts"]) == len(outs[0]["alerts"])
    evidence = db_hc.compliance.evidence.list(actor, "test-system")
    digests = [e.get("sha256") for e in evidence]
    assert len(digests) == len(set(digests)), "identical automatic evidence stored twice"
    assert db_hc.ledger.verify(actor).ok


def test_a_run_that_waits_too_long_answers_already_running(db_hc: Haechi, tmp_path: Path) -> None:
    actor = db_hc.accounts.local_actor(db_hc.accounts.create_org("acme", "Acme").slug)
    db_hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    spec = load_spec(write_spec(tmp_path, write_log(make_log(), tmp_path / "log.parquet"), extra=THRESHOLDS))
    monitor_id = db_hc.monitor.save(actor, spec)["id"]
    held = db_hc.db.lock(f"monitor-run-{monitor_id}")  # a run in progress elsewhere
    with held, pytest.raises(Conflict, match="already running") as caught:
        db_hc.monitor.run(actor, "test-system", wait=0.3)
    assert caught.value.message_ko
    assert db_hc.monitor.run(actor, "test-system")["alerts"]
