"""Monitoring pages: a Monitoring tab per system (the organisation's page and problems are in
``monitor_problems.py``, the monitor set-up form in ``monitor_setup.py``).

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
from haechi.monitor.compare import side_by_side, side_by_side_metrics
from haechi.monitor.metrics.catalog import METRICS, for_task, places
from haechi.monitor.metrics.catalog import charts as catalogue_charts

from ..i18n import Translator
from ..views import check_csrf, local_path, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()


def _label(metric: str, lang: str) -> str:
    info = METRICS.get(metric)
    return (info.label_ko if lang == "ko" else info.label) if info else metric


def _chart(chart_id: str, metric: str, labels: list[str], series: dict[str, list[Any]],
           thresholds: dict[str, Any], lang: str) -> dict[str, Any]:
    bound = Translator(lang)
    lines = [{"label": f"{bound('monitor.bounds.' + k)} {v:g}", "value": v}
             for k, v in thresholds.items() if k in ("min", "max") and v is not None]
    info = METRICS[metric]
    # "label" is what the legend shows: a metric's name in the page language; attribute and
    # feature names (not metrics) stay as they are.
    return {"id": chart_id, "title": _label(metric, lang), "type": "line", "labels": labels,
            "family": info.family, "unit": info.unit, "higher_is_better": info.higher_is_better,
            "series": [{"name": name, "label": _label(name, lang), "data": data} for name, data in series.items()],
            "thresholds": lines}


def _bounds(spec: dict[str, Any], metric: str) -> dict[str, Any]:
    return dict((spec.get("thresholds") or {}).get(metric) or {})


def _key(where: str | None, group: str | None, metric: str) -> str | None:
    """A chart series' name: the place, and for a score's gap also the group column it is
    measured over (one score has a gap per group column)."""
    return f"{where} · {group}" if group and METRICS[metric].scope == "score" else where


def _value(window: dict[str, Any], metric: str, place: str | None) -> Any:
    return next((v for v, where, group, _ in places(window, metric) if _key(where, group, metric) == place), None)


def _series(windows: list[dict[str, Any]], metrics: list[str]) -> dict[str, list[Any]] | None:
    """A chart's series by its metrics' scope, or None when there is nothing to draw."""
    scope = METRICS[metrics[0]].scope
    if scope == "window":  # always drawn, one series per metric
        return {m: [_value(w, m, None) for w in windows] for m in metrics}
    metric, latest = metrics[0], (windows[-1] if windows else {})
    # the places of the latest window: attributes, features that have the metric, columns
    names = [key for _, where, group, _ in places(latest, metric) if (key := _key(where, group, metric)) is not None]
    series = {p: [_value(w, metric, p) for w in windows] for p in names}
    if scope == "attribute" and not any(v is not None for values in series.values() for v in values):
        return None
    if scope in ("feature", "score") and not series:
        return None
    return series


def _never(series: dict[str, list[Any]]) -> bool:
    """No value in any window: the system does not log what the chart shows."""
    return all(v is None for values in series.values() for v in values)


def build_charts(spec: dict[str, Any], windows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every chart of a monitor, as the metric catalogue lays them out (``chart`` ids)."""
    labels = [w["start"][:10] if spec.get("window", "1d").endswith(("d", "w")) else w["start"][:16] for w in windows]
    charts = []
    task = spec.get("task", "binary_classification")
    for chart_id, metrics in catalogue_charts(task).items():
        series = _series(windows, metrics)
        if series is not None and task == "generative" and _never(series):
            continue  # e.g. C2PA and deepfake shares of a chatbot: its outputs are text, never media
        if series is not None:
            charts.append(_chart(chart_id, metrics[0], labels, series, _bounds(spec, metrics[0]), lang))
    return charts


def table_metrics(task: str) -> dict[str, list[str]]:
    """The catalogue's metrics of the latest-window tables: per group (group rates and the
    performance metrics a group breakdown carries), per class, per attribute and per feature."""
    rows = for_task(task)
    # (a group breakdown carries window metrics per group: performance, or a generative
    # system's refusal, complaint and hand-over rates and latency; the page shows those present)
    carried = [m.name for m in rows if m.scope == "window" and m.family in ("performance", "service")]
    return {"group": [m.name for m in rows if m.scope == "group" or m.name in carried],
            "class": [m.name for m in rows if m.scope == "class"],
            "attribute": [m.name for m in rows if m.scope == "attribute"],
            "feature": [m.name for m in rows if m.scope == "feature"]}


#: windows shown in the model-version comparison (the most recent that ran several versions)
VERSION_WINDOWS = 14


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
                 "problems": hc.monitor.problems.list(actor, system=system_id, status="active", limit=50)["items"],
                 "quarantined": hc.lake.quarantined(actor, system_id)})
    if chosen:
        results = hc.monitor.results(actor, system_id, chosen["name"])
        task = chosen["spec"].get("task", "binary_classification")
        data.update({"charts": build_charts(chosen["spec"], results["windows"], lang),
                     # milliseconds to one decimal; rates, scores and distances to four
                     "digits": {m.name: 1 for m in METRICS.values() if m.unit == "milliseconds"},
                     "table_metrics": table_metrics(task),
                     "latest": _latest_with_rows(results["windows"]), "thresholds": results["thresholds"],
                     "versions": side_by_side(results["windows"], task, last=VERSION_WINDOWS),
                     "version_metrics": side_by_side_metrics(task),
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
def update_alert(request: Request, alert_id: RowId, status: str = Form(...), note: str = Form(""),
                 back: str = Form("/monitoring"), csrf_token: str = Form(""),
                 actor: Actor = Depends(page_actor)) -> Response:
    """Acknowledge or resolve one window's alert with a note (problems are worked on their own page)."""
    check_csrf(request, csrf_token)
    get_hc(request).monitor.set_alert_status(actor, alert_id, status, note)
    return redirect(local_path(back, "/monitoring"))
