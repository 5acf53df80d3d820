"""The generative pass of the DuckDB engine: counts per window and per group in one query.

The tabular engine already computes what generative monitors share with tabular ones
(volume, drift of lengths/latency/scores/language, missing shares). This pass adds the
generative counts: released outputs and their marks, sessions that saw the notice,
outputs with personal data, refusals, safety filters, complaints, objections,
hand-overs, the latency percentiles and the mean of each app score. One ``GROUP BY GROUPING SETS`` query gives the
window totals and every group of every group column at once; DuckDB's
``quantile_cont`` interpolates linearly between order statistics, which is NumPy's
default ``percentile`` method.

A flag counts as yes when it is non-zero. A role whose column the log lacks gives null
metrics, never zeros: a deployer that does not log complaints has no complaint rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from ..engine_duckdb import DuckDBEngine, _epoch_us, _range, q, read_error
from ..sources import Source, check_columns, describe
from ..windows import WindowGrid, to_micros
from .fields import MARK_ROLES, GenerativeColumns

#: flag roles whose share of outputs is a rate metric
RATE_FLAGS: dict[str, str] = {"refusal_rate": "refused", "safety_filter_rate": "safety_triggered",
                              "complaint_rate": "complaint", "objection_rate": "objection",
                              "handover_rate": "handed_over"}
PERCENTILES = (50, 95, 99)


@dataclass
class GenCounts:
    """The generative counts of one window, or of one group in one window."""

    n: int = 0
    released: int = 0
    released_marked: int | None = None     # None: a required mark is not logged, or none is required
    c2pa_known: int = 0
    c2pa_verified: int = 0
    realistic: int = 0
    realistic_marked: int = 0
    sessions: int = 0
    noticed_sessions: int = 0
    pii_checked: int = 0
    pii_found: int = 0
    flags: dict[str, tuple[int, int]] = field(default_factory=dict)   # role → (non-null, yes)
    latency: tuple[float | None, ...] = (None, None, None)
    scores: dict[str, tuple[int, float | None]] = field(default_factory=dict)  # name → (non-null, mean)


@dataclass
class GenResult:
    """Counts per window index, and per group column → group → window index."""

    windows: dict[int, GenCounts] = field(default_factory=dict)
    groups: dict[str, dict[str, dict[int, GenCounts]]] = field(default_factory=dict)


def generative_counts(engine: DuckDBEngine, source: Source, grid: WindowGrid, windows: list[int],
                      roles: GenerativeColumns, marks: list[str], timestamp: str,
                      groups: list[str], *, explicit: set[str] | None = None) -> GenResult:
    """Count every generative quantity of ``windows`` (``explicit``: roles the spec named,
    which must exist in the log; the default names may be absent)."""
    result = GenResult(groups={g: {} for g in groups})
    if not windows:
        return result
    con = engine.connect()
    try:
        types = describe(con, source.sql, source.label)
        scores = roles.score_columns(list(types))
        wanted = [(f"generative.{r}", getattr(roles, r)) for r in sorted(explicit or ())]
        if roles.scores is not None:  # scores the spec named must be logged; found ones are
            wanted += [(f"generative.scores.{name}", column) for name, column in scores.items()]
        check_columns(types, [("timestamp", timestamp), *wanted, *[("sensitive", g) for g in groups]], source.label)
        sql = _query(source, grid, windows, roles, marks, timestamp, groups, types, list(scores.values()))
        rows = con.execute(sql).fetchall()
        names = [d[0] for d in con.description]
    except duckdb.Error as exc:
        raise read_error(exc, source.label) from None
    finally:
        con.close()
    for row in rows:
        record = dict(zip(names, row, strict=True))
        counts = _counts(record, roles, marks, types, list(scores))
        which = record["__set"]
        if which < 0:
            result.windows[record["__w"]] = counts
        elif record[f"__g{which}"] is not None:
            result.groups[groups[which]].setdefault(str(record[f"__g{which}"]), {})[record["__w"]] = counts
    return result


def _flag(column: str, types: dict[str, str]) -> str:
    """SQL of a 0/1 flag as a boolean (null when unknown or not logged)."""
    if column not in types:
        return "CAST(NULL AS BOOLEAN)"
    return f"(TRY_CAST({q(column)} AS DOUBLE) <> 0)"


def _number(column: str, types: dict[str, str]) -> str:
    if column not in types:
        return "CAST(NULL AS DOUBLE)"
    return f"nullif(TRY_CAST({q(column)} AS DOUBLE), 'NaN'::DOUBLE)"


def _yes(condition: str) -> str:
    return f"count_if(coalesce({condition}, false))"


def _query(source: Source, grid: WindowGrid, windows: list[int], roles: GenerativeColumns, marks: list[str],
           timestamp: str, groups: list[str], types: dict[str, str], scores: list[str]) -> str:
    ts_type = types[timestamp]
    ts_us = _epoch_us(timestamp, ts_type, source.label)
    origin, size = grid.origin_us, grid.size_us
    lo, hi = to_micros(grid.window(min(windows)).start), to_micros(grid.window(max(windows)).end)
    project = [f"({ts_us} - {origin}) // {size} AS __w",
               *[f"{_flag(getattr(roles, r), types)} AS {r}" for r in (
                   "released", "mark_visible", "mark_c2pa", "mark_text", "notice_shown", "c2pa_verified",
                   "realistic", *RATE_FLAGS.values())],
               f"{_number(roles.latency_ms, types)} AS latency",
               (f"CAST({q(roles.session_id)} AS VARCHAR) AS session" if roles.session_id in types
                else "CAST(NULL AS VARCHAR) AS session"),
               f"{_pii_checked(roles.pii, types)} AS pii_checked", f"{_pii_found(roles.pii, types)} AS pii_found",
               *[f"CAST({q(g)} AS VARCHAR) AS __g{i}" for i, g in enumerate(groups)],
               *[f"{_number(column, types)} AS __s{i}" for i, column in enumerate(scores)]]
    wanted = ", ".join(str(w) for w in windows)
    rows = (f"SELECT * FROM (SELECT {', '.join(project)} FROM ({source.sql}) AS src "
            f"WHERE {_range(lo, hi, ts_type, timestamp, ts_us)}) WHERE __w IN ({wanted})")
    marked = " AND ".join(f"coalesce({MARK_ROLES[m]}, false)" for m in marks) or "false"
    aggs = [
        "count(*) AS n", f"{_yes('released')} AS released", f"{_yes('released AND ' + marked)} AS released_marked",
        f"{_yes('released AND c2pa_verified IS NOT NULL')} AS c2pa_known",
        f"{_yes('released AND c2pa_verified')} AS c2pa_verified",
        f"{_yes('released AND realistic')} AS realistic",
        f"{_yes('released AND realistic AND mark_visible')} AS realistic_marked",
        "count(DISTINCT session) AS sessions",
        "count(DISTINCT CASE WHEN notice_shown THEN session END) AS noticed_sessions",
        f"{_yes('pii_checked')} AS pii_checked", f"{_yes('pii_found')} AS pii_found",
        *[f"count({flag}) AS nn_{flag}, {_yes(flag)} AS yes_{flag}" for flag in RATE_FLAGS.values()],
        f"quantile_cont(latency, [{', '.join(str(p / 100) for p in PERCENTILES)}]) AS latency",
        *[f"count(__s{i}) AS nn_s{i}, avg(__s{i}) AS mean_s{i}" for i in range(len(scores))],
    ]
    sets = ["(__w)", *[f"(__w, __g{i})" for i in range(len(groups))]]
    keys = ", ".join(f"__g{i}" for i in range(len(groups)))
    which = _set_index(len(groups))
    return (f"SELECT __w, {keys + ', ' if keys else ''}{which} AS __set, {', '.join(aggs)} FROM ({rows}) "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})")


def _set_index(n_groups: int) -> str:
    """Which grouping set a row belongs to: -1 for the window total, else the group column's index."""
    if not n_groups:
        return "-1"
    cases = " ".join(f"WHEN GROUPING(__g{i}) = 0 THEN {i}" for i in range(n_groups))
    return f"CASE {cases} ELSE -1 END"


def _pii_checked(columns: list[str], types: dict[str, str]) -> str:
    present = [c for c in columns if c in types]
    if not present:
        return "CAST(NULL AS BOOLEAN)"
    return "(" + " OR ".join(f"{q(c)} IS NOT NULL" for c in present) + ")"


def _pii_found(columns: list[str], types: dict[str, str]) -> str:
    present = [c for c in columns if c in types]
    if not present:
        return "CAST(NULL AS BOOLEAN)"
    return "(" + " OR ".join(f"coalesce(TRY_CAST({q(c)} AS DOUBLE), 0) > 0" for c in present) + ")"


def _counts(record: dict[str, Any], roles: GenerativeColumns, marks: list[str], types: dict[str, str],
            scores: list[str]) -> GenCounts:
    logged = all(getattr(roles, MARK_ROLES[m]) in types for m in marks)
    latency = record["latency"]
    return GenCounts(
        n=record["n"], released=record["released"],
        released_marked=record["released_marked"] if marks and logged else None,
        c2pa_known=record["c2pa_known"], c2pa_verified=record["c2pa_verified"],
        realistic=record["realistic"], realistic_marked=record["realistic_marked"],
        sessions=record["sessions"], noticed_sessions=record["noticed_sessions"],
        pii_checked=record["pii_checked"], pii_found=record["pii_found"],
        flags={flag: (record[f"nn_{flag}"], record[f"yes_{flag}"]) for flag in RATE_FLAGS.values()},
        latency=tuple(latency) if latency is not None else (None, None, None),
        scores={name: (record[f"nn_s{i}"], record[f"mean_s{i}"]) for i, name in enumerate(scores)})
