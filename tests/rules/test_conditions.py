"""The condition language: Kleene truth tables, operators, short form and reasons."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haechi.domain.errors import IssueCollector
from haechi.rules.conditions import AllOf, AnyOf, Compiler, Const, Leaf, Not
from haechi.rules.evaluate import Evaluator
from haechi.rules.tri import Tri, all_of, any_of

TRIS = [Tri.YES, Tri.NO, Tri.UNKNOWN]


def _kleene_and(a: Tri, b: Tri) -> Tri:
    # Reference: order no < unknown < yes; AND is the minimum.
    order = [Tri.NO, Tri.UNKNOWN, Tri.YES]
    return order[min(order.index(a), order.index(b))]


def _kleene_or(a: Tri, b: Tri) -> Tri:
    order = [Tri.NO, Tri.UNKNOWN, Tri.YES]
    return order[max(order.index(a), order.index(b))]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRIS, TRIS)))
def test_kleene_truth_tables(a: Tri, b: Tri) -> None:
    assert all_of([a, b]) == _kleene_and(a, b)
    assert any_of([a, b]) == _kleene_or(a, b)
    assert all_of([a, b]).negate() == any_of([a.negate(), b.negate()])  # De Morgan


@given(st.lists(st.sampled_from(TRIS), max_size=6))
def test_all_and_any_fold_pairwise(values: list[Tri]) -> None:
    expected_all, expected_any = Tri.YES, Tri.NO
    for v in values:
        expected_all, expected_any = _kleene_and(expected_all, v), _kleene_or(expected_any, v)
    assert all_of(values) == expected_all and any_of(values) == expected_any


def _compile(raw):  # type: ignore[no-untyped-def]
    issues = IssueCollector("t.yaml")
    cond = Compiler(issues).compile(raw, ("when",))
    assert not issues.issues, [i.render() for i in issues.issues]
    return cond


def _eval(raw, card):  # type: ignore[no-untyped-def]
    return Evaluator(card, dt.date(2026, 11, 26), lambda _: Const(True)).eval(_compile(raw))


@pytest.mark.parametrize(("text", "leaf"), [
    ("compute.training_flops >= 1e26", Leaf("compute.training_flops", "gte", 1e26)),
    ("significant_impact == true", Leaf("significant_impact", "eq", True)),
    ("domains contains_any [employment, credit]", Leaf("domains", "contains_any", ["employment", "credit"])),
    ("operator.country not_in [KR, JP]", Leaf("operator.country", "not_in", ["KR", "JP"])),
    ("deployed_at < 2026-08-02", Leaf("deployed_at", "lt", dt.date(2026, 8, 2))),
    ("generative.modalities empty false", Leaf("generative.modalities", "empty", False)),
])
def test_short_form(text: str, leaf: Leaf) -> None:
    assert _compile(text) == leaf


def test_combinators_compile() -> None:
    cond = _compile({"all": [{"any": ["profiling == true", True]}, {"not": {"rule": "x"}}]})
    assert isinstance(cond, AllOf) and isinstance(cond.children[0], AnyOf)
    assert isinstance(cond.children[1], Not)


@pytest.mark.parametrize(("raw", "card", "value"), [
    ("compute.training_flops >= 1e26", {"compute": {"training_flops": 1e26}}, Tri.YES),
    ("compute.training_flops >= 1e26", {"compute": {"training_flops": 9.99e25}}, Tri.NO),
    ("compute.training_flops > 1e25", {"compute": {"training_flops": 1e25}}, Tri.NO),
    ("compute.training_flops >= 1e26", {"compute": None}, Tri.UNKNOWN),
    ("compute.training_flops >= 1e26", {}, Tri.UNKNOWN),
    ("domains contains employment", {"domains": []}, Tri.NO),
    ("domains contains employment", {"domains": None}, Tri.UNKNOWN),
    ("domains contains_all [employment, credit]", {"domains": ["credit", "employment"]}, Tri.YES),
    ("generative.modalities empty false", {"generative": {"modalities": []}}, Tri.NO),
    ("education_level in [primary, secondary]", {"education_level": "higher"}, Tri.NO),
    ("operator.country not_in [KR]", {"operator": {"country": "US"}}, Tri.YES),
    ("deployed_at < 2026-08-02", {"deployed_at": dt.date(2026, 5, 1)}, Tri.YES),
])
def test_leaf_evaluation(raw: str, card: dict, value: Tri) -> None:  # type: ignore[type-arg]
    assert _eval(raw, card).value is value


def test_unknown_reports_the_fields_that_would_settle_it() -> None:
    raw = {"all": ["significant_impact == true", {"any": ["profiling == true", "gpai == true"]}]}
    out = _eval(raw, {"significant_impact": True, "profiling": False})
    assert out.value is Tri.UNKNOWN and out.missing == {"gpai"}
    out = _eval(raw, {"significant_impact": False})
    assert out.value is Tri.NO and not out.missing  # one failing part settles an AND


def test_reasons_use_pack_wording_or_a_default() -> None:
    raw = {"field": "domains", "contains_any": ["employment", "credit"],
           "reason": "domain '{match}' is listed in Art. 2(4)(g)", "reason_ko": "도메인 '{match}' 해당"}
    out = _eval(raw, {"domains": ["employment"]})
    assert [(r.en, r.ko) for r in out.reasons] == [("domain 'employment' is listed in Art. 2(4)(g)",
                                                     "도메인 '채용·고용' 해당")]
    default = _eval("compute.training_flops >= 1e26", {"compute": {"training_flops": 3e21}})
    assert default.reasons[0].en == "compute.training_flops is 3e+21, below 1e+26"
    assert default.reasons[0].ko == "누적 학습 연산량(FLOPs) 값 3e+21이(가) 1e+26 미만"


def test_nothing_is_evaluated_as_code() -> None:
    issues = IssueCollector("t.yaml")
    Compiler(issues).compile("__import__('os').system('true') == 1", ("when",))
    assert issues.issues and "unknown card field" in issues.issues[0].message
