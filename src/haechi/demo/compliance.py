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
* An actively exploited vulnerability in the press inspection module sold to EU plants,
  with its Cyber Resilience Act clocks (:mod:`.security_incident`).
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
    _second_review(hc, ctx)
    _operate(hc, officer, ctx.user("admin@hanbit.example"))
    _risks(hc, ctx, officer)
    hc.compliance.confirmations.submit(officer, SCREENER, _at(ctx.today - dt.timedelta(days=12)),
                                       "서류 심사 보조 AI가 고영향 인공지능에 해당하는지 "
                                       "과학기술정보통신부에 확인 요청 (제33조)")


def review(hc: Haechi, ctx: DemoContext) -> None:
    """After monitoring: the fairness alert demoted the risk-management control and opened an
    incident; the officer classifies it (the EU clock runs from the alert) and signs the ledger."""
    from .security_incident import open_vulnerability

    officer = ctx.user("compliance@hanbit.example")
    _fairness_alert(hc, ctx)
    _incident(hc, ctx, officer)
    open_vulnerability(hc, ctx)
    hc.ledger.checkpoint(ctx.user("auditor@hanbit.example"), "demo")


def _at(day: dt.date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+09:00"


def _ref(hc: Haechi, ctx: DemoContext, key: str, system: str = SCREENER) -> str:
    return next(c["ref"] for c in hc.compliance.controls.list(ctx.actor, system) if c["key"] == key)


def _plans(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    docs = hc.compliance.documents
    oversight = docs.prefill(officer, SCREENER, "human_oversight") | {
        "department": "인사운영팀 팀장", "powers": ["interpret", "override", "stop"],
        "measures": "자동 불합격 판정을 모두 검토하고, 매주 면접 후보 목록의 5%를 표본 검토합니다.",
        "training": "자동화 편향·공정성 교육 (2026-03)", "posted_at": "https://hanbit.example/ai"}
    docs.save(officer, SCREENER, "human_oversight", oversight)
    docs.approve(officer, SCREENER, "human_oversight")
    docs.save(officer, SCREENER, "risk_management_plan", {
        "scope": "생산직 지원서의 순위를 매기며, 결정은 채용 담당자가 합니다.",
        "risk_policy": "사람의 검토 없는 자동 불합격은 없으며, 집단 간 격차가 한도를 넘으면 모델을 중지합니다.",
        "organisation": "위험은 인사팀이 책임지고, ML팀이 운영하며, 준법감시팀이 승인하고, "
                        "관리·감독자는 시스템을 중지할 수 있습니다.",
        "known_risks": ["성별·연령에 따른 간접 차별", "재학습 후 성능 변화", "결과에 대한 과도한 의존"],
        "method": "5 × 5 발생가능성 × 심각도 행렬 (Haechi 위험 등록부)",
        "vulnerable_groups": "65세 이상 지원자와 장애인 지원자의 지원서는 사람이 직접 검토합니다.",
        "testing": "배포 전마다 검증용 데이터로 재현율과 집단 간 선정률 격차를 시험합니다.",
        "measures": ["학습데이터 가중치 재조정", "매주 사람의 표본 검토", "매일 공정성 모니터링"],
        "residual_risk": "불합격 판정을 사람이 검토한 뒤에는 낮음.",
        "monitoring": "매일 집계하며, 인구통계학적 동등성 차이가 0.10을 넘으면 경보를 냅니다.",
        "review_cycle": "half_yearly", "next_review": (ctx.today + dt.timedelta(days=120)).isoformat(),
        "posted_at": "https://hanbit.example/ai"})
    docs.approve(officer, SCREENER, "risk_management_plan")
    docs.save(officer, SCREENER, "impact_assessment", {
        "affected_groups": ["입사 지원자", "채용 담당자"], "vulnerable_groups": ["aged_65_plus", "disability"],
        "rights_affected": ["고용상 평등한 대우", "개인정보 보호"], "assessor": "in_house"})
    docs.save(officer, SCREENER, "explanation_plan", {
        "final_result": "지원서별 순위와 면접 후보 여부.",
        "training_data": docs.prefill(officer, SCREENER, "explanation_plan").get("training_data", "")})


def _evidence(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    ev = hc.compliance.evidence
    docs_ref = _ref(hc, ctx, "documentation-retention")
    ev.add_file(officer, PDF + b"% technical documentation v3\n", filename="screener-technical-documentation.pdf",
                system=SCREENER, controls=[docs_ref], title="기술문서 묶음 v3",
                effective_from=(ctx.today - dt.timedelta(days=340)).isoformat(),
                valid_until=(ctx.today + dt.timedelta(days=14)).isoformat(),
                description="구조, 데이터 명세서, 검증 결과. 다음 배포 때 갱신해야 합니다.")
    ev.add_record(officer, {"session": "관리·감독과 자동화 편향", "attendees": 6, "date": str(ctx.today)},
                  system=SCREENER, controls=[_ref(hc, ctx, "human-oversight")], evidence_type="training_record",
                  title="관리·감독자 교육 기록")
    ev.add_link(officer, "https://hanbit.example/ai/notice", system=SCREENER, controls=[_ref(hc, ctx, "ai-use-notice")],
                title="채용 페이지의 지원자 고지", evidence_type="document")


#: Review notes of the IT governance lead by evidence type (or kind); the applicant notice
#: (a link) is left waiting, so the demo shows a pending four-eyes decision.
_REVIEW_NOTES = {
    "plan": "준법감시팀 승인본과 내용이 일치함을 확인했습니다.",
    "file": "v3 배포본의 데이터 명세서와 검증 결과를 대조했습니다.",
    "training_record": "출석부와 교육 자료를 확인했습니다.",
}


def _second_review(hc: Haechi, ctx: DemoContext) -> None:
    """The hiring screener is high-impact: its evidence counts once a second person accepts it."""
    reviewer = ctx.user("admin@hanbit.example")
    for item in hc.compliance.reviews.pending(reviewer, SCREENER):
        note = _REVIEW_NOTES.get(item["evidence_type"]) or _REVIEW_NOTES.get(item["kind"])
        if note is not None:
            hc.compliance.reviews.decide(reviewer, item["ref"], True, note)


def _operate(hc: Haechi, officer: Any, governance: Any) -> None:
    """Move controls through their states; only those with fresh evidence reach 'operating',
    each on the officer's request approved by the IT governance lead (four eyes)."""
    controls = {c["key"]: c for c in hc.compliance.controls.list(officer, SCREENER)}
    for key in ("human-oversight", "risk-management", "documentation-retention"):
        hc.compliance.controls.transition(officer, controls[key]["ref"], "in_progress")
        hc.compliance.controls.transition(officer, controls[key]["ref"], "operating", "증빙 검토 완료")
        hc.compliance.controls.decide(governance, controls[key]["ref"], True, "증빙과 담당자를 다시 확인했습니다.")
    for key in ("impact-assessment", "explanation", "ai-use-notice"):
        hc.compliance.controls.transition(officer, controls[key]["ref"], "in_progress", "초안 작성 중")


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
    hc.compliance.incidents.set_status(officer, ref, "investigating", "최근 사흘간의 면접 후보 목록 발송 보류")
    hc.compliance.incidents.add_action(officer, ref, "보류한 면접 후보 목록을 사람이 다시 검토", "hr@hanbit.example",
                                       (ctx.today + dt.timedelta(days=3)).isoformat())
    hc.compliance.incidents.add_action(officer, ref, "재학습 전후 변수 분포 비교",
                                       "ml@hanbit.example", (ctx.today + dt.timedelta(days=5)).isoformat())


def _risks(hc: Haechi, ctx: DemoContext, officer: Any) -> None:
    risks = hc.compliance.risks
    bias = risks.add(officer, title="면접 후보 선정에서 여성에 대한 간접 차별", system=SCREENER,
                     likelihood=4, severity=4, hazard="과거 채용 결과에서 학습한 대리 변수",
                     harm="면접 기회의 불평등", affected=["여성 지원자"],
                     controls=[_ref(hc, ctx, "risk-management")], owner="hr@hanbit.example",
                     treatments=[{"action": "학습데이터 가중치 재조정", "owner": "ml@hanbit.example"},
                                 {"action": "모든 불합격 판정을 사람이 검토", "type": "mitigate"}])
    risks.update(officer, bias["ref"], residual_likelihood=3, residual_severity=3)
    ctx.notes["bias_risk"] = bias["ref"]
    ppe = risks.add(officer, title="저조도에서 안전모 미착용 미탐지", system="ppe-safety-camera", likelihood=3,
                    severity=5, hazard="야간 근무 시간대의 조명 부족", harm="머리 부상을 막지 못함",
                    affected=["프레스 라인 작업자"], owner="safety@hanbit.example")
    risks.update(officer, ppe["ref"], treatments=[{"action": "2라인에 적외선 조명 추가", "due": str(ctx.today)}],
                 residual_likelihood=2, residual_severity=5)
    risks.add(officer, title="챗봇이 잘못된 보증 조건을 안내", system="support-chatbot", likelihood=3, severity=2,
              hazard="사실이 아닌 답변 생성(환각)", harm="고객 오인", affected=["고객"])
    scrap = risks.add(officer, title="불량품이 양품으로 통과", system="press-defect-vision", likelihood=2,
                      severity=3, hazard="새 금형의 표면 마감 변화", harm="불량 부품 출하")
    risks.update(officer, scrap["ref"], residual_likelihood=1, residual_severity=3,
                 treatments=[{"action": "매주 표본 재검사", "status": "done"}])
    risks.accept(ctx.user("admin@hanbit.example"), scrap["ref"], "나머지는 표본 재검사로 걸러지므로 공장장이 수용함")
    risks.add(officer, title="캠페인 이미지를 실제 사진으로 오인", system="marketing-image-gen", likelihood=2,
              severity=2, hazard="재게시 때 표시가 잘려 나감", harm="고객 오인")
