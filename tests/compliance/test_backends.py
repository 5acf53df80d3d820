"""The whole compliance loop on a SQLite file and on PostgreSQL: the same results."""

from __future__ import annotations

import datetime as dt

from haechi import Haechi
from haechi.events import AlertsRaised

from .cards import card
from .conftest import PDF, MovableClock, accept_pending, operate


def test_loop_end_to_end_on_both_backends(db_hc: Haechi) -> None:
    clock = MovableClock(dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC))
    db_hc.compliance.clock = clock
    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor("acme")
    db_hc.systems.add(actor, card())
    ref = next(c["ref"] for c in db_hc.compliance.controls.list(actor) if c["key"] == "risk-management")
    db_hc.compliance.controls.transition(actor, ref, "in_progress")
    ev = db_hc.compliance.evidence.add_file(actor, PDF, filename="plan.pdf", system="hiring-screener",
                                            controls=[ref], title="Plan", evidence_type="plan",
                                            valid_until="2026-03-20")
    assert db_hc.compliance.blobs.path(ev["sha256"]).is_file()
    assert ev["review"]["status"] == "pending"  # high-impact: four eyes
    assert accept_pending(db_hc, actor) == [ev["ref"]]
    assert operate(db_hc, actor, ref)["effective"]
    alert = {"id": 1, "system": "hiring-screener", "monitor": "m", "metric": "demographic_parity_difference",
             "family": "fairness", "scope": "sex", "value": 0.2, "threshold": {"max": 0.1},
             "window_start": "2026-03-01T00:00:00+00:00", "created_at": "2026-03-02T00:00:00+00:00"}
    with db_hc.db.transaction() as s:
        db_hc.events.publish(AlertsRaised(s, actor, [alert]))
    assert db_hc.compliance.controls.get(actor, ref)["status"] == "needs_review"
    incident = db_hc.compliance.incidents.classify(actor, "INC-1", categories=["fundamental_rights_infringement"])
    assert incident["clocks"][0]["due_date"] == "2026-03-17"
    db_hc.compliance.risks.add(actor, title="Bias", system="hiring-screener", likelihood=4, severity=4)
    db_hc.compliance.documents.save(actor, "hiring-screener", "human_oversight", {"name": "Kim"})
    status = db_hc.compliance.status(actor, "hiring-screener")
    assert status["counts"]["at_risk"] >= 1 and status["clocks"][0]["incident"] == "INC-1"
    clock.advance(days=30)
    assert db_hc.compliance.review(actor)["demoted"] == []  # already in review
    report = db_hc.ledger.verify(actor)
    assert report.ok and report.entries > 10


def test_concurrent_writers_get_distinct_numbers_and_one_chain(db_hc: Haechi) -> None:
    from concurrent.futures import ThreadPoolExecutor

    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor("acme")

    def open_some(worker: int) -> list[str]:
        return [db_hc.compliance.incidents.open(actor, title=f"w{worker}-{i}")["ref"] for i in range(6)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        refs = [r for batch in pool.map(open_some, range(4)) for r in batch]
    assert sorted(refs, key=lambda r: int(r.split("-")[1])) == [f"INC-{n}" for n in range(1, 25)]
    assert db_hc.ledger.verify(actor).ok


def test_cra_clocks_on_both_backends(db_hc: Haechi) -> None:
    """A connected product's exploited vulnerability: the CRA clocks, filings and reminders agree."""
    from haechi.reminders.sources import collect

    db_hc.compliance.clock = MovableClock(dt.datetime(2026, 12, 6, 0, 0, tzinfo=dt.UTC))
    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor("acme")
    db_hc.systems.add(actor, card(id="camera", name="Camera", roles=["developer"],
                                  cra={"product_with_digital_elements": True, "product_class": "default"}))
    incidents = db_hc.compliance.incidents
    incidents.open(actor, title="Firmware flaw exploited", system="camera", cra="exploited_vulnerability",
                   aware_at="2026-12-06T08:00+09:00")
    filed = incidents.file_report(actor, "INC-1", clock="cra.14.early_warning", filed_at="2026-12-06T09:00+09:00")
    incidents.classify(actor, "INC-1", cra_fix_available_at="2026-12-06T08:30+09:00")
    assert [(c["clock"], c["state"]) for c in filed["clocks"]] == [("cra.14.early_warning", "met"),
                                                                   ("cra.14.notification", "running")]
    final = incidents.get(actor, "INC-1")["clocks"][-1]
    assert final["clock"] == "cra.14.final" and final["due_date"] == "2026-12-20"
    with db_hc.db.reader() as s:
        items = collect(s, actor.org_id, "Asia/Seoul", dt.datetime(2026, 12, 6, 1, 0, tzinfo=dt.UTC))
    due = sorted((i.extra["clock"], i.due_at.isoformat()) for i in items if i.kind == "incident_clock")
    assert due == [("cra.14.final", "2026-12-20T15:00:00+00:00"), ("cra.14.notification", "2026-12-08T23:00:00+00:00")]
