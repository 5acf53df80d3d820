"""Runs the Korean/Japanese law golden cases (``golden_kr_law``) with their extra checks."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi.rules import classify

from .golden_kr_law import CASES, LawCase


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_law_case(case: LawCase) -> None:
    result = classify(case.card, as_of=case.as_of, packs=[case.pack]).results[0]
    assert result.in_scope == case.in_scope, result.scope_reasons
    for name, value in case.classes.items():
        assert result.classes[name] == value, (name, result.class_details[name])
    statuses = {o.id: o.status for o in result.obligations}
    for status in ("applies", "exempt", "not_in_force", "may_apply"):
        for ob_id in getattr(case, status):
            assert statuses.get(ob_id) == status, (ob_id, statuses.get(ob_id), result.obligation(ob_id))
    for ob_id in case.absent:
        assert ob_id not in statuses, (ob_id, result.obligation(ob_id))
    for ob_id, article in case.articles.items():
        assert result.obligation(ob_id).article == article
    asked = {q.field for q in result.questions}
    assert set(case.questions) <= asked, asked
    shown = {n["id"] for n in result.notes}
    assert set(case.notes) <= shown, shown
    for ob_id, words in case.reasons.items():
        ob = result.obligation(ob_id)
        assert any(words in r for r in [*ob.reasons, *[g["text"] for g in ob.guidance]]), (words, ob.reasons)
    for ob_id, ids in case.guidance.items():
        shown = {g["id"] for g in result.obligation(ob_id).guidance}
        assert set(ids) <= shown, (ob_id, shown)
    for ob_id, ids in case.no_guidance.items():
        shown = {g["id"] for g in result.obligation(ob_id).guidance}
        assert not set(ids) & shown, (ob_id, shown)


def test_jp_cooperation_is_mandatory_without_sanctions() -> None:
    card = next(c for c in CASES if c.name == "jp-7-cooperation-and-art-16-powers").card
    result = classify(card, as_of=dt.date(2026, 11, 26), packs=["jp-ai-promotion"])
    jp = result.results[0]
    cooperate, use = jp.obligation("jp.7.cooperate-with-measures"), jp.obligation("jp.7.use-ai-actively")
    assert (cooperate.nature, cooperate.penalty) == ("mandatory", None)
    assert use.nature == "best_effort"
    assert all("Art. 16" in g["citation"] for g in cooperate.guidance if "investigation" in g["id"])


def test_crosswalk_says_overlaps_where_scopes_differ() -> None:
    """No crosswalk entry claims one regime's duty covers another's: the Korean and EU (and
    Japanese) scopes differ, so every legal link is an overlap (``intersect``) whose
    rationale names the difference in English and Korean."""
    from haechi.rules.crosswalk import lookup
    from haechi.rules.library import PackLibrary

    lib = PackLibrary.shipped()
    laws = {"eu-ai-act", "jp-ai-promotion"}
    korean = next(cw for cw in lib.crosswalks if cw.id == "kr-ai-basic-act-crosswalk")
    for entry in korean.entries:
        for link in entry.links:
            if link.pack in laws and link.relationship != "none":
                assert link.relationship == "intersect", (entry.id, link.pack, link.relationship)
                assert "cover the Korean" not in link.rationale and "충족된다" not in link.rationale_ko
    notice = lookup(lib.crosswalks, "kr-ai-basic-act", "31(1)")[0]
    eu = next(link for link in notice["links"] if link["pack"] == "eu-ai-act")
    assert eu["rationale"].startswith("Overlaps, but the scopes differ") and "겹치지만" in eu["rationale_ko"]
    docs = lookup(lib.crosswalks, "eu-ai-act", "11")
    assert any(e["entry"] == "R13" and e["links"][0]["relationship"] == "intersect" for e in docs)
    jp = next(link for link in lookup(lib.crosswalks, "kr-ai-basic-act", "40")[0]["links"]
              if link["pack"] == "jp-ai-promotion")
    assert jp["refs"] == ["7", "16"] and "Art. 16" in jp["rationale"] and "제16조" in jp["rationale_ko"]
