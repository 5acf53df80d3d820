"""Read CodeCarbon ``emissions.csv`` files into energy records (no codecarbon import).

CodeCarbon writes one row per tracked run: ``timestamp`` (end of the run, local time),
``duration`` (s), ``energy_consumed`` (kWh, *already multiplied by its ``pue``*),
``emissions`` (kg) and the country as ISO alpha-3. Haechi stores the IT energy
(``energy_consumed / pue``) with the PUE, so facility energy comes out the same, and
computes emissions with its own dated factors; CodeCarbon's own figure is kept beside
for comparison.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from haechi.domain.errors import IssueCollector

from .tabular import Table, is_blank, parse_instant, parse_number

REQUIRED = ("timestamp", "run_id", "duration", "energy_consumed")
KEPT_DETAILS = (
    "project_name",
    "experiment_id",
    "cloud_provider",
    "cloud_region",
    "region",
    "cpu_model",
    "gpu_model",
    "gpu_count",
    "tracking_mode",
    "codecarbon_version",
)


@dataclass
class CodeCarbonRun:
    """One run, ready to become an energy record with ``method = codecarbon``."""

    external_id: str
    start: dt.date
    end: dt.date
    kwh: float
    pue: float
    country: str | None
    details: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _alpha3_to_alpha2() -> dict[str, str]:
    text = resources.files("haechi.esg").joinpath("data/country_codes.json").read_text("utf-8")
    codes: dict[str, str] = json.loads(text)
    return codes


def country_alpha2(code: str) -> str | None:
    """ISO alpha-2 from an alpha-2 or alpha-3 code; ``None`` when unknown."""
    code = code.strip().upper()
    if len(code) == 2 and code in _alpha3_to_alpha2().values():
        return code
    return _alpha3_to_alpha2().get(code)


def parse_codecarbon(table: Table) -> list[CodeCarbonRun]:
    """Every run of the file, or ``ValidationFailed`` naming each bad line and column."""
    issues = IssueCollector(file=table.source)
    for col in REQUIRED:
        if col not in table.columns:
            issues.add(
                col,
                "required column is missing",
                "give the emissions.csv written by CodeCarbon (it has this column)",
            )
    if not table.rows:
        issues.add("", "the file has no runs", "run a CodeCarbon tracker first")
    issues.raise_if_any(
        f"{table.source}: not a CodeCarbon emissions file",
        f"{table.source}: CodeCarbon emissions.csv 형식이 아닙니다",
    )
    runs = [run for number, raw in table.rows if (run := _parse_run(table, number, raw, issues))]
    issues.raise_if_any(
        f"{table.source}: {len(issues.issues)} problem(s); nothing was imported",
        f"{table.source}: 문제 {len(issues.issues)}건, 아무것도 가져오지 않았습니다",
    )
    return runs


def _parse_run(table: Table, number: int, raw: dict[str, Any], issues: IssueCollector) -> CodeCarbonRun | None:
    line = table.line(number)
    before = len(issues.issues)

    def number_of(col: str, default: float | None = None) -> float:
        cell = raw.get(col)
        if is_blank(cell) and default is not None:
            return default
        try:
            value = parse_number(cell)
        except ValueError as exc:
            issues.add(table.locate(number, col), str(exc), "write a number of zero or more", line)
            return 0.0
        if value < 0:
            issues.add(
                table.locate(number, col),
                f"negative value {value:g}",
                "write a number of zero or more",
                line,
            )
        return value

    duration, energy, pue = (
        number_of("duration"),
        number_of("energy_consumed"),
        number_of("pue", 1.0),
    )
    if pue < 1.0 and len(issues.issues) == before:
        issues.add(
            table.locate(number, "pue"),
            f"PUE {pue:g} is below 1",
            "PUE is facility ÷ IT energy, so at least 1",
            line,
        )
    try:
        end = parse_instant(raw.get("timestamp"))
    except ValueError as exc:
        issues.add(
            table.locate(number, "timestamp"),
            str(exc),
            "keep CodeCarbon's timestamp as written",
            line,
        )
        return None
    country = _country(table, number, raw, issues)
    if len(issues.issues) > before:
        return None
    start = end - dt.timedelta(seconds=duration)
    details = {k: raw[k] for k in KEPT_DETAILS if k in raw and not is_blank(raw[k])}
    details["codecarbon_emissions_kg"] = _optional_number(raw.get("emissions"))
    details["codecarbon_energy_consumed_kwh"] = energy
    details["duration_s"] = duration
    return CodeCarbonRun(
        f"{raw['run_id']}@{raw['timestamp']}",
        start.date(),
        end.date(),
        energy / pue,
        pue,
        country,
        details,
    )


def _country(table: Table, number: int, raw: dict[str, Any], issues: IssueCollector) -> str | None:
    cell = raw.get("country_iso_code")
    if is_blank(cell):
        return None
    code = country_alpha2(str(cell))
    if code is None:
        issues.add(
            table.locate(number, "country_iso_code"),
            f"unknown country code '{cell}'",
            "use an ISO 3166-1 code such as KOR",
            table.line(number),
        )
    return code


def _optional_number(cell: Any) -> float | None:
    if is_blank(cell):
        return None
    try:
        return parse_number(cell)
    except ValueError:
        return None
