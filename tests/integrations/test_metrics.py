"""``/metrics``: Prometheus text format, read with Prometheus' own parser; never public.

The numbers are checked against what the API itself reports (controls by status,
incidents, risks, the events stored), and an organisation's token sees only its own.
"""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from haechi.api import create_app
from haechi.settings import Settings
from tests.conftest import org_with_users

OPERATOR = "metrics-operator-secret-0123456789"


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out.setdefault(sample.name, []).append((sample.labels, sample.value))
    return out


@pytest.fixture
def client(tmp_path):  # type: ignore[no-untyped-def]
    from haechi import Haechi

    hc = Haechi(Settings(home=tmp_path, metrics_token=OPERATOR))
    tokens = {"acme": org_with_users(hc, "acme"), "globex": org_with_users(hc, "globex")}
    with TestClient(create_app(hc=hc)) as c:
        c.tokens = tokens  # type: ignore[attr-defined]
        yield c
    hc.close()


def _as(client: TestClient, org: str, role: str = "admin") -> dict[str, str]:
    return {"Authorization": f"Bearer {client.tokens[org][role]}"}  # type: ignore[attr-defined]


def _populate(client: TestClient) -> None:
    headers = _as(client, "acme")
    card = {"id": "screener", "name": "Screener", "domains": ["employment"], "markets": ["KR"]}
    assert client.post("/api/v1/systems", json=card, headers=headers).status_code == 201
    assert client.post("/api/v1/incidents", json={"title": "bias", "system": "screener"},
                       headers=headers).status_code == 201
    assert client.post("/api/v1/risks", json={"title": "drift", "likelihood": 2, "severity": 3,
                                              "system": "screener"}, headers=headers).status_code == 201
    rows = [{"event_id": f"e{i}", "timestamp": "2026-11-01T00:00:00Z", "prediction": i % 2} for i in range(7)]
    stored = client.post("/api/v1/systems/screener/events", json=rows, headers=headers)
    assert stored.status_code == 200 and stored.json()["stored"] == 7, stored.text


def test_operator_token_sees_every_organisation_in_a_parseable_exposition(client: TestClient) -> None:
    _populate(client)
    response = client.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = _samples(response.text)
    controls = client.get("/api/v1/controls", params={"limit": 1000}, headers=_as(client, "acme")).json()["items"]
    expected = Counter(c["status"] for c in controls)
    assert expected, "a registered system gets controls"
    got = {labels["status"]: value for labels, value in samples["haechi_controls"] if labels["org"] == "acme"}
    assert got == dict(expected)
    incidents = [(labels["status"], v) for labels, v in samples["haechi_incidents"] if labels["org"] == "acme"]
    assert incidents == [("open", 1.0)]
    assert ({"org": "acme", "status": "open"}, 1.0) in samples["haechi_risks"]
    assert ({"org": "acme", "system": "screener", "source": "api"}, 7.0) in samples["haechi_events_ingested_total"]
    assert {labels["org"] for labels, _ in samples["haechi_systems"]} == {"acme"}  # globex has none


def test_an_organisation_sees_only_itself_and_nothing_is_public(client: TestClient) -> None:
    _populate(client)
    own = _samples(client.get("/metrics", headers=_as(client, "globex", "auditor")).text)
    assert all(labels["org"] == "globex" for samples in own.values() for labels, _ in samples)
    assert "haechi_events_ingested_total" not in own
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers=_as(client, "acme", "editor")).status_code == 403
    assert client.get("/metrics", headers=_as(client, "acme", "viewer")).status_code == 403
