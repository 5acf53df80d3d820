"""Compliance status with honest coverage: a control counts only when it is operating
with fresh evidence; expiring proof is at risk; may-apply duties are unknown."""

from __future__ import annotations

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.compliance.status import obligation_state
from haechi.domain.errors import NotFound

from .cards import card
from .conftest import MovableClock, accept_pending, control_ref, operate, user


def _operate(hc: Haechi, actor: Actor, key: str, evidence_type: str, **dates: str) -> str:
    ref = control_ref(hc, actor, key)
    hc.compliance.controls.transition(actor, ref, "in_progress")
    hc.compliance.evidence.add_record(actor, {"key": key, **dates}, system="hiring-screener", controls=[ref],
                                      evidence_type=evidence_type, title=f"{key} proof", **dates)
    accept_pending(hc, actor)
    operate(hc, actor, ref)
    return ref


def _state(status: dict[str, object], obligation: str) -> str:
    rows = [*status["obligations"], *status["upcoming"]]  # type: ignore[misc]
    return next(o["state"] for o in rows if o["id"] == obligation)


def test_states_follow_the_proof(hc: Haechi, actor: Actor, screener: str, clock: MovableClock) -> None:
    status = hc.compliance.status(actor, screener)
    assert status["counts"]["met"] == 0 and status["coverage"] == 0.0
    assert _state(status, "kr.34.1.risk-management-plan") == "unmet"
    _operate(hc, actor, "risk-management", "plan", valid_until="2026-03-20")
    _operate(hc, actor, "human-oversight", "plan")
    status = hc.compliance.status(actor, screener)
    assert _state(status, "kr.34.1.risk-management-plan") == "at_risk"  # expires within 30 days
    assert _state(status, "kr.34.1.human-oversight") == "met"
    # the same control serves the EU duty, which applies from 2026-08-02 (listed as upcoming)
    assert _state(status, "eu.26.2.human-oversight") == "met"
    assert "eu.26.2.human-oversight" in [o["id"] for o in status["upcoming"]]
    assert status["counts"]["met"] == 1
    assert status["coverage"] == round(1 / sum(status["counts"].values()), 4)
    clock.advance(days=30)
    status = hc.compliance.status(actor, screener)
    assert _state(status, "kr.34.1.risk-management-plan") == "at_risk"  # expired: operating but unproven
    assert any(a["kind"] == "control" and "lost its proof" in a["text"] for a in status["next_actions"])
    hc.compliance.review(actor)
    status = hc.compliance.status(actor, screener)
    assert _state(status, "kr.34.1.risk-management-plan") == "at_risk"
    assert status["controls"]["needs_review"] == [control_ref(hc, actor, "risk-management")]


def test_may_apply_and_uncovered_obligations_are_unknown() -> None:
    ob = {"id": "kr.31.1.advance-notice", "status": "may_apply"}
    assert obligation_state(ob, [])[0] == "unknown"
    assert obligation_state(ob | {"status": "applies"}, [])[1].startswith("no control")
    effective = {"ref": "C-1", "status": "operating", "effective": True, "health": {"expiring": []}}
    assert obligation_state(ob | {"status": "applies"}, [effective])[0] == "met"
    started = {"ref": "C-2", "status": "in_progress", "effective": False, "health": {"expiring": []}}
    assert obligation_state(ob | {"status": "applies"}, [effective, started]) == ("unmet", "not yet operating: C-2")


def test_unknown_card_fields_make_obligations_unknown_with_a_question(hc: Haechi, actor: Actor,
                                                                     clock: MovableClock) -> None:
    data = card().model_dump(exclude_none=True)
    del data["significant_impact"]
    hc.systems.add(actor, card(significant_impact=None))
    status = hc.compliance.status(actor, "hiring-screener")
    assert status["counts"]["unknown"] > 0
    questions = [a for a in status["next_actions"] if a["kind"] == "obligation"]
    assert questions and "significant_impact" in questions[0]["text"]


def test_organisation_totals_and_home_summary(hc: Haechi, actor: Actor, screener: str) -> None:
    hc.systems.add(actor, card(id="credit-scorer", name="Credit scorer", domains=["credit"]))
    _operate(hc, actor, "human-oversight", "plan")
    hc.compliance.risks.add(actor, title="Bias", system=screener, likelihood=5, severity=4)
    org = hc.compliance.status(actor)
    assert [s["system"] for s in org["systems"]] == ["credit-scorer", "hiring-screener"]
    assert org["totals"]["met"] == 1 and org["obligations"] == sum(org["totals"].values())
    assert org["controls"]["effective"] == 1 and org["risks"]["unaccepted_high"] == ["R-1"]
    assert any(a["kind"] == "risk" for a in org["next_actions"])
    home = hc.compliance.home_summary(actor)
    assert home["totals"] == org["totals"] and len(home["next_actions"]) <= 5
    viewer = user(hc, actor, "viewer")
    assert hc.compliance.status(viewer)["totals"] == org["totals"]


def test_status_is_tenant_scoped(hc: Haechi, actor: Actor, other_actor: Actor, screener: str) -> None:
    assert hc.compliance.status(other_actor)["systems"] == []
    with pytest.raises(NotFound):
        hc.compliance.status(other_actor, screener)
