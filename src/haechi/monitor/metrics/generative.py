"""Formulas of the generative-AI metrics (pure: counts in, numbers out).

Every share is ``yes ÷ known`` and null when nothing is known (0/0), never 0: a window
without released outputs has no label coverage, not a coverage of zero. Group gaps
follow the tabular disparity metrics (``fairness.py``): max − min (and min ÷ max) over
the groups present in the window that have a value; small groups are flagged and still
count, as in Fairlearn.
"""

from __future__ import annotations

from typing import Any

from ..generative.engine import PERCENTILES, RATE_FLAGS, GenCounts


def share(yes: int, known: int) -> float | None:
    return yes / known if known else None


def generative_metrics(c: GenCounts) -> dict[str, Any]:
    """The window-scope metrics of one window (or one group) from its counts."""
    out: dict[str, Any] = {
        "label_coverage": share(c.released_marked, c.released) if c.released_marked is not None else None,
        "notice_coverage": share(c.noticed_sessions, c.sessions),
        "c2pa_verified_share": share(c.c2pa_verified, c.c2pa_known),
        "deepfake_mark_coverage": share(c.realistic_marked, c.realistic),
        "pii_leak_rate": share(c.pii_found, c.pii_checked),
    }
    for metric, flag in RATE_FLAGS.items():
        known, yes = c.flags.get(flag, (0, 0))
        out[metric] = share(yes, known)
    for p, value in zip(PERCENTILES, c.latency, strict=True):
        out[f"latency_p{p}"] = None if value is None else float(value)
    return out


def score_means(c: GenCounts) -> dict[str, dict[str, Any]]:
    """Each app score's mean over the window's rows that carry it (null when none does)."""
    return {name: {"n": known, "score_mean": None if mean is None or not known else float(mean)}
            for name, (known, mean) in sorted(c.scores.items())}


#: the per-group values a group breakdown shows, and the gap metrics made from them
GROUP_METRICS = ("refusal_rate", "complaint_rate", "handover_rate", "latency_p95")
GAPS = {"refusal_rate_difference": "refusal_rate", "complaint_rate_difference": "complaint_rate",
        "handover_rate_difference": "handover_rate", "latency_p95_difference": "latency_p95"}


def group_breakdown(groups: dict[str, GenCounts], min_group_size: int) -> dict[str, Any]:
    """Per-group rates of one group column in one window, with the gaps between groups."""
    out_groups: dict[str, dict[str, Any]] = {}
    for name in sorted(groups):
        counts = groups[name]
        values = generative_metrics(counts)
        out_groups[name] = {"n": counts.n, **{m: values[m] for m in GROUP_METRICS},
                            "small": counts.n < min_group_size}
        if counts.scores:
            out_groups[name]["scores"] = score_means(counts)
    out: dict[str, Any] = {"groups": out_groups}
    for gap, metric in GAPS.items():
        present = [g[metric] for g in out_groups.values() if g[metric] is not None]
        out[gap] = max(present) - min(present) if present else None
    refusals = [g["refusal_rate"] for g in out_groups.values() if g["refusal_rate"] is not None]
    out["refusal_rate_ratio"] = min(refusals) / max(refusals) if refusals and max(refusals) > 0 else None
    out["score_mean_difference"] = score_gaps(out_groups)
    out["small_groups"] = [name for name, g in out_groups.items() if g["small"]]
    return out


def score_gaps(groups: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Per app score, max − min of its mean over the groups that have one (a group without
    a scored row has no mean and stays out; no group with one gives null)."""
    names = sorted({score for g in groups.values() for score in g.get("scores") or {}})
    out: dict[str, float | None] = {}
    for score in names:
        means = [m for g in groups.values()
                 if (m := ((g.get("scores") or {}).get(score) or {}).get("score_mean")) is not None]
        out[score] = max(means) - min(means) if means else None
    return out
