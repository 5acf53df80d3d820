"""A monitor run hands its new alerts to compliance in one batch (``AlertsRaised``);
the outcome must be exactly that of handling them one by one (``on_alert``): the same
evidence, links, demotions, incidents, timeline notes and ledger entries in the same order
— on SQLite and PostgreSQL, over two runs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from metrics_logs import START, make_log, write_log, write_spec
from sqlalchemy import select
from tests.compliance.cards import card

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.compliance import hooks as compliance_hooks
from haechi.compliance.hooks import on_alert
from haechi.events import AlertsRaised
from haechi.ledger.chain import chain_rows
from haechi.monitor.spec import load_spec
from haechi.store.compliance_tables import EvidenceItem

# Both incident families (fairness, performance) and two that only make evidence.
THRESHOLDS = """thresholds:
  demographic_parity_difference: {max: 0.05}
  equalized_odds_difference: {max: 0.08}
  accuracy: {min: 0.8}
  psi: {max: 0.1, scope: [f0, f1]}
  missing_share: {max: 0.04}
"""
#: Fields that hold the time of the run (or hashes over alert ids), not its outcome.
# "by": each organisation's evidence is accepted by its own second reviewer.
VOLATILE = {"created_at", "collected_at", "effective_from", "retain_until", "aware_at", "updated_at", "at",
            "closed_at", "clocks", "sha256", "status_changed_at", "counts_until", "due_date", "by"}


@contextmanager
def one_by_one(hc: Haechi) -> Iterator[None]:
    """Compliance reacts to a run's alerts with the per-alert path instead of the batch one."""
    batch = compliance_hooks.on_alerts_raised

    def single(svc: Any, event: AlertsRaised) -> None:
        for alert in event.alerts:
            on_alert(svc, event.session, event.actor, alert)

    compliance_hooks.on_alerts_raised = single
    try:
        yield
    finally:
        compliance_hooks.on_alerts_raised = batch


def _reviewer(hc: Haechi, actor: Actor) -> Actor:
    email = f"reviewer@{actor.org_slug}.example"
    if not any(u.email == email for u in hc.accounts.list_users(actor)):
        hc.accounts.create_user(actor, email, "editor", "password-123")
    return hc.accounts.authenticate(email, "password-123")


def _accept_as_second_person(hc: Haechi, actor: Actor) -> None:
    """The test system is high-impact: its evidence counts once someone else accepts it."""
    reviewer = _reviewer(hc, actor)
    for item in hc.compliance.reviews.pending(reviewer):
        hc.compliance.reviews.decide(reviewer, item["ref"], True, "proof checked")


def _operate(hc: Haechi, actor: Actor, key: str, evidence_type: str) -> str:
    """Prove control ``key`` with fresh evidence and mark it operating."""
    ref = next(c["ref"] for c in hc.compliance.controls.list(actor, "test-system") if c["key"] == key)
    if hc.compliance.controls.get(actor, ref)["status"] == "not_started":
        hc.compliance.controls.transition(actor, ref, "in_progress")
    hc.compliance.evidence.add_record(actor, {"control": key, "proof": evidence_type}, system="test-system",
                                      controls=[ref], evidence_type=evidence_type, title=f"{key} proof")
    _accept_as_second_person(hc, actor)
    hc.compliance.controls.transition(actor, ref, "operating")  # four eyes: a request ...
    hc.compliance.controls.decide(_reviewer(hc, actor), ref, True, "proof checked")  # ... approved by another
    return ref


def _scenario(hc: Haechi, actor: Actor, tmp: Path, frame: pd.DataFrame) -> tuple[int, list[dict[str, Any]]]:
    """Two runs; in between, the fairness incident is closed and a control is proven again."""
    start = len(_ledger(hc, actor))
    log = write_log(frame[frame.ts < START + pd.Timedelta(days=10)], tmp / "log.parquet")
    spec = write_spec(tmp, log, extra=THRESHOLDS)
    hc.systems.add(actor, card(id="test-system", roles=["developer", "deployer"]))  # monitoring controls too
    _operate(hc, actor, "risk-management", "plan")
    _operate(hc, actor, "monitoring", "monitoring_result")
    first = hc.monitor.run(actor, load_spec(spec))
    fairness = next(i["ref"] for i in hc.compliance.incidents.list(actor) if i["severity"] == "high")
    hc.compliance.incidents.set_root_cause(actor, fairness, "threshold too strict for a small group")
    hc.compliance.incidents.close(actor, fairness, "threshold reviewed")
    robustness = next(c["ref"] for c in hc.compliance.controls.list(actor) if c["key"] == "testing-robustness")
    for ev in hc.compliance.evidence.list(actor, control=robustness):
        if ev["polarity"] == "contradicts":
            hc.compliance.evidence.resolve(actor, ev["ref"], "model retrained")
    _operate(hc, actor, "testing-robustness", "test_report")
    write_log(frame, log)
    second = hc.monitor.run(actor, "test-system")
    return start, [a for run in (first, second) for a in run["alerts"] if a["new"]]


def _ledger(hc: Haechi, actor: Actor) -> list[dict[str, Any]]:
    with hc.db.reader() as s:
        return chain_rows(s, actor.org_id)


def _state(hc: Haechi, actor: Actor, start: int) -> dict[str, Any]:
    """What a user sees, with alert ids replaced by what the alert is about."""
    ids = {a["id"]: f"{a['window_start']}|{a['metric']}|{a['scope']}|{a['group']}"
           for a in hc.monitor.alerts(actor, limit=1000)["items"]}
    with hc.db.reader() as s:
        records = dict(s.execute(select(EvidenceItem.number, EvidenceItem.record)
                                 .where(EvidenceItem.org_id == actor.org_id)).all())
    evidence = [ev | {"record": records[int(ev["ref"][2:])]}
                for ev in hc.compliance.evidence.list(actor, include_history=True)]
    controls = [hc.compliance.controls.get(actor, c["ref"]) for c in hc.compliance.controls.list(actor)]
    problems = {str(p["id"]): f"{p['metric']}|{p['scope']}|{p['group']}|{p['first_seen']}"
                for p in hc.monitor.problems.list(actor, limit=1000)["items"]}
    ledger = [(e["action"], e["entity_type"],
               problems[e["entity_id"]] if e["entity_type"] == "monitor_problem" else e["entity_id"],
               json.loads(e["payload"])) for e in _ledger(hc, actor)[start:]
              if e["action"] != "user.create"]  # the second reviewer: one per organisation
    return _norm({
        "evidence": evidence,
        "controls": [(c["ref"], c["status"], c["status_reason"], [(e["kind"], e["from"], e["to"], e["detail"])
                                                                 for e in c["events"]]) for c in controls],
        "incidents": [hc.compliance.incidents.get(actor, i["ref"]) for i in hc.compliance.incidents.list(actor)],
        "ledger": ledger}, ids)


def _norm(value: Any, ids: dict[int, str]) -> Any:
    if isinstance(value, dict):
        return {k: ids.get(v, v) if k in ("id", "alert") and isinstance(v, int) else _norm(v, ids)
                for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list | tuple):
        return [_norm(v, ids) for v in value]
    if isinstance(value, str):
        value = re.sub(r"reviewer@\w+\.example", "reviewer", value)  # each organisation's own
        return re.sub(r"alert:(\d+)", lambda m: f"alert:{ids.get(int(m.group(1)), m.group(1))}", value)
    return value


def test_batch_of_alerts_matches_one_by_one(db_hc: Haechi, tmp_path: Path) -> None:
    frame = make_log()
    batch_actor = db_hc.local_actor(db_hc.accounts.create_org("batch", "Batch").slug)
    single_actor = db_hc.local_actor(db_hc.accounts.create_org("single", "Single").slug)
    calls: list[int] = []

    def count(event: AlertsRaised) -> None:
        calls.append(len(event.alerts))

    db_hc.events.subscribe(AlertsRaised, count)
    start, alerts = _scenario(db_hc, batch_actor, tmp_path, frame)
    assert len(calls) == 2 and sum(calls) == len(alerts)  # one event per run, with all its new alerts
    db_hc.events.unsubscribe(AlertsRaised, count)
    with one_by_one(db_hc):
        single_start, single_alerts = _scenario(db_hc, single_actor, tmp_path, frame)
    assert len(calls) == 2 and len(single_alerts) == len(alerts)

    batch, single = _state(db_hc, batch_actor, start), _state(db_hc, single_actor, single_start)
    for part in ("evidence", "controls", "incidents", "ledger"):
        assert batch[part] == single[part], part
    assert db_hc.ledger.verify(batch_actor).ok and db_hc.ledger.verify(single_actor).ok

    # the scenario covers what the batch must get right
    assert {"fairness", "performance", "drift", "data_quality"} <= {a["family"] for a in alerts}
    actions = [e[0] for e in batch["ledger"]]
    assert actions.count("evidence.auto") == len(alerts) + 2  # + the classification run and the closed incident
    incident_alerts = sum(a["family"] in ("fairness", "performance") for a in alerts)
    # fairness and performance in run 1; fairness again in run 2, its first incident being closed
    assert actions.count("incident.open") == 3 and actions.count("incident.note") == incident_alerts - 3
    demotions = [(e[2], e[3]["reason"]) for e in batch["ledger"]
                 if e[0] == "control.status" and e[3]["to"] == "needs_review"]
    assert len(demotions) == 3  # risk-management and monitoring in run 1, testing-robustness in run 2
    assert all(re.fullmatch(r"demoted: unresolved negative evidence E-\d+", reason) for _, reason in demotions)
