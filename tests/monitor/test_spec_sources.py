"""Where a monitor spec may read from: a spec sent over the API (and run by the dashboard or
the scheduler) reads its system's log lake or files in its organisation's monitor file
area, never another path on the server; the CLI operator's spec file still reads local files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi.domain.card import SystemCard
from haechi.monitor.scheduler import run_due
from haechi.store.monitor_tables import Monitor
from haechi.store.tables import System

SPEC: dict[str, Any] = {
    "columns": {"timestamp": "ts", "prediction": "y_pred", "label": "y_true", "score": "score",
                "sensitive": ["sex"], "categorical": ["c0"]},
    "reference": {"start": "2026-01-01", "end": "2026-01-06"},
    "window": "1d",
    "thresholds": {"psi": {"max": 0.1}},
}
URL = "/api/v1/systems/screener/monitors/default"


@pytest.fixture
def setup(api: Any, tmp_path: Path) -> dict[str, Any]:
    """Org ``acme`` with a system, an editor's headers, and a secret log of another tenant."""
    hc = api.hc
    acme = hc.accounts.local_actor("acme")
    hc.systems.add(acme, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    other = hc.settings.lake_path() / "beta" / "payroll" / "date=2026-01-02"
    other.mkdir(parents=True)
    secret = write_log(make_log(), other / "part-0.parquet")
    cards = tmp_path / "stray" / "cards.csv"
    cards.parent.mkdir()
    cards.write_text("ts,y_pred,y_true,score,sex,c0\n2026-01-02,1,1,0.5,F,4111111111111111\n")
    editor = {"Authorization": f"Bearer {api.tokens['editor']}"}
    return {"hc": hc, "actor": acme, "secret": secret, "cards": cards, "editor": editor}


def _hidden(text: str, *paths: Path) -> bool:
    return all(str(p) not in text for p in paths) and "/tmp" not in text


@pytest.mark.parametrize("field", ["log", "reference.log"])
def test_a_spec_sent_over_the_api_cannot_name_a_server_path(api: Any, setup: dict[str, Any], field: str) -> None:
    secret, cards = setup["secret"], setup["cards"]
    lake = setup["hc"].settings.lake_path()
    for given in [str(secret), str(cards), f"{lake}/*/*/*/*.parquet", "../../lake/beta/payroll",
                  "data/../../../etc/passwd", "~/cards.csv", "file:///etc/passwd", "C:\\data\\x.csv",
                  "\\\\server\\share\\x.csv", "https://internal.example/x.parquet"]:
        body = {**SPEC, "log": given} if field == "log" else {
            **SPEC, "reference": {"log": given}, "log": "fine.parquet"}
        response = api.put(URL, json=body, headers=setup["editor"])
        assert response.status_code == 422, (given, response.text)
        error = response.json()["error"]
        assert error["errors"][0]["location"] == field, error
        assert "monitor files" in error["errors"][0]["fix"], error
        assert error["message_ko"]
        assert _hidden(response.text, secret, cards, lake), response.text
    assert api.get("/api/v1/monitors").json()["total"] == 0  # nothing was saved


def test_base_dir_cannot_be_smuggled_in(api: Any, setup: dict[str, Any]) -> None:
    response = api.put(URL, json={**SPEC, "log": "etc/passwd", "base_dir": "/"}, headers=setup["editor"])
    assert response.status_code == 422 and response.json()["error"]["errors"][0]["location"] == "base_dir"


def test_a_stored_spec_with_a_server_path_never_reads_it(api: Any, setup: dict[str, Any]) -> None:
    """A spec stored before these rules (or written into the database) is refused when the
    API, the dashboard or the scheduler runs it, and the failure names no path."""
    hc, secret = setup["hc"], setup["secret"]
    with hc.db.transaction() as s:
        system = s.query(System).filter_by(slug="screener").one()
        s.add(Monitor(org_id=system.org_id, system_id=system.id, name="default", schedule="1h",
                      spec={**SPEC, "system": "screener", "name": "default", "schedule": "1h",
                            "log": str(secret.parent.parent.parent / "*" / "*" / "*.parquet")}))
    response = api.post(f"{URL}/run", headers=setup["editor"])
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["location"] == "log"
    assert _hidden(response.text, secret), response.text
    assert run_due(hc.monitor, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)) == 1
    runs = api.get(f"{URL}/runs").json()["items"]
    assert [r["status"] for r in runs] == ["error", "error"] and all(_hidden(r["error"], secret) for r in runs)
    assert api.get(f"{URL}/results").json()["windows"] == []
    page = api.get("/systems/screener/monitoring?format=json").json()
    assert _hidden(str(page), secret)


def test_files_in_the_organisation_area_are_read(api: Any, setup: dict[str, Any]) -> None:
    hc, actor = setup["hc"], setup["actor"]
    area = hc.monitor.files_dir(actor)
    (area / "hiring").mkdir(parents=True)
    write_log(make_log(), area / "hiring" / "log.parquet")
    shutil.copy(area / "hiring" / "log.parquet", area / "training.parquet")
    for log in ["hiring/log.parquet", "hiring/*.parquet", "hiring", "./hiring/log.parquet"]:
        saved = api.put(URL, json={**SPEC, "log": log}, headers=setup["editor"])
        assert saved.status_code == 200, saved.text
        run = api.post(f"{URL}/run", headers=setup["editor"])
        assert run.status_code == 200, run.text
        assert run.json()["windows"] and run.json()["windows"][-1]["n"] > 0
    body = {**SPEC, "log": "hiring/log.parquet", "reference": {"log": "training.parquet"}}
    assert api.put(URL, json=body, headers=setup["editor"]).status_code == 200
    assert api.post(f"{URL}/run", headers=setup["editor"]).status_code == 200
    missing = api.put(URL, json={**SPEC, "log": "nothing-here.parquet"}, headers=setup["editor"])
    assert missing.status_code == 200  # saving checks the form; the file may arrive later
    run = api.post(f"{URL}/run", headers=setup["editor"])
    assert run.status_code == 422 and "nothing-here.parquet" in run.text and _hidden(run.text, area)


def test_a_symlink_out_of_the_area_is_refused(api: Any, setup: dict[str, Any]) -> None:
    hc, actor, secret = setup["hc"], setup["actor"], setup["secret"]
    area = hc.monitor.files_dir(actor)
    area.mkdir(parents=True)
    os.symlink(secret, area / "leak.parquet")
    os.symlink(secret.parent, area / "leakdir")
    for log in ["leak.parquet", "leakdir", "*.parquet", "leakdir/*.parquet"]:
        assert api.put(URL, json={**SPEC, "log": log}, headers=setup["editor"]).status_code == 200
        run = api.post(f"{URL}/run", headers=setup["editor"])
        assert run.status_code == 422, (log, run.text)
        assert run.json()["error"]["errors"][0]["location"] == "log"
        assert _hidden(run.text, secret, area), run.text
    assert api.get(f"{URL}/results").json()["windows"] == []


def test_the_cli_operator_still_runs_a_local_spec_file_and_the_api_never_shows_its_folder(
        api: Any, setup: dict[str, Any], tmp_path: Path) -> None:
    hc, actor = setup["hc"], setup["actor"]
    folder = tmp_path / "operator"
    folder.mkdir()
    log = write_log(make_log(), folder / "log.parquet")
    from haechi.monitor.spec import load_spec

    path = write_spec(folder, log)
    path.write_text(path.read_text().replace("test-system", "screener"))
    spec = load_spec(path)
    out = hc.monitor.run(actor, spec)
    assert out["windows"]
    again = api.post(f"{URL}/run", headers=setup["editor"])  # the operator's stored monitor
    assert again.status_code == 200, again.text
    shown = api.get(URL).json()
    assert "base_dir" not in shown["spec"] and str(folder) not in str(shown)


def test_files_uploaded_over_the_api_are_what_specs_read(api: Any, setup: dict[str, Any], tmp_path: Path) -> None:
    editor = setup["editor"]
    log = write_log(make_log(), tmp_path / "upload.parquet").read_bytes()
    put = api.put("/api/v1/monitor-files/hiring/log.parquet", content=log, headers=editor)
    assert put.status_code == 200, put.text
    assert put.json()["name"] == "hiring/log.parquet" and put.json()["size"] == len(log)
    listed = api.get("/api/v1/monitor-files").json()["items"]
    assert [f["name"] for f in listed] == ["hiring/log.parquet"] and "/tmp" not in str(listed)
    assert api.put(URL, json={**SPEC, "log": "hiring/log.parquet"}, headers=editor).status_code == 200
    assert api.post(f"{URL}/run", headers=editor).status_code == 200
    for bad in ["../escape.parquet", "%2e%2e/escape.parquet", "a/../../x.csv", "notes.txt", "x/.hidden.csv",
                "a/b/c/d/e.csv", "sp ace.csv"]:
        response = api.put(f"/api/v1/monitor-files/{bad}", content=b"a,b\n1,2\n", headers=editor)
        assert response.status_code in (404, 422), (bad, response.text)
    assert [f["name"] for f in api.get("/api/v1/monitor-files").json()["items"]] == ["hiring/log.parquet"]
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    assert api.put("/api/v1/monitor-files/x.csv", content=b"a\n1\n", headers=viewer).status_code == 403
    other = setup["hc"].settings.home / "files" / "beta" / "monitor"
    assert not other.exists()  # nothing lands outside the organisation's folder
    assert api.delete("/api/v1/monitor-files/hiring/log.parquet", headers=editor).status_code == 204
    assert api.get("/api/v1/monitor-files").json()["items"] == []


def test_the_dashboard_run_refuses_a_stored_server_path(api: Any, setup: dict[str, Any]) -> None:
    import re

    from fastapi.testclient import TestClient
    from tests.conftest import web_login

    from haechi.api import create_app

    hc, secret = setup["hc"], setup["secret"]
    with hc.db.transaction() as s:
        system = s.query(System).filter_by(slug="screener").one()
        s.add(Monitor(org_id=system.org_id, system_id=system.id, name="default",
                      spec={**SPEC, "system": "screener", "name": "default", "log": str(secret)}))
    hc.accounts.create_user(setup["actor"], "ed@acme.example", "editor", "long-password-123", "Ed")
    with TestClient(create_app(hc=hc)) as web:
        web_login(web, "ed@acme.example", "long-password-123")
        page = web.get("/systems/screener/monitoring", headers={"Accept": "text/html"})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        ran = web.post("/systems/screener/monitoring/run", data={"csrf_token": csrf, "monitor": "default"},
                       headers={"Accept": "text/html"}, follow_redirects=False)
        assert ran.status_code == 422, ran.text[:300]
        assert "monitor files" in ran.text and _hidden(ran.text, secret)
        after = web.get("/systems/screener/monitoring", headers={"Accept": "text/html"})
        assert _hidden(after.text, secret)
    assert api.get(f"{URL}/results").json()["windows"] == []
