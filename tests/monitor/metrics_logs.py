"""Generated prediction logs with every awkward case, and oracle metrics computed from
the raw rows with scikit-learn, Fairlearn and SciPy (shared by the metric tests)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics as skm
from sklearn.utils.multiclass import unique_labels

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REF_DAYS = 5
GAP_DAY = 9          # no rows at all
SINGLE_CLASS_DAY = 11  # every label is 0
NO_OLD_DAY = 12      # age band "60+" absent, only unseen categories in c0

SPEC_YAML = """
system: test-system
log: {log}
columns:
  event_id: event_id
  timestamp: ts
  prediction: y_pred
  label: y_true
  score: score
  sensitive: [sex, age]
  numeric: [f0, f1, f2]
  categorical: [c0, c1]
task: {task}
reference: {{start: 2026-01-01, end: 2026-01-06}}
window: 1d
min_group_size: 30
"""


def make_log(n: int = 6000, days: int = 16, seed: int = 3, task: str = "binary_classification") -> pd.DataFrame:
    """A log with nulls, ties, small and empty groups, single-class and empty windows."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, days, n)
    day = np.where(day == GAP_DAY, GAP_DAY + 1, day)
    seconds = rng.integers(0, 86400, n)
    ts = [START + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, seconds, strict=True)]
    drift = day >= 8
    f0 = rng.normal(np.where(drift, 0.6, 0.0), 1.0)
    f0[rng.random(n) < 0.03] = np.nan
    f1 = rng.integers(0, 6, n).astype(float) + np.where(drift, 1, 0)     # heavy ties
    f2 = np.round(rng.gamma(2.0, 3.0, n), 1)
    sex = rng.choice(["F", "M", "X"], n, p=[0.48, 0.49, 0.03]).astype(object)
    sex[rng.random(n) < 0.02] = None
    age = rng.choice(["young", "mid", "old"], n, p=[0.4, 0.4, 0.2]).astype(object)
    age[(day == NO_OLD_DAY) & (age == "old")] = "mid"
    c0 = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
    c0[drift & (rng.random(n) < 0.1)] = "new"
    c0[day == NO_OLD_DAY] = "zz"
    c0[rng.random(n) < 0.05] = None
    c1 = rng.choice(["web", "app"], n).astype(object)
    logit = 0.8 * np.nan_to_num(f0) + 0.3 * f1 - 1.0
    score = np.round(1 / (1 + np.exp(-logit - rng.normal(0, 1, n))), 2)   # ties
    truth = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    truth[day == SINGLE_CLASS_DAY] = 0.0
    label = np.where(rng.random(n) < 0.25, np.nan, truth)
    pred = (score > 0.5).astype(float)
    pred[rng.random(n) < 0.02] = np.nan
    score_col = np.where(rng.random(n) < 0.02, np.nan, score)
    if task == "regression":
        label = np.where(rng.random(n) < 0.2, np.nan, 3.0 * np.nan_to_num(f0) + f1 + rng.normal(0, 1, n))
        pred = 2.5 * np.nan_to_num(f0) + f1 + rng.normal(0, 1.5, n)
        pred[rng.random(n) < 0.02] = np.nan
    frame = pd.DataFrame({"event_id": [f"e{i}" for i in range(n)], "ts": pd.to_datetime(ts, utc=True),
                          "y_pred": pred, "y_true": label, "sex": sex, "age": age, "f0": f0, "f1": f1,
                          "f2": f2, "c0": c0, "c1": c1})
    if task == "multiclass_classification":
        frame["y_true"], frame["y_pred"] = _classes(rng, day, logit)
    elif task != "regression":
        frame["score"] = score_col
    return frame.sort_values("ts").reset_index(drop=True)


CLASSES = np.array(["approve", "review", "reject", "escalate"], dtype=object)


def _classes(rng: np.random.Generator, day: np.ndarray, logit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Four text classes, nulls on both sides, a class never predicted, and on the
    single-class day one label only (``review``)."""
    n = len(day)
    truth = CLASSES[np.clip(np.digitize(logit + rng.normal(0, 0.7, n), [-1.0, 0.0, 1.5]), 0, 3)]
    noisy = rng.random(n) < 0.3
    pred = np.where(noisy, CLASSES[rng.integers(0, 3, n)], truth)   # "escalate" only when right
    truth = truth.astype(object)
    truth[day == SINGLE_CLASS_DAY] = "review"
    truth[rng.random(n) < 0.2] = None
    pred = pred.astype(object)
    pred[rng.random(n) < 0.02] = None
    return truth, pred


CANARY_DAY, ROLLOUT_DAY = 7, 10


def versioned_log(seed: int = 4) -> pd.DataFrame:
    """v1 until day 7; then a v2 canary on ~30 % of traffic; from day 10 on, v2 only."""
    frame = make_log(seed=seed)
    day = ((frame.ts - pd.Timestamp(START)).dt.days).to_numpy()
    rng = np.random.default_rng(seed)
    canary = (day >= CANARY_DAY) & ((day >= ROLLOUT_DAY) | (rng.random(len(frame)) < 0.3))
    frame["model_version"] = np.where(canary, "v2", "v1")
    frame.loc[canary, "f0"] += 0.5     # the new model sees (and is fed) shifted features
    return frame



def write_log(frame: pd.DataFrame, path: Path, fmt: str = "parquet") -> Path:
    """Write ``frame`` as Parquet (one row group per day, as a log is written), CSV or JSON Lines."""
    if fmt == "parquet":
        days = frame.ts.dt.floor("D")
        schema = pa.Table.from_pandas(frame, preserve_index=False).schema
        with pq.ParquetWriter(path, schema) as writer:
            for _day, part in frame.groupby(days, sort=True):
                writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
    elif fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.assign(ts=frame["ts"].map(lambda t: t.isoformat())).to_json(path, orient="records", lines=True)
    return path


def write_spec(tmp: Path, log: Path, task: str = "binary_classification", extra: str = "") -> Path:
    spec = tmp / "spec.yaml"
    text = SPEC_YAML.format(log=log.name, task=task)
    if task in ("regression", "multiclass_classification"):
        text = text.replace("  score: score\n", "")
    spec.write_text(text + extra)
    return spec


# --- oracle ----------------------------------------------------------------------------------

def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _binary_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame.y_true.isin([0, 1]) & frame.y_pred.isin([0, 1])]


def oracle_performance(w: pd.DataFrame) -> dict[str, Any]:
    rows = _binary_rows(w)
    if rows.empty:
        return {"accuracy": None, "precision": None, "recall": None, "f1": None, "roc_auc": None}
    y, p = rows.y_true.astype(int), rows.y_pred.astype(int)
    scored = w[w.y_true.isin([0, 1]) & w.score.notna()]
    auc = None
    if scored.y_true.nunique() == 2:
        auc = skm.roc_auc_score(scored.y_true.astype(int), scored.score)
    kw = {"zero_division": 0, "labels": [0, 1]}
    return {"accuracy": skm.accuracy_score(y, p), "precision": skm.precision_score(y, p, **kw),
            "recall": skm.recall_score(y, p, **kw), "f1": skm.f1_score(y, p, **kw), "roc_auc": auc}


def oracle_multiclass(w: pd.DataFrame) -> dict[str, Any]:
    """scikit-learn on the rows with a label and a prediction: the window values, per-class
    precision/recall (labels = the classes seen), and the confusion matrix."""
    rows = w[w.y_true.notna() & w.y_pred.notna()]
    if rows.empty:
        return {"accuracy": None, "macro_f1": None, "weighted_f1": None, "labels": [], "matrix": [],
                "precision": {}, "recall": {}}
    y, p = rows.y_true.astype(str), rows.y_pred.astype(str)
    labels = list(unique_labels(y, p))
    kw: dict[str, Any] = {"zero_division": 0}
    precision = skm.precision_score(y, p, labels=labels, average=None, **kw)
    recall = skm.recall_score(y, p, labels=labels, average=None, **kw)
    return {"accuracy": skm.accuracy_score(y, p), "macro_f1": skm.f1_score(y, p, average="macro", **kw),
            "weighted_f1": skm.f1_score(y, p, average="weighted", **kw), "labels": labels,
            "matrix": skm.confusion_matrix(y, p, labels=labels).tolist(),
            "precision": dict(zip(labels, precision, strict=True)), "recall": dict(zip(labels, recall, strict=True))}


def oracle_multiclass_groups(w: pd.DataFrame, attr: str) -> dict[str, Any]:
    """Per group (Fairlearn ``MetricFrame`` over scikit-learn) and the gaps between groups."""
    rows = w[w[attr].notna() & w.y_true.notna() & w.y_pred.notna()]
    if rows.empty:
        return {"groups": {}, "accuracy_difference": None, "macro_f1_difference": None,
                "class_recall_difference": None}
    y, p = rows.y_true.astype(str), rows.y_pred.astype(str)
    frame = MetricFrame(metrics={"accuracy": skm.accuracy_score,
                                 "macro_f1": lambda a, b: skm.f1_score(a, b, average="macro", zero_division=0)},
                        y_true=y, y_pred=p, sensitive_features=rows[attr])
    groups = {g: oracle_multiclass(rows[rows[attr] == g]) for g in rows[attr].unique()}
    gaps = []
    for cls in sorted({c for g in groups.values() for c in g["labels"]}):
        values = [g["recall"][cls] for g in groups.values() if cls in g["labels"] and (
            np.array(g["matrix"])[g["labels"].index(cls)].sum() > 0)]
        if values:
            gaps.append(max(values) - min(values))
    diff = frame.difference()
    return {"groups": groups, "accuracy_difference": diff["accuracy"], "macro_f1_difference": diff["macro_f1"],
            "class_recall_difference": max(gaps) if gaps else None}


def oracle_regression(w: pd.DataFrame) -> dict[str, Any]:
    rows = w[w.y_true.notna() & w.y_pred.notna()]
    if rows.empty:
        return {"mae": None, "rmse": None, "r2": None}
    r2 = skm.r2_score(rows.y_true, rows.y_pred) if len(rows) >= 2 else None
    return {"mae": skm.mean_absolute_error(rows.y_true, rows.y_pred),
            "rmse": skm.root_mean_squared_error(rows.y_true, rows.y_pred), "r2": r2}


def oracle_fairness(w: pd.DataFrame, attr: str) -> dict[str, Any]:
    rows = w[w[attr].notna() & w.y_pred.notna()]
    labeled = _binary_rows(w[w[attr].notna()])
    out: dict[str, Any] = {"n": w[w[attr].notna()].groupby(attr).size().to_dict()}
    if rows.empty:
        return out
    pred = rows.y_pred.astype(int)
    out["selection_rate"] = MetricFrame(metrics=selection_rate, y_true=pred, y_pred=pred,
                                        sensitive_features=rows[attr]).by_group.to_dict()
    out["dpd"] = demographic_parity_difference(pred, pred, sensitive_features=rows[attr])
    out["dpr"] = demographic_parity_ratio(pred, pred, sensitive_features=rows[attr])
    if not labeled.empty:
        y, p = labeled.y_true.astype(int), labeled.y_pred.astype(int)
        frame = MetricFrame(metrics={"tpr": true_positive_rate, "fpr": false_positive_rate}, y_true=y, y_pred=p,
                            sensitive_features=labeled[attr])
        out["tpr"] = frame.by_group["tpr"].to_dict()
        out["fpr"] = frame.by_group["fpr"].to_dict()
        out["eod"] = equalized_odds_difference(y, p, sensitive_features=labeled[attr])
    return out


def oracle_psi_numeric(ref: np.ndarray, cur: np.ndarray) -> float:
    edges = np.quantile(ref, np.linspace(0.1, 0.9, 9))
    p_ref = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=10) / len(ref)
    p_cur = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=10) / len(cur)
    p_ref, p_cur = np.maximum(p_ref, 1e-4), np.maximum(p_cur, 1e-4)
    return float(np.sum((p_cur - p_ref) * np.log(p_cur / p_ref)))


def oracle_numeric(ref: pd.Series, cur: pd.Series) -> dict[str, Any]:
    r, c = ref.dropna().to_numpy(), cur.dropna().to_numpy()
    if len(c) == 0:
        return {"n": 0, "psi": None, "ks": None, "wasserstein": None}
    return {"n": len(c), "psi": oracle_psi_numeric(r, c), "ks": stats.ks_2samp(r, c).statistic,
            "wasserstein": stats.wasserstein_distance(r, c)}


def oracle_categorical(ref: pd.Series, cur: pd.Series) -> dict[str, Any]:
    r, c = ref.dropna().value_counts(), cur.dropna().value_counts()
    if c.sum() == 0:
        return {"n": 0, "psi": None, "js_distance": None, "chi2_pvalue": None}
    names = sorted(set(r.index) | set(c.index))
    rc = np.array([r.get(k, 0) for k in names], dtype=float)
    cc = np.array([c.get(k, 0) for k in names], dtype=float)
    p_ref, p_cur = np.maximum(rc / rc.sum(), 1e-4), np.maximum(cc / cc.sum(), 1e-4)
    chi = stats.chi2_contingency(np.vstack([rc, cc]), correction=False)
    return {"n": int(cc.sum()), "psi": float(np.sum((p_cur - p_ref) * np.log(p_cur / p_ref))),
            "js_distance": jensenshannon(rc / rc.sum(), cc / cc.sum(), base=2), "chi2_pvalue": chi.pvalue}


def window_frames(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[pd.Timestamp, pd.DataFrame]]]:
    """The reference rows and the rows of each daily window after it."""
    ref_end = pd.Timestamp(START + dt.timedelta(days=REF_DAYS))
    ref = frame[frame.ts < ref_end]
    last = frame.ts.max()
    out = []
    start = ref_end
    while start <= last:
        end = start + pd.Timedelta(days=1)
        out.append((start, frame[(frame.ts >= start) & (frame.ts < end)]))
        start = end
    return ref, out


def close(got: Any, want: Any, rel: float = 1e-9) -> bool:
    """Equal within ``rel`` relative (absolute 1e-12 near zero); ``None`` equals NaN/None."""
    want = _none(want) if not isinstance(want, int | np.integer) else int(want)
    if got is None or want is None:
        return got is None and want is None
    return math.isclose(float(got), float(want), rel_tol=rel, abs_tol=1e-12)
