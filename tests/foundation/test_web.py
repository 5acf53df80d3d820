"""Dashboard pages through the ASGI app: login, CSRF, forms, language, JSON twins."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.web.i18n import LOCALES_DIR, catalog, pick_language
from tests.conftest import web_login

HTML = {"Accept": "text/html"}


@pytest.fixture
def web(hc: Haechi):  # type: ignore[no-untyped-def]
    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    hc.accounts.create_user(hc.local_actor("acme"), "ana@acme.example", "editor", "password-123")
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        yield client


def login(client: TestClient, email: str = "ana@acme.example", password: str = "password-123") -> str:
    response = web_login(client, email, password, "/systems")
    assert response.status_code == 303 and response.headers["location"] == "/systems"
    page = client.get("/systems/new", headers=HTML)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def test_pages_need_login(web: TestClient) -> None:
    response = web.get("/systems", headers=HTML)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/systems"
    twin = web.get("/systems?format=json")
    assert twin.status_code == 401 and twin.json()["error"]["code"] == "unauthorized"


def test_wrong_password_is_refused_without_detail(web: TestClient) -> None:
    response = web_login(web, "ana@acme.example", "nope")
    assert response.status_code == 401 and "Wrong e-mail or password" in response.text
    unknown = web_login(web, "who@acme.example", "nope")
    assert unknown.status_code == 401


def test_session_cookie_flags(web: TestClient) -> None:
    response = web_login(web, "ana@acme.example", "password-123")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "/\t/evil.example/x",
                                    "/\n/evil.example", "https://evil.example/x", "evil.example"])
def test_login_never_redirects_off_site(web: TestClient, target: str) -> None:
    response = web_login(web, "ana@acme.example", "password-123", target)
    assert response.headers["location"] == "/"


def test_login_returns_to_the_page_it_came_from(web: TestClient) -> None:
    response = web_login(web, "ana@acme.example", "password-123", "/systems?page=2")
    assert response.headers["location"] == "/systems?page=2"


def test_create_through_the_form_and_see_it_listed(web: TestClient) -> None:
    csrf = login(web)
    form = {"csrf_token": csrf, "id": "chatbot", "name": "Support bot", "name_ko": "상담 챗봇",
            "__multi__": ["roles", "domains", "generative.modalities", "eu_practices"],
            "roles": ["deployer"], "domains": ["customer_service"], "generative.modalities": ["text"],
            "eu_practices": ["__unknown__"], "interacts_with_people": "yes", "significant_impact": "",
            "markets": "KR, eu", "compute.training_flops": "3e21", "deployed_at": "2026-03-02"}
    created = web.post("/systems/new", data=form)
    assert created.status_code == 303, created.text[:500]
    card = web.get("/api/v1/systems/chatbot", headers={"Accept": "application/json"}).json()
    assert card["roles"] == ["deployer"] and card["markets"] == ["KR", "EU"]
    assert card["generative"] == {"modalities": ["text"]} and "eu_practices" not in card
    assert card["compute"]["training_flops"] == 3e21 and "significant_impact" not in card
    listing = web.get("/systems?format=json").json()
    assert [i["id"] for i in listing["items"]] == ["chatbot"]


def test_form_errors_are_shown_next_to_the_field(web: TestClient) -> None:
    csrf = login(web)
    response = web.post("/systems/new", data={"csrf_token": csrf, "id": "Bad Id", "name": "x",
                                              "compute.training_flops": "lots"})
    assert response.status_code == 422
    assert 'id="f-id-err"' in response.text and 'id="f-compute-training-flops-err"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_forms_need_the_csrf_token(web: TestClient) -> None:
    login(web)
    response = web.post("/systems/new", data={"id": "x1", "name": "x"}, headers=HTML)
    assert response.status_code == 403
    assert web.get("/systems?format=json").json()["total"] == 0
    api_write = web.post("/api/v1/systems", json={"id": "x2", "name": "x"})
    assert api_write.status_code == 403  # session cookie without the CSRF header


def test_edit_makes_a_new_revision_shown_in_history(web: TestClient) -> None:
    csrf = login(web)
    web.post("/systems/new", data={"csrf_token": csrf, "id": "bot", "name": "Bot"})
    web.post("/systems/bot/edit", data={"csrf_token": csrf, "name": "Bot 2", "revision": "1",
                                        "note": "renamed"})
    history = web.get("/systems/bot/history?format=json").json()
    assert [r["revision"] for r in history["revisions"]] == [2, 1]
    assert history["revisions"][0]["note"] == "renamed"
    page = web.get("/systems/bot/history", headers=HTML)
    assert "renamed" in page.text


def test_language_switch_and_browser_preference(web: TestClient) -> None:
    login(web)
    korean = web.get("/systems", headers={**HTML, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})
    assert '<html lang="ko">' in korean.text and "AI 시스템" in korean.text
    web.get("/lang/en?next=/systems")
    english = web.get("/systems", headers={**HTML, "Accept-Language": "ko-KR"})
    assert '<html lang="en">' in english.text


def test_unknown_page_is_a_helpful_html_page(web: TestClient) -> None:
    login(web)
    response = web.get("/systems/not-there", headers=HTML)
    assert response.status_code == 404 and "Go to the home page" in response.text


def test_every_page_has_a_json_twin(web: TestClient) -> None:
    login(web)
    web.post("/api/v1/systems", json={"id": "bot", "name": "Bot"},
             headers={"X-CSRF-Token": login(web)})
    for path in ("/", "/systems", "/systems/bot", "/systems/bot/history"):
        response = web.get(path + "?format=json")
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")


def test_catalogs_have_the_same_keys_in_both_languages() -> None:
    for path in LOCALES_DIR.glob("*.en.yaml"):
        assert (LOCALES_DIR / path.name.replace(".en.", ".ko.")).exists(), path.name
    assert set(catalog("en")) == set(catalog("ko"))
    assert all(value.strip() for value in catalog("ko").values())


def test_language_choice() -> None:
    assert pick_language(None, "ko-KR,ko;q=0.9") == "ko"
    assert pick_language(None, "en-US,ko;q=0.5") == "en"
    assert pick_language("en", "ko") == "en"
    assert pick_language(None, None) == "en"


def test_every_literal_key_in_templates_is_translated() -> None:
    from haechi.web.views import TEMPLATES_DIR

    keys = set()
    for template in TEMPLATES_DIR.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        keys.update(re.findall(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""", source))
    missing = sorted(k for k in keys if k not in catalog("en") or k not in catalog("ko"))
    assert not missing, f"untranslated keys used in templates: {missing}"


def test_admin_manages_people_and_tokens(hc: Haechi) -> None:
    hc.accounts.create_org("acme", "Acme Corp")
    hc.accounts.create_user(hc.local_actor("acme"), "boss@acme.example", "admin", "password-123")
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        csrf = login(client, "boss@acme.example")
        added = client.post("/settings/users", data={"csrf_token": csrf, "email": "new@acme.example",
                                                     "role": "viewer", "password": "password-456"})
        assert added.status_code == 200 and "new@acme.example" in added.text
        client.post("/settings/users/new@acme.example", data={"csrf_token": csrf, "role": "editor", "active": "yes"})
        users = {u["email"]: u for u in client.get("/settings?format=json").json()["users"]}
        assert users["new@acme.example"]["role"] == "editor"
        last_admin = client.post("/settings/users/boss@acme.example",
                                 data={"csrf_token": csrf, "role": "viewer", "active": "yes"})
        assert last_admin.status_code == 409 and "last administrator" in last_admin.text
        created = client.post("/settings/tokens", data={"csrf_token": csrf, "name": "ci"})
        token = re.search(r'<code id="new-token">([^<]+)</code>', created.text).group(1)  # type: ignore[union-attr]
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["user"] == "boss@acme.example"
        token_id = client.get("/settings?format=json").json()["tokens"][0]["id"]
        client.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf})
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_non_admins_cannot_add_people(web: TestClient) -> None:
    csrf = login(web)
    response = web.post("/settings/users", data={"csrf_token": csrf, "email": "x@acme.example", "role": "admin"})
    assert response.status_code == 403
