"""What every engine computes, named once: the projection, the one-pass aggregates, the
roll-up of those aggregates, and the consumers of sorted per-window streams.

An engine (DuckDB, Spark) only has to (1) project the log into the internal columns
below, (2) group it once by window × every sensitive and categorical column with the
aggregates of :func:`aggregate_specs`, and (3) stream each numeric feature — and the
(score, label) pairs — sorted by window then value. Everything after that is shared,
so the two engines cannot drift apart in their definitions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from .metrics.classification import AucAccumulator, Confusion, auc_of_classes
from .metrics.drift import NumericReference, numeric_drift
from .metrics.multiclass import Cells
from .metrics.regression import RegressionSums
from .spec import Columns

W, PRED, LABEL, SCORE, VERSION = "__w", "__pred", "__label", "__score", "__v"
REFERENCE = -1  # the window index of reference rows


@dataclass(frozen=True)
class Layout:
    """Internal column names for one spec: ``__s0…`` sensitive, ``__c0…`` categorical, ``__f0…`` numeric."""

    columns: Columns
    task: str

    @property
    def sensitive(self) -> list[tuple[str, str]]:
        return [(f"__s{i}", c) for i, c in enumerate(self.columns.sensitive)]

    @property
    def categorical(self) -> list[tuple[str, str]]:
        return [(f"__c{i}", c) for i, c in enumerate(self.columns.categorical)]

    @property
    def numeric(self) -> list[tuple[str, str]]:
        return [(f"__f{i}", c) for i, c in enumerate(self.columns.numeric)]

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.sensitive + self.categorical]

    @property
    def multiclass(self) -> bool:
        return self.task == "multiclass_classification"

    @property
    def combo_keys(self) -> list[str]:
        """What the one-pass aggregate groups by besides the window: the keys, and for a
        multiclass task the (label, prediction) pair, whose counts are the confusion table."""
        return [*self.keys, *([LABEL, PRED] if self.multiclass else []),
                *([VERSION] if self.columns.model_version else [])]

    def value_columns(self) -> list[tuple[str, str | None]]:
        """(internal, source) of non-key columns whose nulls are counted."""
        cols = self.columns
        return [(PRED, cols.prediction), (LABEL, cols.label), (SCORE, cols.score), *self.numeric]


#: (alias, operation, arguments); engines translate the operations to their own SQL.
AggSpec = tuple[str, str, tuple[Any, ...]]


def aggregate_specs(layout: Layout) -> list[AggSpec]:
    """The one-pass aggregates per window × key combination."""
    specs: list[AggSpec] = [("n", "count_all", ())]
    specs += [(f"nn{PRED}", "count", (PRED,)), (f"nn{LABEL}", "count", (LABEL,)),
              (f"nn{SCORE}", "count", (SCORE,))]
    specs += [(f"nn{k}", "count", (k,)) for k, _ in layout.numeric]
    if layout.multiclass:  # the (label, prediction) cells are group keys, counted by "n"
        return specs
    if layout.task == "regression":
        specs += [("rn", "count_both", ()), ("rae", "sum_abs_error", ()), ("rse", "sum_sq_error", ()),
                  ("rmean", "label_mean_both", ()), ("rm2", "label_m2_both", ())]
    else:
        specs += [("sel", "count_eq", (PRED, 1)), ("tp", "count_cell", (1, 1)), ("fp", "count_cell", (0, 1)),
                  ("tn", "count_cell", (0, 0)), ("fn", "count_cell", (1, 0))]
    return specs


def _count_if(condition: str) -> str:
    # DuckDB's count_if is NULL, not 0, when the condition is NULL on every row (a window
    # whose rows all lack a label); a comparison with NULL counts as false here.
    return f"count_if(coalesce({condition}, false))"


def sql_aggregate(op: str, args: tuple[Any, ...]) -> str:
    """SQL of one aggregate operation of :func:`aggregate_specs`.

    Only functions DuckDB and Spark SQL share (``count_if``, ``var_pop``, ``avg``…), so
    both engines aggregate with the very same text.
    """
    both = f"{LABEL} IS NOT NULL AND {PRED} IS NOT NULL"
    sql = {
        "count_all": "count(*)",
        "count": f"count({args[0]})" if args else "",
        "count_eq": _count_if(f"{args[0]} = {args[1]}") if len(args) == 2 else "",
        "count_cell": _count_if(f"{LABEL} = {args[0]} AND {PRED} = {args[1]}") if len(args) == 2 else "",
        "count_both": _count_if(both),
        "sum_abs_error": f"sum(abs({LABEL} - {PRED}))",
        "sum_sq_error": f"sum(({LABEL} - {PRED}) * ({LABEL} - {PRED}))",
        "label_mean_both": f"avg(CASE WHEN {both} THEN {LABEL} END)",
        "label_m2_both": f"var_pop(CASE WHEN {both} THEN {LABEL} END) * count_if({both})",
    }[op]
    return sql


# --- roll-up ---------------------------------------------------------------------------------

@dataclass
class WindowStats:
    """Everything about one window except the sorted-stream metrics."""

    n: int = 0
    non_null: dict[str, int] = field(default_factory=dict)      # internal column → non-null rows
    key_nulls: dict[str, int] = field(default_factory=dict)     # key column → null rows
    confusion: Confusion = field(default_factory=Confusion)
    regression: RegressionSums = field(default_factory=RegressionSums)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)   # key → group → Confusion | (n, sums)
    categories: dict[str, dict[str, int]] = field(default_factory=dict)  # key → value → rows
    cells: Cells = field(default_factory=dict)   # multiclass: (label, prediction) → rows
    versions: dict[str, int] = field(default_factory=dict)   # model version → rows


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.sql(sql)
    names = result.columns
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _sum_columns(layout: Layout) -> list[str]:
    return [alias for alias, op, _ in aggregate_specs(layout) if op not in ("label_mean_both", "label_m2_both")]


def rollup(combos: pa.Table, layout: Layout, con: duckdb.DuckDBPyConnection | None = None
           ) -> dict[int, WindowStats]:
    """Fold the per-combination aggregates into per-window and per-group statistics.

    ``con``: a DuckDB connection to reuse (the DuckDB engine's own; a new one costs ~10 ms).
    """
    own = con is None
    con = duckdb.connect() if con is None else con
    con.register("combos", combos)
    try:
        stats: dict[int, WindowStats] = {}
        for row in _rows(con, _group_sql(layout, [W])):
            stats[int(row[W])] = _window_stats(row, layout)
        for key in layout.keys:
            for row in _rows(con, _group_sql(layout, [W, key])):
                _add_group(stats[int(row[W])], key, row, layout)
        if layout.multiclass:
            _add_cells(con, stats, layout)
        if layout.columns.model_version:
            for row in _rows(con, f"SELECT {W}, {VERSION} AS v, sum(n) AS n FROM combos WHERE {VERSION} IS NOT NULL "
                                  f"GROUP BY {W}, {VERSION}"):
                stats[int(row[W])].versions[str(row["v"])] = int(row["n"])
        return stats
    finally:
        con.unregister("combos")
        if own:
            con.close()


def _add_cells(con: duckdb.DuckDBPyConnection, stats: dict[int, WindowStats], layout: Layout) -> None:
    """The multiclass confusion cells of each window and of each group of each attribute."""
    both = f"{LABEL} IS NOT NULL AND {PRED} IS NOT NULL"
    for row in _rows(con, f"SELECT {W}, {LABEL}, {PRED}, sum(n) AS n FROM combos WHERE {both} "
                          f"GROUP BY {W}, {LABEL}, {PRED}"):
        stats[int(row[W])].cells[(str(row[LABEL]), str(row[PRED]))] = int(row["n"])
    for key, _name in layout.sensitive:
        for row in _rows(con, f"SELECT {W}, {key} AS k, {LABEL}, {PRED}, sum(n) AS n FROM combos "
                              f"WHERE {both} AND {key} IS NOT NULL GROUP BY {W}, {key}, {LABEL}, {PRED}"):
            groups = stats[int(row[W])].groups.setdefault(key, {})
            groups[str(row["k"])][1][(str(row[LABEL]), str(row[PRED]))] = int(row["n"])


def _group_sql(layout: Layout, keys: list[str]) -> str:
    """Sums per key set; for regression the label mean and centred sum of squares are
    merged exactly across combinations (Chan et al.), not rebuilt from raw moments."""
    group = ", ".join(keys)
    select = ", ".join([f"{W}", *([f"{keys[1]} AS k"] if len(keys) > 1 else [])])
    sums = ", ".join(f"sum({c})::DOUBLE AS {c}" for c in _sum_columns(layout))
    if layout.task != "regression":
        return f"SELECT {select}, {sums} FROM combos GROUP BY {group}"
    inner = (f"SELECT *, sum(rn * rmean) OVER p / nullif(sum(rn) OVER p, 0) AS gmean FROM combos "
             f"WINDOW p AS (PARTITION BY {group})")
    moments = (", any_value(gmean) AS rmean, coalesce(sum(rm2), 0)"
               " + coalesce(sum(rn * (rmean - gmean) * (rmean - gmean)), 0) AS rm2")
    return f"SELECT {select}, {sums}{moments} FROM ({inner}) GROUP BY {group}"


def _window_stats(row: dict[str, Any], layout: Layout) -> WindowStats:
    out = WindowStats(n=int(row["n"]))
    out.non_null = {c: int(row[f"nn{c}"]) for c, _ in layout.value_columns()}
    _fill_target(out, row, layout)
    return out


def _fill_target(out: WindowStats, row: dict[str, Any], layout: Layout) -> None:
    if layout.task == "regression":
        out.regression = _regression(row)
    elif not layout.multiclass:
        out.confusion = _confusion(row)


def _confusion(row: dict[str, Any]) -> Confusion:
    return Confusion(n=int(row["n"]), n_pred=int(row[f"nn{PRED}"]), n_selected=int(row["sel"]),
                     n_labeled=int(row[f"nn{LABEL}"]), tp=int(row["tp"]), fp=int(row["fp"]),
                     tn=int(row["tn"]), fn=int(row["fn"]))


def _regression(row: dict[str, Any]) -> RegressionSums:
    n = int(row["rn"])
    if n == 0:
        return RegressionSums()
    return RegressionSums(n, float(row["rae"]), float(row["rse"]), float(row["rmean"]), float(row["rm2"]))


def _add_group(window: WindowStats, key: str, row: dict[str, Any], layout: Layout) -> None:
    value = row["k"]
    if value is None:
        window.key_nulls[key] = window.key_nulls.get(key, 0) + int(row["n"])
        return
    if key.startswith("__c"):
        window.categories.setdefault(key, {})[str(value)] = int(row["n"])
        return
    if layout.multiclass:  # the cells are added by _add_cells
        window.groups.setdefault(key, {})[str(value)] = (int(row["n"]), {})
        return
    target = _regression(row) if layout.task == "regression" else _confusion(row)
    entry = (int(row["n"]), target) if layout.task == "regression" else target
    window.groups.setdefault(key, {})[str(value)] = entry


# --- sorted streams -------------------------------------------------------------------------

_NUMPY_TYPES = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64,
                pa.float32(): np.float32, pa.float64(): np.float64}


def plain_numpy(array: pa.Array) -> np.ndarray:
    """A primitive Arrow column of a sorted stream as NumPy; the streams are null-free by
    their SQL, so a null here is a bug, not data to drop."""
    values, valid = numpy_column(array)
    if valid is not None:
        raise ValueError("a sorted stream column holds nulls")
    return values


def windows_of(batches: Iterable[pa.RecordBatch], value_columns: list[str]) -> Iterator[tuple[int, list[np.ndarray]]]:
    """Regroup record batches sorted by ``__w`` into one set of arrays per window."""
    current: int | None = None
    parts: list[list[np.ndarray]] = [[] for _ in value_columns]
    for batch in batches:
        w = plain_numpy(batch.column(0))
        if len(w) == 0:
            continue
        cuts = np.flatnonzero(w[1:] != w[:-1]) + 1
        bounds = [0, *cuts.tolist(), len(w)]
        arrays = [plain_numpy(batch.column(i + 1)) for i in range(len(value_columns))]
        for lo, hi in itertools.pairwise(bounds):
            window = int(w[lo])
            if current is not None and window != current:
                yield current, [np.concatenate(p) for p in parts]
                parts = [[] for _ in value_columns]
            current = window
            for store, array in zip(parts, arrays, strict=True):
                store.append(array[lo:hi])
    if current is not None:
        yield current, [np.concatenate(p) for p in parts]


def numpy_column(array: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray | None]:
    """A primitive Arrow column as (NumPy values, validity mask or ``None`` when no nulls).

    Read straight from the Arrow buffers: ``to_numpy`` and the compute kernels that take
    Python scalars import pandas (a fifth of a second) just to rule out pandas objects.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type not in _NUMPY_TYPES:
        raise TypeError(f"expected a numeric Arrow column, got {array.type}")
    values = np.frombuffer(array.buffers()[1], dtype=_NUMPY_TYPES[array.type], count=len(array),
                           offset=array.offset)
    bitmap = array.buffers()[0]
    if array.null_count == 0 or bitmap is None:
        return values, None
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return values, bits[array.offset:array.offset + len(array)].view(bool)


def table_windows(table: pa.Table) -> Iterator[tuple[int, list[tuple[np.ndarray, np.ndarray | None]]]]:
    """Split a table whose first column is ``__w`` into per-window (values, validity) columns.

    The rows come in any order: a stable radix sort of the small window indices groups
    them, which is far cheaper than asking the database to ORDER BY the window.
    """
    if table.num_rows == 0:
        return
    w, _ = numpy_column(table.column(0))
    low = int(w.min())
    order = np.argsort((w - low).astype(np.int16 if int(w.max()) - low < 2**15 else np.int64), kind="stable")
    ordered = w[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    columns = [numpy_column(table.column(i)) for i in range(1, table.num_columns)]
    for lo, hi in itertools.pairwise([0, *cuts.tolist(), len(w)]):
        rows = order[lo:hi]
        yield int(ordered[lo]), [(v[rows], None if m is None else m[rows]) for v, m in columns]


def sorted_values(column: tuple[np.ndarray, np.ndarray | None] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The non-null values of a column, sorted, as float64."""
    values, valid = column if isinstance(column, tuple) else numpy_column(column)
    kept = values if valid is None else values[valid]
    return np.sort(kept.astype(np.float64, copy=False))


def window_auc(scores: tuple[np.ndarray, np.ndarray | None], labels: tuple[np.ndarray, np.ndarray | None]
               ) -> float | None:
    """Exact ROC AUC of one window from its unsorted (values, validity) score and label columns."""
    score, label = scores[0].astype(np.float64, copy=False), labels[0]
    scored = np.ones(len(score), dtype=bool) if scores[1] is None else scores[1]
    if labels[1] is not None:
        scored = scored & labels[1]
    return auc_of_classes(score[scored & (label == 1)], score[scored & (label == 0)])


def numeric_stream(batches: Iterable[pa.RecordBatch], reference: NumericReference | None
                   ) -> tuple[NumericReference, dict[int, dict[str, Any]]]:
    """Drift per window of one feature; the reference comes first in the stream (``-1``) or is given."""
    ref = reference
    out: dict[int, dict[str, Any]] = {}
    for window, (values,) in windows_of(batches, ["x"]):
        if window == REFERENCE:
            ref = NumericReference.from_sorted(values.astype(np.float64))
            continue
        out[window] = numeric_drift(ref or NumericReference.from_sorted(np.empty(0)), values.astype(np.float64))
    return ref or NumericReference.from_sorted(np.empty(0)), out


def auc_stream(batches: Iterable[pa.RecordBatch]) -> dict[int, float | None]:
    """Exact ROC AUC per window from (score, label) sorted by window then score."""
    out: dict[int, float | None] = {}
    for window, (scores, labels) in windows_of(batches, ["score", "label"]):
        acc = AucAccumulator()
        acc.add(scores.astype(np.float64), labels.astype(np.float64))
        out[window] = acc.result()
    return out
