"""A generated log of a generative AI system with awkward cases, and the oracle: every
generative metric recomputed from the raw rows with pandas and NumPy (shared by the
generative metric tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
REF_DAYS = 4
EMPTY_DAY = 7           # no rows at all
NO_RELEASE_DAY = 8      # nothing left the service: label coverage is null
FLAGS = ("released", "mark_visible", "mark_c2pa", "mark_text", "notice_shown", "refused", "safety_triggered",
         "handed_over", "complaint", "objection", "c2pa_verified", "realistic")

SPEC_YAML = """
system: gen-system
log: {log}
task: generative
columns:
  timestamp: ts
  sensitive: [language, channel]
  numeric: [output_length, latency_ms, score_toxicity]
  categorical: [language]
generative:
  modality: {modality}
{extra}reference: {{start: 2026-03-01, end: 2026-03-05}}
window: 1d
min_group_size: 20
"""


def make_generative_log(n: int = 3000, days: int = 10, seed: int = 5) -> pd.DataFrame:
    """Events with nulls in every flag, ties in latency, a small group, sessions across
    windows, an empty day and a day without released outputs."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, days, n)
    day = np.where(day == EMPTY_DAY, EMPTY_DAY + 1, day)
    seconds = rng.integers(0, 86400, n)
    ts = [START + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, seconds, strict=True)]
    language = rng.choice(["ko", "en", "ja"], n, p=[0.6, 0.37, 0.03]).astype(object)
    language[rng.random(n) < 0.02] = None
    channel = rng.choice(["web", "app"], n).astype(object)
    english = language == "en"
    frame = pd.DataFrame({
        "ts": ts, "language": language, "channel": channel,
        "session_id": [f"s{v}" if v >= 0 else None for v in rng.integers(-20, 900, n)],
        "output_length": rng.gamma(2.0, 80.0, n).round(0),
        "latency_ms": rng.integers(200, 4000, n).astype(float),   # integers: ties
        "score_toxicity": rng.beta(1, 30, n),
    })
    p = {"released": 0.9, "mark_visible": 0.5, "mark_c2pa": 0.9, "mark_text": 0.85, "notice_shown": 0.8,
         "safety_triggered": 0.03, "handed_over": 0.05, "complaint": 0.02, "objection": 0.01,
         "c2pa_verified": 0.8, "realistic": 0.3}
    for flag, share in p.items():
        values = (rng.random(n) < share).astype(float)
        values[rng.random(n) < 0.03] = np.nan
        frame[flag] = values
    frame["refused"] = (rng.random(n) < np.where(english, 0.15, 0.04)).astype(float)   # a disparity
    frame.loc[day == NO_RELEASE_DAY, "released"] = 0.0
    for kind in ("rrn", "phone", "email", "card", "passport"):
        frame[f"pii_{kind}"] = (rng.random(n) < 0.01).astype(float)
    frame.loc[rng.random(n) < 0.05, ["pii_rrn", "pii_phone", "pii_email", "pii_card", "pii_passport"]] = np.nan
    frame.loc[rng.random(n) < 0.02, "latency_ms"] = np.nan
    grounded = rng.beta(8, 2, n)
    grounded[rng.random(n) < 0.1] = np.nan          # an app that scores only some outputs
    frame["score_groundedness"] = grounded
    return frame


def write_generative(frame: pd.DataFrame, tmp: Path, modality: str = "text", extra: str = "",
                     name: str = "log.parquet") -> Path:
    log = tmp / name
    if name.endswith(".csv"):
        frame.to_csv(log, index=False)
    else:
        frame.to_parquet(log)
    spec = tmp / "monitor.yaml"
    spec.write_text(SPEC_YAML.format(log=log.name, modality=modality, extra=extra))
    return spec


def window_rows(frame: pd.DataFrame, start: dt.datetime) -> pd.DataFrame:
    return frame[(frame.ts >= start) & (frame.ts < start + dt.timedelta(days=1))]


def _share(yes: pd.Series, known: pd.Series) -> float | None:
    k = int(known.sum())
    return float(yes.sum()) / k if k else None


def _rate(rows: pd.DataFrame, flag: str) -> float | None:
    known = rows[flag].notna()
    return _share(rows[flag].fillna(0) != 0, known) if known.any() else None


def oracle_window(rows: pd.DataFrame, marks: list[str]) -> dict[str, Any]:
    """Every generative window metric from the raw rows."""
    released = rows.released.fillna(0) != 0
    def yes(column: str) -> pd.Series:
        return rows[column].fillna(0) != 0
    marked = released.copy()
    for mark in marks:
        marked &= yes(f"mark_{mark}")
    sessions = rows.session_id.dropna()
    noticed = rows[yes("notice_shown")].session_id.dropna()
    pii = rows[[c for c in rows if c.startswith("pii_")]]
    checked = pii.notna().any(axis=1)
    found = (pii.fillna(0) > 0).any(axis=1)
    latency = rows.latency_ms.dropna().to_numpy()
    out: dict[str, Any] = {
        "label_coverage": (_share(marked, released) if marks else None),
        "notice_coverage": len(set(noticed)) / len(set(sessions)) if len(sessions) else None,
        "c2pa_verified_share": _share(released & yes("c2pa_verified"), released & rows.c2pa_verified.notna()),
        "deepfake_mark_coverage": _share(released & yes("realistic") & yes("mark_visible"),
                                         released & yes("realistic")),
        "pii_leak_rate": _share(found & checked, checked),
        "refusal_rate": _rate(rows, "refused"), "safety_filter_rate": _rate(rows, "safety_triggered"),
        "complaint_rate": _rate(rows, "complaint"), "objection_rate": _rate(rows, "objection"),
        "handover_rate": _rate(rows, "handed_over"),
    }
    for p in (50, 95, 99):
        out[f"latency_p{p}"] = float(np.percentile(latency, p, method="linear")) if len(latency) else None
    return out


def oracle_scores(rows: pd.DataFrame, columns: dict[str, str]) -> dict[str, Any]:
    """Each app score's mean over the rows that carry it (pandas skips nulls)."""
    return {name: {"n": int(rows[c].notna().sum()),
                   "score_mean": float(rows[c].mean()) if rows[c].notna().any() else None}
            for name, c in columns.items()}


def oracle_groups(rows: pd.DataFrame, column: str) -> dict[str, Any]:
    groups = {str(g): oracle_window(part, []) | {"n": len(part)} for g, part in rows.groupby(column) if len(part)}
    out: dict[str, Any] = {"groups": groups}
    for gap, metric in (("refusal_rate_difference", "refusal_rate"), ("complaint_rate_difference", "complaint_rate"),
                        ("handover_rate_difference", "handover_rate"), ("latency_p95_difference", "latency_p95")):
        values = [g[metric] for g in groups.values() if g[metric] is not None]
        out[gap] = max(values) - min(values) if values else None
    refusals = [g["refusal_rate"] for g in groups.values() if g["refusal_rate"] is not None]
    out["refusal_rate_ratio"] = min(refusals) / max(refusals) if refusals and max(refusals) > 0 else None
    return out


def oracle_score_groups(rows: pd.DataFrame, column: str, columns: dict[str, str]) -> dict[str, Any]:
    """Per group, each app score's count and mean (pandas groupby; a group without a scored
    row has a null mean), and per score the max − min of the group means that exist."""
    grouped = rows.groupby(column)
    groups = {str(g): {name: {"n": int(grouped[c].count()[g]),
                              "score_mean": None if pd.isna(grouped[c].mean()[g]) else float(grouped[c].mean()[g])}
                       for name, c in columns.items()} for g in grouped.groups}
    gaps = {}
    for name in columns:
        means = [g[name]["score_mean"] for g in groups.values() if g[name]["score_mean"] is not None]
        gaps[name] = max(means) - min(means) if means else None
    return {"groups": groups, "score_mean_difference": gaps}
