"""Dashboard pages of reports and passports through the ASGI app (ko and en)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.demo.company import demo_card
from haechi.settings import Settings

HTML = {"accept": "text/html"}


@pytest.fixture
def web(tmp_path: Path):  # type: ignore[no-untyped-def]
    # A SQLite file, not the in-memory database: the app's start-up starts schedulers that use
    # the database from another thread, and one shared in-memory connection cannot serve both.
    hc = Haechi(Settings(home=tmp_path / "home"))
    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    admin = hc.local_actor("acme")
    hc.accounts.create_user(admin, "ana@acme.example", "editor", "password-123")
    for slug in ("hiring-screener", "support-chatbot"):
        hc.systems.add(admin, demo_card(slug))
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        web_login(client, "ana@acme.example", "password-123")
        page = client.get("/systems/new", headers=HTML)
        client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[attr-defined,union-attr]
        yield client
    hc.close()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_reports_page_and_system_tab(web: TestClient, lang: str) -> None:
    web.get(f"/lang/{lang}?next=/")
    page = web.get("/reports", headers=HTML)
    assert page.status_code == 200
    assert ("보고서와 내보내기" if lang == "ko" else "Reports and exports") in page.text
    assert 'name="what" value="xlsx"' in page.text and 'name="system" value="hiring-screener"' in page.text
    tab = web.get("/systems/hiring-screener/documents", headers=HTML)
    assert tab.status_code == 200 and 'name="variant" value="kr-art34"' in tab.text
    twin = web.get("/systems/hiring-screener/documents?format=json").json()
    assert twin["passport"]["enabled"] is False and twin["variants"][1] == "kr-art34"


def test_opt_in_publish_and_public_page(web: TestClient) -> None:
    form = {"csrf_token": web.csrf, "enabled": "on", "fields": ["purpose", "oversight"],  # type: ignore[attr-defined]
            "valid_days": "30", "publish": "1"}
    saved = web.post("/systems/support-chatbot/passport", data=form)
    assert saved.status_code == 303 and saved.headers["location"].endswith("published=1")
    anonymous = TestClient(web.app)
    public = anonymous.get("/p/acme/support-chatbot", headers={**HTML, "accept-language": "ko"})
    assert public.status_code == 200 and "<svg" in public.text and "haechi passport verify" in public.text
    assert "관리·감독 담당자" in public.text
    refused = anonymous.get("/p/acme/hiring-screener", headers=HTML)
    unknown = anonymous.get("/p/acme/not-a-system", headers=HTML)
    assert refused.status_code == unknown.status_code == 404
    # Identical apart from the address the visitor typed (echoed in the language links).
    assert refused.text.replace("hiring-screener", "X") == unknown.text.replace("not-a-system", "X")
    assert anonymous.get("/p/acme/support-chatbot/qr.svg").headers["content-type"].startswith("image/svg")


def test_import_form_lists_every_problem(web: TestClient) -> None:
    bad = b"id,name\nBAD ID,Broken\nok-id,\n"
    page = web.post("/reports/import", data={"csrf_token": web.csrf},  # type: ignore[attr-defined]
                    files={"file": ("inventory.csv", bad, "text/csv")}, headers=HTML)
    assert page.status_code == 422
    assert "inventory row 2" in page.text and "inventory row 3" in page.text


def test_home_panel_tells_what_to_do(web: TestClient) -> None:
    form = {"csrf_token": web.csrf, "enabled": "on", "fields": ["purpose"], "valid_days": "7"}  # type: ignore[attr-defined]
    web.post("/systems/support-chatbot/passport", data=form)  # enabled, not yet published
    home = web.get("/?format=json").json()["panels"]["reports"]
    assert home["unpublished"] == ["support-chatbot"] and home["live"] == []
    web.post("/systems/support-chatbot/passport", data=form | {"publish": "1"})
    home = web.get("/?format=json").json()["panels"]["reports"]
    assert home["live"] == ["support-chatbot"] and home["expiring"] == ["support-chatbot"]  # 7 days < 14
    assert "Documents and trust passports" in web.get("/", headers=HTML).text
