"""Careful pandas + scikit-learn + SciPy baseline of the full metric set (one process)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from common import CATEGORICAL, DAY, NUMERIC, PSI_QUANTILES, QUALITY, REF_END, REF_START, SENSITIVE, emit
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics as skm


def psi(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    p_ref, p_cur = np.maximum(p_ref, 1e-4), np.maximum(p_cur, 1e-4)
    return float(np.sum((p_cur - p_ref) * np.log(p_cur / p_ref)))


def numeric_drift(ref: np.ndarray, edges: np.ndarray, ref_shares: np.ndarray, cur: np.ndarray) -> dict:
    shares = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=10) / len(cur)
    return {"psi": psi(ref_shares, shares), "ks": stats.ks_2samp(ref, cur).statistic,
            "wasserstein": stats.wasserstein_distance(ref, cur)}


def categorical_drift(ref: pd.Series, cur: pd.Series) -> dict:
    names = sorted(set(ref.index) | set(cur.index))
    r = ref.reindex(names, fill_value=0).to_numpy(float)
    c = cur.reindex(names, fill_value=0).to_numpy(float)
    return {"psi": psi(r / r.sum(), c / c.sum()), "js": jensenshannon(r / r.sum(), c / c.sum(), base=2),
            "chi2_p": stats.chi2_contingency(np.vstack([r, c]), correction=False).pvalue}


def fairness(g: pd.DataFrame, labeled: pd.DataFrame, attr: str) -> dict:
    rows = g[g[attr].notna() & g.y_pred.notna()]
    sel = rows.groupby(attr).y_pred.mean()
    lab = labeled[labeled[attr].notna()]
    pos, neg = lab[lab.y_true == 1], lab[lab.y_true == 0]
    tpr = pos.groupby(attr).y_pred.mean().reindex(lab[attr].unique(), fill_value=0.0)
    fpr = neg.groupby(attr).y_pred.mean().reindex(lab[attr].unique(), fill_value=0.0)
    return {"n": g.groupby(attr).size().to_dict(), "selection_rate": sel.to_dict(), "dpd": sel.max() - sel.min(),
            "dpr": sel.min() / sel.max(), "eod": max(tpr.max() - tpr.min(), fpr.max() - fpr.min())}


def main(path: str) -> None:
    df = pd.read_parquet(path)
    ref = df[(df.timestamp >= REF_START) & (df.timestamp < REF_END)]
    after = df[df.timestamp >= REF_END]
    refs = {}
    for f in NUMERIC:
        values = np.sort(ref[f].dropna().to_numpy())
        edges = np.quantile(values, PSI_QUANTILES)
        refs[f] = (values, edges, np.bincount(np.searchsorted(edges, values, side="left"), minlength=10) / len(values))
    ref_counts = {c: ref[c].dropna().value_counts() for c in CATEGORICAL}
    out = []
    for k, g in after.groupby((after.timestamp - REF_END) // DAY):
        labeled = g[g.y_true.notna() & g.y_pred.notna()]
        y, p = labeled.y_true.astype(int), labeled.y_pred.astype(int)
        scored = labeled[labeled.score.notna()]
        perf = {"accuracy": skm.accuracy_score(y, p), "precision": skm.precision_score(y, p, zero_division=0),
                "recall": skm.recall_score(y, p, zero_division=0), "f1": skm.f1_score(y, p, zero_division=0),
                "roc_auc": skm.roc_auc_score(scored.y_true.astype(int), scored.score)}
        fair = {a: fairness(g, labeled, a) for a in SENSITIVE}
        drift = {f: numeric_drift(refs[f][0], refs[f][1], refs[f][2], g[f].dropna().to_numpy()) for f in NUMERIC}
        drift |= {c: categorical_drift(ref_counts[c], g[c].dropna().value_counts()) for c in CATEGORICAL}
        missing = g[QUALITY].isna().mean().to_dict()
        out.append({"start": str(REF_END + k * DAY), "ks_f0": drift["f0"]["ks"], "dpd_sex": fair["sex"]["dpd"],
                    "accuracy": perf["accuracy"], "missing_f0": missing["f0"]})
    emit(out)


if __name__ == "__main__":
    main(sys.argv[1])
