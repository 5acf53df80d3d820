"""Review of evidence (four eyes): submitted evidence counts only once someone other than
its submitter accepts it, with a note; rejections need a note too; every decision is in the
evidence, in the history of its controls and in the ledger — as a library, over the API
and with the CLI in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from haechi import Haechi
from haechi.api.app import create_app
from haechi.auth.roles import Actor
from haechi.domain.errors import Conflict, PermissionDenied, ValidationFailed
from haechi.ledger import LedgerAction
from haechi.store.tables import LedgerEntry

from ..conftest import org_with_users
from .cards import HIRING, card
from .conftest import PDF, control_ref, user

# Same operator, but an internal tool: neither high-impact in Korea nor high-risk in the EU.
HELPER = {"id": "office-helper", "name": "Meeting-notes helper", "domains": [], "significant_impact": False,
          "profiling": False, "human_final_decision": True, "markets": ["KR"]}


def _plan(hc: Haechi, who: Actor, ref: str, text: str = "v1") -> dict:
    return hc.compliance.evidence.add_record(who, {"plan": text}, system="hiring-screener", controls=[ref],
                                             evidence_type="plan", title=f"Risk plan {text}")


def test_the_submitter_cannot_accept_their_own_evidence_and_only_accepted_evidence_counts(
        hc: Haechi, actor: Actor, screener: str) -> None:
    reviewer = user(hc, actor, "editor")
    ref = control_ref(hc, actor, "risk-management")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    first = _plan(hc, actor, ref)
    assert first["review"]["status"] == "pending" and first["review"]["mode"] == "four_eyes"
    assert not hc.compliance.controls.get(actor, ref)["effective"]  # pending proves nothing yet
    with pytest.raises(PermissionDenied, match=r"submitted by you .* another reviewer"):
        hc.compliance.reviews.decide(actor, first["ref"], True, "looks fine")
    with pytest.raises(ValidationFailed, match="needs a note"):
        hc.compliance.reviews.decide(reviewer, first["ref"], False, "  ")
    pending = hc.compliance.reviews.pending(reviewer)
    assert [(p["ref"], p["can_review"]) for p in pending] == [(first["ref"], True)]
    assert hc.compliance.reviews.pending(actor)[0]["can_review"] is False

    rejected = hc.compliance.reviews.decide(reviewer, first["ref"], False, "unsigned draft, not the approved plan")
    assert rejected["review"] | {"at": None} == {"status": "rejected", "mode": "four_eyes", "by": reviewer.label,
                                                 "at": None, "note": "unsigned draft, not the approved plan"}
    with pytest.raises(Conflict, match="not waiting for review"):
        hc.compliance.reviews.decide(reviewer, first["ref"], True, "changed my mind")
    with pytest.raises(Conflict, match="no fresh evidence of type plan"):  # rejected never counts
        hc.compliance.controls.transition(actor, ref, "operating")

    second = hc.compliance.evidence.revise(actor, first["ref"], record={"plan": "v1 signed"})
    with pytest.raises(Conflict, match="waiting for review") as waiting:
        hc.compliance.controls.transition(actor, ref, "operating")
    assert waiting.value.details["pending_review"] == [second["ref"]]
    hc.compliance.reviews.decide(reviewer, second["ref"], True, "signed by the CRO on 2026-03-01")
    hc.compliance.controls.transition(actor, ref, "operating")  # a request, approved by another person
    assert hc.compliance.controls.decide(reviewer, ref, True, "plan v1 signed is in force")["effective"]

    history = [e for e in hc.compliance.controls.get(actor, ref)["events"] if e["kind"] == "evidence_review"]
    assert [e["detail"] for e in history] == [
        f"{first['ref']} rejected: unsigned draft, not the approved plan",
        f"{second['ref']} accepted: signed by the CRO on 2026-03-01"]
    assert all(e["actor"] == reviewer.label for e in history)
    with hc.db.reader() as s:
        entries = [(e.entity_id, json.loads(e.payload)) for e in s.execute(select(LedgerEntry).where(
            LedgerEntry.org_id == actor.org_id, LedgerEntry.action == LedgerAction.EVIDENCE_REVIEW.value)
            .order_by(LedgerEntry.seq)).scalars()]
    assert [(ident, p["decision"], p["submitted_by"]) for ident, p in entries] == [
        (first["ref"], "rejected", actor.label), (second["ref"], "accepted", actor.label)]
    assert hc.ledger.verify(actor).ok


def test_policy_machine_evidence_and_systems_that_are_not_high_impact(hc: Haechi, actor: Actor,
                                                                      screener: str) -> None:
    hc.systems.add(actor, card(**HELPER))
    own = hc.compliance.evidence.add_link(actor, "https://intra.example/notes-policy", system="office-helper",
                                          title="Notes policy")
    assert own["review"]["status"] == "accepted" and own["review"]["mode"] == "submitter"
    auto = hc.compliance.record_auto_evidence(actor, "hiring-screener", "monitoring_result", "Fairness run",
                                              {"dpd": 0.03})
    assert auto["review"] | {"at": None} == {"status": "accepted", "mode": "automatic", "by": "haechi", "at": None,
                                             "note": "machine evidence produced by Haechi; accepted automatically"}
    editor = user(hc, actor, "editor")
    with pytest.raises(PermissionDenied):
        hc.compliance.reviews.set_policy(editor, "all")
    with pytest.raises(ValidationFailed, match="choose one of high_impact, all"):
        hc.compliance.reviews.set_policy(actor, "nobody")
    assert hc.compliance.reviews.set_policy(actor, "all")["policy"] == "all"
    later = hc.compliance.evidence.add_link(actor, "https://intra.example/notes-policy-2", system="office-helper",
                                            title="Notes policy v2")
    assert later["review"]["status"] == "pending"
    assert hc.compliance.reviews.policy(editor)["policy"] == "all"


def test_the_api_refuses_a_self_review_with_a_clear_message(hc: Haechi) -> None:
    tokens = org_with_users(hc, "acme")
    admin = hc.local_actor("acme")
    hc.systems.add(admin, card())
    c = TestClient(create_app(hc=hc))
    editor = {"Authorization": f"Bearer {tokens['editor']}"}
    boss = {"Authorization": f"Bearer {tokens['admin']}"}
    added = c.post("/api/v1/evidence/records", headers=editor,
                   json={"record": {"plan": 1}, "title": "Plan", "system": "hiring-screener", "evidence_type": "plan"})
    ref = added.json()["ref"]
    own = c.post(f"/api/v1/evidence/{ref}/review", headers=editor, json={"decision": "accept", "note": "ok"})
    assert own.status_code == 403
    assert "another reviewer" in own.json()["error"]["message"] and "다른 검토자" in own.json()["error"]["message_ko"]
    no_note = c.post(f"/api/v1/evidence/{ref}/review", headers=boss, json={"decision": "reject", "note": ""})
    assert no_note.status_code == 422
    listed = c.get("/api/v1/evidence/pending", headers=boss).json()
    assert [i["ref"] for i in listed["items"]] == [ref] and listed["items"][0]["can_review"] is True
    done = c.post(f"/api/v1/evidence/{ref}/review", headers=boss, json={"decision": "accept", "note": "matches"})
    assert done.status_code == 200 and done.json()["review"]["status"] == "accepted"
    assert c.get("/api/v1/evidence/pending", headers=boss).json()["total"] == 0
    c.close()


def test_cli_review_in_a_fresh_process_as_two_people(tmp_path: Path) -> None:
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(person: str, *args: str) -> subprocess.CompletedProcess[str]:
        who = {**env, "USER": person, "LOGNAME": person}
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=who, capture_output=True, text=True,
                              timeout=180, check=False)

    assert haechi("alice", "init", "--org", "acme", "--name", "Acme").returncode == 0
    card_file, pdf = tmp_path / "card.yaml", tmp_path / "plan.pdf"
    card_file.write_text(yaml.safe_dump(HIRING, allow_unicode=True), encoding="utf-8")
    pdf.write_bytes(PDF)
    assert haechi("alice", "systems", "add", str(card_file)).returncode == 0
    added = haechi("alice", "evidence", "add", str(pdf), "--system", "hiring-screener", "--type", "plan",
                   "-f", "json")
    assert added.returncode == 0, added.stderr
    ref = yaml.safe_load(added.stdout)["ref"]
    listed = haechi("bob", "evidence", "pending", "-f", "json")
    assert listed.returncode == 0, listed.stderr
    assert [(i["ref"], i["added_by"], i["can_review"]) for i in yaml.safe_load(listed.stdout)] == [
        (ref, "cli:alice", True)]
    assert "waiting for review" in haechi("bob", "evidence", "pending").stdout
    own = haechi("alice", "evidence", "review", ref, "--accept", "--note", "mine")
    assert own.returncode == 2 and "another reviewer" in own.stderr and "Traceback" not in own.stderr
    unsure = haechi("bob", "evidence", "review", ref, "--note", "x")
    assert unsure.returncode == 2 and "--accept or --reject" in unsure.stderr
    done = haechi("bob", "evidence", "review", ref, "--accept", "--note", "signed plan")
    assert done.returncode == 0 and f"{ref} accepted by cli:bob" in done.stderr
    shown = yaml.safe_load(haechi("bob", "evidence", "show", ref, "-f", "json").stdout)
    assert shown["review"]["by"] == "cli:bob" and shown["review"]["note"] == "signed plan"


def test_marking_a_control_operating_needs_a_second_person(hc: Haechi, actor: Actor, screener: str) -> None:
    reviewer = user(hc, actor, "editor")
    ref = control_ref(hc, actor, "risk-management")
    hc.compliance.controls.transition(actor, ref, "in_progress")
    plan = _plan(hc, actor, ref)
    hc.compliance.reviews.decide(reviewer, plan["ref"], True, "signed plan")
    asked = hc.compliance.controls.transition(actor, ref, "operating", "plan in force")
    assert asked["status"] == "in_progress" and asked["request"]["by"] == actor.label
    assert [(c["ref"], c["can_review"]) for c in hc.compliance.controls.pending(reviewer)] == [(ref, True)]
    with pytest.raises(PermissionDenied, match="another reviewer must approve"):
        hc.compliance.controls.decide(actor, ref, True, "mine")
    with pytest.raises(ValidationFailed, match="needs a note"):
        hc.compliance.controls.decide(reviewer, ref, False, "")
    refused = hc.compliance.controls.decide(reviewer, ref, False, "owner not yet trained")
    assert refused["status"] == "in_progress" and refused["request"] is None
    with pytest.raises(Conflict, match="no request waiting"):
        hc.compliance.controls.decide(reviewer, ref, True, "late")
    hc.compliance.controls.transition(actor, ref, "operating", "owner trained")
    done = hc.compliance.controls.decide(reviewer, ref, True, "training record seen")
    assert done["status"] == "operating" and done["effective"]
    assert done["status_reason"] == f"approved by {reviewer.label}: training record seen"
    events = [(e["kind"], e["actor"], e["detail"]) for e in hc.compliance.controls.get(actor, ref)["events"]
              if e["kind"] in ("requested", "approved", "refused")]
    assert events == [("requested", actor.label, "plan in force"),
                      ("refused", reviewer.label, "owner not yet trained"),
                      ("requested", actor.label, "owner trained"),
                      ("approved", reviewer.label, "training record seen")]
    with hc.db.reader() as s:
        actions = [e.action for e in s.execute(select(LedgerEntry).where(
            LedgerEntry.org_id == actor.org_id, LedgerEntry.entity_id == ref).order_by(LedgerEntry.seq)).scalars()]
    assert actions[-5:] == ["control.request", "control.review", "control.request", "control.status",
                            "control.review"]
