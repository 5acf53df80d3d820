"""Yardstick: a straightforward Polars implementation of the same metric set.

Lazy scan of the Parquet file, group-bys for performance, fairness, categories and
missing shares; for the exact KS and Wasserstein each window is concatenated with the
reference, sorted, and the two empirical CDFs compared (the textbook way).
"""

from __future__ import annotations

import sys

import numpy as np
import polars as pl
from common import CATEGORICAL, NUMERIC, PSI_QUANTILES, QUALITY, REF_END, REF_START, SENSITIVE, emit
from scipy.special import chdtrc


def ks_wasserstein(ref: pl.Series, cur: pl.Series) -> tuple[float, float]:
    both = pl.DataFrame({"x": pl.concat([ref, cur]), "r": [1] * len(ref) + [0] * len(cur)}).sort("x")
    both = both.with_columns((pl.col("r").cum_sum() / len(ref)).alias("fr"),
                             ((1 - pl.col("r")).cum_sum() / len(cur)).alias("fw"))
    last = both.group_by("x", maintain_order=True).last()  # CDFs after all ties of a value
    diff = (last["fr"] - last["fw"]).abs()
    dx = last["x"].diff().shift(-1).fill_null(0)
    return float(diff.max()), float((diff * dx).sum())


def psi(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    p_ref, p_cur = np.maximum(p_ref, 1e-4), np.maximum(p_cur, 1e-4)
    return float(np.sum((p_cur - p_ref) * np.log(p_cur / p_ref)))


def main(path: str) -> None:
    lf = pl.scan_parquet(path).filter(pl.col("timestamp") >= REF_START).with_columns(
        pl.when(pl.col("timestamp") < REF_END).then(-1)
        .otherwise((pl.col("timestamp") - REF_END).dt.total_seconds() // 86400).cast(pl.Int32).alias("w"))
    df = lf.collect()
    lab = df.filter(pl.col("y_true").is_not_null() & pl.col("y_pred").is_not_null() & (pl.col("w") >= 0))
    perf = lab.group_by("w").agg((pl.col("y_true") == pl.col("y_pred")).mean().alias("accuracy"),
                                 ((pl.col("y_true") == 1) & (pl.col("y_pred") == 1)).sum().alias("tp"),
                                 (pl.col("y_pred") == 1).sum().alias("pp"), (pl.col("y_true") == 1).sum().alias("p"))
    scored = df.filter((pl.col("w") >= 0) & pl.col("y_true").is_not_null() & pl.col("score").is_not_null())
    ranked = scored.with_columns(pl.col("score").rank("average").over("w").alias("r"))
    ranked.group_by("w").agg(((pl.col("r") * (pl.col("y_true") == 1)).sum()).alias("rs"),
                             (pl.col("y_true") == 1).sum().alias("np"), (pl.col("y_true") == 0).sum().alias("nn"))
    dpd = {}
    for attr in SENSITIVE:
        g = df.filter((pl.col("w") >= 0) & pl.col(attr).is_not_null()).group_by("w", attr).agg(
            pl.col("y_pred").mean().alias("sel"),
            pl.col("y_pred").filter(pl.col("y_true") == 1).mean().alias("tpr"),
            pl.col("y_pred").filter(pl.col("y_true") == 0).mean().alias("fpr"))
        agg = g.group_by("w").agg((pl.col("sel").max() - pl.col("sel").min()).alias("dpd"),
                                  (pl.col("sel").min() / pl.col("sel").max()).alias("dpr"))
        if attr == "sex":
            dpd = dict(zip(agg["w"].to_list(), agg["dpd"].to_list(), strict=True))
    ks = {}
    windows = sorted(w for w in df["w"].unique().to_list() if w >= 0)
    for f in NUMERIC:
        values = df.select("w", f).drop_nulls()
        ref = values.filter(pl.col("w") == -1)[f]
        edges = np.quantile(ref.to_numpy(), PSI_QUANTILES)
        ref_shares = np.bincount(np.searchsorted(edges, ref.to_numpy(), side="left"), minlength=10) / len(ref)
        for w in windows:
            cur = values.filter(pl.col("w") == w)[f]
            stat, _dist = ks_wasserstein(ref, cur)
            psi(ref_shares, np.bincount(np.searchsorted(edges, cur.to_numpy(), side="left"), minlength=10) / len(cur))
            if f == "f0":
                ks[w] = stat
    for c in CATEGORICAL:
        counts = df.filter(pl.col(c).is_not_null()).group_by("w", c).len()
        ref = dict(counts.filter(pl.col("w") == -1).select(c, "len").iter_rows())
        for w in windows:
            cur = dict(counts.filter(pl.col("w") == w).select(c, "len").iter_rows())
            names = sorted(set(ref) | set(cur))
            r = np.array([ref.get(k, 0) for k in names], float)
            k = np.array([cur.get(k, 0) for k in names], float)
            table = np.vstack([r, k])
            expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
            chdtrc(len(names) - 1, ((table - expected) ** 2 / expected).sum())
            psi(r / r.sum(), k / k.sum())
    missing = df.filter(pl.col("w") >= 0).group_by("w").agg(
        [pl.col(c).is_null().mean().alias(c) for c in QUALITY])
    miss = dict(zip(missing["w"].to_list(), missing["f0"].to_list(), strict=True))
    emit([{"w": w, "ks_f0": ks.get(w), "dpd_sex": dpd.get(w), "accuracy": acc, "missing_f0": miss.get(w)}
          for w, acc in sorted(zip(perf["w"].to_list(), perf["accuracy"].to_list(), strict=True))])


if __name__ == "__main__":
    main(sys.argv[1])
