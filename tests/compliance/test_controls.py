"""Controls: proposed from obligations across laws, retired with reasons, the state
machine, and demotion when evidence goes stale or expires (time moved forward)."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .cards import card
from .conftest import PDF, MovableClock, accept_pending, control_ref, operate, user


def test_controls_are_proposed_once_for_several_laws(hc: Haechi, actor: Actor, screener: str) -> None:
    controls = {c["key"]: c for c in hc.compliance.controls.list(actor, screener)}
    oversight = controls["human-oversight"]
    assert {"kr.34.1.human-oversight", "eu.26.2.human-oversight"} <= set(oversight["obligations"])
    assert oversight["owner"] == "oversight@acme.example"  # from the card's oversight owner
    assert controls["risk-management"]["owner"] == "hr@acme.example"
    assert all(c["status"] == "not_started" for c in controls.values())
    assert controls["risk-management"]["due_date"] == "2026-05-01"  # 60 days from 2026-03-02
    assert "nist-ai-rmf" in oversight["frameworks"]
    detail = hc.compliance.controls.get(actor, oversight["ref"])
    assert detail["events"][0]["kind"] == "proposed"
    assert "kr.34.1.human-oversight" in detail["events"][0]["detail"]
    assert "card revision 1" in detail["events"][0]["detail"]
    assert {o["pack"] for o in detail["obligation_details"]} == {"kr-ai-basic-act", "eu-ai-act"}


def test_verdict_change_retires_and_restores_with_explanation(hc: Haechi, actor: Actor, screener: str) -> None:
    before = {c["key"] for c in hc.compliance.controls.list(actor, screener)}
    hc.systems.update(actor, card(domains=["manufacturing"], significant_impact=False, markets=["KR"]))
    after = {c["key"]: c for c in hc.compliance.controls.list(actor, screener)}
    retired = [c for c in hc.compliance.controls.list(actor, screener, include_retired=True) if c["retired"]]
    assert "risk-management" in before and "risk-management" not in after
    reason = next(c for c in retired if c["key"] == "risk-management")["retired_reason"]
    assert "kr.34.1.risk-management-plan" in reason and "card revision 2" in reason
    hc.systems.update(actor, card())
    restored = {c["key"]: c for c in hc.compliance.controls.list(actor, screener)}
    assert set(restored) == before
    events = hc.compliance.controls.get(actor, restored["risk-management"]["ref"])["events"]
    assert [e["kind"] for e in events] == ["proposed", "retired", "restored"]


def test_removed_system_retires_its_controls(hc: Haechi, actor: Actor, screener: str) -> None:
    hc.systems.remove(actor, screener)
    rows = hc.compliance.controls.list(actor, include_retired=True)
    assert rows and all(c["retired"] and "system removed" in c["retired_reason"] for c in rows)


def test_forbidden_transitions_name_the_allowed_ones(hc: Haechi, actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    with pytest.raises(Conflict) as exc:
        hc.compliance.controls.transition(actor, ref, "operating")
    assert "not_started" in exc.value.message and "in_progress" in exc.value.message
    with pytest.raises(Conflict, match="cannot go from 'not_started' to 'needs_review'"):
        hc.compliance.controls.transition(actor, ref, "needs_review")
    with pytest.raises(Conflict, match="not a control status"):
        hc.compliance.controls.transition(actor, ref, "done")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    with pytest.raises(Conflict, match="already"):
        hc.compliance.controls.transition(actor, ref, "in_progress")


def test_operating_needs_fresh_evidence_of_every_required_type(hc: Haechi, actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    with pytest.raises(Conflict) as exc:
        hc.compliance.controls.transition(actor, ref, "operating")
    assert exc.value.details["missing_types"] == ["plan"]
    plan = hc.compliance.evidence.add_record(actor, {"plan": "v1"}, system=screener, controls=[ref],
                                             evidence_type="plan", title="Risk plan v1")
    with pytest.raises(Conflict, match="waiting for review") as pending:
        hc.compliance.controls.transition(actor, ref, "operating")  # the plan is not accepted yet
    assert pending.value.details["pending_review"] == [plan["ref"]]
    assert accept_pending(hc, actor) == [plan["ref"]]
    done = operate(hc, actor, ref, "plan approved")
    assert done["status"] == "operating" and done["effective"]


def _operating_with_plan(hc: Haechi, actor: Actor, valid_until: str | None = None,
                         effective_from: str | None = None) -> str:
    ref = control_ref(hc, actor, "risk-management")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    hc.compliance.evidence.add_record(actor, {"plan": "v1"}, system="hiring-screener", controls=[ref],
                                      evidence_type="plan", title="Risk plan", valid_until=valid_until,
                                      effective_from=effective_from)
    accept_pending(hc, actor)
    operate(hc, actor, ref)
    return ref


def test_expired_evidence_demotes_when_time_moves_on(hc: Haechi, actor: Actor, screener: str,
                                                     clock: MovableClock) -> None:
    ref = _operating_with_plan(hc, actor, valid_until="2026-04-01")
    assert hc.compliance.review(actor)["demoted"] == []
    clock.advance(days=29)  # 2026-03-31: still valid, but expiring soon
    shown = hc.compliance.controls.get(actor, ref)
    assert shown["effective"] and shown["health"]["expiring"]
    assert hc.compliance.review(actor)["demoted"] == []
    clock.advance(days=2)  # 2026-04-02: expired
    assert not hc.compliance.controls.get(actor, ref)["effective"]
    demoted = hc.compliance.review(actor)["demoted"]
    assert [d["control"] for d in demoted] == [ref] and "plan" in demoted[0]["reason"]
    after = hc.compliance.controls.get(actor, ref)
    assert after["status"] == "needs_review" and after["events"][-1]["to"] == "needs_review"
    assert hc.compliance.review(actor)["demoted"] == []  # idempotent
    assert hc.ledger.verify(actor).ok


def test_stale_evidence_by_maximum_age_demotes(hc: Haechi, actor: Actor, screener: str,
                                               clock: MovableClock) -> None:
    ref = _operating_with_plan(hc, actor, effective_from="2026-03-01")  # plan max age 365 days
    clock.advance(days=365)
    assert hc.compliance.controls.get(actor, ref)["status"] == "operating"
    clock.advance(days=2)
    assert [d["control"] for d in hc.compliance.review(actor)["demoted"]] == [ref]


def test_needs_review_back_to_operating_requires_new_evidence(hc: Haechi, actor: Actor, screener: str,
                                                              clock: MovableClock) -> None:
    ref = _operating_with_plan(hc, actor, valid_until="2026-03-10")
    clock.advance(days=10)
    hc.compliance.review(actor)
    with pytest.raises(Conflict, match="no fresh evidence of type plan"):
        hc.compliance.controls.transition(actor, ref, "operating")
    hc.compliance.evidence.add_record(actor, {"plan": "v2"}, system="hiring-screener", controls=[ref],
                                      evidence_type="plan", title="Risk plan v2")
    accept_pending(hc, actor)
    assert operate(hc, actor, ref)["effective"]


def test_negative_evidence_demotes_at_once_and_resolution_lifts_it(hc: Haechi, actor: Actor,
                                                                   screener: str) -> None:
    ref = _operating_with_plan(hc, actor)
    bad = hc.compliance.evidence.add_record(actor, {"finding": "bias"}, system=screener, controls=[ref],
                                            evidence_type="test_report", polarity="contradicts",
                                            title="Bias audit failed")
    assert bad["demoted"][0]["control"] == ref
    with pytest.raises(Conflict, match="unresolved negative evidence"):
        hc.compliance.controls.transition(actor, ref, "operating")
    hc.compliance.evidence.resolve(actor, bad["ref"], "model retrained; re-audit passed")
    assert operate(hc, actor, ref)["effective"]


def test_assign_and_overdue(hc: Haechi, actor: Actor, screener: str, clock: MovableClock) -> None:
    ref = control_ref(hc, actor, "human-oversight")
    updated = hc.compliance.controls.assign(actor, ref, owner="lee@acme.example", due_date="2026-03-10")
    assert updated["owner"] == "lee@acme.example" and not updated["overdue"]
    clock.advance(days=9)
    assert hc.compliance.controls.get(actor, ref)["overdue"]
    with pytest.raises(ValidationFailed, match="not a date"):
        hc.compliance.controls.assign(actor, ref, due_date="next week")
    with pytest.raises(ValidationFailed, match="nothing to change"):
        hc.compliance.controls.assign(actor, ref)


def test_retired_control_cannot_move(hc: Haechi, actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    hc.systems.update(actor, card(domains=["manufacturing"], significant_impact=False, markets=["KR"]))
    with pytest.raises(ValidationFailed, match="retired"):
        hc.compliance.controls.transition(actor, ref, "in_progress")


def test_roles_and_tenancy(hc: Haechi, actor: Actor, other_actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    viewer = user(hc, actor, "viewer")
    auditor = user(hc, actor, "auditor")
    assert hc.compliance.controls.get(viewer, ref)["ref"] == ref
    for who in (viewer, auditor):
        with pytest.raises(PermissionDenied):
            hc.compliance.controls.transition(who, ref, "in_progress")
        with pytest.raises(PermissionDenied):
            hc.compliance.controls.assign(who, ref, owner="x")
        with pytest.raises(PermissionDenied):
            hc.compliance.review(who)
    with pytest.raises(NotFound):
        hc.compliance.controls.get(other_actor, ref)
    with pytest.raises(NotFound):
        hc.compliance.controls.transition(other_actor, ref, "in_progress")
    assert hc.compliance.controls.list(other_actor) == []
    with pytest.raises(NotFound):
        hc.compliance.controls.list(other_actor, screener)


def test_library_rejects_bad_files_with_lines(tmp_path: object) -> None:
    from pathlib import Path

    from haechi.compliance.catalog import parse_library
    from haechi.domain.yamlio import load_file

    path = Path(str(tmp_path)) / "mine.yaml"
    path.write_text("library: mine\nversion: 1\ncontrols:\n  - id: x1\n    title: T\n    title_ko: T\n"
                    "    topics: [risk_mgmt]\n    evidence:\n      - {type: photo}\n")
    with pytest.raises(ValidationFailed) as exc:
        parse_library(load_file(path))
    found = {i.location: i for i in exc.value.issues}
    assert found["controls.0.topics.0"].line == 7 and "risk_management" in (found["controls.0.topics.0"].fix or "")
    assert found["controls.0.evidence.0.type"].line == 9


def test_demotion_does_not_touch_other_organisations(hc: Haechi, actor: Actor, other_actor: Actor,
                                                     screener: str, clock: MovableClock) -> None:
    ref = _operating_with_plan(hc, actor, valid_until="2026-03-05")
    hc.systems.add(other_actor, card())
    clock.advance(days=10)
    assert hc.compliance.review(other_actor)["demoted"] == []
    assert hc.compliance.controls.get(actor, ref)["status"] == "operating"
    assert dt.date(2026, 3, 12) == hc.compliance.today()
    assert PDF.startswith(b"%PDF")


def test_upkeep_demotes_in_every_organisation_and_signs_heads(hc: Haechi, actor: Actor, other_actor: Actor,
                                                              screener: str, clock: MovableClock) -> None:
    from haechi.compliance.scheduler import SCHEDULER_LABEL, run_once

    ref = _operating_with_plan(hc, actor, valid_until="2026-03-05")
    clock.advance(days=10)
    result = run_once(hc.compliance)
    assert [d["control"] for d in result["demoted"]["acme"]] == [ref]
    assert {c["org"] for c in result["checkpoints"]} == {"acme", "globex"}
    events = hc.compliance.controls.get(actor, ref)["events"]
    assert events[-1]["actor"] == SCHEDULER_LABEL and events[-1]["to"] == "needs_review"
    assert run_once(hc.compliance) == {"demoted": {}, "checkpoints": []}
    assert hc.ledger.verify(actor).ok and hc.ledger.verify(other_actor).ok


def test_a_law_pack_refresh_syncs_controls_through_the_verdict_hook(hc: Haechi, actor: Actor, screener: str) -> None:
    import json

    from haechi.ledger.chain import chain_rows

    before = len([c for c in hc.compliance.controls.list(actor, screener)])
    # classified on the clock's 2026-03-02; by 2026-08-03 the EU deployer duties are in force
    hc.rules.refresh(actor, as_of=dt.date(2026, 8, 3))
    with hc.db.reader() as s:
        syncs = [json.loads(r["payload"]) for r in chain_rows(s, actor.org_id) if r["action"] == "controls.sync"]
    assert syncs and "law-pack verdict changed" in syncs[-1]["context"]
    assert len(hc.compliance.controls.list(actor, screener)) == before
