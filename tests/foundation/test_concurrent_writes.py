"""Many writers in one organisation at once, through the API, on SQLite and PostgreSQL.

Real threads send real requests (TestClient, one event loop per request) against a real
database: no request may end in a 500, identical evidence is stored once, two creations
of the same system give one 201 and a 409 in the single error shape, and the ledger
chain stays intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from tests.compliance.cards import HIRING
from tests.conftest import make_haechi, org_with_users

THREADS = 10


@pytest.fixture(params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    hc: Haechi = make_haechi(request.param, tmp_path / "home", request)
    tokens = org_with_users(hc, "acme")
    api = TestClient(create_app(hc=hc), raise_server_exceptions=False)
    api.headers["Authorization"] = f"Bearer {tokens['admin']}"
    api.hc = hc  # type: ignore[attr-defined]
    yield api
    api.close()
    hc.close()


def _all_at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda call: call(), calls, timeout=240))


def _card(slug: str) -> dict[str, Any]:
    return {**HIRING, "id": slug, "name": f"System {slug}"}


def _no_server_errors(responses: list[httpx.Response]) -> None:
    failed = [(r.status_code, r.text[:300]) for r in responses if r.status_code >= 500]
    assert not failed, f"{len(failed)} of {len(responses)} requests failed: {failed[:3]}"


def _chain_ok(api: TestClient) -> None:
    report = api.get("/api/v1/audit/verify")
    assert report.status_code == 200 and report.json()["ok"], report.text[:500]


def test_mixed_writers_in_one_organisation_never_get_a_500(client: TestClient) -> None:
    assert client.post("/api/v1/systems", json=_card("base")).status_code == 201
    calls: list[Callable[[], httpx.Response]] = []
    for i in range(16):
        calls.append(lambda i=i: client.post("/api/v1/systems", json=_card(f"sys-{i}")))
        calls.append(lambda i=i: client.post("/api/v1/evidence/records", json={
            "record": {"check": i}, "title": f"check {i}", "system": "base"}))
        calls.append(lambda i=i: client.post("/api/v1/incidents", json={"title": f"incident {i}", "system": "base"}))
        calls.append(lambda i=i: client.post("/api/v1/risks", json={
            "title": f"risk {i}", "likelihood": 2, "severity": 3, "system": "base"}))
    responses = _all_at_once(calls)
    _no_server_errors(responses)
    assert all(r.status_code == 201 for r in responses), [(r.status_code, r.text[:200]) for r in responses]
    assert client.get("/api/v1/systems", params={"limit": 100}).json()["total"] == 17
    _chain_ok(client)


def test_identical_evidence_sent_at_once_is_stored_once(client: TestClient) -> None:
    assert client.post("/api/v1/systems", json=_card("base")).status_code == 201
    before = client.get("/api/v1/evidence").json()["total"]  # e.g. the classification record
    record = {"record": {"accuracy": 0.91, "run": "2026-03"}, "title": "accuracy", "system": "base"}
    auto = {"system": "base", "kind": "monitoring_result", "title": "drift ok", "payload": {"psi": 0.02}}
    responses = _all_at_once([lambda: client.post("/api/v1/evidence/records", json=record)] * THREADS)
    _no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    responses = _all_at_once([lambda: client.post("/api/v1/evidence/auto", json=auto)] * THREADS)
    _no_server_errors(responses)
    assert sum(not r.json()["deduplicated"] for r in responses) == 1
    responses = _all_at_once([lambda: client.post(
        "/api/v1/evidence", files={"file": ("report.txt", b"same bytes", "text/plain")},
        data={"title": "report", "system": "base"})] * THREADS)
    _no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    items = client.get("/api/v1/evidence", params={"limit": 100}).json()
    assert items["total"] == before + 3, [i["title"] for i in items["items"]]
    _chain_ok(client)


def test_creating_the_same_system_at_once_gives_one_201_and_409s(client: TestClient) -> None:
    responses = _all_at_once([lambda: client.post("/api/v1/systems", json=_card("twin"))] * THREADS)
    _no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    for loser in (r for r in responses if r.status_code == 409):
        error = loser.json()["error"]
        assert loser.json()["ok"] is False and error["code"] == "conflict" and error["message_ko"]
    _chain_ok(client)
