"""Property tests (Hypothesis): the count-based metric definitions equal their oracles on
arbitrary samples, however the engine chunks them; the spec parser never crashes."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score

from haechi.domain.errors import ValidationFailed
from haechi.monitor.metrics.classification import AucAccumulator
from haechi.monitor.metrics.drift import NumericReference, numeric_drift
from haechi.monitor.metrics.special import chi2_sf
from haechi.monitor.spec import parse_spec_text

# Small integers scaled make ties likely; wide floats test cancellation.
values = st.one_of(
    st.lists(st.integers(-5, 5).map(lambda v: v / 2), min_size=1, max_size=200),
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=200),
)


@settings(max_examples=150, deadline=None)
@given(values, values)
def test_ks_and_wasserstein_equal_scipy(ref: list[float], cur: list[float]) -> None:
    got = numeric_drift(NumericReference.from_sorted(np.sort(ref)), np.sort(cur))
    assert math.isclose(got["ks"], stats.ks_2samp(ref, cur, method="asymp").statistic, rel_tol=1e-12, abs_tol=1e-15)
    want = stats.wasserstein_distance(ref, cur)
    assert math.isclose(got["wasserstein"], want, rel_tol=1e-9, abs_tol=1e-9 * (1 + max(map(abs, ref + cur))))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20).map(lambda s: s / 20), st.integers(0, 1)), min_size=2, max_size=300),
       st.integers(1, 50))
def test_auc_is_exact_whatever_the_chunks(pairs: list[tuple[float, int]], chunk: int) -> None:
    pairs.sort()
    scores = np.array([p[0] for p in pairs])
    labels = np.array([p[1] for p in pairs], dtype=float)
    acc = AucAccumulator()
    for lo in range(0, len(pairs), chunk):
        acc.add(scores[lo:lo + chunk], labels[lo:lo + chunk])
    result = acc.result()
    if len(set(labels)) < 2:
        assert result is None
    else:
        assert result is not None and math.isclose(result, roc_auc_score(labels, scores), rel_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-3, 5e3), st.integers(1, 300))
def test_chi2_survival_equals_scipy(statistic: float, dof: int) -> None:
    want = stats.chi2.sf(statistic, dof)
    if want > 1e-300:
        assert math.isclose(chi2_sf(statistic, dof), want, rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_spec_parser_only_raises_validation_errors(text: str) -> None:
    try:
        parse_spec_text("system: s1\nreference: {start: 2026-01-01, end: 2026-01-02}\n" + text, "m.yaml")
    except ValidationFailed as exc:
        assert exc.issues or exc.message
