"""Validate production, maintenance and safety rows into :class:`Period` records.

The import is all or nothing: every problem in the file is collected (up to a limit)
and reported with its line/row and column, and nothing is returned unless the whole
file is sound. Columns follow ``spec/esg.md``; a few accept another unit in their
suffix (``energy_mwh``, ``ideal_cycle_time_min``, ``waste_t`` …) and are converted.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from typing import Any

from haechi.domain.errors import IssueCollector

from .kpi import MEASURES, Period
from .tabular import Table, is_blank, parse_instant, parse_number

REQUIRED = (
    "period_start",
    "period_end",
    "planned_busy_time_h",
    "actual_production_time_h",
    "produced_qty",
    "good_qty",
)
# base name -> (canonical unit suffix, {accepted suffix: factor to the canonical unit})
UNIT_COLUMNS: dict[str, tuple[str, dict[str, float]]] = {
    "energy": (
        "kwh",
        {"kwh": 1.0, "mwh": 1000.0, "wh": 0.001, "gj": 1e9 / 3.6e6, "mj": 1e6 / 3.6e6},
    ),
    "ideal_cycle_time": ("s", {"s": 1.0, "ms": 0.001, "min": 60.0}),
    "planned_busy_time": ("h", {"h": 1.0, "min": 1 / 60}),
    "actual_production_time": ("h", {"h": 1.0, "min": 1 / 60}),
    "unplanned_downtime": ("h", {"h": 1.0, "min": 1 / 60}),
    "repair_time": ("h", {"h": 1.0, "min": 1 / 60}),
    "material": ("kg", {"kg": 1.0, "t": 1000.0}),
    "waste": ("kg", {"kg": 1.0, "t": 1000.0}),
}
COUNT_COLUMNS = (
    "produced_qty",
    "good_qty",
    "scrap_qty",
    "first_pass_good_qty",
    "failures",
    "recordable_injuries",
    "lost_time_injuries",
)
KNOWN = ("period_start", "period_end", *MEASURES)
MAX_ISSUES = 50
TOLERANCE = 1e-6


@dataclass
class ParsedProduction:
    """The outcome of a sound file: periods in time order and what was converted or ignored."""

    periods: list[Period]
    rows: list[int]
    conversions: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)


def _column_map(table: Table, issues: IssueCollector) -> tuple[dict[str, tuple[str, float]], list[str]]:
    """File column -> (canonical column, factor); flags unknown units and likely typos."""
    mapping: dict[str, tuple[str, float]] = {}
    ignored = []
    for col in table.columns:
        if col in KNOWN and col.rsplit("_", 1)[0] not in UNIT_COLUMNS:
            mapping[col] = (col, 1.0)
            continue
        if col in UNIT_COLUMNS:
            issues.add(
                col,
                "the column name has no unit",
                f"name it {col}_{UNIT_COLUMNS[col][0]} (or another unit: {', '.join(UNIT_COLUMNS[col][1])})",
            )
            continue
        base, _, unit = col.rpartition("_")
        if base in UNIT_COLUMNS:
            canonical, units = UNIT_COLUMNS[base]
            if unit in units:
                mapping[col] = (f"{base}_{canonical}", units[unit])
            else:
                issues.add(
                    col,
                    f"unknown unit '{unit}' for {base.replace('_', ' ')}",
                    f"name the column {base}_<unit> with unit one of: {', '.join(units)}",
                )
            continue
        close = difflib.get_close_matches(col, KNOWN, n=1, cutoff=0.8)
        if close:
            issues.add(col, "unknown column", f"did you mean '{close[0]}'?")
        else:
            ignored.append(col)
    return mapping, ignored


def parse_production(table: Table) -> ParsedProduction:
    """Check every row of ``table`` and return the periods, or raise ``ValidationFailed``."""
    issues = IssueCollector(file=table.source)
    mapping, ignored = _column_map(table, issues)
    present = {canonical for canonical, _ in mapping.values()}
    for col in REQUIRED:
        if col not in present:
            issues.add(col, "required column is missing", f"add a column '{col}' (see docs/esg.md)")
    if not table.rows:
        issues.add("", "the file has no data rows", "add one row per day or shift")
    issues.raise_if_any(
        f"{table.source}: cannot import production data",
        f"{table.source}: 생산 데이터를 가져올 수 없습니다",
    )
    periods, numbers = [], []
    for number, raw in table.rows:
        period = _parse_row(table, number, raw, mapping, issues)
        if period is not None:
            periods.append(period)
            numbers.append(number)
        if len(issues.issues) >= MAX_ISSUES:
            break
    _check_overlaps(table, periods, numbers, issues)
    issues.raise_if_any(
        f"{table.source}: {len(issues.issues)} problem(s); nothing was imported",
        f"{table.source}: 문제 {len(issues.issues)}건, 아무것도 가져오지 않았습니다",
    )
    conversions = {col: f"{canonical} ×{factor:g}" for col, (canonical, factor) in mapping.items() if col != canonical}
    order = sorted(range(len(periods)), key=lambda i: periods[i].period_start)
    return ParsedProduction([periods[i] for i in order], [numbers[i] for i in order], conversions, ignored)


def _parse_row(
    table: Table,
    number: int,
    raw: dict[str, Any],
    mapping: dict[str, tuple[str, float]],
    issues: IssueCollector,
) -> Period | None:
    line = number if table.line_numbers else None
    before = len(issues.issues)
    values: dict[str, Any] = {}
    for col, (canonical, factor) in mapping.items():
        cell = raw.get(col)
        if is_blank(cell):
            if canonical in REQUIRED:
                issues.add(
                    table.locate(number, col),
                    "empty value in a required column",
                    "fill it in",
                    line,
                )
            continue
        try:
            if canonical in ("period_start", "period_end"):
                values[canonical] = parse_instant(cell, end=canonical == "period_end")
            else:
                values[canonical] = _non_negative(parse_number(cell) * factor, canonical)
        except ValueError as exc:
            issues.add(table.locate(number, col), str(exc), _fix_for(canonical), line)
    if len(issues.issues) > before:
        return None
    period = Period(**values)
    for column, message, fix in _impossible(period):
        issues.add(table.locate(number, column), message, fix, line)
    return None if len(issues.issues) > before else period


def _non_negative(value: float, column: str) -> float:
    if value < 0:
        raise ValueError(f"negative value {value:g}")
    if column in COUNT_COLUMNS and value != int(value):
        raise ValueError(f"{value:g} is not a whole number of units or events")
    return value


def _fix_for(column: str) -> str:
    if column in ("period_start", "period_end"):
        return "write YYYY-MM-DD or YYYY-MM-DDTHH:MM (an offset such as +09:00 is allowed)"
    return "write a number of zero or more"


def _impossible(p: Period) -> list[tuple[str, str, str]]:
    """Values that cannot all be true at once, as (column, message, fix)."""
    problems = []
    hours = (p.period_end - p.period_start).total_seconds() / 3600
    if hours <= 0:
        return [
            (
                "period_end",
                "the period ends before it starts",
                "make period_end later than period_start",
            )
        ]
    if p.planned_busy_time_h > hours + TOLERANCE:
        problems.append(
            (
                "planned_busy_time_h",
                f"{p.planned_busy_time_h:g} h planned in a {hours:g} h period",
                "planned busy time cannot exceed the period length",
            )
        )
    if p.actual_production_time_h > p.planned_busy_time_h + TOLERANCE:
        problems.append(
            (
                "actual_production_time_h",
                f"actual production time {p.actual_production_time_h:g} h exceeds "
                f"planned busy time "
                f"{p.planned_busy_time_h:g} h (availability over 100%)",
                "check both times; APT is part of PBT",
            )
        )
    if p.good_qty > p.produced_qty:
        problems.append(
            (
                "good_qty",
                f"more good units ({p.good_qty:g}) than produced ({p.produced_qty:g})",
                "good_qty must be at most produced_qty",
            )
        )
    if p.scrap_qty is not None and p.good_qty + p.scrap_qty > p.produced_qty:
        problems.append(
            (
                "scrap_qty",
                f"good ({p.good_qty:g}) + scrap ({p.scrap_qty:g}) exceed produced ({p.produced_qty:g})",
                "good and scrapped units are both part of produced_qty",
            )
        )
    if p.first_pass_good_qty is not None and p.first_pass_good_qty > p.good_qty:
        problems.append(
            (
                "first_pass_good_qty",
                f"first-pass good units ({p.first_pass_good_qty:g}) exceed good units ({p.good_qty:g})",
                "first-pass good units are a subset of good units",
            )
        )
    ideal = p.value("ideal_run_time_h")
    if ideal is not None and ideal > p.actual_production_time_h + TOLERANCE:
        problems.append(
            (
                "ideal_cycle_time_s",
                f"ideal run time {ideal:g} h exceeds actual production time "
                f"{p.actual_production_time_h:g} h (performance over 100%)",
                "check ideal_cycle_time_s (seconds per unit) and produced_qty",
            )
        )
    for column in ("unplanned_downtime_h", "repair_time_h"):
        value = getattr(p, column)
        if value is not None and value > hours + TOLERANCE:
            problems.append(
                (
                    column,
                    f"{value:g} h in a {hours:g} h period",
                    "it cannot exceed the period length",
                )
            )
    if (
        p.lost_time_injuries is not None
        and p.recordable_injuries is not None
        and p.lost_time_injuries > p.recordable_injuries
    ):
        problems.append(
            (
                "lost_time_injuries",
                "more lost-time injuries than recordable injuries",
                "every lost-time injury is also recordable",
            )
        )
    return problems


def _check_overlaps(table: Table, periods: list[Period], numbers: list[int], issues: IssueCollector) -> None:
    order = sorted(range(len(periods)), key=lambda i: periods[i].period_start)
    for a, b in itertools.pairwise(order):
        if periods[b].period_start < periods[a].period_end:
            issues.add(
                table.locate(numbers[b], "period_start"),
                f"period overlaps the one on {table.where(numbers[a])} "
                f"({periods[a].period_start:%Y-%m-%d %H:%M}–"
                f"{periods[a].period_end:%Y-%m-%d %H:%M})",
                "periods of one line must not overlap; a date-only period_end includes that whole day",
                numbers[b] if table.line_numbers else None,
            )
