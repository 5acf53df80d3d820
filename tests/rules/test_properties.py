"""Property tests of the three-valued engine over random partial cards (Hypothesis).

* Filling in unknown fields can settle an unknown, never flip a settled value: classes,
  scope and the settled obligation statuses stay as they were.
* An unknown class stays unknown when only fields outside its ``missing`` list are filled.
* Every question asks about a field that is really missing, and every ``may_apply``
  obligation has its questions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haechi.rules import classify
from haechi.rules.evaluate import read_path

from .strategies import FIELDS, as_of_dates, assignments, build, value_for

PACKS = ["kr-ai-basic-act", "eu-ai-act@1", "eu-ai-act@2", "jp-ai-promotion", "nist-ai-rmf"]
SETTLED = {"applies", "not_applicable", "not_in_force"}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _verdict(values: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    out = {}
    for result in classify(build(values), as_of=as_of, packs=PACKS, include_all=True).results:
        out[result.pack + str(result.pack_version)] = result
    return out


@st.composite
def card_and_extension(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    base = draw(assignments())
    missing = [f for f in FIELDS if f not in base]
    extra = draw(assignments(missing)) if missing else {}
    return base, {**base, **extra}


@FAST
@given(card_and_extension(), as_of_dates)
def test_filling_unknowns_never_flips_a_settled_value(pair: tuple[dict[str, Any], dict[str, Any]],
                                                      as_of: dt.date) -> None:
    before, after = _verdict(pair[0], as_of), _verdict(pair[1], as_of)
    for key, old in before.items():
        new = after[key]
        if old.in_scope != "unknown":
            assert new.in_scope == old.in_scope, key
        for name, value in old.classes.items():
            if value != "unknown":
                assert new.classes[name] == value, (key, name)
        new_status = {o.id: o.status for o in new.obligations}
        for ob in old.obligations:
            if ob.status == "not_in_force" and ob.missing:
                # Not yet in force settles "no duty today"; whether it will apply later is
                # still open, so learning that it never would is the only other outcome.
                assert new_status[ob.id] in ("not_in_force", "not_applicable"), (key, ob.id)
            elif ob.status in SETTLED:
                assert new_status[ob.id] == ob.status, (key, ob.id, ob.status, new_status[ob.id])
            if ob.status == "exempt":
                # An exception that holds settles "no duty"; finding out that the duty would
                # not have applied anyway is the only other outcome.
                assert new_status[ob.id] in ("exempt", "not_applicable"), (key, ob.id)


@st.composite
def unrelated_extension(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dt.date]:
    base = draw(assignments())
    as_of = draw(as_of_dates)
    return base, draw(st.fixed_dictionaries({}, optional={
        f: value_for(f) for f in FIELDS if f not in base})), as_of


@FAST
@given(unrelated_extension())
def test_unknown_class_stays_unknown_when_unrelated_fields_are_added(
        data: tuple[dict[str, Any], dict[str, Any], dt.date]) -> None:
    base, extension, as_of = data
    before = _verdict(base, as_of)
    for key, result in before.items():
        for name, detail in result.class_details.items():
            if detail.value != "unknown":
                continue
            unrelated = {k: v for k, v in extension.items() if k not in detail.missing}
            after = _verdict({**base, **unrelated}, as_of)[key]
            assert after.classes[name] == "unknown", (key, name, detail.missing, unrelated)


@FAST
@given(assignments(), as_of_dates)
def test_questions_ask_only_for_missing_fields(values: dict[str, Any], as_of: dt.date) -> None:
    card = build(values)
    for result in classify(card, as_of=as_of, packs=PACKS).results:
        asked = {q.field for q in result.questions}
        for q in result.questions:
            assert read_path(card, q.field) is None, q.field
            assert q.question and q.question_ko
            assert q.affects or q.affects_classes
        for ob in result.obligations:
            if ob.status == "may_apply":
                assert ob.missing and set(ob.missing) <= asked, (ob.id, ob.missing)
            assert ob.article and ob.citation


@FAST
@given(assignments(), as_of_dates)
def test_fully_known_cards_have_no_open_questions(values: dict[str, Any], as_of: dt.date) -> None:
    full = {**{f: None for f in FIELDS}, **values}
    complete = {k: v for k, v in full.items() if v is not None}
    for result in classify(build(complete), as_of=as_of, packs=PACKS).results:
        for q in result.questions:
            assert q.field not in complete
