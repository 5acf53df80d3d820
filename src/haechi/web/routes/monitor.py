"""Monitoring pages: the organisation's monitors and alerts, and a Monitoring tab per system.

The tab shows, for one monitor, a time series per metric with its threshold, the
fairness disparities and the latest group breakdown, drift per feature, missing shares,
and the system's alerts. Every chart's series live in the page's ``data`` dict — the
JSON twin at ``?format=json`` — and are embedded in the page for Chart.js.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from haechi.api.deps import RowId, get_hc
from haechi.auth.roles import Actor, Permission
from haechi.monitor.metrics.catalog import METRICS

from ..i18n import Translator
from ..views import check_csrf, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()
PERFORMANCE = {"binary_classification": ["accuracy", "precision", "recall", "f1", "roc_auc"],
               "regression": ["mae", "rmse", "r2"]}


def _label(metric: str, lang: str) -> str:
    info = METRICS.get(metric)
    return (info.label_ko if lang == "ko" else info.label) if info else metric


def _chart(chart_id: str, title: str, labels: list[str], series: dict[str, list[Any]],
           thresholds: dict[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    bound = Translator(lang)
    lines = [{"label": f"{bound('monitor.bounds.' + k)} {v:g}", "value": v}
             for k, v in (thresholds or {}).items() if k in ("min", "max")]
    # "label" is what the legend shows: a metric's name in the page language; attribute and
    # feature names (not metrics) stay as they are.
    return {"id": chart_id, "title": title, "type": "line", "labels": labels,
            "series": [{"name": name, "label": _label(name, lang), "data": data} for name, data in series.items()],
            "thresholds": lines}


def _bounds(spec: dict[str, Any], metric: str) -> dict[str, Any]:
    return dict((spec.get("thresholds") or {}).get(metric) or {})


def build_charts(spec: dict[str, Any], windows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every chart of a monitor: performance, fairness, drift and missing share over time."""
    labels = [w["start"][:10] if spec.get("window", "1d").endswith(("d", "w")) else w["start"][:16] for w in windows]
    charts = [_chart(f"perf-{m}", _label(m, lang), labels, {m: [w["performance"].get(m) for w in windows]},
                     _bounds(spec, m), lang) for m in PERFORMANCE.get(spec.get("task", "binary_classification"), [])]
    charts.append(_chart("volume", _label("n", lang), labels, {"n": [w["n"] for w in windows],
                                                              "n_labeled": [w["n_labeled"] for w in windows]},
                         lang=lang))
    attrs = list((windows[-1].get("fairness") or {}) if windows else [])
    disparity = ("demographic_parity_difference", "equalized_odds_difference", "demographic_parity_ratio",
                 "mae_difference")
    for metric in disparity:
        series = {a: [(w.get("fairness") or {}).get(a, {}).get(metric) for w in windows] for a in attrs}
        if any(v is not None for values in series.values() for v in values):
            charts.append(_chart(f"fair-{metric}", _label(metric, lang), labels, series, _bounds(spec, metric), lang))
    features = list((windows[-1].get("drift") or {}) if windows else [])
    for metric in ("psi", "ks", "wasserstein", "js_distance", "chi2_pvalue"):
        series = {f: [(w.get("drift") or {}).get(f, {}).get(metric) for w in windows] for f in features
                  if metric in ((windows[-1].get("drift") or {}).get(f) or {})}
        if series:
            charts.append(_chart(f"drift-{metric}", _label(metric, lang), labels, series, _bounds(spec, metric), lang))
    columns = list(windows[-1]["data_quality"]["missing_share"]) if windows else []
    charts.append(_chart("missing", _label("missing_share", lang), labels,
                         {c: [w["data_quality"]["missing_share"].get(c) for w in windows] for c in columns},
                         _bounds(spec, "missing_share"), lang))
    return charts


def _latest_with_rows(windows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((w for w in reversed(windows) if w["n"]), None)


@router.get("/systems/{system_id}/monitoring")
def system_monitoring(request: Request, system_id: str, monitor: str | None = None,
                      actor: Actor = Depends(page_actor)) -> Response:
    """The Monitoring tab of a system."""
    hc = get_hc(request)
    lang = translator(request).lang
    data = system_header(request, actor, system_id)
    monitors = hc.monitor.list(actor, system_id)
    chosen = next((m for m in monitors if m["name"] == monitor), monitors[0] if monitors else None)
    data.update({"monitors": [{"name": m["name"], "last_run_at": m["last_run_at"], "last_status": m["last_status"],
                               "last_error": m["last_error"], "schedule": m["schedule"]} for m in monitors],
                 "monitor": chosen["name"] if chosen else None, "charts": [], "latest": None, "thresholds": {},
                 "alerts": hc.monitor.alerts(actor, system=system_id, limit=50)["items"],
                 "quarantined": hc.lake.quarantined(actor, system_id)})
    if chosen:
        results = hc.monitor.results(actor, system_id, chosen["name"])
        data.update({"charts": build_charts(chosen["spec"], results["windows"], lang),
                     "latest": _latest_with_rows(results["windows"]), "thresholds": results["thresholds"],
                     "task": chosen["spec"].get("task"), "windows": len(results["windows"])})
    return render(request, "monitor/system.html", data, title=translator(request)("monitor.title"))


@router.post("/systems/{system_id}/monitoring/run")
def run_monitor(request: Request, system_id: str, monitor: str = Form("default"), csrf_token: str = Form(""),
                actor: Actor = Depends(page_actor)) -> Response:
    """Run a monitor now and come back to the tab."""
    check_csrf(request, csrf_token)
    actor.require(Permission.WRITE)
    get_hc(request).monitor.run(actor, system_id, name=monitor)
    return redirect(f"/systems/{system_id}/monitoring?monitor={monitor}")


@router.post("/monitoring/alerts/{alert_id}")
def update_alert(request: Request, alert_id: RowId, status: str = Form(...), back: str = Form("/monitoring"),
                 csrf_token: str = Form(""), actor: Actor = Depends(page_actor)) -> Response:
    """Acknowledge or resolve an alert from a page."""
    check_csrf(request, csrf_token)
    get_hc(request).monitor.set_alert_status(actor, alert_id, status)
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/monitoring")


@router.get("/monitoring")
def monitoring_overview(request: Request, status: str = "open", actor: Actor = Depends(page_actor)) -> Response:
    """Every monitor of the organisation and its alerts."""
    hc = get_hc(request)
    monitors = hc.monitor.list(actor)
    alerts = hc.monitor.alerts(actor, status=status or None, limit=200)
    counts: dict[str, int] = {}
    for alert in hc.monitor.alerts(actor, status="open", limit=10_000)["items"]:
        counts[alert["system"]] = counts.get(alert["system"], 0) + 1
    data = {"status": status, "alerts": alerts["items"], "total": alerts["total"],
            "monitors": [{"system": m["system"], "name": m["name"], "schedule": m["schedule"],
                          "last_run_at": m["last_run_at"], "last_status": m["last_status"],
                          "open_alerts": counts.get(m["system"], 0)} for m in monitors]}
    return render(request, "monitor/overview.html", data, title=translator(request)("monitor.title"))
