"""Monitoring problems: a breach that persists is one problem with its windows as occurrences;
a person acknowledges and resolves it with a note; a breach after resolution opens a new
problem that follows the resolved one. Service, API and CLI (in a subprocess), on SQLite and
PostgreSQL where the database matters."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import Conflict, NotFound, ValidationFailed
from haechi.monitor.spec import load_spec
from haechi.store.tables import LedgerEntry

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SPEC = """system: line-camera
log: log.parquet
columns: {timestamp: ts, prediction: y_pred, numeric: [f0]}
reference: {start: 2026-03-01, end: 2026-03-04}
window: 1d
thresholds:
  n: {min: 50}
"""


def write_days(folder: Path, rows_per_day: list[int]) -> Path:
    """Three reference days of 100 rows, then one window per entry of ``rows_per_day``:
    a window under 50 rows breaches ``n >= 50``."""
    counts = [100, 100, 100, *rows_per_day]
    stamps = [START + dt.timedelta(days=d, minutes=i) for d, n in enumerate(counts) for i in range(n)]
    frame = pd.DataFrame({"ts": pd.to_datetime(stamps, utc=True), "y_pred": [i % 2 for i in range(len(stamps))],
                          "f0": [float(i % 7) for i in range(len(stamps))]})
    frame.to_parquet(folder / "log.parquet", index=False)
    (folder / "spec.yaml").write_text(SPEC)
    return folder / "spec.yaml"


def _setup(hc: Haechi, actor: Actor) -> None:
    hc.systems.add(actor, SystemCard.model_validate({"id": "line-camera", "name": "Line camera"}))


def _run(hc: Haechi, actor: Actor, folder: Path, rows: list[int]) -> dict[str, Any]:
    return hc.monitor.run(actor, load_spec(write_days(folder, rows)))


def test_a_breach_that_persists_is_one_problem(db_hc: Haechi, tmp_path: Path) -> None:
    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor()
    _setup(db_hc, actor)
    out = _run(db_hc, actor, tmp_path, [10, 12, 11, 9, 30])
    assert len(out["alerts"]) == 5  # one alert per window, kept as occurrences
    page = db_hc.monitor.problems.list(actor)
    assert page["total"] == 1 and set(page) == {"items", "total", "limit", "offset"}
    problem = page["items"][0]
    assert problem["occurrences"] == 5 and problem["status"] == "open" and problem["severity"] == "low"
    assert problem["first_seen"] == "2026-03-04T00:00:00Z" and problem["last_seen"] == "2026-03-08T00:00:00Z"
    assert problem["breaching"] and problem["last_value"] == 30 and problem["worst_value"] == 9
    assert {a["problem"] for a in out["alerts"]} == {problem["id"]}
    shown = db_hc.monitor.problems.get(actor, problem["id"])
    assert [o["value"] for o in shown["occurrences_shown"]] == [30, 9, 11, 12, 10]  # newest first
    # a rerun adds nothing; one more breaching day is one more occurrence of the same problem
    _run(db_hc, actor, tmp_path, [10, 12, 11, 9, 30])
    _run(db_hc, actor, tmp_path, [10, 12, 11, 9, 30, 5])
    again = db_hc.monitor.problems.list(actor)["items"]
    assert len(again) == 1 and again[0]["occurrences"] == 6 and again[0]["trend"] == "worsening"
    assert _ledger(db_hc, "monitor.problem.open") == [{"system": "line-camera", "monitor": "default", "metric": "n",
                                                     "scope": None, "group": None,
                                                     "window": "2026-03-04T00:00:00Z"}]


def _ledger(hc: Haechi, action: str) -> list[dict[str, Any]]:
    with hc.db.reader() as s:
        return [json.loads(e.payload) for e in s.execute(select(LedgerEntry).where(LedgerEntry.action == action)
                                             .order_by(LedgerEntry.seq)).scalars()]


def test_recovery_keeps_the_problem_until_a_person_resolves_it(hc: Haechi, actor: Actor, tmp_path: Path) -> None:
    _setup(hc, actor)
    _run(hc, actor, tmp_path, [10, 10, 100])
    problem = hc.monitor.problems.list(actor)["items"][0]
    assert problem["occurrences"] == 2 and not problem["breaching"] and problem["trend"] == "recovered"
    # breaching again before anyone resolved it: the same problem, one more occurrence
    _run(hc, actor, tmp_path, [10, 10, 100, 20])
    same = hc.monitor.problems.list(actor)["items"]
    assert len(same) == 1 and same[0]["occurrences"] == 3 and same[0]["breaching"]


def test_acknowledge_and_resolve_take_a_note_and_a_later_breach_opens_a_new_problem(
        hc: Haechi, actor: Actor, other_actor: Actor, tmp_path: Path) -> None:
    _setup(hc, actor)
    _run(hc, actor, tmp_path, [10, 10, 100])
    first = hc.monitor.problems.list(actor)["items"][0]["id"]
    for empty in (None, "", "   "):
        with pytest.raises(ValidationFailed) as refused:
            hc.monitor.problems.acknowledge(actor, first, empty)
        assert refused.value.issues[0].location == "note"
    with pytest.raises(NotFound):
        hc.monitor.problems.acknowledge(other_actor, first, "not mine")
    acked = hc.monitor.problems.acknowledge(actor, first, "카메라 조명 확인 중")
    assert acked["status"] == "acknowledged" and acked["acknowledged"]["note"] == "카메라 조명 확인 중"
    assert acked["acknowledged"]["by"] == actor.label
    assert {a["status"] for a in hc.monitor.alerts(actor)["items"]} == {"acknowledged"}
    with pytest.raises(Conflict):
        hc.monitor.problems.acknowledge(actor, first, "again")
    done = hc.monitor.problems.resolve(actor, first, "조명 교체 완료")
    assert [p["note"] for p in _ledger(hc, "monitor.problem.acknowledged") + _ledger(hc, "monitor.problem.resolved")
            ] == ["카메라 조명 확인 중", "조명 교체 완료"]
    assert done["status"] == "resolved" and done["resolved"]["note"] == "조명 교체 완료"
    assert {a["status"] for a in hc.monitor.alerts(actor)["items"]} == {"resolved"}
    with pytest.raises(Conflict):
        hc.monitor.problems.resolve(actor, first, "again")
    # a breach after the resolution is news: a new problem that follows the resolved one
    _run(hc, actor, tmp_path, [10, 10, 100, 100, 15])
    items = hc.monitor.problems.list(actor)["items"]
    assert [p["status"] for p in items] == ["open", "resolved"]  # unresolved first
    assert items[0]["follows"] == first and items[0]["occurrences"] == 1
    assert hc.monitor.problems.list(actor, status="active")["total"] == 1
    assert hc.monitor.problems.list(actor, family="volume", severity="low")["total"] == 2
    assert hc.monitor.problems.list(actor, family="fairness")["total"] == 0
    with pytest.raises(ValidationFailed):
        hc.monitor.problems.list(actor, status="closed")


def test_paging_of_problems(hc: Haechi, actor: Actor, tmp_path: Path) -> None:
    _setup(hc, actor)
    folder = tmp_path / "log"
    folder.mkdir()
    # each resolved problem and the next breach make one more problem
    rows = [10, 100]
    _run(hc, actor, folder, rows)
    for _ in range(4):
        newest = hc.monitor.problems.list(actor, status="active")["items"][0]["id"]
        hc.monitor.problems.resolve(actor, newest, "점검 완료")
        rows = [*rows, 10, 100]
        _run(hc, actor, folder, rows)
    first = hc.monitor.problems.list(actor, limit=2, offset=0)
    second = hc.monitor.problems.list(actor, limit=2, offset=2)
    last = hc.monitor.problems.list(actor, limit=2, offset=4)
    assert first["total"] == 5 and len(first["items"]) == 2 and len(last["items"]) == 1
    ids = [p["id"] for page in (first, second, last) for p in page["items"]]
    assert len(set(ids)) == 5 and first["items"][0]["status"] == "open"


def test_problems_over_the_api(api: Any, tmp_path: Path) -> None:
    actor = api.hc.accounts.local_actor("acme")
    _setup(api.hc, actor)
    _run(api.hc, actor, tmp_path, [10, 10, 10])
    listed = api.get("/api/v1/problems", params={"status": "open", "limit": 10}).json()
    assert listed["total"] == 1 and listed["limit"] == 10 and listed["offset"] == 0
    pid = listed["items"][0]["id"]
    assert api.get(f"/api/v1/problems/{pid}").json()["occurrences"] == 3
    missing = api.post(f"/api/v1/problems/{pid}/acknowledge", json={"note": "  "})
    assert missing.status_code == 422 and missing.json()["error"]["errors"][0]["location"] == "note"
    assert missing.json()["error"]["message_ko"]
    assert api.post(f"/api/v1/problems/{pid}/acknowledge", json={"note": "looking"}).json()["status"] == "acknowledged"
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    assert api.post(f"/api/v1/problems/{pid}/resolve", json={"note": "x"}, headers=viewer).status_code == 403
    assert api.post(f"/api/v1/problems/{pid}/resolve", json={"note": "fixed"}).json()["status"] == "resolved"
    assert api.post(f"/api/v1/problems/{pid}/resolve", json={"note": "fixed"}).status_code == 409
    assert api.get("/api/v1/problems/999999").status_code == 404
    # the compatible alert endpoint asks for a note too
    alert = api.get("/api/v1/alerts").json()["items"][0]["id"]
    assert api.patch(f"/api/v1/alerts/{alert}", json={"status": "acknowledged"}).status_code == 422
    assert api.patch(f"/api/v1/alerts/{alert}", json={"status": "open"}).json()["status"] == "open"


def test_problems_cli_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home"), "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
           "COLUMNS": "200"}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                              timeout=120, check=False)

    assert haechi("init", "--org", "acme", "--name", "Acme").returncode == 0
    (tmp_path / "card.yaml").write_text("id: line-camera\nname: Line camera\n")
    assert haechi("systems", "add", str(tmp_path / "card.yaml")).returncode == 0
    assert haechi("monitor", "run", str(write_days(tmp_path, [10, 10, 10, 10]))).returncode == 0
    listed = json.loads(haechi("monitor", "problems", "list", "--format", "json").stdout)
    assert listed["total"] == 1 and listed["items"][0]["occurrences"] == 4
    pid = str(listed["items"][0]["id"])
    refused = haechi("monitor", "problems", "ack", pid, "--note", " ")
    assert refused.returncode == 2 and "note" in refused.stderr and "Traceback" not in refused.stderr
    assert haechi("monitor", "problems", "ack", pid).returncode == 2  # --note is required
    acked = haechi("monitor", "problems", "ack", pid, "--note", "looking at the lamp")
    assert acked.returncode == 0 and "acknowledged" in acked.stderr
    table = haechi("monitor", "problems", "list", "--status", "acknowledged")
    assert table.returncode == 0 and "line-camera" in table.stdout
    done = json.loads(haechi("monitor", "problems", "resolve", pid, "--note", "lamp replaced", "--format",
                             "json").stdout)
    assert done["status"] == "resolved" and done["resolved"]["note"] == "lamp replaced"
    assert haechi("monitor", "problems", "resolve", pid, "--note", "again").returncode == 2


def test_the_migration_groups_the_alerts_of_an_older_workspace(tmp_path: Path) -> None:
    """A workspace from before problems (its schema one revision down, with the alerts and the
    evidence and incident they fed) gets the same problems, with their links, on upgrade.
    (SQLite only: the PostgreSQL test schema is shared by the session.)"""
    from alembic import command

    from haechi.settings import Settings

    hc = Haechi(Settings(home=tmp_path / "home"))
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor()
    hc.systems.add(actor, SystemCard.model_validate({"id": "line-camera", "name": "Line camera"}))
    spec_file = write_days(tmp_path, [10, 10, 100, 20])
    frame = pd.read_parquet(tmp_path / "log.parquet")
    frame["y_true"] = 1.0  # every prediction of 0 misses: recall 0.5, a performance breach (an incident)
    frame.to_parquet(tmp_path / "log.parquet", index=False)
    spec_file.write_text(SPEC.replace("numeric: [f0]", "label: y_true, numeric: [f0]")
                         + "  recall: {min: 0.99}\n")
    out = hc.monitor.run(actor, load_spec(spec_file))
    assert {a["metric"] for a in out["alerts"]} == {"n", "recall"}
    live = {(p["metric"], p["scope"]): p for p in hc.monitor.problems.list(actor, limit=100)["items"]}
    recall = live[("recall", None)]
    assert recall["incident"] == "INC-1" and len(recall["evidence"]) == recall["occurrences"] == 4
    assert live[("n", None)]["occurrences"] == 3 and live[("n", None)]["incident"] is None
    config = hc.db.alembic_config()
    with hc.db.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        connection.commit()
    with hc.db.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    again = {(p["metric"], p["scope"]): p for p in hc.monitor.problems.list(actor, limit=100)["items"]}
    keep = ("occurrences", "first_seen", "last_seen", "status", "last_value", "worst_value", "incident",
            "controls", "evidence", "breaching", "severity")
    assert {k: {f: p[f] for f in keep} for k, p in again.items()} == {k: {f: p[f] for f in keep}
                                                                      for k, p in live.items()}
    assert {a["problem"] for a in hc.monitor.alerts(actor)["items"]} == {p["id"] for p in again.values()}
    hc.close()
