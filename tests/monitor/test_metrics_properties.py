"""Property tests (Hypothesis): the count-based metric definitions equal their oracles on
arbitrary samples, however the engine chunks them; the spec parser never crashes."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score

from haechi.domain.errors import ValidationFailed
from haechi.monitor.aggregate import numpy_column, sorted_values, table_windows, window_auc
from haechi.monitor.metrics.classification import AucAccumulator, auc_of_classes
from haechi.monitor.metrics.drift import PSI_QUANTILES, NumericReference, numeric_drift, sorted_quantiles
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


@settings(max_examples=300, deadline=None)
@given(values)
def test_psi_edges_are_numpy_quantiles_bit_for_bit(sample: list[float]) -> None:
    ordered = np.sort(sample)
    assert np.array_equal(sorted_quantiles(ordered, PSI_QUANTILES), np.quantile(ordered, PSI_QUANTILES))


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


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20).map(lambda s: s / 20), st.integers(0, 1)), max_size=300))
def test_auc_of_classes_equals_sklearn(pairs: list[tuple[float, int]]) -> None:
    scores = np.array([p[0] for p in pairs], dtype=float)
    labels = np.array([p[1] for p in pairs])
    result = auc_of_classes(scores[labels == 1], scores[labels == 0])
    if len(set(labels.tolist())) < 2:
        assert result is None
    else:
        assert result is not None and math.isclose(result, roc_auc_score(labels, scores), rel_tol=1e-12)


cells = st.one_of(st.none(), st.integers(-3, 3).map(float))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 4), cells, cells, st.sampled_from([0.0, 1.0, 2.0, None])), max_size=200),
       st.integers(0, 5))
def test_table_windows_regroups_any_order_with_nulls(rows: list[tuple], offset: int) -> None:
    """Unordered rows with nulls (and a sliced, offset table) split into the right windows."""
    table = pa.table({"__w": pa.array([r[0] for r in rows], pa.int64()),
                      "x": pa.array([r[1] for r in rows], pa.float64()),
                      "score": pa.array([r[2] for r in rows], pa.float64()),
                      "label": pa.array([r[3] for r in rows], pa.float64())}).slice(min(offset, len(rows)))
    kept = rows[min(offset, len(rows)):]
    seen = {}
    for window, (x, score, label) in table_windows(table):
        seen[window] = True
        mine = [r for r in kept if r[0] == window]
        assert sorted_values(x).tolist() == sorted(r[1] for r in mine if r[1] is not None)
        scored = [(r[2], r[3]) for r in mine if r[2] is not None and r[3] in (0.0, 1.0)]
        want = (roc_auc_score([y for _, y in scored], [s for s, _ in scored])
                if len({y for _, y in scored}) == 2 else None)
        got = window_auc(score, label)
        assert (got is None and want is None) or math.isclose(got, want, rel_tol=1e-12)
    assert set(seen) == {r[0] for r in kept}
    values, valid = numpy_column(table.column("x"))
    assert len(values) == len(kept) and (valid is None or len(valid) == len(kept))


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
