"""The organisation's operator facts as people meet them: the CLI in its own process, the REST
API and the settings and system pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.domain.card import SystemCard
from tests.conftest import web_login


def _haechi(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAECHI_HOME": str(home)}
    env.pop("HAECHI_DATABASE_URL", None)
    env.pop("HAECHI_ORG", None)
    return subprocess.run([sys.executable, "-m", "haechi", *args], check=False, env=env, capture_output=True,
                          text=True, timeout=180, input=stdin)


def test_the_cli_sets_shows_and_traces_the_facts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _haechi(home, "init", "--org", "acme", "--name", "Acme").returncode == 0
    card = tmp_path / "bot.yaml"
    card.write_text("id: bot\nname: Bot\nroles: [deployer]\n", encoding="utf-8")
    assert _haechi(home, "systems", "add", str(card)).returncode == 0

    done = _haechi(home, "org", "facts", "set", "--name", "에이크미 주식회사", "--country", "kr", "--no-korean-office",
                   "--annual-revenue-krw", "2000000000000", "--note", "first entry", "--format", "json")
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout)
    assert stored["revision"] == 1 and stored["facts"]["country"] == "KR" and stored["facts"]["korean_office"] is False

    shown = json.loads(_haechi(home, "org", "facts", "show", "--format", "json").stdout)
    assert shown["facts"]["name"] == "에이크미 주식회사" and shown["facts"]["public_body"] is None
    verdict = json.loads(_haechi(home, "classify", "bot", "--format", "json").stdout)
    kr = next(r for r in verdict["results"] if r["pack"] == "kr-ai-basic-act")
    assert kr["classes"]["domestic_representative_required"] == "yes"  # the system follows the org's facts

    done = _haechi(home, "org", "facts", "set", "--korean-office", "--unset", "annual_revenue_krw")
    assert done.returncode == 0, done.stderr
    history = json.loads(_haechi(home, "org", "facts", "history", "--format", "json").stdout)
    assert [h["revision"] for h in history] == [2, 1]
    assert {c["field"] for c in history[0]["changes"]} == {"operator.korean_office", "operator.annual_revenue_krw"}
    table = _haechi(home, "org", "facts", "history")
    assert table.returncode == 0 and "korean_office" in table.stdout

    bad = _haechi(home, "org", "facts", "set", "--country", "KOR")
    assert bad.returncode == 2 and "country" in bad.stderr and "Traceback" not in bad.stderr
    unknown = _haechi(home, "org", "facts", "set", "--unset", "revenue")
    assert unknown.returncode == 2 and "revenue" in unknown.stderr and "annual_revenue_krw" in unknown.stderr
    assert json.loads(_haechi(home, "org", "facts", "show", "--format", "json").stdout)["revision"] == 2


def test_the_api_reads_and_changes_the_facts_with_typed_answers(api: TestClient) -> None:
    empty = api.get("/api/v1/org/facts")
    assert empty.status_code == 200 and empty.json()["revision"] == 0
    body = {"facts": {"name": "Acme", "country": "KR", "korean_office": True}, "note": "entered once",
            "expected_revision": 0}
    put = api.put("/api/v1/org/facts", json=body)
    assert put.status_code == 200, put.text
    assert put.json()["revision"] == 1 and put.json()["facts"]["country"] == "KR"
    stale = api.put("/api/v1/org/facts", json={**body, "facts": {"country": "US"}})
    assert stale.status_code == 409
    invalid = api.put("/api/v1/org/facts", json={"facts": {"country": "Korea"}})
    assert invalid.status_code == 422 and "country" in invalid.text
    typo = api.put("/api/v1/org/facts", json={"facts": {"revenue": 1}})
    assert typo.status_code == 422
    viewer = api.put("/api/v1/org/facts", json={"facts": {"country": "US"}},
                     headers={"Authorization": f"Bearer {api.tokens['viewer']}"})  # type: ignore[attr-defined]
    assert viewer.status_code == 403
    history = api.get("/api/v1/org/facts/history").json()
    assert history["total"] == 1 and history["items"][0]["note"] == "entered once"

    card = {"id": "abroad", "name": "Abroad", "operator": {"country": "US"}}
    assert api.post("/api/v1/systems", json=card).status_code == 201
    operator = api.get("/api/v1/systems/abroad/operator").json()
    assert operator["operator"] == {"name": "Acme", "country": "US", "korean_office": True}
    assert operator["sources"] == {"name": "org", "country": "system", "korean_office": "org"}
    assert api.get("/api/v1/systems/abroad").json()["operator"] == {"country": "US"}  # the card as entered
    spec = api.get("/openapi.json").json()
    assert spec["paths"]["/api/v1/org/facts"]["put"]["operationId"] == "org_put_facts"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_the_settings_page_saves_the_facts_and_system_pages_say_where_values_come_from(hc: Haechi) -> None:
    from haechi.api import create_app

    hc.accounts.create_org("acme", "Acme", "에이크미")
    admin = hc.local_actor("acme")
    hc.accounts.create_user(admin, "admin@acme.example", "admin", "correct horse battery 9", "관리자")
    hc.systems.add(admin, SystemCard.model_validate({"id": "abroad", "name": "Abroad", "operator": {"country": "US"}}))
    client = TestClient(create_app(hc=hc))
    web_login(client, "admin@acme.example", "correct horse battery 9")
    client.get("/lang/ko?next=/")
    page = client.get("/settings")
    assert page.status_code == 200 and "회사 정보" in page.text and 'id="org-facts"' in page.text
    form: dict[str, Any] = {"csrf_token": _csrf(page.text), "revision": "0", "operator.name": "에이크미 주식회사",
                            "operator.country": "KR", "operator.korean_office": "yes",
                            "operator.annual_revenue_krw": "1,200,000", "note": "처음 입력"}
    saved = client.post("/settings/org-facts", data=form, follow_redirects=True)
    assert saved.status_code == 200 and "회사 정보를 저장했습니다" in saved.text
    assert hc.org_facts.current(admin).facts.annual_revenue_krw == 1_200_000
    bad = client.post("/settings/org-facts", data={**form, "revision": "1", "operator.country": "Korea"})
    assert bad.status_code == 422 and "operator.country" in bad.text  # the form names the field
    assert hc.org_facts.current(admin).revision == 1 and hc.org_facts.current(admin).facts.country == "KR"

    detail = client.get("/systems/abroad").text
    assert "회사 정보에서 가져옴" in detail and "이 시스템에서 지정" in detail
    verdict = client.get("/systems/abroad/verdict").text
    assert 'id="operator"' in verdict and "이 시스템에서 지정" in verdict
    assert 'name="q:operator.' not in verdict  # operator questions are answered on the facts page


def test_haechi_init_lifts_the_operator_every_card_repeats_into_the_org(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _haechi(home, "init", "--org", "acme", "--name", "Acme").returncode == 0
    for slug in ("one", "two"):
        card = tmp_path / f"{slug}.yaml"
        card.write_text(f"id: {slug}\nname: {slug}\noperator: {{name: Acme, country: KR, korean_office: true}}\n",
                        encoding="utf-8")
        assert _haechi(home, "systems", "add", str(card)).returncode == 0
    assert _haechi(home, "init").returncode == 0
    shown = json.loads(_haechi(home, "org", "facts", "show", "--format", "json").stdout)
    assert shown["revision"] == 1 and shown["facts"]["name"] == "Acme" and shown["facts"]["korean_office"] is True
    card = json.loads(_haechi(home, "systems", "show", "one", "--format", "json").stdout)["card"]
    assert "operator" not in card
