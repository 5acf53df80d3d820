"""Incidents: opening, classification driving the EU Art. 73 clock, filing, closure,
draft reports (en/ko), monitoring alerts opening incidents and demoting controls, KR Art. 33
confirmation requests, roles and tenancy."""

from __future__ import annotations

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from haechi.events import AlertsRaised

from .conftest import MovableClock, accept_pending, control_ref, operate, user


def test_serious_incident_runs_the_art73_clock(hc: Haechi, actor: Actor, screener: str, clock: MovableClock) -> None:
    inc = hc.compliance.incidents.open(actor, title="Candidates rejected by a faulty rule", system=screener,
                                       source="complaint", severity="high",
                                       categories=["fundamental_rights_infringement"],
                                       aware_at="2026-03-02T09:00+09:00")
    assert inc["ref"] == "INC-1" and inc["classification"]["jurisdictions"] == ["EU", "KR"]
    clock_ = inc["clocks"][0]
    assert clock_["clock"] == "eu.73.serious" and clock_["days"] == 15
    assert clock_["due_local"] == "2026-03-18T00:00:00+09:00" and clock_["state"] == "running"
    assert inc["no_statutory_clock_kr"]
    died = hc.compliance.incidents.classify(actor, "INC-1", categories=["death"])
    assert died["clocks"][0]["clock"] == "eu.73.death" and died["clocks"][0]["due_date"] == "2026-03-12"
    clock.advance(days=8)
    assert hc.compliance.incidents.get(actor, "INC-1")["clocks"][0]["state"] == "due_soon"
    filed = hc.compliance.incidents.file_report(actor, "INC-1", reference="MSA-2026-77",
                                                filed_at="2026-03-11T10:00+09:00")
    assert filed["clocks"][0]["state"] == "met" and filed["filings"][0]["reference"] == "MSA-2026-77"
    with pytest.raises(ValidationFailed, match="no running regulator clock"):
        hc.compliance.incidents.file_report(actor, "INC-1", clock="kr.33.reply")


def test_unclassified_or_non_eu_incident_has_no_clock(hc: Haechi, actor: Actor, screener: str) -> None:
    assert hc.compliance.incidents.open(actor, title="Slow responses", system=screener)["clocks"] == []
    kr_only = hc.compliance.incidents.open(actor, title="x", system=screener, categories=["death"],
                                           jurisdictions=["KR"])
    assert kr_only["clocks"] == []


def test_overdue_clock_is_the_first_next_action(hc: Haechi, actor: Actor, screener: str, clock: MovableClock) -> None:
    hc.compliance.incidents.open(actor, title="Outage of grid balancing", system=screener,
                                 categories=["critical_infrastructure_disruption"])
    clock.advance(days=3)
    status = hc.compliance.status(actor)
    first = status["next_actions"][0]
    assert first["kind"] == "clock" and first["priority"] == 1 and "overdue by" in first["text"]
    assert status["clocks"][0]["state"] == "overdue"


def test_timeline_root_cause_actions_and_closure(hc: Haechi, actor: Actor, screener: str) -> None:
    hc.compliance.incidents.open(actor, title="Biased ranking", system=screener, severity="high")
    hc.compliance.incidents.set_status(actor, "INC-1", "investigating", note="data team on it")
    hc.compliance.incidents.add_action(actor, "INC-1", "Retrain with reweighting", owner="ml@acme.example",
                                       due="2026-03-20")
    hc.compliance.incidents.complete_action(actor, "INC-1", 1)
    with pytest.raises(Conflict, match="root cause"):
        hc.compliance.incidents.close(actor, "INC-1", "fixed")
    hc.compliance.incidents.set_root_cause(actor, "INC-1", "Training data under-represented women")
    closed = hc.compliance.incidents.close(actor, "INC-1", "Model retrained and re-audited")
    assert closed["status"] == "closed" and closed["corrective_actions"][0]["status"] == "done"
    assert [e["kind"] for e in closed["timeline"]] == ["opened", "status", "action", "action_done", "root_cause",
                                                       "closed"]
    evidence = hc.compliance.evidence.list(actor, control=control_ref(hc, actor, "classification-review"))
    assert evidence  # classification runs
    records = [e for e in hc.compliance.evidence.list(actor, screener) if e["evidence_type"] == "incident_record"]
    assert records and records[0]["title"].startswith("Incident INC-1 handled")
    with pytest.raises(ValidationFailed, match="use close"):
        hc.compliance.incidents.set_status(actor, "INC-1", "closed")


def test_bad_incident_input(hc: Haechi, actor: Actor, screener: str) -> None:
    with pytest.raises(ValidationFailed, match="severity"):
        hc.compliance.incidents.open(actor, title="x", severity="urgent")
    with pytest.raises(ValidationFailed, match="categories"):
        hc.compliance.incidents.open(actor, title="x", categories=["fatal"])
    with pytest.raises(ValidationFailed, match="time zone"):
        hc.compliance.incidents.open(actor, title="x", clock_tz="Mars/Base")
    with pytest.raises(ValidationFailed, match="future"):
        hc.compliance.incidents.open(actor, title="x", aware_at="2030-01-01T00:00Z")
    with pytest.raises(ValidationFailed, match="title"):
        hc.compliance.incidents.open(actor, title=" ")


def test_draft_reports_in_english_and_korean(hc: Haechi, actor: Actor, screener: str) -> None:
    hc.compliance.incidents.open(actor, title="Candidates rejected unfairly", system=screener,
                                 categories=["fundamental_rights_infringement"],
                                 affected={"applicants": 42})
    en = hc.compliance.incidents.draft_report(actor, "INC-1", "eu", "en")
    ko = hc.compliance.incidents.draft_report(actor, "INC-1", "eu", "ko")
    kr = hc.compliance.incidents.draft_report(actor, "INC-1", "kr", "ko")
    assert len(en["sections"]) == len(ko["sections"]) == 12
    assert "Art. 3(49)" in en["sections"][5]["body"] and "기본권 보호 의무 위반" in ko["sections"][5]["body"]
    assert "applicants: 42" in en["sections"][7]["body"]
    assert "EU AI Act Art. 73" in en["sections"][10]["body"] and "법정 기한 없음" in kr["sections"][10]["body"]
    assert "screener-gbm 1.4.2" in en["sections"][2]["body"]
    from haechi.compliance.reportdraft import render_markdown
    assert render_markdown(ko).startswith("# 중대 사고 보고서 초안 — INC-1")


def test_monitoring_alert_becomes_negative_evidence_and_an_incident(hc: Haechi, actor: Actor, screener: str,
                                                                    clock: MovableClock) -> None:
    ref = control_ref(hc, actor, "risk-management")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    hc.compliance.evidence.add_record(actor, {"plan": 1}, system=screener, controls=[ref], evidence_type="plan",
                                      title="Plan")
    accept_pending(hc, actor)
    operate(hc, actor, ref)
    alert = {"id": 7, "system": screener, "monitor": "fairness", "window_start": "2026-03-01T00:00:00+00:00",
             "window_end": "2026-03-02T00:00:00+00:00", "metric": "demographic_parity_difference",
             "family": "fairness", "scope": "sex", "group": None, "value": 0.14, "threshold": {"max": 0.1},
             "n": 1000, "created_at": "2026-03-02T00:00:00+00:00"}
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, actor, [alert]))
    control = hc.compliance.controls.get(actor, ref)
    assert control["status"] == "needs_review" and control["health"]["open_negative"]
    incident = hc.compliance.incidents.get(actor, "INC-1")
    assert incident["source"] == "alert" and incident["severity"] == "high"
    assert incident["aware_at"] == "2026-03-02T00:00:00+00:00" and incident["source_ref"]["alert"] == 7
    # more fairness alerts of the same monitor join the open incident's timeline
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, actor, [alert | {"id": 8, "window_start": "2026-03-02T00:00:00+00:00"},
                                                    alert | {"id": 9, "metric": "equalized_odds_difference",
                                                             "scope": "age_band"}]))
    assert len(hc.compliance.incidents.list(actor)) == 1
    timeline = hc.compliance.incidents.get(actor, "INC-1")["timeline"]
    assert [e["data"]["alert"] for e in timeline if e["kind"] == "note"] == [8, 9]
    # a performance alert of the same monitor is another matter
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, actor, [alert | {"id": 10, "metric": "recall", "family": "performance",
                                                           "scope": None}]))
    assert len(hc.compliance.incidents.list(actor)) == 2
    # classified as a fundamental-rights infringement, its clock counts from the alert
    classified = hc.compliance.incidents.classify(actor, "INC-1", categories=["fundamental_rights_infringement"])
    assert classified["clocks"][0]["started_at"] == "2026-03-02T00:00:00+00:00"


def test_confirmation_requests(hc: Haechi, actor: Actor, screener: str) -> None:
    item = hc.compliance.confirmations.submit(actor, screener, submitted_at="2026-01-30T15:00+09:00")
    # day 30 is Sunday 1 March (a holiday, with Monday 2 March its substitute): MSIT has until Tuesday 3 March
    assert item["clocks"][0]["calendar_due_date"] == "2026-03-01" and item["clocks"][0]["due_date"] == "2026-03-03"
    with pytest.raises(Conflict, match="record replied before rerequested"):
        hc.compliance.confirmations.record(actor, item["id"], "rerequested_at")
    hc.compliance.confirmations.record(actor, item["id"], "extended_at", "2026-02-20T10:00+09:00")
    with pytest.raises(ValidationFailed, match="give the reply"):
        hc.compliance.confirmations.record(actor, item["id"], "replied_at", "2026-03-20T10:00+09:00")
    done = hc.compliance.confirmations.record(actor, item["id"], "replied_at", "2026-03-20T10:00+09:00",
                                              reply="high_impact")
    assert [c["clock"] for c in done["clocks"]] == ["kr.33.reply", "kr.33.rerequest"]
    assert done["clocks"][0]["days"] == 60 and done["clocks"][0]["state"] == "met"
    with pytest.raises(ValidationFailed, match="before"):
        hc.compliance.confirmations.record(actor, item["id"], "rerequested_at", "2026-03-01T10:00+09:00")


def test_incident_roles_and_tenancy(hc: Haechi, actor: Actor, other_actor: Actor, screener: str) -> None:
    hc.compliance.incidents.open(actor, title="x", system=screener)
    viewer = user(hc, actor, "viewer")
    assert hc.compliance.incidents.get(viewer, "INC-1")["title"] == "x"
    with pytest.raises(PermissionDenied):
        hc.compliance.incidents.note(viewer, "INC-1", "hi")
    with pytest.raises(PermissionDenied):
        hc.compliance.incidents.open(viewer, title="y")
    with pytest.raises(NotFound):
        hc.compliance.incidents.get(other_actor, "INC-1")
    with pytest.raises(NotFound):
        hc.compliance.incidents.open(other_actor, title="y", system=screener)
    with pytest.raises(NotFound):
        hc.compliance.confirmations.submit(other_actor, screener)
    assert hc.compliance.incidents.list(other_actor) == []


def test_draft_timeline_names_each_event_once(hc: Haechi, actor: Actor, screener: str) -> None:
    hc.compliance.incidents.open(actor, title="Biased ranking", system=screener)
    hc.compliance.incidents.add_action(actor, "INC-1", "Retrain with reweighting")
    hc.compliance.incidents.set_root_cause(actor, "INC-1", "Skewed training data")
    hc.compliance.incidents.note(actor, "INC-1", "Vendor called back")
    for lang, action, cause, note in (("ko", "시정 조치:", "근본 원인:", "메모: Vendor called back"),
                                      ("en", "corrective action:", "root cause:", "note: Vendor called back")):
        timeline = hc.compliance.incidents.draft_report(actor, "INC-1", "eu", lang)["sections"][11]["body"]
        assert timeline.count(action) == 1 and timeline.count(cause) == 1, timeline
        assert f"{action} Retrain with reweighting" in timeline and note in timeline
