"""The due list of a workspace: every dated duty, for which system, for whom, in the org's zone."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.reminders.due import DueItem, by_system, due_within, for_person

from ..compliance.cards import HIRING

NOW = dt.datetime(2026, 9, 21, 0, 0, tzinfo=dt.UTC)  # Monday 21 Sept 2026, 09:00 KST


@pytest.fixture
def workspace(hc: Haechi, actor: Actor) -> Haechi:
    hc.compliance.clock = lambda: NOW
    hc.systems.add(actor, SystemCard.model_validate(HIRING))
    return hc


def test_pure_engine_orders_filters_and_groups() -> None:
    a = DueItem("control_due", "C-1", "a", "A", "가", dt.date(2026, 9, 23), "Asia/Seoul", ("x@acme.example",))
    b = DueItem("evidence_expiry", "E-1", "b", "B", "나", dt.date(2026, 9, 20), "Asia/Seoul", ("Y@acme.example",))
    c = DueItem("plan_review", "p v1", "a", "C", "다", dt.date(2026, 10, 30), "Asia/Seoul")
    chosen = due_within([a, b, c], NOW, 7)
    assert [i.ref for i in chosen] == ["E-1", "C-1"]  # overdue first, the later one left out
    assert b.urgency(NOW) == "overdue" and a.urgency(NOW) == "this_week" and c.urgency(NOW) == "later"
    assert [i.ref for i in due_within([a, b, c], NOW, 7, include_overdue=False)] == ["C-1"]
    assert [i.ref for i in for_person(chosen, "y@ACME.example")] == ["E-1"]
    assert list(by_system(chosen)) == ["b", "a"]
    today = DueItem("control_due", "C-2", "a", "A", "가", dt.date(2026, 9, 21), "Asia/Seoul")
    assert today.urgency(NOW) == "today"
    assert today.to_dict(NOW)["due_local"] == "2026-09-22T00:00:00+09:00"


def test_workspace_due_list(workspace: Haechi, actor: Actor) -> None:
    hc = workspace
    hc.compliance.evidence.add_record(actor, {"test": "bias audit"}, system="hiring-screener",
                                      evidence_type="test_report", title="Bias audit",
                                      valid_until="2026-09-25")
    control = hc.compliance.controls.list(actor, "hiring-screener")[0]["ref"]
    hc.compliance.controls.assign(actor, control, owner="owner@acme.example", due_date="2026-09-23")
    hc.compliance.incidents.open(actor, title="Wrong rejections", system="hiring-screener", source="complaint",
                                 severity="high", categories=["fundamental_rights_infringement"],
                                 widespread_infringement=True, aware_at="2026-09-20T10:00+09:00")
    hc.compliance.confirmations.submit(actor, "hiring-screener", submitted_at="2026-08-26T10:00+09:00")
    data = hc.reminders.due(actor, 10, now=NOW)
    assert data["timezone"] == "Asia/Seoul"
    kinds = {i["kind"]: i for i in data["items"]}
    assert set(kinds) >= {"evidence_expiry", "control_due", "incident_clock", "confirmation_clock"}
    incident = kinds["incident_clock"]  # EU Art. 73, 2 calendar days from 20 Sept: Tuesday 22 Sept
    assert incident["due_date"] == "2026-09-22" and incident["citation"] == "EU AI Act Art. 73"
    assert incident["due_at"] == "2026-09-22T15:00:00+00:00" and incident["due_local"].endswith("+09:00")
    confirmation = kinds["confirmation_clock"]  # 30 days from 26 Aug is Chuseok: Monday 28 Sept
    assert confirmation["calendar_due_date"] == "2026-09-25" and confirmation["due_date"] == "2026-09-28"
    assert "추석" in confirmation["moved_ko"]
    assert kinds["control_due"]["whom"] == ["owner@acme.example"]
    assert set(kinds["evidence_expiry"]["whom"]) == {"hr@acme.example", "ml@acme.example", "oversight@acme.example"}
    assert [i["due_date"] for i in data["items"]] == sorted(i["due_date"] for i in data["items"])
    mine = hc.reminders.due(actor, 10, person="owner@acme.example", now=NOW)
    assert [i["ref"] for i in mine["items"]] == [control]


def test_other_organisations_see_nothing_and_bad_days_are_refused(workspace: Haechi, actor: Actor,
                                                                   other_actor: Actor) -> None:
    workspace.compliance.evidence.add_record(actor, {"x": 1}, system="hiring-screener", evidence_type="record",
                                             title="R", valid_until="2026-09-22")
    assert workspace.reminders.due(actor, 7, now=NOW)["total"] >= 1
    assert workspace.reminders.due(other_actor, 7, now=NOW)["total"] == 0
    with pytest.raises(ValidationFailed):
        workspace.reminders.due(actor, -1)
