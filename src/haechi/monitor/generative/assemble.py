"""A generative window result: the shared blocks (volume, drift, missing shares) of the
tabular assembly, with the generative metrics in ``performance`` and the group rates
and their gaps in ``fairness`` (one block per group column), and the mean of each app
score in ``scores`` (one block per score name)."""

from __future__ import annotations

from typing import Any

from ..aggregate import Layout, WindowStats
from ..assemble import _drift, _missing
from ..metrics.generative import generative_metrics, group_breakdown, score_means
from ..windows import Window
from .engine import GenCounts, GenResult


def generative_window(window: Window, stats: WindowStats, reference: WindowStats, layout: Layout, *,
                      drift: dict[str, dict[int, dict[str, Any]]], counts: GenResult | None,
                      min_group_size: int) -> dict[str, Any]:
    """One window of a generative monitor; a window without rows has ``n: 0`` and null metrics."""
    index = window.index
    own = (counts.windows.get(index) if counts else None) or GenCounts()
    out: dict[str, Any] = {**window.to_dict(), "n": stats.n, "released": own.released,
                           "performance": generative_metrics(own)}
    if layout.sensitive:
        out["fairness"] = {name: group_breakdown({g: by_window[index] for g, by_window in
                                                   ((counts.groups.get(name) or {}) if counts else {}).items()
                                                   if index in by_window}, min_group_size)
                           for _, name in layout.sensitive}
    if layout.numeric or layout.categorical:
        out["drift"] = _drift(index, stats, reference, layout, drift)
    out["data_quality"] = {"missing_share": _missing(stats, layout)}
    out["sessions"] = {"n": own.sessions, "noticed": own.noticed_sessions}
    if own.scores:
        out["scores"] = score_means(own)
    return out
