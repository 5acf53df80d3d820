"""Duties read from verdicts, and exceptions honoured exactly when the verdict says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.rules.crosswalk import ref_matches
from haechi.transparency.duties import LABEL_DUTIES, NOTICE_DUTIES, duties_from_verdict

from . import cards, verdicts


def test_article_prefix_matching() -> None:
    assert ref_matches("34(1)(2)", "34(1)") and ref_matches("31(2)", "31(2)")
    assert not ref_matches("34(10)", "34(1)") and not ref_matches("3", "31")


@pytest.mark.parametrize("status,active,exempt", [("applies", True, False), ("may_apply", True, False),
                                                  ("exempt", False, True), ("not_in_force", False, False)])
def test_status_decides_whether_a_duty_is_active(status: str, active: bool, exempt: bool) -> None:
    verdict = verdicts.chatbot(status, ["reason"])
    verdict["results"] = verdict["results"][:1]
    duties = duties_from_verdict(verdict)
    assert bool(duties.active(LABEL_DUTIES)) is active
    assert bool(duties.exempt(LABEL_DUTIES)) is exempt


def test_strongest_status_wins_and_reasons_merge() -> None:
    duties = duties_from_verdict(verdicts.hiring())
    posting = duties.get("posting")
    assert posting is not None and posting.status == "applies" and len(posting.obligation_ids) == 2
    # The explanation plan (KR Art. 34(1)(2)) is the explanation duty the receipts fulfil.
    explanation = duties.get("explanation")
    assert explanation is not None and explanation.status == "applies"
    assert explanation.obligation_ids == ("kr.34.1.explanation-plan",)
    assert duties.get("right_to_explanation").status == "may_apply"  # type: ignore[union-attr]
    assert duties.high_impact and not duties.generative
    assert [d.key for d in duties.active(NOTICE_DUTIES)] == ["advance_notice", "deployer_inform"]


def _kr_pack_has_article_31() -> bool:
    try:
        from haechi.rules import classify
        result = classify(cards_card(cards.chatbot())).to_json()
    except Exception:
        return False
    return any(o["article"].startswith("31(") for r in result["results"] for o in r["obligations"])


def cards_card(data: dict):  # type: ignore[no-untyped-def]
    from haechi.domain.card import SystemCard
    return SystemCard.model_validate(data)


needs_packs = pytest.mark.skipif(not _kr_pack_has_article_31(),
                                 reason="the shipped KR law pack (Art. 31) has not landed yet")


@needs_packs
def test_internal_only_system_is_still_labelled_under_a_partial_exception(
        hc: Haechi, org: Actor, add_system, signing, media, tmp_path: Path) -> None:
    # Decree Art. 23(4)(2) lets the marking methods be disapplied "in whole or in part" for
    # internal business use: a partial exception, so the label duty stays active.
    add_system(cards.image_gen(id="internal-image-gen", internal_use_only=True, markets=["KR"]))
    duties = hc.transparency.duties(org, "internal-image-gen")
    assert not duties.exempt(LABEL_DUTIES)
    active = duties.active(LABEL_DUTIES)
    assert active and any("23(4)(2)" in r and "partial exception" in r for r in active[0].reasons)
    out = tmp_path / "out.png"
    result = hc.transparency.label_file(org, "internal-image-gen", "image", media["png"], out)
    assert result["applied"] is True and not result.get("voluntary")
    assert out.read_bytes() != media["png"].read_bytes()


@needs_packs
def test_public_generative_system_is_labelled_and_noticed(hc: Haechi, org: Actor, add_system) -> None:
    add_system(cards.chatbot())
    duties = hc.transparency.duties(org, "support-chatbot")
    assert duties.active(LABEL_DUTIES) and duties.active(NOTICE_DUTIES)
    result = hc.transparency.label_text(org, "support-chatbot", "hello")
    assert result["applied"] is True and not result.get("voluntary")
    notice = hc.transparency.notice(org, "support-chatbot")
    assert notice.content.required is True


def test_notice_versions_change_only_when_content_changes(hc: Haechi, org: Actor, add_system) -> None:
    from haechi.domain.card import SystemCard
    add_system(cards.chatbot())
    first = hc.transparency.current_notice(org, "support-chatbot")[0].version
    again = hc.transparency.current_notice(org, "support-chatbot")[0].version
    hc.systems.update(org, SystemCard.model_validate(cards.chatbot(description="Answers questions about orders.")))
    third = hc.transparency.current_notice(org, "support-chatbot")[0].version
    assert (first, again, third) == (1, 1, 2)
    assert [v["version"] for v in hc.transparency.notice_versions(org, "support-chatbot")] == [2, 1]


def test_other_organisations_cannot_see_notices(hc: Haechi, org: Actor, other_actor: Actor, add_system) -> None:
    from haechi.domain.errors import NotFound
    add_system(cards.chatbot())
    with pytest.raises(NotFound):
        hc.transparency.notice(other_actor, "support-chatbot")
