"""Risk register (matrix, ratings, heat map, acceptance rules) and structured plans and
assessments (drafts, approval as evidence, FRIA reusing the impact assessment)."""

from __future__ import annotations

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.compliance.riskmatrix import DEFAULT_MATRIX
from haechi.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .cards import card
from .conftest import MovableClock, accept_pending, control_ref, operate, user


def test_ratings_bands_and_heatmap(hc: Haechi, actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    r1 = hc.compliance.risks.add(actor, title="Indirect discrimination by sex", system=screener, likelihood=4,
                                 severity=4, hazard="proxy features", harm="unequal access to work",
                                 affected=["applicants"], controls=[ref])
    r2 = hc.compliance.risks.add(actor, title="Data drift", system=screener, likelihood=3, severity=2)
    hc.compliance.risks.add(actor, title="Outage", likelihood=5, severity=5)
    assert r1["inherent"]["level"] == "high" and r1["inherent"]["score"] == 16 and r1["controls"] == [ref]
    assert r2["inherent"]["level"] == "medium"
    heat = hc.compliance.risks.heatmap(actor)
    assert [row["likelihood"] for row in heat["rows"]] == [5, 4, 3, 2, 1]
    cell = heat["rows"][1]["cells"][3]  # likelihood 4, severity 4
    assert (cell["count"], cell["risks"], cell["level"]) == (1, ["R-1"], "high")
    assert heat["rows"][0]["cells"][4]["level"] == "critical"
    assert sum(c["count"] for row in heat["rows"] for c in row["cells"]) == 3
    assert hc.compliance.risks.heatmap(actor, screener)["unrated"] == 0
    with pytest.raises(ValidationFailed, match="likelihood 6 is outside 1–5"):
        hc.compliance.risks.add(actor, title="x", likelihood=6, severity=1)


def test_treatment_residual_and_acceptance_rules(hc: Haechi, actor: Actor, screener: str) -> None:
    editor = user(hc, actor, "editor")
    hc.compliance.risks.add(editor, title="Bias", system=screener, likelihood=4, severity=5)
    treated = hc.compliance.risks.update(editor, "R-1", treatments=[
        {"action": "Reweigh training data", "owner": "ml@acme.example", "due": "2026-04-01"}],
        residual_likelihood=3, residual_severity=4)
    assert treated["status"] == "treating" and treated["residual"]["level"] == "high"
    with pytest.raises(PermissionDenied, match="only be accepted by an administrator"):
        hc.compliance.risks.accept(editor, "R-1", "monitoring in place")
    accepted = hc.compliance.risks.accept(actor, "R-1", "monitoring in place, reviewed by board")
    assert accepted["status"] == "accepted" and accepted["accepted_by"] == actor.label
    reopened = hc.compliance.risks.update(editor, "R-1", residual_likelihood=2, residual_severity=2)
    assert reopened["status"] == "treating" and reopened["accepted_by"] is None
    assert hc.compliance.risks.accept(editor, "R-1", "low now")["status"] == "accepted"
    hc.compliance.risks.add(editor, title="Unrated", likelihood=1, severity=1)
    with pytest.raises(Conflict, match="no residual rating"):
        hc.compliance.risks.accept(editor, "R-2", "ok")
    with pytest.raises(ValidationFailed, match=r"treatments\[0\]\.type"):
        hc.compliance.risks.update(editor, "R-2", treatments=[{"action": "x", "type": "ignore"}])
    with pytest.raises(ValidationFailed, match="both residual"):
        hc.compliance.risks.update(editor, "R-2", residual_likelihood=1)
    with pytest.raises(ValidationFailed, match="cannot change"):
        hc.compliance.risks.update(editor, "R-2", status="closed")


def test_custom_matrix_validation_and_protection(hc: Haechi, actor: Actor, screener: str) -> None:
    three = {"likelihood": DEFAULT_MATRIX["likelihood"][:3], "severity": DEFAULT_MATRIX["severity"][:3],
             "bands": [{"id": "low", "label": "Low", "label_ko": "낮음", "min_score": 1},
                       {"id": "high", "label": "High", "label_ko": "높음", "min_score": 4}],
             "approval_level": "high"}
    hc.compliance.risks.add(actor, title="Big", likelihood=5, severity=5)
    with pytest.raises(Conflict, match="R-1"):
        hc.compliance.risks.set_matrix(actor, three)
    hc.compliance.risks.update(actor, "R-1", likelihood=2, severity=2)
    matrix = hc.compliance.risks.set_matrix(actor, three)
    assert len(matrix.likelihood) == 3 and hc.compliance.risks.get(actor, "R-1")["inherent"]["level"] == "high"
    with pytest.raises(ValidationFailed) as exc:
        hc.compliance.risks.set_matrix(actor, {**three, "approval_level": "extreme"})
    assert "approval_level" in exc.value.render()
    with pytest.raises(ValidationFailed) as exc:
        hc.compliance.risks.set_matrix(actor, {**three, "likelihood": [{"label": "x"}]})
    assert any(i.location.startswith("likelihood") for i in exc.value.issues)
    editor = user(hc, actor, "editor")
    with pytest.raises(PermissionDenied):
        hc.compliance.risks.set_matrix(editor, three)


def test_risks_link_to_incidents_and_are_tenant_scoped(hc: Haechi, actor: Actor, other_actor: Actor,
                                                        screener: str) -> None:
    hc.compliance.risks.add(actor, title="Bias", system=screener, likelihood=3, severity=3)
    hc.compliance.incidents.open(actor, title="Complaint", system=screener)
    assert hc.compliance.risks.link(actor, "R-1", incident="INC-1")["incidents"] == ["INC-1"]
    with pytest.raises(NotFound):
        hc.compliance.risks.get(other_actor, "R-1")
    with pytest.raises(NotFound):
        hc.compliance.risks.link(actor, "R-1", incident="INC-9")
    viewer = user(hc, actor, "viewer")
    with pytest.raises(PermissionDenied):
        hc.compliance.risks.add(viewer, title="x", likelihood=1, severity=1)
    assert hc.compliance.risks.list(viewer)[0]["ref"] == "R-1"


def _plan_answers() -> dict[str, object]:
    return {"scope": "Ranks applications", "risk_policy": "No automated rejection", "organisation": "HR owns risks",
            "known_risks": ["indirect discrimination", "drift"], "method": "5x5 matrix",
            "vulnerable_groups": "older applicants considered", "testing": "AUC and parity before release",
            "measures": "reweighting\nhuman review of rejections", "residual_risk": "low after review",
            "monitoring": "daily fairness monitor", "review_cycle": "half_yearly", "next_review": "2026-09-01",
            "posted_at": "https://acme.example/ai"}


def test_plan_drafts_versions_and_approval_as_evidence(hc: Haechi, actor: Actor, screener: str,
                                                       clock: MovableClock) -> None:
    draft = hc.compliance.documents.save(actor, screener, "risk_management_plan", {"scope": "Ranks applications"})
    assert draft["version"] == 1 and not draft["complete"] and "risk_policy" in draft["missing"]
    with pytest.raises(ValidationFailed) as exc:
        hc.compliance.documents.approve(actor, screener, "risk_management_plan")
    assert {"risk_policy", "organisation"} <= {i.location for i in exc.value.issues}
    full = hc.compliance.documents.save(actor, screener, "risk_management_plan", _plan_answers())
    assert full["answers"]["measures"] == ["reweighting", "human review of rejections"]
    assert full["public_summary"][0]["label"] == "Scope and intended use"
    approved = hc.compliance.documents.approve(actor, screener, "risk_management_plan")
    ref = control_ref(hc, actor, "risk-management")
    evidence = hc.compliance.evidence.get(actor, approved["evidence"])
    assert evidence["evidence_type"] == "plan" and evidence["controls"] == [ref]
    assert evidence["valid_until"] == "2026-09-01" and evidence["record"]["version"] == 2
    hc.compliance.controls.transition(actor, ref, "in_progress")
    assert evidence["review"]["status"] == "pending" and accept_pending(hc, actor) == [evidence["ref"]]
    assert operate(hc, actor, ref)["effective"]
    # a new approved version supersedes the old one and its evidence
    later = _plan_answers() | {"next_review": "2027-03-01"}
    hc.compliance.documents.save(actor, screener, "risk_management_plan", later)
    second = hc.compliance.documents.approve(actor, screener, "risk_management_plan")
    history = hc.compliance.documents.history(actor, screener, "risk_management_plan")
    assert [h["status"] for h in history] == ["draft", "superseded", "approved"]
    assert hc.compliance.evidence.get(actor, second["evidence"])["lineage"] == approved["evidence"]
    with pytest.raises(Conflict, match="newest draft"):
        hc.compliance.documents.approve(actor, screener, "risk_management_plan", version=1)


def test_bad_answers_name_the_field(hc: Haechi, actor: Actor, screener: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        hc.compliance.documents.save(actor, screener, "risk_management_plan",
                                     {"review_cycle": "monthly", "next_review": "soon", "scopee": "x"})
    found = {i.location: i for i in exc.value.issues}
    assert "quarterly" in (found["review_cycle"].fix or "")
    assert found["next_review"].fix == "write a date as YYYY-MM-DD"
    assert found["scopee"].fix == "did you mean 'scope'?"
    with pytest.raises(NotFound, match="no form"):
        hc.compliance.documents.save(actor, screener, "business_plan", {})


def test_fria_reuses_impact_assessment_and_oversight_answers(hc: Haechi, actor: Actor, screener: str) -> None:
    suggested = hc.compliance.documents.prefill(actor, screener, "human_oversight")
    assert suggested == {"name": "Kim Min-ji", "email": "oversight@acme.example", "phone": "+82-2-0000-0000"}
    hc.compliance.documents.save(actor, screener, "human_oversight", suggested | {"measures": "reviews rejections"})
    hc.compliance.documents.save(actor, screener, "impact_assessment", {
        "affected_groups": ["job applicants"], "vulnerable_groups": ["aged_65_plus", "disability"],
        "rights_affected": ["equal treatment"], "impact": "loss of job opportunities",
        "usage_patterns": "screens 20k applications a year", "indicators": ["selection-rate difference"],
        "mitigation": "human review", "assessor": "in_house", "assessed_on": "2026-03-01"})
    fria = hc.compliance.documents.prefill(actor, screener, "eu_fria")
    assert fria["affected_categories"] == ["job applicants"]
    assert fria["processes"] == "screens 20k applications a year"
    assert fria["oversight_measures"] == "reviews rejections"
    assert fria["materialisation_measures"] == "human review"
    assert hc.compliance.documents.prefill(actor, screener, "explanation_plan")["training_data"].startswith("Five")
    listed = hc.compliance.documents.list(actor, screener)
    assert {d["kind"] for d in listed} == {"human_oversight", "impact_assessment"}


def test_documents_roles_and_tenancy(hc: Haechi, actor: Actor, other_actor: Actor, screener: str) -> None:
    hc.compliance.documents.save(actor, screener, "human_oversight", {"name": "Kim"})
    viewer = user(hc, actor, "viewer")
    assert hc.compliance.documents.get(viewer, screener, "human_oversight")["version"] == 1
    with pytest.raises(PermissionDenied):
        hc.compliance.documents.save(viewer, screener, "human_oversight", {"name": "Lee"})
    with pytest.raises(PermissionDenied):
        hc.compliance.documents.approve(viewer, screener, "human_oversight")
    with pytest.raises(NotFound):
        hc.compliance.documents.get(other_actor, screener, "human_oversight")


def test_suggestions_from_the_card_follow_the_readers_language(hc: Haechi, actor: Actor, screener: str) -> None:
    """A Korean reader is offered the card's Korean text (``description_ko``); fields without a
    Korean side (the overseer's name) are offered as typed, and English stays the default."""
    hc.systems.update(actor, card(description_ko="입사 지원서의 면접 대상 순위를 매깁니다."))
    assert hc.compliance.documents.prefill(actor, screener, "risk_management_plan")["scope"] == (
        "Ranks job applications for interview.")
    korean = hc.compliance.documents.prefill(actor, screener, "risk_management_plan", lang="ko")
    assert korean["scope"] == "입사 지원서의 면접 대상 순위를 매깁니다."
    assert hc.compliance.documents.prefill(actor, screener, "human_oversight", lang="ko")["name"] == "Kim Min-ji"
