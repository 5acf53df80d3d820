"""Demo steps: the compliance loop at Hanbit Precision (``populate`` runs before the
monitoring step, ``review`` — in :mod:`.compliance_review` — after it).

* Controls in every state: the hiring screener's human-oversight designation and
  documentation are operating, its impact assessment and explanation plan are in
  progress (drafts), its risk-management plan is approved but a fairness alert puts it in
  ``needs_review``; other controls are not started.
* Expiring evidence: the technical documentation pack expires in two weeks.
* A fairness incident opened by a real monitoring alert: seeded prediction logs whose
  selection rate for women drops in the last days are monitored; the breach becomes
  negative evidence and an incident, classified as a fundamental-rights infringement so
  its EU Art. 73 clock runs from the alert.
* A risk register across the plant and the office, an MSIT confirmation request with its
  clock, and a signed ledger checkpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from haechi.core import Haechi

    from .build import DemoContext

SCREENER = "hiring-screener"
PDF = b"%PDF-1.7\n% Hanbit demo document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def populate(hc: Haechi, ctx: DemoContext) -> None:
    """Before monitoring: plans approved, evidence filed, controls moved, risks registered."""
    officer = ctx.user("compliance@hanbit.example")
    _plans(hc, ctx, officer)
    _evidence(hc, ctx, officer)
    _operate(hc, officer)
    _risks(hc, ctx, officer)
    hc.compliance.confirmations.submit(officer, SCREENER, _at(ctx.today - dt.timedelta(days=12)),
                                       "asked MSIT whether the screener is high-impact (Art. 33)")


def review(hc: Haechi, ctx: DemoContext) -> None:
    """After monitoring: the fairness alert demoted the risk-management control and opened an
    incident; the officer classifies it (the EU clock runs from the alert) and signs the ledger."""
    officer = ctx.user("compliance@hanbit.example")
    _fairness_alert(hc, ctx)
    _incident(hc, ctx, officer)
    hc.ledger.checkpoint(ctx.user("auditor@hanbit.example"), "demo")


def _at(day: dt.date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+09:00"


def _ref(hc: Haechi, ctx: DemoContext, key: str, system: str = SCREENER) -> str:
    return next(c["ref"] for c in hc.compliance.controls.list(ctx.actor, system) if c["key"] == key)


def _plans(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    docs = hc.compliance.documents
    oversight = docs.prefill(officer, SCREENER, "human_oversight") | {
        "department": "HR operations, team lead", "powers": ["interpret", "override", "stop"],
        "measures": "Reviews every automatic rejection and a 5% sample of shortlists each week.",
        "training": "Automation-bias and fairness training, 2026-03", "posted_at": "https://hanbit.example/ai"}
    docs.save(officer, SCREENER, "human_oversight", oversight)
    docs.approve(officer, SCREENER, "human_oversight")
    docs.save(officer, SCREENER, "risk_management_plan", {
        "scope": "Ranks applications for production roles; recruiters decide.",
        "risk_policy": "No automatic rejection without human review; stop the model if parity drops below limits.",
        "organisation": "HR owns the risks; ML team operates; compliance approves; the overseer can stop it.",
        "known_risks": ["indirect discrimination by sex or age", "drift after retraining", "over-reliance"],
        "method": "5 × 5 likelihood × severity matrix (Haechi risk register)",
        "vulnerable_groups": "Applicants aged 65+ and applicants with disabilities are reviewed by hand.",
        "testing": "Recall and selection-rate parity on a hold-out set before each release.",
        "measures": ["reweighing of training data", "weekly human review sample", "daily fairness monitor"],
        "residual_risk": "Low after human review of rejections.",
        "monitoring": "Daily windows; demographic parity difference above 0.10 raises an alert.",
        "review_cycle": "half_yearly", "next_review": (ctx.today + dt.timedelta(days=120)).isoformat(),
        "posted_at": "https://hanbit.example/ai"})
    docs.approve(officer, SCREENER, "risk_management_plan")
    docs.save(officer, SCREENER, "impact_assessment", {
        "affected_groups": ["job applicants", "recruiters"], "vulnerable_groups": ["aged_65_plus", "disability"],
        "rights_affected": ["equal treatment in employment", "privacy"], "assessor": "in_house"})
    docs.save(officer, SCREENER, "explanation_plan", {
        "final_result": "A rank and a shortlist flag per application.",
        "training_data": docs.prefill(officer, SCREENER, "explanation_plan").get("training_data", "")})


def _evidence(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    ev = hc.compliance.evidence
    docs_ref = _ref(hc, ctx, "documentation-retention")
    ev.add_file(officer, PDF + b"% technical documentation v3\n", filename="screener-technical-documentation.pdf",
                system=SCREENER, controls=[docs_ref], title="Technical documentation pack v3",
                effective_from=(ctx.today - dt.timedelta(days=340)).isoformat(),
                valid_until=(ctx.today + dt.timedelta(days=14)).isoformat(),
                description="Architecture, data sheet and validation results; renewal due with the next release.")
    ev.add_record(officer, {"session": "oversight and automation bias", "attendees": 6, "date": str(ctx.today)},
                  system=SCREENER, controls=[_ref(hc, ctx, "human-oversight")], evidence_type="training_record",
                  title="Overseer training record")
    ev.add_link(officer, "https://hanbit.example/ai/notice", system=SCREENER, controls=[_ref(hc, ctx, "ai-use-notice")],
                title="Applicant notice on the careers page", evidence_type="document")


def _operate(hc: Haechi, officer: Any) -> None:
    """Move controls through their states; only those with fresh evidence reach 'operating'."""
    controls = {c["key"]: c for c in hc.compliance.controls.list(officer, SCREENER)}
    for key in ("human-oversight", "risk-management", "documentation-retention"):
        hc.compliance.controls.transition(officer, controls[key]["ref"], "in_progress")
        hc.compliance.controls.transition(officer, controls[key]["ref"], "operating", "evidence reviewed")
    for key in ("impact-assessment", "explanation", "ai-use-notice"):
        hc.compliance.controls.transition(officer, controls[key]["ref"], "in_progress", "drafting")


def _fairness_alert(hc: Haechi, ctx: DemoContext) -> None:
    """Run a real fairness monitor over seeded logs; its alert reaches compliance through the hook."""
    from haechi.monitor.spec import parse_spec_text

    existing = [i for i in hc.compliance.incidents.list(ctx.actor, SCREENER) if i["source"] == "alert"]
    if existing:  # the monitoring demo step already raised one
        return
    author = ctx.user("ml@hanbit.example")
    name = "hiring-screener-decisions.parquet"  # in the organisation's monitor files, where specs read
    start = ctx.today - dt.timedelta(days=14)
    _write_log(hc.monitor.files_dir(author) / name, start)
    spec = parse_spec_text(f"""
system: {SCREENER}
name: fairness
log: {name}
columns: {{event_id: event_id, timestamp: ts, prediction: y_pred, label: y_true, score: score, sensitive: [sex]}}
reference: {{start: {start.isoformat()}, end: {(start + dt.timedelta(days=7)).isoformat()}}}
window: 1d
thresholds:
  demographic_parity_difference: {{max: 0.10}}
""", "demo-monitor.yaml")
    hc.monitor.run(author, spec)


def _write_log(path: Any, start: dt.date, per_day: int = 400) -> None:
    """Fourteen days of screening decisions; women's selection rate falls in the last three."""
    rng = np.random.default_rng(20260301)
    rows: dict[str, list[Any]] = {"event_id": [], "ts": [], "sex": [], "y_pred": [], "y_true": [], "score": []}
    for day in range(14):
        base = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(0), tzinfo=dt.UTC)
        sex = rng.choice(["F", "M"], size=per_day)
        rate = np.where(sex == "M", 0.34, 0.32 if day < 11 else 0.16)
        score = np.clip(rng.normal(rate, 0.1), 0, 1)
        pred = (rng.random(per_day) < rate).astype(int)
        rows["event_id"] += [f"d{day}-{i}" for i in range(per_day)]
        rows["ts"] += [base + dt.timedelta(seconds=int(s)) for s in rng.integers(0, 86_400, per_day)]
        rows["sex"] += sex.tolist()
        rows["y_pred"] += pred.tolist()
        rows["y_true"] += (rng.random(per_day) < 0.3).astype(int).tolist()
        rows["score"] += score.round(4).tolist()
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(rows), path)


def _incident(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    incidents = [i for i in hc.compliance.incidents.list(officer, SCREENER) if i["source"] == "alert"]
    if not incidents:
        return
    ref = incidents[-1]["ref"]
    if ctx.notes.get("bias_risk"):
        hc.compliance.risks.link(officer, ctx.notes["bias_risk"], incident=ref)
    hc.compliance.incidents.classify(officer, ref, categories=["fundamental_rights_infringement"], severity="high")
    hc.compliance.incidents.set_status(officer, ref, "investigating", "shortlists of the last three days held back")
    hc.compliance.incidents.add_action(officer, ref, "Re-review the held-back shortlists by hand", "hr@hanbit.example",
                                       (ctx.today + dt.timedelta(days=3)).isoformat())
    hc.compliance.incidents.add_action(officer, ref, "Compare feature distributions before and after retraining",
                                       "ml@hanbit.example", (ctx.today + dt.timedelta(days=5)).isoformat())


def _risks(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    risks = hc.compliance.risks
    bias = risks.add(officer, title="Indirect discrimination against women in shortlists", system=SCREENER,
                     likelihood=4, severity=4, hazard="proxy features learned from past hiring",
                     harm="unequal access to interviews", affected=["female applicants"],
                     controls=[_ref(hc, ctx, "risk-management")], owner="hr@hanbit.example",
                     treatments=[{"action": "reweigh training data", "owner": "ml@hanbit.example"},
                                 {"action": "human review of every rejection", "type": "mitigate"}])
    risks.update(officer, bias["ref"], residual_likelihood=3, residual_severity=3)
    ctx.notes["bias_risk"] = bias["ref"]
    ppe = risks.add(officer, title="Missed helmet detection in low light", system="ppe-safety-camera", likelihood=3,
                    severity=5, hazard="poor lighting at night shifts", harm="head injury not prevented",
                    affected=["press-line workers"], owner="safety@hanbit.example")
    risks.update(officer, ppe["ref"], treatments=[{"action": "add IR lighting on line 2", "due": str(ctx.today)}],
                 residual_likelihood=2, residual_severity=5)
    risks.add(officer, title="Chatbot states wrong warranty terms", system="support-chatbot", likelihood=3, severity=2,
              hazard="hallucinated answers", harm="customers misled", affected=["customers"])
    scrap = risks.add(officer, title="Defects passed as good parts", system="press-defect-vision", likelihood=2,
                      severity=3, hazard="new die surface finish", harm="defective parts shipped")
    risks.update(officer, scrap["ref"], residual_likelihood=1, residual_severity=3,
                 treatments=[{"action": "weekly sample re-inspection", "status": "done"}])
    risks.accept(ctx.actor, scrap["ref"], "sample re-inspection catches the rest; accepted by the plant manager")
    risks.add(officer, title="Campaign images mistaken for real photos", system="marketing-image-gen", likelihood=2,
              severity=2, hazard="labels cropped when re-posted", harm="customers misled")
