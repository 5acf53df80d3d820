"""Reading never writes: every GET of the API and the dashboard leaves the database as it
was (a link checker, a prefetcher or a crawler cannot fill the tamper-evident ledger).
Documents are generated with POST, which redirects to a GET of the stored copy."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import _IncludedRouter
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from conftest import Demo
from haechi.demo.build import DEMO_PASSWORD
from haechi.store.compliance_tables import LedgerCheckpoint
from haechi.store.reports_tables import ReportDocument
from haechi.store.tables import LedgerEntry

HTML = {"accept": "text/html"}
#: Values for path parameters of the demo company (by parameter name, then by route).
PATH_VALUES = {"system_id": "hiring-screener", "system": "hiring-screener", "org": "hanbit", "name": "default",
               "kind": "portfolio", "slug": "hiring-screener", "pack": "kr-ai-basic-act", "ref": "C-1"}
ROUTE_VALUES = {"evidence": {"ref": "E-1"}, "risks": {"ref": "R-1"}, "incidents": {"ref": "INC-1"},
                "oscal": {"kind": "component-definition"}, "forms": {"kind": "risk_management_plan"},
                "plans": {"kind": "risk_management_plan"}, "packs": {"ref": "kr-ai-basic-act", "id": "eu-ai-act"},
                "esg/sites": {"id": "changwon"}, "documents/{kind}": {"kind": "risk_management_plan"}}


def _counts(demo: Demo) -> tuple[int, int, int]:
    with demo.hc.db.reader() as s:
        return (s.execute(select(func.count()).select_from(LedgerEntry)).scalar_one(),
                s.execute(select(func.count()).select_from(LedgerCheckpoint)).scalar_one(),
                s.execute(select(func.count()).select_from(ReportDocument)).scalar_one())


@pytest.fixture(scope="module")
def browser_session(demo: Demo) -> Iterator[TestClient]:
    """The dashboard as a logged-in admin (``.csrf`` holds the form token)."""
    with TestClient(demo.client.app, follow_redirects=False) as client:
        login = client.get("/login", headers=HTML)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        form = {"email": "admin@hanbit.example", "password": DEMO_PASSWORD, "next": "/"}
        response = client.post("/login", data={**form, **({"csrf_token": token.group(1)} if token else {})})
        assert response.status_code == 303, response.text
        page = client.get("/systems/hiring-screener/documents", headers=HTML)
        client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[attr-defined,union-attr]
        yield client


def test_post_generates_once_and_redirects_to_the_stored_copy(demo: Demo) -> None:
    before = _counts(demo)
    url = "/api/v1/systems/press-defect-vision/dossier"
    choice = {"variant": "eu-annex-iv", "lang": "en", "format": "html"}
    missing = demo.client.get(url, params=choice)
    assert missing.status_code == 404 and "POST" in missing.json()["error"]["errors"][0]["fix"]
    made = demo.client.post(url, params=choice, follow_redirects=False)
    assert made.status_code == 303
    location = made.headers["location"]
    assert re.fullmatch(r"/api/v1/reports/documents/\d+", location)
    after = _counts(demo)
    assert after == (before[0] + 1, before[1] + 1, before[2] + 1)  # one log entry, one checkpoint, one document
    first, again, newest = demo.client.get(location), demo.client.get(location), demo.client.get(url, params=choice)
    assert first.status_code == again.status_code == newest.status_code == 200
    assert first.content == again.content == newest.content
    assert first.headers["x-haechi-sha256"] == made.headers["x-haechi-sha256"]
    assert "Annex IV" in first.text and ":" in first.headers["x-haechi-checkpoint"]
    assert _counts(demo) == after
    listed = demo.client.get("/api/v1/reports/documents").json()["items"][0]
    assert listed["href"] == location and listed["system"] == "press-defect-vision"


def test_many_gets_of_document_urls_write_nothing(demo: Demo, browser_session: TestClient) -> None:
    api = demo.client
    for method_url in ("/api/v1/systems/hiring-screener/dossier", "/api/v1/reports/portfolio",
                       "/api/v1/systems/hiring-screener/cyclonedx", "/api/v1/exports/xlsx", "/api/v1/exports/csv",
                       "/api/v1/exports/oscal/component-definition"):
        assert api.post(method_url).status_code == 200  # generated once (the redirect followed)
    before = _counts(demo)
    urls = ["/api/v1/systems/hiring-screener/dossier", "/api/v1/reports/portfolio", "/api/v1/exports/xlsx",
            "/api/v1/exports/csv", "/api/v1/systems/hiring-screener/cyclonedx",
            "/api/v1/exports/oscal/component-definition", "/api/v1/reports/documents",
            "/api/v1/transparency/systems/support-chatbot/snapshot",
            "/api/v1/transparency/systems/marketing-image-gen/snapshot"]
    for _ in range(10):
        for url in urls:
            assert api.get(url).status_code == 200, url
        for page in ("/reports", "/systems/hiring-screener/documents"):
            assert browser_session.get(page, headers=HTML).status_code == 200
    assert _counts(demo) == before


def test_dashboard_generates_with_a_form_and_opens_the_stored_copy(demo: Demo, browser_session: TestClient) -> None:
    page = browser_session.get("/systems/hiring-screener/documents", headers=HTML).text
    assert 'action="/documents/generate"' in page and "/api/v1/systems/hiring-screener/dossier?" not in page
    overview = browser_session.get("/reports", headers=HTML).text
    assert 'action="/documents/generate"' in overview and 'href="/api/v1/exports/xlsx"' not in overview
    before = _counts(demo)
    form = {"csrf_token": browser_session.csrf, "what": "dossier", "system": "hiring-screener",  # type: ignore[attr-defined]
            "variant": "model-card", "lang": "ko", "format": "html"}
    made = browser_session.post("/documents/generate", data=form)
    assert made.status_code == 303 and made.headers["location"].startswith("/api/v1/reports/documents/")
    assert _counts(demo)[1] == before[1] + 1
    opened = browser_session.get(made.headers["location"])
    assert opened.status_code == 200 and "모델 카드" in opened.text
    forged = browser_session.post("/documents/generate", data={**form, "csrf_token": "wrong"})
    assert forged.status_code == 403
    assert browser_session.post("/documents/generate", data={**form, "what": "nothing"}).status_code == 422


def _routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        if isinstance(route, _IncludedRouter):
            yield from _routes(route.effective_candidates())
        else:
            yield route


#: Query strings some read routes need to answer 200 with the demo's data.
QUERIES = {"/api/v1/esg/kpi": "?site=changwon", "/api/v1/esg/report": "?from=2026-01-01&to=2026-06-30",
           "/api/v1/incidents/{ref}/report": "?regulator=eu"}


def _url(path: str) -> str:
    query = QUERIES.get(path, "")
    values = dict(PATH_VALUES)
    for marker, extra in ROUTE_VALUES.items():
        if marker in path:
            values.update(extra)
    for name in re.findall(r"{([^}:]+)(?::[^}]*)?}", path):
        path = re.sub("{" + re.escape(name) + r"(?::[^}]*)?}", values.get(name, "1"), path)
    return path + query


def test_no_get_route_writes(demo: Demo, browser_session: TestClient) -> None:
    """Every GET route of the API and the dashboard, called with the demo's ids: no INSERT,
    UPDATE or DELETE except the login session's and the token's own bookkeeping (last use)."""
    writes: list[str] = []

    def spy(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.lstrip().split(None, 3)
        if words and words[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            table = words[2] if words[0].upper() in ("INSERT", "DELETE") else words[1]
            writes.append(table.strip('"').lower())

    event.listen(demo.hc.db.engine, "before_cursor_execute", spy)
    found: dict[str, Counter[str]] = {}
    statuses: dict[str, int] = {}
    try:
        for route in _routes(demo.client.app.routes):
            if "GET" not in (getattr(route, "methods", None) or set()) or route.path in ("/logout",):
                continue
            writes.clear()
            url = _url(route.path)
            client = demo.client if url.startswith("/api/") else browser_session
            statuses[url] = client.get(url, headers=HTML).status_code
            done = Counter(t for t in writes if t not in ("web_sessions", "api_tokens"))
            if done:
                found[url] = done
    finally:
        event.remove(demo.hc.db.engine, "before_cursor_execute", spy)
    assert found == {}
    answered = [url for url, code in statuses.items() if code < 400]  # the walk really reached the handlers
    assert len(answered) >= 0.85 * len(statuses), sorted(u for u in statuses if u not in answered)
