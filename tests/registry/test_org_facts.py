"""The organisation's operator facts: entered once, overlaid by a card's own values, versioned,
in the ledger, and every verdict moves with them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.demo.company import CARD_ORDER, demo_card, demo_operator, demo_system_card
from haechi.domain.card import Operator, SystemCard
from haechi.domain.errors import Conflict, PermissionDenied, ValidationFailed
from haechi.rules.results import Classification
from haechi.store.tables import LedgerEntry
from haechi.verdicts.store import verdict_digest

KR = "kr-ai-basic-act"


def _admin(hc: Haechi, slug: str) -> Actor:
    hc.accounts.create_org(slug, slug.title())
    return hc.local_actor(slug)


def _digests(verdict: Classification) -> dict[str, str]:
    return {r.pack: verdict_digest(r) for r in verdict.results}


def _kr_class(verdict: Classification, name: str) -> object:
    return next(r for r in verdict.results if r.pack == KR).classes[name]


def test_the_demo_verdicts_are_the_same_whether_cards_repeat_the_operator_or_the_org_holds_it(hc: Haechi) -> None:
    repeating, once = _admin(hc, "repeating"), _admin(hc, "once")
    hc.org_facts.set(once, demo_operator())
    for slug in CARD_ORDER:
        hc.systems.add(repeating, demo_card(slug))
        hc.systems.add(once, demo_system_card(slug))
    for slug in CARD_ORDER:
        assert hc.systems.get(once, slug).card.operator is None  # the card no longer repeats it
        before, after = hc.rules.verdict(repeating, slug), hc.rules.verdict(once, slug)
        assert _digests(before) == _digests(after), slug
        assert [h["classes"] for h in hc.rules.history(repeating, slug)] == \
            [h["classes"] for h in hc.rules.history(once, slug)]


def test_a_card_value_overrides_the_org_for_that_system_only_and_says_so(db_hc: Haechi) -> None:
    admin = _admin(db_hc, "acme")
    db_hc.org_facts.set(admin, Operator(name="Acme Korea", country="KR", korean_office=True,
                                        annual_revenue_krw=2_000_000_000_000))
    db_hc.systems.add(admin, SystemCard(id="home-bot", name="Home bot", roles=["deployer"]))
    abroad = SystemCard.model_validate({"id": "abroad-bot", "name": "Abroad bot", "roles": ["deployer"],
                                        "operator": {"name": "Acme Inc.", "country": "US", "korean_office": False}})
    db_hc.systems.add(admin, abroad)

    home, away = db_hc.systems.get(admin, "home-bot"), db_hc.systems.get(admin, "abroad-bot")
    assert away.card.operator == abroad.operator  # what was entered stays as entered
    assert away.effective_card.operator == Operator(name="Acme Inc.", country="US", korean_office=False,
                                                    annual_revenue_krw=2_000_000_000_000)
    assert away.operator_sources == {"name": "system", "country": "system", "korean_office": "system",
                                     "annual_revenue_krw": "org"}
    assert set(home.operator_sources.values()) == {"org"}
    # KR Art. 36: no Korean office and revenue of at least KRW 1 trillion, for the abroad entity only
    assert _kr_class(db_hc.rules.verdict(admin, "abroad-bot"), "domestic_representative_required") == "yes"
    assert _kr_class(db_hc.rules.verdict(admin, "home-bot"), "domestic_representative_required") == "no"


def test_changing_the_facts_re_evaluates_every_system_with_history_and_ledger(db_hc: Haechi) -> None:
    admin = _admin(db_hc, "acme")
    first = db_hc.org_facts.set(admin, Operator(country="US", korean_office=True, annual_revenue_krw=2 * 10**12))
    db_hc.systems.add(admin, SystemCard(id="bot", name="Bot", roles=["deployer"]))
    assert _kr_class(db_hc.rules.verdict(admin, "bot"), "domestic_representative_required") == "no"

    second = db_hc.org_facts.set(admin, Operator(country="US", korean_office=False, annual_revenue_krw=2 * 10**12),
                                 expected_revision=first.revision, note="office closed")
    assert second.revision == 2
    assert second.changes == [{"field": "operator.korean_office", "old": True, "new": False}]
    stored = db_hc.rules.history(admin, "bot", pack=KR)[0]
    assert stored["cause"] == "org_facts" and stored["classes"]["domestic_representative_required"] == "yes"
    assert stored["revision"] == 1  # the card did not change
    assert [r.revision for r in db_hc.org_facts.history(admin)] == [2, 1]
    with db_hc.db.reader() as s:
        actions = s.execute(select(LedgerEntry.action, LedgerEntry.payload).where(
            LedgerEntry.org_id == admin.org_id, LedgerEntry.entity_type == "organisation")
            .order_by(LedgerEntry.seq)).all()
    assert [a for a, _ in actions if a == "org.facts_update"] == ["org.facts_update"] * 2
    assert "office closed" in actions[-1][1]
    assert db_hc.ledger.verify(admin).ok

    with pytest.raises(Conflict):
        db_hc.org_facts.set(admin, Operator(country="KR"), expected_revision=1)
    with pytest.raises(ValidationFailed):
        db_hc.org_facts.set(admin, Operator(country="US", korean_office=False, annual_revenue_krw=2 * 10**12))
    editor = db_hc.accounts.create_user(admin, "ed@acme.example", "editor")
    editor_actor = db_hc.accounts.actor_for_token(db_hc.accounts.create_token(admin, editor.email))
    with pytest.raises(PermissionDenied):
        db_hc.org_facts.set(editor_actor, Operator(country="KR"))
    assert db_hc.org_facts.current(editor_actor).revision == 2


def test_a_workspace_whose_cards_repeat_the_operator_lifts_the_shared_values_once(db_hc: Haechi) -> None:
    admin = _admin(db_hc, "hanbit")
    for slug in ("hiring-screener", "support-chatbot"):
        db_hc.systems.add(admin, demo_card(slug))
    subsidiary = demo_card("press-defect-vision")
    assert subsidiary.operator is not None
    db_hc.systems.add(admin, subsidiary.model_copy(update={"operator": subsidiary.operator.model_copy(
        update={"name": "한빛정밀 베트남 법인", "country": "VN", "korean_office": False})}))
    before = {r.slug: _digests(db_hc.rules.verdict(admin, r.slug)) for r in db_hc.systems.all(admin)}

    result = db_hc.org_facts.lift_from_cards(admin)

    shared = demo_operator().model_dump(mode="json", exclude_none=True)
    for differing in ("name", "country", "korean_office"):
        shared.pop(differing)
    assert result["lifted"] == shared and result["revision"] == 1 and len(result["systems"]) == 3
    assert db_hc.org_facts.current(admin).facts == Operator.model_validate(shared)
    vietnam = db_hc.systems.get(admin, "press-defect-vision")
    assert vietnam.card.operator == Operator(name="한빛정밀 베트남 법인", country="VN", korean_office=False)
    assert vietnam.operator_sources["country"] == "system" and vietnam.operator_sources["annual_revenue_krw"] == "org"
    screener = db_hc.systems.get(admin, "hiring-screener")
    assert screener.card.operator == Operator(name="한빛정밀 주식회사", country="KR", korean_office=True)
    after = {r.slug: _digests(db_hc.rules.verdict(admin, r.slug)) for r in db_hc.systems.all(admin)}
    assert after == before
    assert db_hc.systems.history(admin, "hiring-screener")[-1].note is not None
    assert db_hc.org_facts.lift_from_cards(admin)["lifted"] == {}  # once only
