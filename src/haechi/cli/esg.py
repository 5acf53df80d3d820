"""``haechi esg …``: energy and emissions of AI, production KPIs, effects, the ESG report.

Names follow ``spec/esg.md``: ``record``, ``import-codecarbon``, ``import-production``,
``kpi``, ``effect`` and ``report``; helpers ``site``, ``link``, ``instrument``,
``social``, ``records`` and ``factors``.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from haechi.domain.dates import check_date
from haechi.domain.errors import Issue, ValidationFailed
from haechi.esg import factors
from haechi.esg.energy import Device
from haechi.esg.render import render

from .common import (
    Format,
    FormatOption,
    OrgOption,
    cli_actor,
    emit,
    open_haechi,
    print_table,
    success,
)
from .language import korean, tr, vocabulary

app = typer.Typer(
    help="ESG: energy and emissions of AI systems, industrial KPIs, effects, reports.",
    no_args_is_help=True,
)


class ReportFormat(StrEnum):
    json = "json"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


def day(value: str | None, option: str) -> dt.date | None:
    """Parse a YYYY-MM-DD option with a clear message."""
    if value is None:
        return None
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{option}: '{value}' is not a date",
            issues=[Issue(option, f"'{value}' is not a date", "write YYYY-MM-DD")],
            key="cli.not_date", values={"value": value, "option": option},
        ) from None
    return check_date(parsed, option)


def required_day(value: str, option: str) -> dt.date:
    parsed = day(value, option)
    assert parsed is not None
    return parsed


def window(value: str | None, option: str) -> tuple[dt.date, dt.date] | None:
    """``FROM:TO`` → two dates."""
    if value is None:
        return None
    start, sep, end = value.partition(":")
    if not sep:
        raise ValidationFailed(
            f"{option}: write FROM:TO", key="esg.window_format", values={"option": option},
            issues=[Issue(option, "missing ':'", "e.g. 2026-01-01:2026-05-31")],
        )
    return required_day(start, option), required_day(end, option)


def device(value: str) -> Device:
    """``KIND:TDP_W[:COUNT[:UTILISATION]]`` → :class:`Device`."""
    parts = value.split(":")
    try:
        return Device(
            parts[0],
            float(parts[1]),
            int(parts[2]) if len(parts) > 2 else 1,
            float(parts[3]) if len(parts) > 3 else 0.5,
        )
    except (IndexError, ValueError):
        raise ValidationFailed(
            f"--device '{value}' is not KIND:TDP_W[:COUNT[:UTILISATION]]",
            key="esg.device_format", values={"value": value},
            issues=[Issue("--device", "bad device", "e.g. gpu:400:8:0.6")],
        ) from None


def _energy_words(r: dict[str, Any]) -> dict[str, Any]:
    """An energy record in the dashboard's words for a Korean reader (codes otherwise)."""
    if not korean():
        return r
    quality = vocabulary("esg.quality_of", r["method"])
    if r.get("factor_fallback"):
        quality += f"; {vocabulary('esg', 'factor_fallback')} ({r['factor_fallback']})"
    if not r.get("pue_given", True):
        quality += f"; {vocabulary('esg', 'pue_not_given')}"
    return r | {"activity": vocabulary("esg.activities", r["activity"]),
                "method": vocabulary("esg.method", r["method"]), "data_quality": quality}


def _energy_table(records: list[dict[str, Any]]) -> None:
    print_table(
        [_energy_words(r) for r in records],
        (
            "id",
            "system",
            "activity",
            "method",
            "start",
            "end",
            "kwh",
            "pue",
            "facility_kwh",
            "emissions_location_tco2e",
            "factor_id",
            "data_quality",
        ),
    )


@app.command("record")
def record(
    system: str = typer.Argument(..., help="system id"),
    activity: str = typer.Option(..., help="training | fine_tuning | inference | evaluation"),
    kwh: float | None = typer.Option(None, help="IT energy in kWh (omit with --device/--hours)"),
    start: str = typer.Option(..., help="first day YYYY-MM-DD"),
    end: str = typer.Option(..., help="last day YYYY-MM-DD (inclusive)"),
    country: str | None = typer.Option(None, help="ISO country of the electricity, e.g. KR"),
    pue: float | None = typer.Option(None, help="data-centre PUE (1.0 when not given)"),
    method: str = typer.Option("metered", help="metered | estimated"),
    note: str | None = typer.Option(None),
    inferences: int | None = typer.Option(None, help="inferences served in the range (else monitoring event counts)"),
    devices: list[str] = typer.Option([], "--device", help="estimate: KIND:TDP_W[:COUNT[:UTIL]]"),
    hours: float | None = typer.Option(None, help="estimate: hours the devices ran"),
    factor: str | None = typer.Option(None, help="use this factor id instead of the dated rule"),
    factor_fallback: str = typer.Option("none", help="none | later | world (flagged)"),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Record the energy of a system for one activity (the method is always stored)."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    common: dict[str, Any] = dict(
        activity=activity,
        start=required_day(start, "--start"),
        end=required_day(end, "--end"),
        country=country,
        pue=pue,
        note=note,
        inference_count=inferences,
        factor_id=factor,
        factor_fallback=factor_fallback,
    )
    if devices or hours is not None:
        result = hc.esg.estimate_energy(actor, system, devices=[device(d) for d in devices], hours=hours or 0, **common)
    elif kwh is None:
        raise ValidationFailed(
            "give --kwh, or --device and --hours for an estimate", key="esg.energy_missing",
            issues=[Issue("--kwh", "missing", "add --kwh 1250.5")],
        )
    else:
        result = hc.esg.record_energy(actor, system, kwh=kwh, method=method, **common)
    emit(result, fmt, table=lambda r: _energy_table([r]))


@app.command("import-codecarbon")
def import_codecarbon(
    system: str = typer.Argument(...),
    file: Path = typer.Argument(..., help="emissions.csv"),
    activity: str = typer.Option("training"),
    country: str | None = typer.Option(None, help="when the file has no country"),
    factor_fallback: str = typer.Option("none", help="none | later | world (flagged)"),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Import CodeCarbon runs (energy_consumed already includes CodeCarbon's PUE)."""
    hc = open_haechi()
    result = hc.esg.import_codecarbon(
        cli_actor(hc, org),
        system,
        file,
        activity=activity,
        country=country,
        factor_fallback=factor_fallback,
    )
    emit(
        result,
        fmt,
        table=lambda r: success(tr("esg.runs_imported", "{n} run(s) imported, {skipped} already there", n=r["imported"],
                                     skipped=r["skipped_duplicates"])),
    )


@app.command("report")
def report(
    frm: str = typer.Option(..., "--from"),
    to: str = typer.Option(..., "--to"),
    fmt: ReportFormat = typer.Option(ReportFormat.json, "--format", "-f"),
    lang: str | None = typer.Option(None, help="ko | en (default: HAECHI_LANG)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="file (default: standard output)"),
    org: str | None = OrgOption,
) -> None:
    """The ESG report for the organisation (JSON, HTML, PDF or XLSX; ko/en)."""
    hc = open_haechi()
    lang = lang or hc.settings.lang
    if lang not in ("ko", "en"):
        raise ValidationFailed(f"--lang '{lang}' is not ko or en", key="esg.report_lang",
                               values={"lang": lang}, issues=[Issue("--lang", "unknown", "ko | en")])
    data = hc.esg.report(cli_actor(hc, org), required_day(frm, "--from"), required_day(to, "--to"), lang=lang)
    rendered = render(data, fmt.value)
    if isinstance(rendered, dict):
        if output is None:
            emit(rendered, "json")
        else:
            output.write_text(_json(rendered))
        return
    payload = rendered.encode() if isinstance(rendered, str) else rendered
    if output is None and isinstance(rendered, bytes) and sys.stdout.isatty():
        raise ValidationFailed(
            f"a {fmt.value.upper()} report is binary: write it to a file",
            issues=[Issue("--output", "missing", f"add -o report.{fmt.value}")],
            key="cli.report_binary_write_file",
        )
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        output.write_bytes(payload)
        success(tr("passport.wrote", "wrote {file}", file=output))


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@app.command("instrument")
def instrument(
    ident: str = typer.Argument(...),
    kind: str = typer.Option(..., help="ppa | rec | green_premium | supplier_specific"),
    country: str = typer.Option(...),
    start: str = typer.Option(...),
    end: str = typer.Option(...),
    mwh: float = typer.Option(...),
    factor: float = typer.Option(0.0, help="tCO2e/MWh"),
    system: str | None = typer.Option(None, help="bind to one system"),
    note: str | None = None,
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Record a contractual instrument for market-based scope 2."""
    hc = open_haechi()
    result = hc.esg.add_instrument(
        cli_actor(hc, org),
        ident,
        kind=kind,
        country=country,
        start=required_day(start, "--start"),
        end=required_day(end, "--end"),
        mwh=mwh,
        factor=factor,
        system=system,
        note=note,
    )
    emit(result, fmt, table=lambda r: success(tr("esg.instrument", "instrument {id}: {mwh} MWh", id=r["id"],
                                                 mwh=r["mwh"])))


@app.command("social")
def social(
    indicator: str = typer.Argument(...),
    start: str = typer.Option(...),
    end: str = typer.Option(...),
    value: float | None = typer.Option(None),
    items: list[str] = typer.Option([], "--item"),
    system: str | None = typer.Option(None),
    note: str | None = typer.Option(None),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Record a social or governance indicator (workers retrained, complaints, languages …)."""
    hc = open_haechi()
    result = hc.esg.record_social(
        cli_actor(hc, org),
        indicator,
        start=required_day(start, "--start"),
        end=required_day(end, "--end"),
        value=value,
        items=items or None,
        system=system,
        note=note,
    )
    emit(result, fmt, table=lambda r: success(tr("esg.recorded", "recorded {indicator}", indicator=indicator)))


@app.command("records")
def records(
    system: str | None = typer.Argument(None),
    frm: str | None = typer.Option(None, "--from"),
    to: str | None = typer.Option(None, "--to"),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Energy records with method, PUE, factor and emissions."""
    hc = open_haechi()
    result = hc.esg.energy_records(cli_actor(hc, org), system, day(frm, "--from"), day(to, "--to"))
    emit(result, fmt, table=_energy_table)


@app.command("factors")
def list_factors(country: str | None = typer.Option(None), fmt: Format = FormatOption) -> None:
    """Shipped grid factors with year, publication date and source."""
    sources = factors.load_sources()
    rows = [f.to_dict(sources) for f in factors.load_factors() if not country or f.country == country.upper()]
    emit(
        rows,
        fmt,
        table=lambda r: print_table([f | {"tier": _tier(f["tier"])} for f in r],
                                    ("id", "country", "value", "year", "published", "tier", "source")),
    )


def _tier(tier: str) -> str:
    """How far a factor can be trusted, best first (the JSON keeps the code)."""
    words = {"official": tr("esg.tier_official", "official"), "dataset": tr("esg.tier_dataset", "dataset"),
             "legacy": tr("esg.tier_legacy", "legacy"), "fallback": tr("esg.tier_fallback", "fallback")}
    return words.get(tier, tier)


# The site and line commands register themselves on ``app``.
from . import esg_lines  # noqa: E402,F401
