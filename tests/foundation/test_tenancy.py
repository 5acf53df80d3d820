"""Tenant isolation and roles across every endpoint that takes a system id.

The matrix is built from the app's routes, so endpoints added later are covered
automatically: another organisation's system must look exactly like one that does not
exist (never 403, never 2xx), and read-only roles can never change anything.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from tests.conftest import org_with_users
from tests.foundation.test_error_shape import openapi_operations

SAFE = {"GET"}


@pytest.fixture
def two_orgs(db_hc: Haechi):  # type: ignore[no-untyped-def]
    acme, globex = org_with_users(db_hc, "acme"), org_with_users(db_hc, "globex")
    client = TestClient(create_app(hc=db_hc))
    client.post("/api/v1/systems", json={"id": "secret-system", "name": "Acme secret"},
                headers={"Authorization": f"Bearer {acme['admin']}"}).raise_for_status()
    yield client, acme, globex
    client.close()


def _system_routes(client: TestClient) -> list[tuple[str, str]]:
    return [(method, path) for method, path, public in openapi_operations(client)
            if "{system_id}" in path and not public]


def _call(client: TestClient, method: str, template: str, system_id: str, token: str):  # type: ignore[no-untyped-def]
    path = template.replace("{system_id}", system_id)
    path = re.sub(r"\{[^}]+\}", "1", path)
    body = {"id": system_id, "name": "changed"} if method in ("PUT", "POST") else None
    return client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("role", ["admin", "editor", "viewer", "auditor"])
def test_other_organisation_cannot_see_or_touch(two_orgs, role: str) -> None:  # type: ignore[no-untyped-def]
    client, _, globex = two_orgs
    routes = _system_routes(client)
    assert routes
    for method, template in routes:
        theirs = _call(client, method, template, "secret-system", globex[role])
        nothing = _call(client, method, template, "no-such-system", globex[role])
        assert theirs.status_code >= 400, (role, method, template, theirs.text)
        assert (theirs.status_code, theirs.json()["error"]["code"]) == (
            nothing.status_code, nothing.json()["error"]["code"]), (method, template)
    listing = client.get("/api/v1/systems", headers={"Authorization": f"Bearer {globex[role]}"})
    assert listing.json()["total"] == 0


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_read_only_roles_never_change_anything(two_orgs, role: str) -> None:  # type: ignore[no-untyped-def]
    client, acme, _ = two_orgs
    for method, template in _system_routes(client):
        response = _call(client, method, template, "secret-system", acme[role])
        if method in SAFE:
            continue
        assert response.status_code >= 400, (role, method, template)
    created = client.post("/api/v1/systems", json={"id": "new-one", "name": "x"},
                          headers={"Authorization": f"Bearer {acme[role]}"})
    assert created.status_code == 403
    card = client.get("/api/v1/systems/secret-system", headers={"Authorization": f"Bearer {acme['admin']}"})
    assert card.json()["name"] == "Acme secret" and card.headers["x-haechi-revision"] == "1"


@pytest.mark.parametrize("role,expected", [("admin", 201), ("editor", 201), ("viewer", 403), ("auditor", 403)])
def test_write_permission_by_role(two_orgs, role: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    client, acme, _ = two_orgs
    response = client.post("/api/v1/systems", json={"id": f"by-{role}", "name": "x"},
                           headers={"Authorization": f"Bearer {acme[role]}"})
    assert response.status_code == expected


def _files(home) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and ".db" not in p.name}


def test_public_reads_neither_reveal_organisations_nor_write(two_orgs, db_hc: Haechi) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = two_orgs
    anonymous = TestClient(client.app)
    routes = [path for method, path, public in openapi_operations(client)
              if public and method == "GET" and "{org}" in path]
    assert routes
    before = _files(db_hc.home)
    for template in routes:
        known, unknown = (anonymous.get(re.sub(r"\{[^}]+\}", "x", template.replace("{org}", org)))
                          for org in ("acme", "nobody"))
        assert known.status_code == unknown.status_code == 404, template
        assert known.json() == unknown.json(), template
    assert _files(db_hc.home) == before  # no key, certificate or cache made by a public read
