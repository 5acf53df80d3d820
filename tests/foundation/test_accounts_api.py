"""People and tokens over the API: admins manage, others only themselves."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_admin_creates_and_changes_users(api: TestClient) -> None:
    created = api.post("/api/v1/users", json={"email": "new@acme.example", "role": "viewer"})
    assert created.status_code == 201 and created.json()["role"] == "viewer"
    changed = api.patch("/api/v1/users/new@acme.example", json={"role": "editor"})
    assert changed.json()["role"] == "editor"
    emails = [u["email"] for u in api.get("/api/v1/users").json()["items"]]
    assert "new@acme.example" in emails
    bad = api.post("/api/v1/users", json={"email": "x@acme.example", "role": "owner"})
    assert bad.status_code == 422


def test_only_admins_manage_users(api: TestClient) -> None:
    editor = api.tokens["editor"]  # type: ignore[attr-defined]
    response = api.post("/api/v1/users", json={"email": "y@acme.example", "role": "viewer"}, headers=_auth(editor))
    assert response.status_code == 403


def test_tokens_self_service(api: TestClient) -> None:
    viewer = api.tokens["viewer"]  # type: ignore[attr-defined]
    made = api.post("/api/v1/tokens", json={"name": "notebook"}, headers=_auth(viewer))
    assert made.status_code == 201
    token = made.json()["token"]
    assert api.get("/api/v1/me", headers=_auth(token)).json()["role"] == "viewer"
    mine = api.get("/api/v1/tokens", headers=_auth(viewer)).json()["items"]
    assert {t["user"] for t in mine} == {"viewer@acme.example"}
    for_other = api.post("/api/v1/tokens", json={"email": "admin@acme.example"}, headers=_auth(viewer))
    assert for_other.status_code == 403
    token_id = next(t["id"] for t in mine if t["name"] == "notebook")
    assert api.delete(f"/api/v1/tokens/{token_id}", headers=_auth(viewer)).status_code == 200
    assert api.get("/api/v1/me", headers=_auth(token)).status_code == 401


def test_tokens_of_another_organisation_are_not_found(api: TestClient) -> None:
    from tests.conftest import org_with_users

    other = org_with_users(api.hc, "globex")  # type: ignore[attr-defined]
    theirs = api.get("/api/v1/tokens", headers=_auth(other["admin"])).json()["items"][0]["id"]
    assert api.delete(f"/api/v1/tokens/{theirs}").status_code == 404
