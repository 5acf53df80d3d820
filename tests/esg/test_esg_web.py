"""ESG pages through the ASGI app on the demo company: HTML, JSON twins, Korean."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from esg_data import build_esg_demo
from fastapi.testclient import TestClient
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.demo.build import DEMO_PASSWORD

HTML = {"Accept": "text/html"}
PERIOD = "from=2025-12-01&to=2026-11-25"


@pytest.fixture(scope="module")
def web() -> Iterator[TestClient]:
    hc = Haechi(memory=True)
    build_esg_demo(hc, dt.date(2026, 11, 26))
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        response = web_login(client, "viewer@hanbit.example", DEMO_PASSWORD, "/esg")
        assert response.status_code == 303
        yield client
    hc.close()


def test_overview_page_and_twin(web: TestClient) -> None:
    page = web.get(f"/esg?{PERIOD}", headers=HTML)
    assert page.status_code == 200 and "Scope 2 location-based" in page.text
    assert 'data-esg-chart="esg-systems-data"' in page.text and "chart.umd.min.js" in page.text
    twin = web.get(f"/esg?{PERIOD}&format=json").json()
    assert twin["totals"]["emissions_market_tco2e"] < twin["totals"]["emissions_location_tco2e"]
    assert twin["chart"]["labels"] == [s["system"] for s in twin["by_system"]]
    assert [s["name"] for s in twin["chart"]["series"]] == ["emissions_location_tco2e", "emissions_market_tco2e"]
    assert twin["sites"][0]["id"] == "changwon"
    embedded = re.search(r'<script type="application/json" id="esg-systems-data">(.*?)</script>', page.text, re.S)
    assert embedded and "emissions_location_tco2e" in embedded.group(1)


def test_site_page_shows_effects_with_label(web: TestClient) -> None:
    twin = web.get(f"/esg/sites/changwon?{PERIOD}&format=json").json()
    press = next(line for line in twin["lines"] if line["line"] == "press-2")
    vision = next(s for s in press["effects"] if s["system"] == "press-defect-vision")
    scrap = next(e for e in vision["effects"] if e["kpi"] == "scrap_rate")
    assert scrap["verdict"] == "improved" and scrap["ci_high"] < 0
    assert len(press["chart"]["labels"]) == 12 and "2026-06-01" in press["chart"]["markers"]
    page = web.get(f"/esg/sites/changwon?{PERIOD}", headers=HTML)
    assert "not causal proof" in page.text and "press-defect-vision" in page.text


def test_system_tab_in_korean(web: TestClient) -> None:
    web.get("/lang/ko?next=/esg")
    page = web.get(f"/systems/compressed-air-optimizer/esg?{PERIOD}", headers=HTML)
    assert page.status_code == 200 and "순효과" in page.text and "인과관계의 증거가 아닙니다" in page.text
    twin = web.get(f"/systems/compressed-air-optimizer/esg?{PERIOD}&format=json").json()
    assert {r["method"] for r in twin["records"]} == {"estimated", "metered"}
    assert twin["effects"][0]["net"]["avoided_energy_kwh"] > 0
    web.get("/lang/en?next=/esg")


def test_unknown_site_is_404_and_bad_period_is_clear(web: TestClient) -> None:
    assert web.get("/esg/sites/nowhere?format=json").status_code == 404
    bad = web.get("/esg?from=yesterday&format=json")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_home_panel(web: TestClient) -> None:
    page = web.get("/", headers=HTML)
    assert page.status_code == 200 and "AI energy and emissions, last 12 months" in page.text
    assert web.get("/?format=json").json()["panels"]["esg"]["to"] == dt.date.today().isoformat()
