"""The monitoring pages: the system tab and the overview, their JSON twins, and the forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from metrics_logs import make_log, write_log, write_spec
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.card import SystemCard
from haechi.monitor.spec import load_spec
from haechi.web.i18n import catalog


@pytest.fixture
def api(hc: Haechi) -> Iterator[TestClient]:
    """A logged-in editor's browser session (``api.csrf`` holds the form token)."""
    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    hc.accounts.create_user(hc.local_actor("acme"), "ana@acme.example", "editor", "password-123")
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        response = web_login(client, "ana@acme.example", "password-123")
        assert response.status_code == 303
        page = client.get("/systems/new", headers={"Accept": "text/html"})
        client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[attr-defined,union-attr]
        client.hc = hc  # type: ignore[attr-defined]
        yield client


def _monitor(api: Any, tmp_path: Path) -> dict[str, Any]:
    hc = api.hc
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    log = write_log(make_log(), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, extra="thresholds:\n  psi: {max: 0.1}\n  recall: {min: 0.9}\n"))
    return hc.monitor.run(actor, spec)


def test_system_tab_json_twin_has_every_chart(api: Any, tmp_path: Path) -> None:
    out = _monitor(api, tmp_path)
    data = api.get("/systems/test-system/monitoring?format=json").json()
    ids = {c["id"] for c in data["charts"]}
    assert {"perf-recall", "fair-demographic_parity_difference", "drift-psi", "drift-ks", "drift-js_distance",
            "missing", "volume"} <= ids
    psi = next(c for c in data["charts"] if c["id"] == "drift-psi")
    assert psi["thresholds"] == [{"label": "max 0.1", "value": 0.1}]
    assert len(psi["labels"]) == len(out["windows"])
    assert {s["name"] for s in psi["series"]} == {"f0", "f1", "f2", "c0", "c1"}
    assert psi["series"][0]["data"][0] == out["windows"][0]["drift"][psi["series"][0]["name"]]["psi"]
    assert data["latest"]["start"] == next(w for w in reversed(out["windows"]) if w["n"])["start"]
    assert sum(p["occurrences"] for p in data["problems"]) == len(out["alerts"])  # a problem per breaching place
    api.cookies.set("haechi_lang", "ko")  # legends name metrics in the page language
    recall = next(c for c in api.get("/systems/test-system/monitoring?format=json").json()["charts"]
                  if c["id"] == "perf-recall")
    assert recall["series"][0]["name"] == "recall" and recall["series"][0]["label"] == "재현율"
    assert recall["thresholds"] == [{"label": "최소 0.9", "value": 0.9}]  # threshold lines too


def test_pages_render_in_both_languages(api: Any, tmp_path: Path) -> None:
    _monitor(api, tmp_path)
    page = api.get("/systems/test-system/monitoring", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "chart.umd.min.js" in page.text and "data-monitor-chart" in page.text
    api.cookies.set("haechi_lang", "ko")
    overview = api.get("/monitoring", headers={"Accept": "text/html"})
    assert overview.status_code == 200 and "모니터링" in overview.text and "test-system" in overview.text


def test_alert_form_and_run_button(api: Any, tmp_path: Path) -> None:
    out = _monitor(api, tmp_path)
    twin = api.get("/monitoring?format=json").json()
    places = {(a["metric"], a["scope"], a["group"]) for a in out["alerts"]}
    assert twin["total"] == len(places) and twin["monitors"][0]["active_problems"] == len(places)
    assert sum(p["occurrences"] for p in twin["problems"]) == len(out["alerts"])
    alert_id = out["alerts"][0]["id"]
    refused = api.post(f"/monitoring/alerts/{alert_id}", data={"status": "resolved"})
    assert refused.status_code == 403  # no CSRF token
    actor = api.hc.accounts.local_actor("acme")
    assert api.hc.monitor.alerts(actor, status="resolved")["total"] == 0
    no_note = api.post(f"/monitoring/alerts/{alert_id}", data={"status": "resolved", "csrf_token": api.csrf})
    assert no_note.status_code == 422
    elsewhere = api.post(f"/monitoring/alerts/{alert_id}", data={"status": "acknowledged", "csrf_token": api.csrf,
                                                                  "note": "looking", "back": "//evil.example/x"})
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/monitoring"  # never another site
    done = api.post(f"/monitoring/alerts/{alert_id}", data={"status": "resolved", "csrf_token": api.csrf,
                                                             "note": "false alarm",
                                                             "back": "/systems/test-system/monitoring"})
    assert done.status_code == 303 and done.headers["location"] == "/systems/test-system/monitoring"
    assert api.hc.monitor.alerts(actor, status="resolved")["total"] == 1
    rerun = api.post("/systems/test-system/monitoring/run", data={"monitor": "default", "csrf_token": api.csrf})
    assert rerun.status_code == 303
    assert api.hc.monitor.runs(actor, "test-system")[0]["cached_windows"] == len(out["windows"])


def test_locale_keys_match() -> None:
    en, ko = catalog("en"), catalog("ko")
    mine = {k for k in en if k.startswith(("monitor.", "nav.monitoring", "tabs.monitoring"))}
    assert mine and mine == {k for k in ko if k.startswith(("monitor.", "nav.monitoring", "tabs.monitoring"))}


def test_a_multiclass_tab_shows_per_class_values_and_the_confusion_matrix(api: Any, tmp_path: Path) -> None:
    hc = api.hc
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    log = write_log(make_log(task="multiclass_classification"), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, "multiclass_classification",
                                "thresholds:\n  class_recall: {min: 0.8, scope: [reject]}\n"))
    out = hc.monitor.run(actor, spec)
    assert {a["scope"] for a in out["alerts"]} == {"reject"}
    data = api.get("/systems/test-system/monitoring?format=json").json()
    ids = {c["id"] for c in data["charts"]}
    assert {"perf-accuracy", "perf-macro_f1", "perf-class_recall", "fair-accuracy_difference"} <= ids
    recall = next(c for c in data["charts"] if c["id"] == "perf-class_recall")
    assert {s["name"] for s in recall["series"]} == set(data["latest"]["classes"])
    html = api.get("/systems/test-system/monitoring", headers={"Accept": "text/html"}).text
    table = html[html.index('data-table="confusion-matrix"'):]
    table = table[:table.index("</table>")]
    matrix = data["latest"]["confusion_matrix"]
    assert [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<th scope="col">(.*?)</th>', table)][1:] == matrix["labels"]
    cells = [int(n) for n in re.findall(r"<td(?: class=\"diagonal\")?>(\d+)</td>", table)]
    assert cells == [n for row in matrix["counts"] for n in row]
    assert table.count('class="diagonal"') == len(matrix["labels"])
    api.cookies.set("haechi_lang", "ko")
    korean = api.get("/systems/test-system/monitoring", headers={"Accept": "text/html"}).text
    assert "혼동 행렬" in korean and "클래스별 재현율" in korean and "매크로 F1 점수" in korean


def test_the_tab_compares_model_versions(api: Any, tmp_path: Path) -> None:
    from metrics_logs import versioned_log

    hc = api.hc
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    path = write_spec(tmp_path, write_log(versioned_log(), tmp_path / "log.parquet"))
    path.write_text(path.read_text().replace("  categorical: [c0, c1]\n",
                                             "  categorical: [c0, c1]\n  model_version: model_version\n"))
    out = hc.monitor.run(actor, load_spec(path))
    data = api.get("/systems/test-system/monitoring?format=json").json()
    compared = [w for w in out["windows"] if len(w["versions"]) > 1]
    assert [(r["start"], r["version"]) for r in data["versions"]] == [
        (w["start"], v) for w in compared for v in w["versions"]]
    assert data["versions"][0]["accuracy"] == compared[0]["versions"]["v1"]["performance"]["accuracy"]
    html = api.get("/systems/test-system/monitoring", headers={"Accept": "text/html"}).text
    table = html[html.index('data-table="versions"'):]
    assert table[:table.index("</table>")].count("<code>v2</code>") == len(compared)
    api.cookies.set("haechi_lang", "ko")
    assert "모델 버전별 비교" in api.get("/systems/test-system/monitoring", headers={"Accept": "text/html"}).text
