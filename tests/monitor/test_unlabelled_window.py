"""A window whose events all lack a label and were all predicted positive (labels arrive
later, the model said yes to everyone): the run, the results API and the monitoring page
answer, the label-based metrics are undefined (None) and the defined ones are right."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from metrics_logs import make_log, write_log
from sklearn import metrics as skm
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.card import SystemCard
from haechi.monitor.metrics.classification import Confusion, classification_metrics, selection_rate
from haechi.monitor.metrics.fairness import binary_fairness

SPEC: dict[str, Any] = {
    "columns": {"timestamp": "ts", "prediction": "y_pred", "label": "y_true", "score": "score",
                "sensitive": ["sex"], "numeric": ["f0"], "categorical": ["c0"]},
    "reference": {"start": "2026-01-01", "end": "2026-01-06"},
    "window": "1d",
    "thresholds": {"recall": {"min": 0.5}, "accuracy": {"min": 0.5}},
}


def _log_with_unlabelled_last_day(folder: Path) -> Path:
    frame = make_log()
    last = frame["ts"] >= frame["ts"].max().floor("D")
    frame.loc[last, "y_true"] = np.nan
    frame.loc[last, "y_pred"] = 1.0
    folder.mkdir(parents=True, exist_ok=True)
    return write_log(frame, folder / "log.parquet")


def test_unlabelled_all_positive_window_through_api_and_page(hc: Haechi) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    hc.accounts.create_user(actor, "ana@acme.example", "editor", "password-123")
    hc.systems.add(actor, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        token = hc.accounts.create_token(actor, "ana@acme.example")
        bearer = {"Authorization": f"Bearer {token}"}
        # a spec sent over the API reads the organisation's monitor files
        spec = {**SPEC, "log": _log_with_unlabelled_last_day(hc.monitor.files_dir(actor)).name}
        assert client.put("/api/v1/systems/screener/monitors/default", json=spec, headers=bearer).status_code == 200
        run = client.post("/api/v1/systems/screener/monitors/default/run", headers=bearer)
        assert run.status_code == 200, run.text
        results = client.get("/api/v1/systems/screener/monitors/default/results", headers=bearer)
        assert results.status_code == 200
        last = results.json()["windows"][-1]
        assert last["n"] > 0 and last["n_labeled"] == 0
        assert set(last["performance"].values()) == {None}
        groups = last["fairness"]["sex"]["groups"]
        assert all(g["selection_rate"] == 1.0 and g["tpr"] is None for g in groups.values())
        web_login(client, "ana@acme.example", "password-123")
        page = client.get("/systems/screener/monitoring", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert re.search(r"<html", page.text)
        assert client.get("/systems/screener/monitoring?format=json").status_code == 200


def test_metric_functions_on_an_unlabelled_all_positive_window() -> None:
    n = 40
    y_pred = np.ones(n)
    window = Confusion(n=n, n_pred=n, n_selected=n, n_labeled=0)
    metrics = classification_metrics(window, roc_auc=None)
    assert metrics == {"accuracy": None, "precision": None, "recall": None, "f1": None, "roc_auc": None}
    assert selection_rate(window) == pytest.approx(float(np.mean(y_pred == 1)))
    fair = binary_fairness({"F": window, "M": window}, min_group_size=10)
    assert fair["demographic_parity_difference"] == 0.0 and fair["demographic_parity_ratio"] == 1.0
    assert fair["equalized_odds_difference"] is None
    with pytest.raises(ValueError):  # scikit-learn: no labelled row, so no score at all
        skm.roc_auc_score([], [])


def test_labelled_all_positive_window_matches_scikit_learn() -> None:
    """Labels present, every prediction positive: precision is the positive share (defined),
    recall is 1, and ROC AUC is undefined with one class of scores."""
    y_true = np.array([1, 0, 0, 1, 0, 0, 0, 1])
    y_pred = np.ones_like(y_true)
    tp, fp = int(((y_true == 1) & (y_pred == 1)).sum()), int(((y_true == 0) & (y_pred == 1)).sum())
    window = Confusion(n=8, n_pred=8, n_selected=8, n_labeled=8, tp=tp, fp=fp)
    metrics = classification_metrics(window, roc_auc=None)
    assert metrics["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert metrics["precision"] == pytest.approx(skm.precision_score(y_true, y_pred))
    assert metrics["recall"] == pytest.approx(skm.recall_score(y_true, y_pred))
    assert metrics["f1"] == pytest.approx(skm.f1_score(y_true, y_pred))
