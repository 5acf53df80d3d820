"""The registry over HTTP on both databases: round trip, revisions, paging, ETags."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from tests.conftest import org_with_users


@pytest.fixture
def client(db_hc: Haechi) -> Iterator[TestClient]:
    tokens = org_with_users(db_hc, "acme")
    with TestClient(create_app(hc=db_hc)) as c:
        c.headers["Authorization"] = f"Bearer {tokens['editor']}"
        yield c


CARD = {"id": "hiring-screener", "name": "Screener", "domains": ["employment"], "markets": ["KR", "EU"],
        "compute": {"training_flops": 3e21}, "deployed_at": "2026-02-01"}


def test_round_trip(client: TestClient) -> None:
    created = client.post("/api/v1/systems", json=CARD)
    assert created.status_code == 201
    assert created.json() == CARD
    assert created.headers["location"] == "/api/v1/systems/hiring-screener"
    assert created.headers["etag"] == '"rev-1"'
    fetched = client.get("/api/v1/systems/hiring-screener")
    assert fetched.json() == CARD and fetched.headers["x-haechi-revision"] == "1"
    changed = {**CARD, "markets": ["KR"]}
    updated = client.put("/api/v1/systems/hiring-screener", json=changed, headers={"If-Match": '"rev-1"'})
    assert updated.status_code == 200 and updated.headers["etag"] == '"rev-2"'
    stale = client.put("/api/v1/systems/hiring-screener", json={**CARD, "name": "x"},
                       headers={"If-Match": '"rev-1"'})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    old = client.get("/api/v1/systems/hiring-screener", params={"revision": 1})
    assert old.json()["markets"] == ["KR", "EU"]
    history = client.get("/api/v1/systems/hiring-screener/history").json()
    assert history["total"] == 2 and history["items"][1]["changes"][0]["field"] == "markets"
    removed = client.delete("/api/v1/systems/hiring-screener")
    assert removed.json() == {"id": "hiring-screener", "revision": 3, "deleted": True}
    assert client.get("/api/v1/systems/hiring-screener").status_code == 404
    assert client.get("/api/v1/systems").json()["total"] == 0
    listed = client.get("/api/v1/systems", params={"include_deleted": True}).json()
    assert listed["items"][0]["deleted"] is True


def test_pagination_and_filters(client: TestClient) -> None:
    for i in range(7):
        client.post("/api/v1/systems", json={"id": f"sys-{i}", "name": f"System {i}",
                                             "markets": ["EU"] if i % 2 else ["KR"]})
    first = client.get("/api/v1/systems", params={"limit": 3}).json()
    assert first["total"] == 7 and [i["card"]["id"] for i in first["items"]] == ["sys-0", "sys-1", "sys-2"]
    last = client.get("/api/v1/systems", params={"limit": 3, "offset": 6}).json()
    assert [i["card"]["id"] for i in last["items"]] == ["sys-6"]
    eu = client.get("/api/v1/systems", params={"market": "EU"}).json()
    assert eu["total"] == 3
    assert client.get("/api/v1/systems", params={"limit": 0}).status_code == 422


def test_field_level_messages(client: TestClient) -> None:
    bad = client.post("/api/v1/systems", json={"id": "Bad Id", "name": "x", "domians": [], "gpai": "maybe"})
    assert bad.status_code == 422
    errors = {e["location"]: e for e in bad.json()["error"]["errors"]}
    assert set(errors) == {"body.id", "body.domians", "body.gpai"}
    assert errors["body.domians"]["fix"] == "did you mean 'domains'?"
    mismatch = client.put("/api/v1/systems/other-id", json=CARD)
    assert mismatch.status_code == 400


def test_openapi_documents_the_card(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/systems" in spec["paths"]
    assert "SystemCard" in spec["components"]["schemas"]
