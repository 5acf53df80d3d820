"""The transparency tab and the public posting page (no login), with their JSON twins."""

from __future__ import annotations

from haechi.domain.card import SystemCard
from tests.conftest import web_login

from . import cards


def _login(api) -> None:  # type: ignore[no-untyped-def]
    api.hc.accounts.create_user(api.hc.local_actor("acme"), "web@acme.example", "editor", "password-123")
    api.headers.pop("Authorization", None)
    response = web_login(api, "web@acme.example", "password-123", follow_redirects=False)
    assert response.status_code in (302, 303)


def test_tab_and_public_page(api) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(cards.chatbot()))
    hc.systems.add(actor, SystemCard.model_validate(cards.hiring()))
    hc.transparency.current_notice(actor, "support-chatbot")
    hidden = api.get("/public/acme/ai", headers={"Authorization": ""})
    assert hidden.status_code == 404  # nothing is public until the organisation publishes
    hc.transparency.posting.update(actor, {"published": True, "intro": {"en": "How Acme uses AI", "ko": "AI 이용 안내"},
                                           "systems": {"hiring-screener": {
                                               "risk_management": {"en": "Quarterly bias review by HR and legal.",
                                                                   "ko": "인사·법무 분기별 편향 점검"},
                                               "withheld": {"en": "model features", "ko": "모델 변수"}}}})
    public = api.get("/public/acme/ai?format=json", headers={"Authorization": ""})
    assert public.status_code == 200
    data = public.json()
    high = {s["system"]: s for s in data["high_impact"]}
    assert high["hiring-screener"]["overseer"]["email"] == "ai-help@hanbit.example"
    assert "explanation" in high["hiring-screener"]["missing"]
    assert [g["system"] for g in data["generative"]] == ["support-chatbot"]
    page = api.get("/public/acme/ai", headers={"Authorization": "", "Accept-Language": "ko"})
    assert "인사·법무 분기별 편향 점검" in page.text and "관리·감독 담당자" in page.text
    _login(api)
    tab = api.get("/systems/support-chatbot/transparency")
    assert tab.status_code == 200 and "haechi-notice" in tab.text
    twin = api.get("/systems/support-chatbot/transparency?format=json").json()
    assert twin["notice"]["version"] == 1 and twin["notice_outdated"] is False


def test_locale_catalogs_have_the_same_keys() -> None:
    from pathlib import Path

    import yaml

    from haechi.web.i18n import _flatten
    folder = Path(__file__).parents[2] / "src" / "haechi" / "web" / "locales"
    en = _flatten(yaml.safe_load((folder / "transparency.en.yaml").read_text(encoding="utf-8")))
    ko = _flatten(yaml.safe_load((folder / "transparency.ko.yaml").read_text(encoding="utf-8")))
    assert set(en) == set(ko)
