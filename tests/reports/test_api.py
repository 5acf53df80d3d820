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
    res = api.post("/api/v1/systems/hiring-screener/dossier", params={"variant": "model-card", "lang": "ko",
                                                                      "format": "html"})
    assert res.status_code == 200 and "모델 카드" in res.text  # after the 303 to the stored copy
    assert res.headers["x-haechi-sha256"] and ":" in res.headers["x-haechi-checkpoint"]
    assert res.history[0].status_code == 303 and "inline" in res.headers["content-disposition"]
    docs = api.get("/api/v1/reports/documents").json()["items"]
    assert docs[0]["sha256"] == res.headers["x-haechi-sha256"]
    bad = api.post("/api/v1/systems/hiring-screener/dossier", params={"variant": "nope"})
    assert bad.status_code == 422 and bad.json()["ok"] is False


def test_exports_and_import_over_http(api: TestClient, tmp_path: Path) -> None:
    _add(api, "support-chatbot")
    bom = api.post("/api/v1/systems/support-chatbot/cyclonedx")
    cyclonedx.validate(bom.json())
    assert api.post("/api/v1/exports/oscal/component-definition").json()["component-definition"]["components"]
    book = api.post("/api/v1/exports/xlsx")
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


def _api_with_public_url(public_url: str) -> TestClient:
    """A fresh workspace whose settings name ``public_url``, with org ``acme``'s admin token."""
    from tests.conftest import org_with_users

    from haechi import Haechi
    from haechi.api import create_app
    from haechi.settings import Settings

    hc = Haechi(Settings(public_url=public_url), memory=True)
    client = TestClient(create_app(hc=hc))
    client.headers["Authorization"] = f"Bearer {org_with_users(hc, 'acme')['admin']}"
    client.hc = hc  # type: ignore[attr-defined]
    return client


def test_passport_addresses_come_from_configuration_not_the_host_header(api: TestClient) -> None:
    _add(api, "support-chatbot")
    api.put("/api/v1/systems/support-chatbot/passport", json={"enabled": True}).raise_for_status()
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    default = api.post("/api/v1/systems/support-chatbot/passport/publish", headers=forged).json()["document"]
    assert "evil" not in json.dumps(default)
    assert default["passport"]["subject"]["url"] == "http://127.0.0.1:8000/p/acme/support-chatbot"

    configured = _api_with_public_url("https://trust.example/")
    _add(configured, "support-chatbot")
    configured.put("/api/v1/systems/support-chatbot/passport", json={"enabled": True}).raise_for_status()
    doc = configured.post("/api/v1/systems/support-chatbot/passport/publish", headers=forged).json()["document"]
    assert doc["passport"]["subject"]["url"] == "https://trust.example/p/acme/support-chatbot"
    assert doc["passport"]["issuer"]["public_key_url"] == \
        "https://trust.example/.well-known/haechi/acme/passport-keys.json"
    page = TestClient(configured.app).get("/p/acme/support-chatbot", headers={**forged, "Accept": "text/html"})
    assert page.status_code == 200 and "evil" not in page.text and "https://trust.example/p/acme" in page.text
    configured.hc.close()  # type: ignore[attr-defined]

    unsafe = _api_with_public_url("javascript:alert(1)")
    _add(unsafe, "support-chatbot")
    unsafe.put("/api/v1/systems/support-chatbot/passport", json={"enabled": True}).raise_for_status()
    refused = unsafe.post("/api/v1/systems/support-chatbot/passport/publish")
    assert refused.status_code == 422 and "HAECHI_PUBLIC_URL" in refused.json()["error"]["message"]
    unsafe.hc.close()  # type: ignore[attr-defined]


def test_reading_the_public_key_list_never_creates_a_key(api: TestClient) -> None:
    anonymous = TestClient(api.app)
    path = api.hc.passport.key_path("acme")  # type: ignore[attr-defined]
    before = anonymous.get("/.well-known/haechi/acme/passport-keys.json")
    unknown = anonymous.get("/.well-known/haechi/nobody/passport-keys.json")
    assert before.status_code == unknown.status_code == 404 and before.json() == unknown.json()
    assert not path.exists()
    _add(api, "support-chatbot")
    api.put("/api/v1/systems/support-chatbot/passport", json={"enabled": True}).raise_for_status()
    api.post("/api/v1/systems/support-chatbot/passport/publish").raise_for_status()  # the explicit write
    assert path.exists() and anonymous.get("/.well-known/haechi/acme/passport-keys.json").status_code == 200
