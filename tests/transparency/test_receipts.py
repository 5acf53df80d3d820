"""Explanation receipts: contributions checked against scikit-learn's own outputs, the
receipt in ko/en (text, HTML, JSON, PDF), and review requests recorded and routed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.transparency.contributions import compute

from . import cards

X, Y = make_classification(400, 6, n_informative=4, random_state=1)
XR, YR = make_regression(400, 5, noise=3.0, random_state=1)

CASES = [
    (LogisticRegression(max_iter=1000), X, Y, lambda m, r: m.decision_function(r)[0]),
    (LinearRegression(), XR, YR, lambda m, r: m.predict(r)[0]),
    (DecisionTreeClassifier(max_depth=5, random_state=0), X, Y, lambda m, r: m.predict_proba(r)[0, 1]),
    (DecisionTreeRegressor(max_depth=6, random_state=0), XR, YR, lambda m, r: m.predict(r)[0]),
    (RandomForestClassifier(25, max_depth=6, random_state=0), X, Y, lambda m, r: m.predict_proba(r)[0, 1]),
    (ExtraTreesClassifier(25, max_depth=6, random_state=0), X, Y, lambda m, r: m.predict_proba(r)[0, 1]),
    (RandomForestRegressor(15, random_state=0), XR, YR, lambda m, r: m.predict(r)[0]),
    (GradientBoostingClassifier(n_estimators=40, random_state=0), X, Y, lambda m, r: m.decision_function(r)[0]),
    (GradientBoostingRegressor(n_estimators=40, random_state=0), XR, YR, lambda m, r: m.predict(r)[0]),
]


@pytest.mark.parametrize("model,x,y,oracle", CASES, ids=lambda c: type(c).__name__ if hasattr(c, "fit") else "")
def test_contributions_add_up_to_the_models_own_output(model, x, y, oracle) -> None:  # type: ignore[no-untyped-def]
    model.fit(x, y)
    for i in (3, 77, 201):
        row = x[i:i + 1]
        result = compute(model, list(row[0]), background=x)
        assert result.output == pytest.approx(oracle(model, row), abs=1e-9)
        assert result.baseline + sum(result.values) == pytest.approx(result.output, abs=1e-9)


def test_linear_contributions_are_coefficient_times_centred_value() -> None:
    model = LinearRegression().fit(XR, YR)
    result = compute(model, list(XR[5]), background=XR)
    expected = model.coef_ * (XR[5] - XR.mean(axis=0))
    assert np.allclose(result.values, expected)


def _hiring(hc: Haechi, org: Actor) -> None:
    from haechi.domain.card import SystemCard
    hc.systems.add(org, SystemCard.model_validate(cards.hiring()))


def test_receipt_from_a_model_then_review_request_is_routed(hc: Haechi, org: Actor, tmp_path: Path) -> None:
    _hiring(hc, org)
    names = ["years_experience", "skills_match", "certificates", "gap_months", "distance_km", "languages"]
    model = GradientBoostingClassifier(n_estimators=30, random_state=0).fit(X, Y)
    event = {"decision_id": "app-2026-0117", "result": "not shortlisted", "result_ko": "면접 대상 아님",
             "features": dict(zip(names, X[9].tolist(), strict=True))}
    receipt = hc.transparency.receipts.create(org, "hiring-screener", event, model=model, background=X,
                                              feature_names=names, top=3)
    assert len(receipt["criteria"]) == 3
    assert receipt["training_data"]["summary"].startswith("12,400 past applications")
    text_ko = hc.transparency.receipts.render(None, receipt["token"], "text", "ko", "https://hanbit.example/r/x")
    assert "면접 대상 아님" in text_ko and "주요 판단 기준" in text_ko and "재검토" in text_ko
    text_en = hc.transparency.receipts.render(None, receipt["token"], "text", "en")
    assert "Main criteria" in text_en and receipt["criteria"][0]["feature"] in text_en
    request = hc.transparency.receipts.request_review(receipt["token"], "review", "Please have a person check this.",
                                                      "applicant@example.com")
    assert request["status"] == "open" and request["assignee"] == "ai-help@hanbit.example" and request["due_at"]
    tasks = hc.transparency.receipts.requests(org, status="open")
    assert [t["decision_id"] for t in tasks] == ["app-2026-0117"]
    done = hc.transparency.receipts.resolve(org, tasks[0]["id"], "changed", "Re-screened by HR: shortlisted.")
    assert done["status"] == "changed" and done["resolved_at"]


def test_receipt_with_supplied_contributions_and_pdf(hc: Haechi, org: Actor, tmp_path: Path) -> None:
    _hiring(hc, org)
    event = {"decision_id": "d-1", "result": "rejected", "score": 0.2,
             "features": {"skills_match": 0.3, "years_experience": 1},
             "contributions": {"skills_match": -0.4, "years_experience": -0.1}}
    receipt = hc.transparency.receipts.create(org, "hiring-screener", event)
    assert [c["feature"] for c in receipt["criteria"]] == ["skills_match", "years_experience"]
    assert receipt["method"]["baseline"] == pytest.approx(0.7)
    if shutil.which("pdftotext"):
        pdf = hc.transparency.receipts.render(org, receipt["token"], "pdf", "ko")
        assert isinstance(pdf, bytes)
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "AI 활용 결정에 대한 설명서" in text


def test_bad_events_and_foreign_tokens(hc: Haechi, org: Actor, other_actor: Actor) -> None:
    _hiring(hc, org)
    with pytest.raises(ValidationFailed, match="decision_id"):
        hc.transparency.receipts.create(org, "hiring-screener", {"result": "x"})
    with pytest.raises(ValidationFailed, match="lacks features"):
        hc.transparency.receipts.create(org, "hiring-screener", {"decision_id": "a", "result": "b", "features": {}},
                                        model=LinearRegression().fit(XR, YR), feature_names=["a", "b", "c", "d", "e"])
    receipt = hc.transparency.receipts.create(org, "hiring-screener", {"decision_id": "a", "result": "b"})
    with pytest.raises(NotFound):
        hc.transparency.receipts.get(other_actor, receipt["token"])
    with pytest.raises(ValidationFailed):
        hc.transparency.receipts.request_review(receipt["token"], "shout", "x")
    with pytest.raises(NotFound):
        hc.transparency.receipts.request_review("no-such-token", "review", "x")
