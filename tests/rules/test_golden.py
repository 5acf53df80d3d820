"""Golden cases per pack: classes, obligation statuses, articles and questions."""

from __future__ import annotations

import pytest

from haechi.rules import classify

from .golden_cases import CASES, Case


def test_enough_golden_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Case) -> None:
    result = classify(case.card, as_of=case.as_of, packs=[case.pack]).results[0]
    assert result.in_scope == case.in_scope
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


def test_partial_exception_is_cited_and_keeps_the_duty() -> None:
    case = next(c for c in CASES if c.name == "kr-31-exception-internal-use")
    ob = classify(case.card, as_of=case.as_of, packs=[case.pack]).results[0].obligation("kr.31.2.output-label")
    assert ob.status == "applies"
    assert ob.exemption["id"] == "internal-use-only" and ob.exemption["effect"] == "partial"
    assert any("partial exception" in r for r in ob.reasons)
    assert any("Enforcement Decree Art. 23(4)(2)" in r for r in ob.reasons)
    assert any("23(4)(2)" in r for r in ob.reasons_ko)


def test_may_apply_lists_its_question() -> None:
    case = next(c for c in CASES if c.name == "kr-significant-impact-unknown")
    result = classify(case.card, as_of=case.as_of, packs=[case.pack]).results[0]
    ob = result.obligation("kr.34.1.risk-management-plan")
    assert ob.missing == ["significant_impact"]
    question = next(q for q in result.questions if q.field == "significant_impact")
    assert "kr.34.1.risk-management-plan" in question.affects
    assert "high_impact" in question.affects_classes
    assert question.question_ko and question.answer == {"kind": "bool"}
