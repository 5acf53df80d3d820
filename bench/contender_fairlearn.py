"""Fairlearn MetricFrame for the fairness part only (pandas in memory, one process)."""

from __future__ import annotations

import sys

import pandas as pd
from common import DAY, REF_END, SENSITIVE, emit
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)


def main(path: str) -> None:
    df = pd.read_parquet(path, columns=["timestamp", "y_pred", "y_true", *SENSITIVE])
    after = df[df.timestamp >= REF_END]
    out = []
    for k, g in after.groupby((after.timestamp - REF_END) // DAY):
        result = {}
        for attr in SENSITIVE:
            rows = g[g[attr].notna() & g.y_pred.notna()]
            pred = rows.y_pred.astype(int)
            MetricFrame(metrics={"selection_rate": selection_rate}, y_true=pred, y_pred=pred,
                        sensitive_features=rows[attr])
            lab = rows[rows.y_true.notna()]
            y, p = lab.y_true.astype(int), lab.y_pred.astype(int)
            MetricFrame(metrics={"tpr": true_positive_rate, "fpr": false_positive_rate}, y_true=y, y_pred=p,
                        sensitive_features=lab[attr])
            result[attr] = {"dpd": demographic_parity_difference(pred, pred, sensitive_features=rows[attr]),
                            "dpr": demographic_parity_ratio(pred, pred, sensitive_features=rows[attr]),
                            "eod": equalized_odds_difference(y, p, sensitive_features=lab[attr])}
        out.append({"start": str(REF_END + k * DAY), "dpd_sex": result["sex"]["dpd"]})
    emit(out)


if __name__ == "__main__":
    main(sys.argv[1])
