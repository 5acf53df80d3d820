"""Ingestion-only tokens: events and labels of the named systems, 403 on everything else."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from haechi.domain.card import SystemCard
from haechi.ledger import LedgerAction
from haechi.store.tables import LedgerEntry

ALLOWED = {("POST", "/api/v1/systems/{system}/events"), ("POST", "/api/v1/systems/{system}/labels"),
           # OTLP trace export: the system is named per span and checked there (tests/integrations)
           ("POST", "/api/v1/otlp/v1/traces")}
EVENTS = [{"event_id": "e1", "prediction": 1, "score": 0.8, "features": {"x": 1.0}}]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def scoped(api: TestClient) -> tuple[TestClient, str]:
    """Systems ``scorer`` and ``other`` in acme; an ingestion token of the admin for ``scorer``."""
    admin = api.hc.local_actor("acme")  # type: ignore[attr-defined]
    for slug in ("scorer", "other"):
        api.hc.systems.add(admin, SystemCard.model_validate({"id": slug, "name": slug.title()}))  # type: ignore[attr-defined]
    made = api.post("/api/v1/tokens", json={"name": "scoring-service", "ingest_systems": ["scorer"]})
    assert made.status_code == 201, made.text
    return api, made.json()["token"]


def test_a_scoped_token_logs_events_and_labels_of_its_system(scoped: tuple[TestClient, str]) -> None:
    api, token = scoped
    stored = api.post("/api/v1/systems/scorer/events", json=EVENTS, headers=_auth(token))
    assert stored.status_code == 200 and stored.json()["stored"] == 1
    labelled = api.post("/api/v1/systems/scorer/labels", json=[{"event_id": "e1", "label": 1}], headers=_auth(token))
    assert labelled.status_code == 200, labelled.text
    # the admin (full token) sees the event the service logged
    assert api.get("/api/v1/systems/scorer/events/count").json()["events"] == 1


def test_a_scoped_token_gets_403_on_every_other_operation(scoped: tuple[TestClient, str]) -> None:
    """Every operation of the OpenAPI document, with this token: only the two ingestion routes pass."""
    from tests.foundation.test_error_shape import openapi_operations

    api, token = scoped
    tried = 0
    for method, path, public in openapi_operations(api):
        if (method, path) in ALLOWED or public:
            continue
        url = re.sub(r"\{system\}|\{slug\}|\{system_id\}", "scorer", path)
        url = re.sub(r"\{[^}]+\}", "1", url)
        response = api.request(method, url, headers=_auth(token))
        assert response.status_code == 403, (method, path, response.status_code, response.text[:200])
        assert response.json()["error"]["code"], response.text
        tried += 1
    assert tried > 50
    for kind in ("events", "labels"):
        other = api.post(f"/api/v1/systems/other/{kind}", json=EVENTS, headers=_auth(token))
        assert other.status_code == 403 and "'other'" in other.json()["error"]["message"]
        assert other.json()["error"]["message_ko"]


def test_scope_is_checked_when_issued_and_recorded_in_the_ledger(scoped: tuple[TestClient, str]) -> None:
    api, _ = scoped
    hc = api.hc  # type: ignore[attr-defined]
    editor = api.tokens["editor"]  # type: ignore[attr-defined]
    not_admin = api.post("/api/v1/tokens", json={"ingest_systems": ["scorer"]}, headers=_auth(editor))
    assert not_admin.status_code == 403
    unknown = api.post("/api/v1/tokens", json={"ingest_systems": ["nope"]})
    assert unknown.status_code == 404 and "nope" in unknown.json()["error"]["message"]
    empty = api.post("/api/v1/tokens", json={"ingest_systems": []})
    assert empty.status_code == 422
    viewer_owned = api.post("/api/v1/tokens", json={"email": "viewer@acme.example", "ingest_systems": ["scorer"]})
    assert viewer_owned.status_code == 422 and "viewer" in viewer_owned.json()["error"]["message"]
    with hc.db.reader() as s:
        issued = s.execute(select(LedgerEntry.payload).where(
            LedgerEntry.action == LedgerAction.TOKEN_CREATE_INGEST.value)).scalars().all()
    assert len(issued) == 1 and json.loads(issued[0])["ingest_systems"] == ["scorer"]
    listed = api.get("/api/v1/tokens").json()["items"]
    assert [t["ingest_systems"] for t in listed if t["name"] == "scoring-service"] == [["scorer"]]


def test_a_scoped_token_cannot_reach_another_organisation(scoped: tuple[TestClient, str]) -> None:
    from tests.conftest import org_with_users

    api, token = scoped
    hc = api.hc  # type: ignore[attr-defined]
    org_with_users(hc, "globex")
    hc.systems.add(hc.local_actor("globex"), SystemCard.model_validate({"id": "scorer", "name": "Theirs"}))
    api.post("/api/v1/systems/scorer/events", json=EVENTS, headers=_auth(token))
    theirs = hc.lake.event_count(hc.local_actor("globex"), "scorer", None, None)
    assert theirs == 0


def test_revoked_scoped_token_is_refused(scoped: tuple[TestClient, str]) -> None:
    api, token = scoped
    token_id = next(t["id"] for t in api.get("/api/v1/tokens").json()["items"] if t["name"] == "scoring-service")
    assert api.delete(f"/api/v1/tokens/{token_id}").status_code == 200
    assert api.post("/api/v1/systems/scorer/events", json=EVENTS, headers=_auth(token)).status_code == 401


def test_cli_issues_and_lists_an_ingestion_token(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme").code == 0
    assert cli("users", "create", "svc@acme.example", "--role", "editor").code == 0
    card = {"id": "scorer", "name": "Scorer"}
    from haechi.core import Haechi

    with Haechi() as hc:  # the same HAECHI_HOME as the cli fixture
        hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate(card))
    made = cli("tokens", "create", "svc@acme.example", "--ingest", "scorer", "--name", "svc", "--format", "json")
    assert made.code == 0, made.err
    assert made.json()["token"].startswith("hct_")
    listed = cli("tokens", "list", "--format", "json").json()
    assert [t["ingest_systems"] for t in listed] == [["scorer"]]
    missing = cli("tokens", "create", "svc@acme.example", "--ingest", "nope")
    assert missing.code == 2 and "nope" in missing.err


def test_dashboard_admin_issues_an_ingestion_token(api: TestClient) -> None:
    from tests.conftest import web_login

    hc = api.hc  # type: ignore[attr-defined]
    admin = hc.local_actor("acme")
    hc.systems.add(admin, SystemCard.model_validate({"id": "scorer", "name": "Scorer"}))
    hc.accounts.set_password(admin, "admin@acme.example", "quiet-harbour-lantern-42")
    browser = TestClient(api.app)
    web_login(browser, "admin@acme.example", "quiet-harbour-lantern-42")
    page = browser.get("/settings", headers={"Accept": "text/html"})
    assert 'value="scorer"' in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    made = browser.post("/settings/tokens/ingest", data={"csrf_token": csrf, "systems": ["scorer"], "name": "svc"})
    assert made.status_code == 200
    token = re.search(r'<code id="new-token">([^<]+)</code>', made.text).group(1)  # type: ignore[union-attr]
    assert api.post("/api/v1/systems/scorer/events", json=EVENTS, headers=_auth(token)).status_code == 200
    assert api.get("/api/v1/systems", headers=_auth(token)).status_code == 403
