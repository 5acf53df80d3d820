"""Model versions side by side: the rows the CLI and the Monitoring tab show for windows
that ran more than one version (pure and light: the catalogue only, no engine imports)."""

from __future__ import annotations

from typing import Any

from .metrics.catalog import table_columns, worst


def side_by_side(windows: list[dict[str, Any]], task: str, last: int | None = None) -> list[dict[str, Any]]:
    """One row per window and model version, for the windows that ran more than one version
    (a canary beside the incumbent; the ``last`` of them): ``start``, ``version`` and, per
    column of the ``haechi monitor run`` table, the version's worst value in the window."""
    columns = {c: names for c, names in table_columns(task).items() if c != "n_labeled"}
    compared = [w for w in windows if len(w.get("versions") or {}) > 1]
    rows = []
    for w in compared[-last:] if last else compared:
        for version, shown in w["versions"].items():
            row: dict[str, Any] = {"start": w["start"], "version": version}
            for column, names in columns.items():
                row[column] = next((v for v in (worst(shown, m) for m in names) if v is not None), None)
            rows.append(row)
    return rows


def side_by_side_metrics(task: str) -> dict[str, str]:
    """The table's columns → the metric whose name heads it (the first of the column)."""
    return {c: names[0] for c, names in table_columns(task).items() if c != "n_labeled"}
