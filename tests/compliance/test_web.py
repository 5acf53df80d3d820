"""Compliance dashboard through the ASGI app: every page in Korean and English with its
JSON twin, forms with CSRF, guided plan forms with field errors, roles and tenancy; and a
real Chromium rendering the incident countdown and the risk heat map."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.auth.roles import Actor
from haechi.domain.localformat import local_datetime
from tests.conftest import web_login

from .cards import card
from .conftest import PDF

HTML = {"Accept": "text/html"}
PAGES = ["/compliance", "/systems/hiring-screener/compliance", "/compliance/controls/C-2", "/compliance/risks",
         "/compliance/incidents", "/compliance/incidents/INC-1", "/systems/hiring-screener/plans/impact_assessment",
         "/systems/hiring-screener/plans/eu_fria", "/compliance/audit", "/"]


@pytest.fixture
def admin(hc: Haechi) -> Actor:
    hc.accounts.create_org("acme", "Acme", "에이크미")
    actor = hc.local_actor("acme")
    for role in ("admin", "editor", "viewer"):
        hc.accounts.create_user(actor, f"{role}@acme.example", role, "password-123")
    hc.systems.add(actor, card())
    hc.compliance.evidence.add_file(actor, PDF, filename="plan.pdf", system="hiring-screener", title="Plan",
                                    controls=["C-2"], evidence_type="plan")
    hc.compliance.risks.add(actor, title="Bias", system="hiring-screener", likelihood=4, severity=4)
    hc.compliance.incidents.open(actor, title="Unfair rejections", system="hiring-screener",
                                 categories=["fundamental_rights_infringement"])
    return actor


@pytest.fixture
def web(hc: Haechi, admin: Actor) -> Iterator[TestClient]:
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        yield client


def login(client: TestClient, role: str = "editor") -> str:
    response = web_login(client, f"{role}@acme.example", "password-123")
    assert response.status_code == 303
    page = client.get("/compliance", headers=HTML)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_renders_translated_with_a_json_twin(web: TestClient, lang: str) -> None:
    login(web, "admin")
    web.cookies.set("haechi_lang", lang)
    for path in PAGES:
        page = web.get(path, headers=HTML)
        assert page.status_code == 200, (path, page.text[:500])
        assert not re.search(r">\s*compliance\.[a-z_.]+", page.text), path  # no untranslated key shown
        assert web.get(path + ("&" if "?" in path else "?") + "format=json").status_code == 200, path
    korean = web.get("/compliance", headers=HTML).text
    assert ("정직한 충족률" in korean) == (lang == "ko")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_confirmation_clocks_link_to_the_system_in_the_page_language(hc: Haechi, admin: Actor, lang: str) -> None:
    hc.compliance.confirmations.submit(admin, "hiring-screener")  # before the app starts its upkeep thread
    with TestClient(create_app(hc=hc), follow_redirects=False) as web:
        login(web, "admin")
        web.cookies.set("haechi_lang", lang)
        for path in ("/", "/compliance"):
            page = web.get(path, headers=HTML).text
            assert "/compliance/incidents/None" not in page, path  # was a dead link for confirmation clocks
            assert 'href="/systems/hiring-screener/compliance">hiring-screener: ' in page, path
            assert ("과기정통부 확인 요청 #1" in page) == (lang == "ko"), path


def test_json_twins_carry_the_status_data(web: TestClient) -> None:
    login(web)
    data = web.get("/compliance?format=json").json()
    assert set(data["totals"]) == {"met", "at_risk", "unmet", "unknown"}
    assert data["clocks"][0]["clock"] == "eu.73.serious" and data["risk_heatmap"]["rows"]
    system = web.get("/systems/hiring-screener/compliance?format=json").json()
    assert system["controls"][0]["ref"] == "C-1" and system["evidence"]


def test_status_change_evidence_upload_and_csrf(web: TestClient, hc: Haechi, admin: Actor) -> None:
    token = login(web)
    moved = web.post("/compliance/controls/C-2/status", data={"status": "in_progress", "csrf_token": token})
    assert moved.status_code == 303 and hc.compliance.controls.get(admin, "C-2")["status"] == "in_progress"
    forged = web.post("/compliance/controls/C-2/status", data={"status": "not_started"})
    assert forged.status_code == 403
    assert hc.compliance.controls.get(admin, "C-2")["status"] == "in_progress"
    up = web.post("/compliance/evidence", data={"csrf_token": token, "system": "hiring-screener", "controls": "C-5",
                                                "evidence_type": "training_record", "title": "Oversight training",
                                                "back": "/systems/hiring-screener/compliance"},
                  files={"file": ("training.pdf", PDF + b"%t", "application/pdf")})
    assert up.status_code == 303 and up.headers["location"] == "/systems/hiring-screener/compliance"
    assert any(e["title"] == "Oversight training" for e in hc.compliance.evidence.list(admin, control="C-5"))
    bad = web.post("/compliance/evidence", headers=HTML, data={"csrf_token": token, "title": "x"},
                   files={"file": ("x.pdf", b"MZ" + b"\0" * 30, "application/pdf")})
    assert bad.status_code == 422 and "executable" in bad.text
    evil = web.post("/compliance/evidence", data={"csrf_token": token, "url": "https://a.example/x",
                                                  "back": "//evil.example"})
    assert evil.headers["location"] == "/compliance"


def test_plan_form_shows_errors_by_field_and_approves(web: TestClient, hc: Haechi, admin: Actor) -> None:
    token = login(web)
    page = web.get("/systems/hiring-screener/plans/human_oversight", headers=HTML)
    assert 'value="Kim Min-ji"' in page.text  # suggested from the card's oversight owner
    wrong = web.post("/systems/hiring-screener/plans/human_oversight", headers=HTML,
                     data={"csrf_token": token, "name": "Kim", "email": "not-an-email", "approve": "1"})
    assert wrong.status_code == 422 and 'href="#q-email"' in wrong.text and "write an e-mail address" in wrong.text
    ok = web.post("/systems/hiring-screener/plans/human_oversight", data={
        "csrf_token": token, "name": "Kim Min-ji", "email": "oversight@acme.example", "powers": ["override", "stop"],
        "measures": "reviews rejections", "posted_at": "https://acme.example/ai", "approve": "1"})
    assert ok.status_code == 303
    doc = hc.compliance.documents.get(admin, "hiring-screener", "human_oversight")
    assert doc["status"] == "approved" and doc["answers"]["powers"] == ["override", "stop"]
    assert hc.compliance.evidence.get(admin, doc["evidence"])["controls"] == ["C-5"]


def test_incident_and_risk_forms(web: TestClient, hc: Haechi, admin: Actor) -> None:
    token = login(web)
    opened = web.post("/compliance/incidents", data={"csrf_token": token, "title": "Outage",
                                                     "system": "hiring-screener", "categories": "death",
                                                     "severity": "critical"})
    assert opened.status_code == 303 and opened.headers["location"] == "/compliance/incidents/INC-2"
    assert hc.compliance.incidents.get(admin, "INC-2")["clocks"][0]["days"] == 10
    web.post("/compliance/incidents/INC-2", data={"csrf_token": token, "action": "root_cause", "text": "power"})
    web.post("/compliance/incidents/INC-2", data={"csrf_token": token, "action": "file", "reference": "MSA-9"})
    assert hc.compliance.incidents.get(admin, "INC-2")["clocks"][0]["state"] == "met"
    web.post("/compliance/risks", data={"csrf_token": token, "title": "Drift", "likelihood": "3", "severity": "2"})
    web.post("/compliance/risks/R-2", data={"csrf_token": token, "residual_likelihood": "1", "residual_severity": "1"})
    accepted = web.post("/compliance/risks/R-2", data={"csrf_token": token, "action": "accept", "note": "low"})
    assert accepted.status_code == 303 and hc.compliance.risks.get(admin, "R-2")["status"] == "accepted"


def test_viewers_read_but_cannot_change_and_other_orgs_see_nothing(web: TestClient, hc: Haechi) -> None:
    token = login(web, "viewer")
    assert web.get("/compliance/controls/C-2", headers=HTML).status_code == 200
    refused = web.post("/compliance/controls/C-2/status", headers=HTML, data={"status": "in_progress",
                                                                              "csrf_token": token})
    assert refused.status_code == 403
    assert web.get("/compliance/audit", headers=HTML).status_code == 403  # auditors and admins only
    assert "Add evidence" not in web.get("/systems/hiring-screener/compliance", headers=HTML).text
    hc.accounts.create_org("globex", "Globex")
    hc.accounts.create_user(hc.local_actor("globex"), "eve@globex.example", "admin", "password-123")
    web.cookies.clear()
    web_login(web, "eve@globex.example", "password-123")
    for path in ("/compliance/controls/C-2", "/compliance/incidents/INC-1", "/systems/hiring-screener/compliance"):
        assert web.get(path, headers=HTML).status_code == 404, path


@pytest.mark.browser
def _cra_incident(hc: Haechi, admin: Actor) -> str:
    """A connected camera (a CRA product) with an exploited vulnerability found two hours ago."""
    import datetime as dt

    hc.systems.add(admin, card(id="safety-camera", name="Safety camera", roles=["developer"],
                               cra={"product_with_digital_elements": True, "product_class": "default"}))
    aware = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    return str(hc.compliance.incidents.open(admin, title="Camera firmware exploited", system="safety-camera",
                                            cra="exploited_vulnerability", aware_at=aware.isoformat())["ref"])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_cra_clocks_on_the_incident_page(web: TestClient, hc: Haechi, admin: Actor, lang: str) -> None:
    ref = _cra_incident(hc, admin)
    token = login(web, "editor")
    web.cookies.set("haechi_lang", lang)
    page = web.get(f"/compliance/incidents/{ref}", headers=HTML).text
    early = hc.compliance.incidents.get(admin, ref)["clocks"][0]
    assert early["clock"] == "cra.14.early_warning"
    shown = local_datetime(early["due_local"], lang, early["timezone"])  # in the clock's zone, as the reader writes it
    assert shown in page and "Art. 14(2)(a)" in page
    if lang == "ko":
        assert "24시간" in page and "72시간" in page and "조기 경보" in page and "21시간" in page
        assert "제품의 실제 악용되는 취약점" in page and "시간 단위 기한(사이버복원력법)" in page
    else:
        assert "24 hours" in page and "72 hours" in page and "21 hours" in page and "early warning" in page
    filed = web.post(f"/compliance/incidents/{ref}", data={"csrf_token": token, "action": "file",
                                                           "clock": "cra.14.notification", "reference": "EU-7"})
    assert filed.status_code == 303
    states = {c["clock"]: c["state"] for c in hc.compliance.incidents.get(admin, ref)["clocks"]}
    assert states["cra.14.notification"] == "met" and states["cra.14.early_warning"] != "met"
    cleared = web.post(f"/compliance/incidents/{ref}", data={"csrf_token": token, "action": "classify",
                                                             "cra": "none", "severity": "high"})
    assert cleared.status_code == 303 and hc.compliance.incidents.get(admin, ref)["clocks"] == []


def test_chromium_renders_countdown_and_heatmap(browser, hc: Haechi, admin: Actor) -> None:  # type: ignore[no-untyped-def]
    import socket
    import threading

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cra_ref = _cra_incident(hc, admin)
    server = uvicorn.Server(uvicorn.Config(create_app(hc=hc), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            threading.Event().wait(0.05)
        page = browser.new_page()
        base = f"http://127.0.0.1:{port}"
        page.goto(base + "/login")
        page.fill("input[name=email]", "admin@acme.example")
        page.fill("input[name=password]", "password-123")
        page.click("button[type=submit]")
        page.goto(base + "/compliance/incidents/INC-1")
        countdown = page.locator(".countdown").first
        assert re.match(r"\d+ days? \d+ hours? left|\d+ days? left", countdown.inner_text()), countdown.inner_text()
        page.goto(base + f"/compliance/incidents/{cra_ref}")
        early = page.locator("table.clocks tbody tr").first
        assert "24 hours" in early.inner_text() and early.locator(".badge").first.is_visible()
        assert re.fullmatch(r"2[01] hours( \d+ minutes?)? left", early.locator(".countdown").inner_text()), \
            early.locator(".countdown").inner_text()
        page.goto(base + "/compliance/risks")
        cell = page.locator("table.heatmap tbody tr").nth(1).locator("td").nth(3)
        assert "R-1" in cell.inner_text()
        assert cell.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 112, 67)"  # high
        page.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
