"""Numeric ids in URLs: an absurd id is a 422 naming the parameter, never an overflow (500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from haechi.api import create_app
from tests.conftest import make_haechi, org_with_users

HUGE = "199713988250771729316921212928"
CALLS = [
    ("DELETE", f"/api/v1/tokens/{HUGE}", None),
    ("POST", f"/api/v1/transparency/review-requests/{HUGE}/resolve", {"status": "upheld", "resolution": "ok"}),
    ("PATCH", f"/api/v1/alerts/{HUGE}", {"status": "acknowledged"}),
    ("DELETE", "/api/v1/tokens/-5", None),
    # beyond PostgreSQL's INTEGER keys, though within SQLite's
    ("POST", "/api/v1/transparency/review-requests/2147483648/resolve", {"status": "upheld", "resolution": "ok"}),
]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_out_of_range_ids_are_refused_with_422(backend: str, tmp_path, request: pytest.FixtureRequest) -> None:
    hc = make_haechi(backend, tmp_path / "home", request)
    token = org_with_users(hc, "acme")["admin"]
    with TestClient(create_app(hc=hc), raise_server_exceptions=False) as client:
        for method, url, body in CALLS:
            response = client.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 422, (method, url, response.status_code, response.text)
            assert response.json()["error"]["errors"][0]["location"].startswith("path.")
    hc.close()
