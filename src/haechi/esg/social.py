"""Social and governance indicators recorded beside the efficiency numbers.

The vocabulary is data: each indicator has a kind (a count, a share or a list), a unit
and ko/en labels. Sustainability is not reduced to efficiency: the report shows these
next to energy, emissions and KPIs. None of them maps to a GRI/ESRS disclosure number
in the reference material, so the report names them as Haechi indicators.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    name: str
    kind: str  # "count", "share" (0–1) or "list"
    label: str
    label_ko: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "workers_affected",
        "count",
        "Workers whose work the AI changes",
        "AI로 업무가 바뀐 근로자 수",
    ),
    Indicator("workers_retrained", "count", "Workers retrained", "재교육을 받은 근로자 수"),
    Indicator("incidents", "count", "AI incidents", "AI 사고 건수"),
    Indicator("near_misses", "count", "Near-misses", "아차사고 건수"),
    Indicator(
        "notice_accessibility_share",
        "share",
        "Notices meeting accessibility criteria",
        "접근성 기준을 충족한 고지 비율",
    ),
    Indicator("notice_languages", "list", "Languages of user notices", "이용자 고지 언어"),
    Indicator("complaints", "count", "Complaints about the AI", "AI 관련 민원 건수"),
    Indicator("human_review_requests", "count", "Requests for human review", "사람의 검토 요청 건수"),
    Indicator(
        "vulnerable_groups_considered",
        "list",
        "Vulnerable groups considered in impact assessments",
        "영향평가에서 고려한 취약 집단",
    ),
)
BY_NAME = {i.name: i for i in INDICATORS}


def summarise(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """One line per indicator: counts are summed, shares averaged, lists united."""
    out = []
    for indicator in INDICATORS:
        mine = [r for r in rows if r["indicator"] == indicator.name]
        if not mine:
            continue
        out.append(
            {
                "indicator": indicator.name,
                "label": indicator.label,
                "label_ko": indicator.label_ko,
                "kind": indicator.kind,
                "value": _combine(indicator.kind, mine),
                "records": len(mine),
                "method": "recorded by the organisation",
                "data_quality": "self-reported",
            }
        )
    return out


def _combine(kind: str, rows: list[dict[str, object]]) -> object:
    if kind == "list":
        items: set[str] = set()
        for row in rows:
            items.update(str(i) for i in (row.get("items") or []))  # type: ignore[attr-defined]
        return sorted(items)
    values = [float(row["value"]) for row in rows if row.get("value") is not None]  # type: ignore[arg-type]
    if not values:
        return None
    return sum(values) / len(values) if kind == "share" else sum(values)
