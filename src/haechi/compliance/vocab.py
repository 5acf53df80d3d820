"""Vocabularies of the compliance loop, with Korean and English labels.

Kept in one place so the library loader, the services, the CLI, the API schema and the
dashboard all agree on the same words.
"""

from __future__ import annotations

from typing import Literal

ControlStatus = Literal["not_started", "in_progress", "operating", "needs_review"]
CONTROL_STATUSES: tuple[str, ...] = ("not_started", "in_progress", "operating", "needs_review")

EvidenceKind = Literal["file", "link", "record", "auto"]
EVIDENCE_KINDS: tuple[str, ...] = ("file", "link", "record", "auto")

Polarity = Literal["supports", "contradicts"]

#: What a piece of evidence is; controls say which types prove them.
EVIDENCE_TYPES: dict[str, tuple[str, str]] = {
    "document": ("Document (policy, procedure, report)", "문서 (정책·절차·보고서)"),
    "plan": ("Approved plan or assessment", "승인된 방안·평가서"),
    "record": ("Structured record", "구조화된 기록"),
    "link": ("Link to an external system", "외부 시스템 링크"),
    "test_report": ("Test or validation report", "시험·검증 보고서"),
    "monitoring_result": ("Monitoring result", "모니터링 결과"),
    "notice_delivery": ("Notice delivery record", "고지 전달 기록"),
    "label_check": ("Output label check", "생성물 표시 확인"),
    "classification_run": ("Classification run", "분류 실행 결과"),
    "log_export": ("Log retention record", "로그 보관 기록"),
    "training_record": ("Training record", "교육 기록"),
    "approval": ("Approval or sign-off", "승인·결재"),
    "incident_record": ("Incident record", "사고 기록"),
    "energy_record": ("Energy or emissions record", "에너지·배출 기록"),
}

#: Where evidence came from.
EVIDENCE_SOURCES: tuple[str, ...] = (
    "upload", "manual", "monitoring", "transparency", "classification", "plan", "incident",
    "esg", "api", "demo",
)

IncidentSource = Literal["alert", "complaint", "user_report", "manual"]
INCIDENT_SOURCES: dict[str, tuple[str, str]] = {
    "alert": ("Monitoring alert", "모니터링 경보"),
    "complaint": ("Complaint", "민원"),
    "user_report": ("User report", "이용자 신고"),
    "manual": ("Entered by hand", "직접 등록"),
}
Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: dict[str, tuple[str, str]] = {
    "low": ("Low", "낮음"), "medium": ("Medium", "보통"), "high": ("High", "높음"),
    "critical": ("Critical", "심각"),
}
IncidentStatus = Literal["open", "investigating", "mitigated", "closed"]
INCIDENT_STATUSES: tuple[str, ...] = ("open", "investigating", "mitigated", "closed")

#: Serious-incident categories of EU AI Act Art. 3(49), which decide the Art. 73 clock.
SeriousCategory = Literal[
    "death", "serious_health_harm", "critical_infrastructure_disruption",
    "fundamental_rights_infringement", "property_environment_harm",
]
SERIOUS_CATEGORIES: dict[str, tuple[str, str]] = {
    "death": ("Death of a person", "사망"),
    "serious_health_harm": ("Serious harm to a person's health", "건강에 대한 중대한 피해"),
    "critical_infrastructure_disruption": (
        "Serious and irreversible disruption of critical infrastructure",
        "핵심 기반시설의 중대하고 회복 불가능한 중단"),
    "fundamental_rights_infringement": (
        "Infringement of obligations protecting fundamental rights",
        "기본권 보호 의무 위반"),
    "property_environment_harm": ("Serious harm to property or the environment",
                                  "재산 또는 환경에 대한 중대한 피해"),
}

#: What an incident is under the EU Cyber Resilience Act Art. 14, which starts its clocks.
CraIncidentKind = Literal["exploited_vulnerability", "severe_incident"]
CRA_INCIDENT_KINDS: dict[str, tuple[str, str]] = {
    "exploited_vulnerability": ("Actively exploited vulnerability in the product", "제품의 실제 악용되는 취약점"),
    "severe_incident": ("Severe incident having an impact on the product's security",
                        "제품 보안에 영향을 주는 중대 사고"),
}

RiskStatus = Literal["open", "treating", "accepted", "closed"]
RISK_STATUSES: tuple[str, ...] = ("open", "treating", "accepted", "closed")
TreatmentType = Literal["mitigate", "avoid", "transfer", "accept"]

DocumentKind = Literal[
    "risk_management_plan", "explanation_plan", "user_protection_plan", "human_oversight",
    "impact_assessment", "eu_fria",
]
DocumentStatus = Literal["draft", "approved", "superseded"]

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "not_started": ("Not started", "시작 전"),
    "in_progress": ("In progress", "진행 중"),
    "operating": ("Operating", "운영 중"),
    "needs_review": ("Needs review", "검토 필요"),
    "met": ("Met", "충족"),
    "at_risk": ("At risk", "위험"),
    "unmet": ("Unmet", "미충족"),
    "unknown": ("Unknown", "판단 불가"),
}


def label(table: dict[str, tuple[str, str]], key: str, lang: str = "en") -> str:
    """The English or Korean label of ``key`` (the key itself when unknown)."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ko" else pair[0]
