"""REST API of reports, exports, imports and passports, with the public passport endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from haechi.demo.company import demo_card
from haechi.exports import cyclonedx
from haechi.passport.document import keys_from_text, verify


def _add(api: TestClient, slug: str) -> None:
    api.post("/api/v1/systems", json=demo_card(slug).to_json()).raise_for_status()


def test_dossier_download_has_identity_headers(api: TestClient) -> None:
    _add(api, "hiring-screener")
    res = api.get("/api/v1/systems/hiring-screener/dossier", params={"variant": "model-card", "lang": "ko",
                                                                     "format": "html"})
    assert res.status_code == 200 and "모델 카드" in res.text
    assert res.headers["x-haechi-sha256"] and ":" in res.headers["x-haechi-checkpoint"]
    assert "attachment" in res.headers["content-disposition"]
    docs = api.get("/api/v1/reports/documents").json()["items"]
    assert docs[0]["sha256"] == res.headers["x-haechi-sha256"]
    bad = api.get("/api/v1/systems/hiring-screener/dossier", params={"variant": "nope"})
    assert bad.status_code == 422 and bad.json()["ok"] is False


def test_exports_and_import_over_http(api: TestClient, tmp_path: Path) -> None:
    _add(api, "support-chatbot")
    bom = api.get("/api/v1/systems/support-chatbot/cyclonedx")
    cyclonedx.validate(bom.json())
    assert api.get("/api/v1/exports/oscal/component-definition").json()["component-definition"]["components"]
    book = api.get("/api/v1/exports/xlsx")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    result = api.post("/api/v1/imports", files={"file": ("haechi.xlsx", book.content)})
    assert result.status_code == 200 and result.json()["unchanged"] == 1
    bad = api.post("/api/v1/imports", files={"file": ("inventory.csv", b"id,name\nBAD ID,\n")})
    assert bad.status_code == 422
    assert {e["location"].split(",")[0] for e in bad.json()["error"]["errors"]} == {"inventory row 2"}


def test_public_passport_and_keys_without_login(api: TestClient) -> None:
    _add(api, "support-chatbot")
    _add(api, "hiring-screener")
    settings = {"enabled": True, "fields": ["purpose", "notices"]}
    assert api.put("/api/v1/systems/support-chatbot/passport", json=settings).status_code == 200
    assert api.post("/api/v1/systems/support-chatbot/passport/publish").status_code == 201
    anonymous = TestClient(api.app)
    doc = anonymous.get("/p/acme/support-chatbot.json")
    keys = anonymous.get("/.well-known/haechi/acme/passport-keys.json")
    assert doc.status_code == 200 and keys.status_code == 200
    result = verify(doc.json(), keys_from_text(json.dumps(keys.json()), "keys"))
    assert result.ok
    refusals = [anonymous.get(path) for path in ("/p/acme/hiring-screener.json", "/p/acme/nothing-here.json",
                                                 "/p/nobody/support-chatbot.json")]
    assert {r.status_code for r in refusals} == {404}
    assert len({json.dumps(r.json(), sort_keys=True) for r in refusals}) == 1
    assert anonymous.get("/.well-known/haechi/nobody/passport-keys.json").status_code == 404
