"""Evidently 0.7: DataDriftPreset + ClassificationPreset per daily window against the reference.

Evidently needs pandas < 3, so it runs in its own virtual environment (see RESULTS.md).
It covers drift (its own default tests per column) and classification quality, not the
per-group fairness metrics.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DO_NOT_TRACK", "1")           # no telemetry from the benchmark
os.environ.setdefault("EVIDENTLY_DISABLE_TELEMETRY", "1")

import pandas as pd
from common import CATEGORICAL, DAY, NUMERIC, REF_END, REF_START, SENSITIVE, emit
from evidently import BinaryClassification, DataDefinition, Dataset, Report
from evidently.presets import ClassificationPreset, DataDriftPreset


def main(path: str) -> None:
    df = pd.read_parquet(path)
    df = df[df.y_true.notna()].assign(y_true=lambda d: d.y_true.astype(int), y_pred=lambda d: d.y_pred.astype(int))
    definition = DataDefinition(
        numerical_columns=[*NUMERIC, "score"], categorical_columns=[*CATEGORICAL, *SENSITIVE],
        classification=[BinaryClassification(target="y_true", prediction_labels="y_pred",
                                             prediction_probas="score", pos_label=1)])
    ref = df[(df.timestamp >= REF_START) & (df.timestamp < REF_END)].drop(columns=["timestamp", "event_id"])
    reference = Dataset.from_pandas(ref, data_definition=definition)
    after = df[df.timestamp >= REF_END]
    out = []
    for k, g in after.groupby((after.timestamp - REF_END) // DAY):
        current = Dataset.from_pandas(g.drop(columns=["timestamp", "event_id"]), data_definition=definition)
        snapshot = Report([DataDriftPreset(), ClassificationPreset()]).run(current, reference)
        snapshot.dict()
        out.append({"start": str(REF_END + k * DAY)})
    emit(out)


if __name__ == "__main__":
    main(sys.argv[1])
