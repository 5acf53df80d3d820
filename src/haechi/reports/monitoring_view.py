"""Turn stored monitoring windows into what a document shows: charts, latest values, groups.

Numbers are copied from the monitor's window results (spec/monitoring.md output); this
module only selects and arranges them, and draws the SVG charts.
"""

from __future__ import annotations

from typing import Any

from haechi.monitor.metrics.catalog import for_task

from .charts import Series, bar_chart, line_chart

#: a generative system's window shares (marks, notice, personal data, refusals …) take the
#: place of the performance chart
GENERATIVE_FAMILIES = ("transparency", "privacy", "service")


def performance_metrics(task: str | None) -> list[str]:
    """The metric catalogue's performance metrics of ``task``: one chart, one line each (for a
    generative system its shares per window; latencies are not shares and stay in the table)."""
    if task == "generative":
        return [m.name for m in for_task(task) if m.family in GENERATIVE_FAMILIES and m.unit == "rate"]
    return [m.name for m in for_task(task) if m.family == "performance"]


def fairness_gaps(task: str | None) -> list[str]:
    """The catalogue's fairness gaps of ``task`` (per attribute, lower is better): a chart per
    attribute (a latency gap in milliseconds would flatten the rate gaps beside it)."""
    return [m.name for m in for_task(task) if m.family == "fairness" and m.scope == "attribute"
            and m.higher_is_better is False and m.unit != "milliseconds"]


#: per task: the group columns of the group table and the rate the bar chart shows
GROUP_COLUMNS = {"generative": ("refusal_rate", ["refusal_rate", "complaint_rate", "handover_rate", "latency_p95"],
                                ["refusal_rate_difference", "refusal_rate_ratio", "complaint_rate_difference"])}
TABULAR_GROUPS = ("selection_rate", ["selection_rate", "tpr", "fpr"],
                  ["demographic_parity_difference", "equalized_odds_difference"])

MAX_DRIFT_FEATURES = 4
#: Chart titles, from the catalogues (``document_charts.*``); ``{attr}`` is filled per chart.
TITLE_KEYS = ("performance", "fairness", "drift", "groups", "generative", "generative_groups")


def _titles(lang: str) -> dict[str, str]:
    from haechi.web.i18n import Translator

    t = Translator(lang)
    return {key: t(f"document_charts.{key}") for key in TITLE_KEYS}


def monitoring_view(section: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """One entry per monitor with charts, the latest window and its group table."""
    if not section.get("available"):
        return []
    titles = _titles(lang)
    return [_monitor(m, titles, lang) for m in section.get("monitors", [])]


def _label(window: dict[str, Any]) -> str:
    # chart axes stay short ISO dates in both languages: many ticks side by side, read as a scale
    return str(window.get("start", ""))[:10]


def _metric(name: str, lang: str) -> str:
    """A metric's short name in ``lang`` for a legend (the name itself when the catalogue lacks it)."""
    from haechi.monitor.metrics.catalog import METRICS, short_label

    return short_label(name, lang) if name in METRICS else name


def _limit(name: str, bound: str, lang: str) -> str:
    from haechi.compliance.messages import threshold

    return f"{_metric(name, lang)} {threshold({bound: ''}, lang).strip()}"


def _monitor(monitor: dict[str, Any], titles: dict[str, str], lang: str = "en") -> dict[str, Any]:
    windows = [w for w in monitor.get("windows", []) if isinstance(w, dict)]
    labels = [_label(w) for w in windows]
    thresholds = monitor.get("thresholds", {}) or {}
    latest = windows[-1] if windows else {}
    task = (monitor.get("spec") or {}).get("task", "binary_classification")
    charts = []
    perf = [m for m in performance_metrics(task)
            if any((w.get("performance") or {}).get(m) is not None for w in windows)]
    if perf:
        series = [Series(_metric(m, lang), [(w.get("performance") or {}).get(m) for w in windows]) for m in perf]
        limits = {_limit(m, "min", lang): thresholds[m]["min"] for m in perf if isinstance(thresholds.get(m), dict)
                  and "min" in thresholds[m]}
        title = titles["generative"] if task == "generative" else titles["performance"]
        charts.append(line_chart(title, labels, series, limits))
    gaps = fairness_gaps(task)
    for attr in _attributes(windows):
        series = [Series(_metric(m, lang), [((w.get("fairness") or {}).get(attr) or {}).get(m) for w in windows])
                  for m in gaps]
        limits = {_limit(m, "max", lang): thresholds[m]["max"] for m in gaps if isinstance(thresholds.get(m), dict)
                  and "max" in thresholds[m]}
        charts.append(line_chart(titles["fairness"].format(attr=attr), labels, series, limits))
    drift = _drift_features(windows)
    if drift:
        series = [Series(f, [((w.get("drift") or {}).get(f) or {}).get("psi") for w in windows], code=True)
                  for f in drift]
        limits = {_limit("psi", "max", lang): thresholds["psi"]["max"]} if isinstance(thresholds.get("psi"), dict) \
            and "max" in thresholds["psi"] else {}
        charts.append(line_chart(titles["drift"], labels, series, limits))
    rate, _, _ = GROUP_COLUMNS.get(task, TABULAR_GROUPS)
    groups = _groups(latest, task)
    title = titles["generative_groups"] if task == "generative" else titles["groups"]
    group_charts = [bar_chart(title.format(attr=g["attribute"]), [(r["group"], r.get(rate)) for r in g["rows"]],
                              code_labels=True) for g in groups]
    return {"name": monitor.get("name"), "windows": len(windows), "first": labels[0] if labels else None,
            "last": labels[-1] if labels else None, "last_run_at": monitor.get("last_run_at"),
            "latest": latest, "thresholds": thresholds, "charts": charts, "groups": groups,
            "group_charts": group_charts, "task": (monitor.get("spec") or {}).get("task")}


def _attributes(windows: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for w in windows:
        for attr in (w.get("fairness") or {}):
            if attr not in found:
                found.append(attr)
    return found


def _drift_features(windows: list[dict[str, Any]]) -> list[str]:
    """The features with the largest PSI seen, so the chart shows what moved most."""
    worst: dict[str, float] = {}
    for w in windows:
        for feature, values in (w.get("drift") or {}).items():
            psi = (values or {}).get("psi")
            if isinstance(psi, int | float):
                worst[feature] = max(worst.get(feature, 0.0), float(psi))
    return sorted(worst, key=lambda f: -worst[f])[:MAX_DRIFT_FEATURES]


def _groups(window: dict[str, Any], task: str = "binary_classification") -> list[dict[str, Any]]:
    """Per attribute: its groups' rows, the columns the table shows and the attribute's gaps."""
    _, columns, gaps = GROUP_COLUMNS.get(task, TABULAR_GROUPS)
    out = []
    for attr, data in (window.get("fairness") or {}).items():
        rows = [{"group": g, **(v or {})} for g, v in sorted((data.get("groups") or {}).items())]
        out.append({"attribute": attr, "rows": rows, "columns": columns,
                    "gaps": {gap: data.get(gap) for gap in gaps},
                    "demographic_parity_difference": data.get("demographic_parity_difference"),
                    "demographic_parity_ratio": data.get("demographic_parity_ratio"),
                    "equalized_odds_difference": data.get("equalized_odds_difference")})
    return out
