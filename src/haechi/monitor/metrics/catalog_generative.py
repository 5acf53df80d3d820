"""Catalogue rows of the generative-AI monitor (``task: generative``).

Kept beside ``catalog.py`` and appended to its table there, so the tabular rows and the
generative ones are read by the same consumers (spec check, alerts, CLI table, charts,
docs). The formulas are in ``generative.py``; the event fields they read are in
``monitor/generative/fields.py``.

Families say where an alert goes: ``transparency`` (marks and the advance notice,
KR Art. 31 / EU Art. 50), ``privacy`` (personal data in outputs), ``service``
(refusals, safety filters, complaints, hand-overs, latency) and ``fairness`` (gaps of
those rates between language, channel or user-segment groups).
"""

from __future__ import annotations

from .catalog import Family, MetricInfo, Need, Task, Unit

GENERATIVE: tuple[Task, ...] = ("generative",)
#: tabular rows that apply to generative monitors too: volume, drift, missing shares
SHARED_WITH_GENERATIVE = frozenset({"n", "psi", "ks", "wasserstein", "js_distance", "chi2_pvalue",
                                    "missing_share"})

_G = GENERATIVE
_GROUPS: frozenset[Need] = frozenset({"sensitive"})  # the spec's group columns are ``columns.sensitive``


def _rate(name: str, family: Family, label: str, label_ko: str, good: bool | None, oracle: str, *,
          column: str | None = None, chart: str | None = None, short: str = "", short_ko: str = "",
          unit: Unit = "rate") -> MetricInfo:
    return MetricInfo(name, family, "window", _G, label, label_ko, good, oracle, unit=unit, column=column,
                      chart=chart or f"gen-{name}", short=short, short_ko=short_ko)


def _gap(name: str, label: str, label_ko: str, oracle: str, *, unit: Unit = "difference",
         good: bool = False, chart: bool = True, column: str | None = None) -> MetricInfo:
    return MetricInfo(name, "fairness", "attribute", _G, label, label_ko, good, oracle,
                      unit=unit, needs=_GROUPS, chart=f"fair-{name}" if chart else None, column=column)


GENERATIVE_ROWS: list[MetricInfo] = [
    _rate("released", "volume", "outputs that left the service", "서비스 밖으로 나간 생성물 수", None,
          "count of rows with released = 1", unit="rows", column="released", chart="volume"),
    _rate("label_coverage", "transparency", "label coverage", "표시 적용률", True,
          "released outputs carrying every required mark ÷ released outputs", column="label_coverage",
          short_ko="표시 적용률"),
    _rate("notice_coverage", "transparency", "advance-notice coverage", "사전 고지 적용률", True,
          "distinct sessions with notice_shown = 1 ÷ distinct sessions (null session ids left out)",
          column="notice_coverage"),
    _rate("c2pa_verified_share", "transparency", "C2PA manifest verified", "C2PA 매니페스트 검증 비율", True,
          "released outputs with c2pa_verified = 1 ÷ released outputs with a known c2pa_verified"),
    _rate("deepfake_mark_coverage", "transparency", "deepfake mark coverage", "딥페이크 표시 적용률", True,
          "released realistic outputs with mark_visible = 1 ÷ released realistic outputs"),
    _rate("pii_leak_rate", "privacy", "personal-data leakage", "개인정보 노출 비율", False,
          "outputs with any detected personal data ÷ outputs the detectors checked", column="pii_leak"),
    _rate("refusal_rate", "service", "refusal rate", "응답 거부율", None, "mean of refused (0/1)",
          column="refusal"),
    _rate("safety_filter_rate", "service", "safety-filter rate", "안전 필터 작동률", None,
          "mean of safety_triggered (0/1)"),
    _rate("complaint_rate", "service", "complaint rate", "이용자 불만 비율", False, "mean of complaint (0/1)"),
    _rate("objection_rate", "service", "objection rate", "이의 제기 비율", False, "mean of objection (0/1)"),
    _rate("handover_rate", "service", "human hand-over rate", "상담원 연결 비율", None,
          "mean of handed_over (0/1)"),
    _rate("latency_p50", "service", "latency p50", "응답 시간 중앙값(p50)", False,
          "numpy.percentile(latency_ms, 50) (linear)", unit="milliseconds", chart="gen-latency"),
    _rate("latency_p95", "service", "latency p95", "응답 시간 p95", False,
          "numpy.percentile(latency_ms, 95) (linear)", unit="milliseconds", chart="gen-latency",
          column="latency_p95"),
    _rate("latency_p99", "service", "latency p99", "응답 시간 p99", False,
          "numpy.percentile(latency_ms, 99) (linear)", unit="milliseconds", chart="gen-latency"),
    MetricInfo("score_mean", "service", "score", _G, "mean of an app score", "애플리케이션 점수 평균", None,
               "pandas mean of score_<name> per window (nulls left out)", unit="score", chart="gen-score_mean"),
    _gap("refusal_rate_difference", "refusal-rate gap between groups", "집단 간 응답 거부율 격차",
         "max − min of refusal_rate over groups", column="max_gap"),
    _gap("refusal_rate_ratio", "refusal-rate ratio between groups", "집단 간 응답 거부율 비",
         "min ÷ max of refusal_rate over groups", unit="ratio", good=True),
    _gap("complaint_rate_difference", "complaint-rate gap between groups", "집단 간 불만 비율 격차",
         "max − min of complaint_rate over groups"),
    _gap("handover_rate_difference", "hand-over-rate gap between groups", "집단 간 상담원 연결 비율 격차",
         "max − min of handover_rate over groups"),
    _gap("latency_p95_difference", "latency p95 gap between groups", "집단 간 응답 시간 p95 격차",
         "max − min of latency_p95 over groups", unit="milliseconds"),
    # one value per app score and group column: a threshold's scope names scores, as score_mean's
    MetricInfo("score_mean_difference", "fairness", "score", _G, "app-score gap between groups",
               "집단 간 애플리케이션 점수 평균 격차", False,
               "max − min over groups of pandas groupby(group).mean() of score_<name> (nulls left out)",
               unit="difference", needs=_GROUPS, chart="fair-score_mean_difference"),
]
