"""Runs the Korean/Japanese law golden cases (``golden_kr_law``) with their extra checks."""

from __future__ import annotations

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
