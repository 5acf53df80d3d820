"""What every benchmark contender computes, so the comparison is like for like.

The metric set is the one of ``spec.yaml`` (the monitor spec Haechi runs): per daily
window after a 7-day reference, accuracy/precision/recall/F1/ROC AUC; per sensitive
attribute the group selection rate, TPR, FPR, demographic parity difference/ratio and
equalized odds difference; per numeric feature PSI, KS and Wasserstein; per
categorical feature PSI, Jensen–Shannon distance and the chi-squared p-value; the
missing share of every mapped column. Contenders print one JSON object with a few
values per window so the runner can check that everybody computed the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

REF_START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REF_END = dt.datetime(2026, 1, 8, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SENSITIVE = ["sex", "age_band"]
NUMERIC = ["f0", "f1", "f2"]
CATEGORICAL = ["c0", "c1"]
QUALITY = ["y_pred", "y_true", "score", *SENSITIVE, *NUMERIC, *CATEGORICAL]
PSI_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def emit(windows: list[dict[str, Any]]) -> None:
    """Print the check values: per window start, ks of f0, DPD of sex and accuracy."""
    json.dump({"windows": windows}, sys.stdout, default=float)
    sys.stdout.write("\n")
