"""Thresholds → alerts (pure), and the alert record every channel delivers.

A threshold applies to every place its metric appears in a window result — each
feature for drift, each sensitive attribute for disparities, each group for group
rates, each column for missing share — unless ``scope`` names some of them. Group
rates of groups under ``min_group_size`` do not alert (too few rows to mean anything;
they stay visible, flagged, in the result).
"""

from __future__ import annotations

from typing import Any

from .metrics.catalog import METRICS, places
from .spec import MonitorSpec, Threshold


def evaluate(spec: MonitorSpec, windows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every threshold breach in ``windows``, in window order."""
    alerts = []
    for window in windows:
        for metric, threshold in spec.thresholds.items():
            for value, scope, group, n in places(window, metric):
                if threshold.scope and scope not in threshold.scope:
                    continue
                if value is not None and threshold.breached(value):
                    alerts.append(_alert(spec, window, metric, scope, group, value, n, threshold))
    return alerts


def _alert(spec: MonitorSpec, window: dict[str, Any], metric: str, scope: str | None, group: str | None,
           value: float, n: int | None, threshold: Threshold) -> dict[str, Any]:
    return {"system": spec.system, "monitor": spec.name, "window_start": window["start"],
            "window_end": window["end"], "metric": metric, "family": METRICS[metric].family,
            "scope": scope, "group": group, "value": value, "threshold": threshold.bounds(), "n": n}


def alert_key(alert: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    """What makes an alert the same alert on a rerun."""
    return (alert["system"], alert["monitor"], alert["window_start"], alert["metric"],
            alert.get("scope") or "", alert.get("group") or "")


_BOUND_KO = {"max": "최대", "min": "최소"}


def describe(alert: dict[str, Any], lang: str = "en") -> str:
    """One line for e-mail subjects, logs and the CLI."""
    where = "/".join(p for p in (alert.get("scope"), alert.get("group")) if p)
    bound = ", ".join(f"{_BOUND_KO.get(k, k) if lang == 'ko' else k} {v:g}" for k, v in alert["threshold"].items())
    info = METRICS[alert["metric"]]
    name = info.label_ko if lang == "ko" else info.label
    text = f"{alert['system']}: {name}{' [' + where + ']' if where else ''} = {alert['value']:.4g} ({bound})"
    window = alert["window_start"][:16].replace("T", " ")
    return f"{text}, 창 {window}" if lang == "ko" else f"{text}, window {window}"
