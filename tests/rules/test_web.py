"""Law-pack pages: the verdict tab (per jurisdiction, reasons, citations, questions form,
comparison, history), the packs page, versions and diffs, crosswalk — ko/en, JSON twins."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.card import SystemCard
from haechi.web.i18n import catalog
from tests.conftest import web_login

from .cards import UNKNOWN, card
from .test_spec_json import HIRING

HTML = {"Accept": "text/html"}


@pytest.fixture
def web(hc: Haechi):  # type: ignore[no-untyped-def]
    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    admin = hc.local_actor("acme")
    hc.accounts.create_user(admin, "ana@acme.example", "editor", "password-123")
    hc.systems.add(admin, SystemCard.model_validate(HIRING))
    hc.systems.add(admin, SystemCard.model_validate(card(
        id="chatbot", generative__modalities=["text"], generative__outputs_leave_service=UNKNOWN,
        interacts_with_people=True, eu_practices=UNKNOWN, roles=["deployer"])))
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        response = web_login(client, "ana@acme.example", "password-123")
        assert response.status_code == 303
        yield client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_verdict_tab_shows_each_jurisdiction_with_reasons_and_citations(web: TestClient) -> None:
    page = web.get("/systems/hiring-screener/verdict?at=2026-11-26", headers=HTML)
    assert page.status_code == 200
    text = page.text
    # On 2026-11-26 the EU AI Act applies as amended by Regulation (EU) 2026/1744 (in force 2026-07-27).
    assert "kr-ai-basic-act@2" in text and "eu-ai-act@2" in text
    assert "AI Basic Act Art. 34(1)(1); Enforcement Decree Art. 27" in text
    assert "domain &#39;employment&#39; is listed in Art. 2(4)(g)" in text
    assert 'href="/systems/hiring-screener/verdict" aria-current="page"' in text
    twin = web.get("/systems/hiring-screener/verdict?at=2026-11-26&format=json").json()
    assert twin["verdict"]["results"][0]["classes"]["high_impact"] == "yes"
    eu = next(r for r in twin["verdict"]["results"] if r["pack"] == "eu-ai-act")
    high_risk = [o for o in eu["obligations"] if o["id"] != "eu.4.ai-literacy"]
    assert high_risk and {o["status"] for o in high_risk} == {"not_in_force"}
    assert {o["effective_from"] for o in high_risk} == {"2027-12-02"}
    assert [c["pack"] for c in twin["comparison"]["columns"]] == ["kr-ai-basic-act", "eu-ai-act", "eu-cra"]
    every = web.get("/systems/hiring-screener/verdict?at=2026-11-26&all=1&format=json").json()["comparison"]
    assert "us-state-ai" in [c["pack"] for c in every["columns"]] and every["left_out"] == []
    assert {h["cause"] for h in twin["history"]} == {"initial"}


def test_korean_page(web: TestClient) -> None:
    web.cookies.set("haechi_lang", "ko")
    text = web.get("/systems/hiring-screener/verdict", headers=HTML).text
    assert "관할별 판정" in text and "위험관리방안 수립·운영" in text and "법령 비교" in text


def test_questions_form_updates_the_card_and_the_verdict(web: TestClient) -> None:
    page = web.get("/systems/chatbot/verdict?at=2026-11-26", headers=HTML)
    assert 'name="q:generative.outputs_leave_service"' in page.text
    assert 'name="q:eu_practices[]"' in page.text
    form = {"csrf_token": _csrf(page.text), "revision": "1", "q:generative.outputs_leave_service": "true",
            "q:eu_practices[]": "__none__"}
    done = web.post("/systems/chatbot/verdict/answers", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/systems/chatbot/verdict?answered=1"
    twin = web.get("/systems/chatbot/verdict?at=2026-11-26&format=json").json()
    assert twin["system"]["revision"] == 2
    assert twin["card"]["eu_practices"] == [] and twin["card"]["generative"]["outputs_leave_service"] is True
    assert twin["questions"] == []
    eu = next(r for r in twin["verdict"]["results"] if r["pack"] == "eu-ai-act")
    assert eu["classes"]["risk_tier"] == "limited"
    label = next(o for r in twin["verdict"]["results"] for o in r["obligations"] if o["id"] == "kr.31.2.output-label")
    assert [g["id"] for g in label["guidance"]][:2] == ["outputs-leave-service", "c2pa-not-named"]
    assert [h["cause"] for h in twin["history"]][:1] == ["revision"]


def test_bad_answer_is_shown_on_the_page_and_changes_nothing(web: TestClient) -> None:
    page = web.get("/systems/chatbot/verdict", headers=HTML)
    form = {"csrf_token": _csrf(page.text), "revision": "1", "q:operator.annual_revenue_krw": "lots"}
    response = web.post("/systems/chatbot/verdict/answers", data=form, headers=HTML)
    assert response.status_code == 422 and "is not a number" in response.text
    assert web.get("/systems/chatbot/verdict?format=json").json()["system"]["revision"] == 1
    forged = web.post("/systems/chatbot/verdict/answers", data={**form, "csrf_token": "forged"}, headers=HTML)
    assert forged.status_code == 403


def test_packs_pages(web: TestClient) -> None:
    listing = web.get("/packs", headers=HTML)
    assert listing.status_code == 200 and "eu-ai-act@2" in listing.text and 'href="/packs"' in listing.text
    twin = web.get("/packs?format=json").json()
    assert [p["id"] for p in twin["packs"]][:2] == ["kr-ai-basic-act", "eu-ai-act"]
    pack = web.get("/packs/kr-ai-basic-act@1", headers=HTML)
    assert pack.status_code == 200 and "kr.36.1.domestic-representative" in pack.text
    diff = web.get("/packs/eu-ai-act/diff?from=1&to=2&at=2026-11-26", headers=HTML)
    assert diff.status_code == 200 and "eu.5.1.ncii-csam-ban" in diff.text and "hiring-screener" in diff.text
    assert web.get("/packs/nope", headers=HTML).status_code == 404
    # A reworded duty (EU Art. 4 as amended by Regulation (EU) 2026/1744) shows its title change in
    # the reader's language.
    assert "Take measures to support the AI literacy" in diff.text
    web.cookies.set("haechi_lang", "ko")
    korean = web.get("/packs/eu-ai-act/diff?from=1&to=2&at=2026-11-26", headers=HTML).text
    web.cookies.set("haechi_lang", "en")
    assert "AI 리터러시를 지원하는 조치" in korean and "Take measures to support" not in korean


def test_crosswalk_page(web: TestClient) -> None:
    page = web.get("/crosswalk?article=kr:34(1)", headers=HTML)
    assert page.status_code == 200 and "R09" in page.text and "GOVERN 1.3" in page.text
    bad = web.get("/crosswalk?article=34", headers=HTML)
    assert bad.status_code == 200 and "alert" in bad.text


def test_catalogs_have_the_same_keys() -> None:
    en = {k for k in catalog("en") if k.startswith("rules.")}
    ko = {k for k in catalog("ko") if k.startswith("rules.")}
    assert en == ko and len(en) > 80


def test_korean_answers_in_the_card_form_and_an_abroad_note_on_the_verdict_tab(web: TestClient,
                                                                               hc: Haechi) -> None:
    form = web.get("/systems/new", headers=HTML).text
    for name in ("kr.defence_designation", "kr.market_effect", "kr.sectoral_measures", "operator.public_body",
                 "decides_about_people", "infrastructure_sectors"):
        assert f'name="{name}"' in form, name
    admin = hc.local_actor("acme")
    hc.systems.add(admin, SystemCard.model_validate(card(id="abroad", markets=["JP"], domains=["employment"],
                                                         significant_impact=True)))
    page = web.get("/systems/abroad/verdict?at=2026-12-06", headers=HTML).text
    # Not silence: the Korean Act's result says it may still reach the system (Art. 4(1)) and asks.
    assert "The Act still reaches conduct abroad that affects the Korean market" in page
    assert "does its use abroad affect the Korean market or users in Korea" in page


def test_the_korean_crosswalk_page_reads_the_state_laws_in_korean(web: TestClient) -> None:
    """A Korean user looks up Colorado's notice duty on the crosswalk page."""
    from ..walk.language import english_in

    web.cookies.set("haechi_lang", "ko")
    page = web.get("/crosswalk?article=us:6-1-1704(1)", headers=HTML).text
    web.cookies.set("haechi_lang", "en")
    main = page[page.index("<main"):page.index("</main>")]
    assert "U01" in main and "콜로라도주 개정법률 6-1-1704(1)" in main and "겹치지만" in main
    import re
    text = re.sub(r"<code>.*?</code>|<[^>]+>", " ", main)
    assert not english_in(text), english_in(text)


def test_the_comparison_shows_the_markets_and_all_laws_on_request_in_korean(web: TestClient, hc: Haechi) -> None:
    """A Korean user opens a US-market chatbot's verdict tab: the comparison shows the laws of its
    markets with Korean headings, names the laws left out and offers every law behind a link."""
    import re

    from ..walk.language import english_in

    card = {"id": "us-chatbot", "name": "US chatbot", "markets": ["KR", "US"], "roles": ["deployer"],
            "operator": {"country": "KR"}, "interacts_with_people": True, "domains": ["customer_service"],
            "us": {"states": ["TX", "CO"], "governmental_entity": False, "consequential_decision": False}}
    hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate(card))
    web.cookies.set("haechi_lang", "ko")
    try:
        page = web.get("/systems/us-chatbot/verdict?at=2026-12-06", headers=HTML).text
        every = web.get("/systems/us-chatbot/verdict?at=2026-12-06&all=1", headers=HTML).text
    finally:
        web.cookies.set("haechi_lang", "en")
    section = page[page.index('<section class="panel" id="compare"'):page.index('<section class="panel" id="timeline"')]
    headings = re.findall(r'<th scope="col">(.*?)</th>', section)
    assert [re.sub(r"<[^>]+>", "", h).split(" (")[0] for h in headings] == ["주제", "AI 기본법", "미국 주 인공지능법"]
    assert "표시하지 않은 법(다른 시장)" in section and "중국 AI 규정" in section
    assert 'href="?all=1&amp;at=2026-12-06#compare"' in section
    wide = every[every.index('<section class="panel" id="compare"'):every.index('<section class="panel" id="timeline"')]
    assert "EU AI법" in wide and "NIST AI RMF" in wide and "(자율 기준)" in wide and "시스템의 시장만 보기" in wide
    for html in (section, wide):
        text = re.sub(r"<code>.*?</code>|<[^>]+>", " ", html)
        assert not english_in(text), english_in(text)
