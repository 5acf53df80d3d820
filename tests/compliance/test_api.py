"""Compliance REST API: role and tenant rules for every endpoint, the error shape, the
list envelope, uploads, downloads and the audit endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from tests.conftest import org_with_users

from .cards import card
from .conftest import PDF

SYSTEM = "/api/v1/systems/hiring-screener"
READ, WRITE, AUDIT, ADMIN = "read", "write", "audit", "admin"
ALLOWED = {"viewer": {READ}, "auditor": {READ, AUDIT}, "editor": {READ, WRITE}, "admin": {READ, WRITE, AUDIT, ADMIN}}

# (method, path, json body, permission, addresses an item of the organisation)
ENDPOINTS: list[tuple[str, str, Any, str, bool]] = [
    ("GET", "/api/v1/controls", None, READ, False),
    ("GET", "/api/v1/controls/C-2", None, READ, True),
    ("GET", "/api/v1/control-library", None, READ, False),
    ("GET", "/api/v1/evidence", None, READ, False),
    ("GET", "/api/v1/evidence/E-2", None, READ, True),
    ("GET", "/api/v1/evidence/E-2/file", None, READ, True),
    ("GET", "/api/v1/status", None, READ, False),
    ("GET", f"{SYSTEM}/status", None, READ, True),
    ("GET", "/api/v1/risks", None, READ, False),
    ("GET", "/api/v1/risks/R-1", None, READ, True),
    ("GET", "/api/v1/risk-heatmap", None, READ, False),
    ("GET", "/api/v1/risk-matrix", None, READ, False),
    ("GET", "/api/v1/incidents", None, READ, False),
    ("GET", "/api/v1/incidents/INC-1", None, READ, True),
    ("GET", "/api/v1/incidents/INC-1/report?lang=ko", None, READ, True),
    ("GET", "/api/v1/forms", None, READ, False),
    ("GET", "/api/v1/forms/eu_fria", None, READ, False),
    ("GET", f"{SYSTEM}/documents", None, READ, True),
    ("GET", f"{SYSTEM}/documents/human_oversight", None, READ, True),
    ("GET", f"{SYSTEM}/documents/eu_fria/prefill", None, READ, True),
    ("GET", f"{SYSTEM}/documents/human_oversight/history", None, READ, True),
    ("GET", "/api/v1/confirmations", None, READ, False),
    ("GET", "/api/v1/audit/public-key", None, READ, False),
    ("GET", "/api/v1/audit/verify", None, AUDIT, False),
    ("GET", "/api/v1/audit/checkpoints", None, AUDIT, False),
    ("POST", "/api/v1/audit/checkpoints", None, AUDIT, False),
    ("POST", "/api/v1/audit/export", None, AUDIT, False),
    ("POST", "/api/v1/controls/C-2/status", {"status": "in_progress"}, WRITE, True),
    ("PATCH", "/api/v1/controls/C-2", {"owner": "lee@acme.example"}, WRITE, True),
    ("POST", f"{SYSTEM}/controls/sync", None, WRITE, True),
    ("POST", "/api/v1/controls/check", None, WRITE, False),
    ("POST", "/api/v1/evidence/links", {"url": "https://x.example/a", "title": "A"}, WRITE, False),
    ("POST", "/api/v1/evidence/records", {"record": {"a": 1}, "title": "R", "system": "hiring-screener"}, WRITE, True),
    ("POST", "/api/v1/evidence/auto", {"system": "hiring-screener", "kind": "monitoring_result", "title": "w",
                                       "payload": {"w": 1}}, WRITE, True),
    ("POST", "/api/v1/evidence/E-2/links", {"controls": ["C-2"]}, WRITE, True),
    ("POST", "/api/v1/evidence/E-3/resolve", {"resolution": "fixed"}, WRITE, True),
    ("POST", "/api/v1/risks", {"title": "x", "likelihood": 1, "severity": 1}, WRITE, False),
    ("PATCH", "/api/v1/risks/R-1", {"owner": "hr@acme.example"}, WRITE, True),
    ("POST", "/api/v1/risks/R-1/links", {"incident": "INC-1"}, WRITE, True),
    ("POST", "/api/v1/risks/R-1/accept", {"note": "ok"}, WRITE, True),
    ("POST", "/api/v1/incidents", {"title": "x"}, WRITE, False),
    ("POST", "/api/v1/incidents/INC-1/classification", {"categories": ["death"]}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/status", {"status": "investigating"}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/notes", {"text": "n"}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/root-cause", {"text": "rc"}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/actions", {"action": "a"}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/actions/1/done", None, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/filings", {"reference": "MSA-1"}, WRITE, True),
    ("POST", "/api/v1/incidents/INC-1/close", {"summary": "done"}, WRITE, True),
    ("POST", f"{SYSTEM}/documents/human_oversight", {"answers": {"name": "Kim"}}, WRITE, True),
    ("POST", f"{SYSTEM}/documents/human_oversight/approve", None, WRITE, True),
    ("POST", "/api/v1/confirmations", {"system": "hiring-screener"}, WRITE, True),
    ("POST", "/api/v1/confirmations/1/steps", {"step": "extended_at"}, WRITE, True),
    ("POST", "/api/v1/risks/R-1/close", {"note": "gone"}, WRITE, True),
    ("PUT", "/api/v1/risk-matrix", {"likelihood": [], "severity": [], "bands": []}, ADMIN, False),
    ("GET", "/api/v1/evidence/pending", None, READ, False),
    ("GET", "/api/v1/controls/pending", None, READ, False),
    ("POST", "/api/v1/controls/C-2/review", {"decision": "approve", "note": "proof checked"}, WRITE, True),
    ("GET", "/api/v1/evidence/review-policy", None, READ, False),
    ("POST", "/api/v1/evidence/E-1/review", {"decision": "accept", "note": "plan checked"}, WRITE, True),
    ("PUT", "/api/v1/evidence/review-policy", {"policy": "all"}, ADMIN, False),
    ("DELETE", "/api/v1/evidence/E-2?reason=cleanup", None, ADMIN, True),
]


@pytest.fixture
def client(hc: Haechi):  # type: ignore[no-untyped-def]
    tokens = org_with_users(hc, "acme")
    other = org_with_users(hc, "globex")
    admin = hc.local_actor("acme")
    hc.systems.add(admin, card())
    hc.compliance.evidence.add_file(admin, PDF, filename="plan.pdf", system="hiring-screener", title="Plan")
    hc.compliance.evidence.add_record(admin, {"bias": True}, system="hiring-screener", polarity="contradicts",
                                      title="Bias finding", evidence_type="test_report")
    hc.compliance.risks.add(admin, title="Bias", system="hiring-screener", likelihood=2, severity=2)
    hc.compliance.risks.update(admin, "R-1", residual_likelihood=1, residual_severity=1)
    hc.compliance.incidents.open(admin, title="Complaint", system="hiring-screener")
    hc.compliance.documents.save(admin, "hiring-screener", "human_oversight", {"name": "Kim"})
    hc.compliance.confirmations.submit(admin, "hiring-screener")
    c = TestClient(create_app(hc=hc))
    yield c, tokens, other
    c.close()


def _call(c: TestClient, method: str, path: str, body: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return c.request(method, path, json=body, headers=headers)


def test_every_endpoint_enforces_roles_and_tenancy(client) -> None:  # type: ignore[no-untyped-def]
    c, tokens, other = client
    for method, path, body, permission, item in ENDPOINTS:
        assert _call(c, method, path, body, None).status_code == 401, path
        for role in ("viewer", "auditor", "editor"):
            if permission not in ALLOWED[role]:
                r = _call(c, method, path, body, tokens[role])
                assert r.status_code == 403, (role, method, path, r.status_code)
                assert r.json()["error"]["code"] == "forbidden"
        if item:  # another organisation's admin never reaches acme's items
            r = _call(c, method, path, body, other["admin"])
            assert r.status_code == 404, ("other org", method, path, r.status_code, r.text[:200])
            assert r.json()["error"]["code"] == "not_found"
        elif method == "GET":  # and sees only its own (empty) lists
            r = _call(c, method, path, body, other["admin"])
            assert r.status_code == 200, ("other org", path, r.text[:200])
            assert "acme" not in r.text.lower() or path.endswith(("public-key", "forms", "library")), path
    for method, path, body, permission, _ in ENDPOINTS:
        role = next(r for r in ("viewer", "auditor", "editor", "admin") if permission in ALLOWED[r])
        r = _call(c, method, path, body, tokens[role])
        assert r.status_code not in (401, 403) and r.status_code < 500, (role, method, path, r.status_code, r.text)


def test_lists_use_the_envelope_and_errors_the_single_shape(client) -> None:  # type: ignore[no-untyped-def]
    c, tokens, _ = client
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    page = c.get("/api/v1/controls?limit=2&offset=1", headers=auth).json()
    assert set(page) == {"items", "total", "limit", "offset"} and len(page["items"]) == 2 and page["total"] > 3
    bad = c.post("/api/v1/evidence/links", json={"url": "https://a.example", "title": "x",
                                                 "effective_from": "2026-05-01", "valid_until": "2026-04-01"},
                 headers=auth)
    err = bad.json()["error"]
    assert bad.status_code == 422 and err["code"] == "validation_failed"
    assert err["errors"][0]["location"] == "valid_until" and err["errors"][0]["fix"]
    refused = c.post("/api/v1/controls/C-2/status", json={"status": "operating"}, headers=auth)
    assert refused.status_code == 409 and "not_started" in refused.json()["error"]["message"]
    unknown = c.post("/api/v1/controls/C-2/status", json={"status": "done", "extra": 1}, headers=auth)
    assert unknown.status_code == 422


def test_upload_and_download_a_file(client) -> None:  # type: ignore[no-untyped-def]
    c, tokens, other = client
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    r = c.post("/api/v1/evidence", headers=auth, files={"file": ("audit.pdf", PDF + b"%x", "application/pdf")},
               data={"title": "Bias audit", "system": "hiring-screener", "controls": ["C-2"],
                     "evidence_type": "plan", "valid_until": "2027-01-01"})
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    assert r.json()["controls"] == ["C-2"] and r.json()["valid_until"] == "2027-01-01"
    got = c.get(f"/api/v1/evidence/{ref}/file", headers=auth)
    assert got.content == PDF + b"%x" and got.headers["content-disposition"].startswith("attachment")
    assert got.headers["x-content-type-options"] == "nosniff"
    dup = c.post("/api/v1/evidence", headers=auth, files={"file": ("again.pdf", PDF + b"%x", "application/pdf")})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "conflict"
    exe = c.post("/api/v1/evidence", headers=auth, files={"file": ("x.pdf", b"MZ" + b"\0" * 40, "application/pdf")})
    assert exe.status_code == 422 and "executable" in exe.json()["error"]["message"]
    revised = c.post(f"/api/v1/evidence/{ref}/revisions", headers=auth, data={"valid_until": "2028-01-01"})
    assert revised.status_code == 201 and revised.json()["revision"] == 2
    foreign = {"Authorization": f"Bearer {other['admin']}"}
    assert c.get(f"/api/v1/evidence/{ref}/file", headers=foreign).status_code == 404


def test_audit_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    c, tokens, _ = client
    auth = {"Authorization": f"Bearer {tokens['auditor']}"}
    assert c.get("/api/v1/audit/verify", headers=auth).json()["ok"] is True
    export = c.post("/api/v1/audit/export", headers=auth).json()
    assert export["format"] == "haechi-ledger-export/1" and export["checkpoints"]
    key = c.get("/api/v1/audit/public-key", headers=auth).text
    assert key.startswith("-----BEGIN PUBLIC KEY-----")
    from haechi.ledger.export import verify_export
    from haechi.ledger.keys import load_public_key

    assert verify_export(export, load_public_key(key)).ok
