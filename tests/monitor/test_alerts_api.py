"""Monitors and alerts over the REST API, and the scheduler that runs them in ``serve``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from metrics_logs import make_log, write_log

from haechi.domain.card import SystemCard
from haechi.monitor.scheduler import due_monitors, run_due

SPEC: dict[str, Any] = {
    "columns": {"timestamp": "ts", "prediction": "y_pred", "label": "y_true", "score": "score",
                "sensitive": ["sex"], "numeric": ["f0"], "categorical": ["c0"]},
    "reference": {"start": "2026-01-01", "end": "2026-01-06"},
    "window": "1d",
    "thresholds": {"psi": {"max": 0.1}, "recall": {"min": 0.99}},
}


def _setup(api: Any, tmp_path: Path, schedule: str | None = None) -> dict[str, Any]:
    hc = api.hc
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    area = hc.monitor.files_dir(actor)  # a spec sent over the API reads the organisation's files
    area.mkdir(parents=True)
    write_log(make_log(), area / "log.parquet")
    spec = {**SPEC, "log": "log.parquet", **({"schedule": schedule} if schedule else {})}
    saved = api.put("/api/v1/systems/screener/monitors/default", json=spec)
    assert saved.status_code == 200, saved.text
    return saved.json()


def test_save_run_results_and_alerts(api: Any, tmp_path: Path) -> None:
    _setup(api, tmp_path)
    run = api.post("/api/v1/systems/screener/monitors/default/run")
    assert run.status_code == 200, run.text
    out = run.json()
    assert out["alerts"] and {a["metric"] for a in out["alerts"]} <= {"psi", "recall"}
    results = api.get("/api/v1/systems/screener/monitors/default/results").json()
    assert len(results["windows"]) == len(out["windows"]) and results["thresholds"]["psi"] == {"max": 0.1}
    alerts = api.get("/api/v1/alerts", params={"system": "screener", "limit": 5}).json()
    assert alerts["total"] == len(out["alerts"]) and len(alerts["items"]) == 5
    first = alerts["items"][0]["id"]
    patched = api.patch(f"/api/v1/alerts/{first}", json={"status": "resolved", "note": "retrained"})
    assert patched.json()["status"] == "resolved"
    assert api.get("/api/v1/monitors").json()["items"][0]["last_status"] == "ok"
    assert api.get("/api/v1/systems/screener/monitors/default/runs").json()["total"] == 1


def test_errors_use_the_one_error_shape(api: Any, tmp_path: Path) -> None:
    _setup(api, tmp_path)
    bad = api.put("/api/v1/systems/screener/monitors/default", json={**SPEC, "thresholds": {"recal": {"min": 1}}})
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["errors"][0]["location"] == "thresholds.recal" and "recall" in error["errors"][0]["fix"]
    assert api.post("/api/v1/systems/nobody/monitors/default/run").status_code == 404
    assert api.patch("/api/v1/alerts/999999", json={"status": "resolved"}).status_code == 404
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    assert api.post("/api/v1/systems/screener/monitors/default/run", headers=viewer).status_code == 403
    assert api.get("/api/v1/alerts", headers=viewer).status_code == 200


def test_scheduler_runs_due_monitors(api: Any, tmp_path: Path) -> None:
    _setup(api, tmp_path, schedule="1h")
    hc = api.hc
    now = dt.datetime.now(dt.UTC)
    assert [(a.label, s, n) for a, s, n in due_monitors(hc.monitor, now)] == [("scheduler", "screener", "default")]
    assert run_due(hc.monitor, now) == 1
    assert due_monitors(hc.monitor, now + dt.timedelta(minutes=30)) == []
    assert len(due_monitors(hc.monitor, now + dt.timedelta(hours=2))) == 1
    monitor = hc.monitor.runs(hc.accounts.local_actor("acme"), "screener")[0]
    assert monitor["trigger"] == "schedule" and monitor["status"] == "ok"


def test_scheduler_starts_with_serve_but_not_for_memory_instances(tmp_path: Path) -> None:
    from haechi import Haechi
    from haechi.settings import Settings

    memory = Haechi(memory=True)
    # one shared in-memory connection: no monitor runs on a second thread
    assert "monitors" not in {job.name for job in memory.scheduler.jobs}
    memory.close()
    on_disk = Haechi(Settings(home=tmp_path / "home"))
    try:
        scheduler = on_disk.scheduler.start()
        assert scheduler.running and "monitors" in scheduler.next_runs()
        thread = scheduler._thread
        assert on_disk.scheduler.start()._thread is thread  # a second start keeps the running thread
        scheduler.stop()
        assert not scheduler.running and thread is not None and not thread.is_alive()
        off = Haechi(Settings(home=tmp_path / "off", schedule_monitors=False))
        assert "monitors" not in {job.name for job in off.scheduler.jobs}
        off.close()
    finally:
        on_disk.close()
