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
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{option}: '{value}' is not a date",
            issues=[Issue(option, f"'{value}' is not a date", "write YYYY-MM-DD")],
            message_ko=f"{option}: 날짜 형식은 YYYY-MM-DD입니다",
        ) from None


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
            f"{option}: write FROM:TO",
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
            issues=[Issue("--device", "bad device", "e.g. gpu:400:8:0.6")],
        ) from None


EFFECT_COLUMNS = (
    "line",
    "kpi",
    "before",
    "after",
    "difference",
    "interval",
    "n_before",
    "n_after",
    "verdict",
)


def _energy_table(records: list[dict[str, Any]]) -> None:
    print_table(
        records,
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
    inferences: int | None = typer.Option(
        None, help="inferences served in the range (else monitoring event counts)"
    ),
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
        result = hc.esg.estimate_energy(
            actor, system, devices=[device(d) for d in devices], hours=hours or 0, **common
        )
    elif kwh is None:
        raise ValidationFailed(
            "give --kwh, or --device and --hours for an estimate",
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
        table=lambda r: success(
            f"{r['imported']} run(s) imported, {r['skipped_duplicates']} already there"
        ),
    )


@app.command("import-production")
def import_production(
    file: Path = typer.Argument(..., help="CSV or Parquet, one row per day or shift"),
    site: str = typer.Option(...),
    line: str = typer.Option(...),
    country: str | None = typer.Option(None, help="site country (first import)"),
    replace: bool = typer.Option(False, help="replace stored periods that overlap"),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Import production, maintenance and safety periods (all rows or none)."""
    hc = open_haechi()
    result = hc.esg.import_production(
        cli_actor(hc, org), file, site=site, line=line, country=country, replace=replace
    )
    emit(
        result,
        fmt,
        table=lambda r: success(
            f"{r['rows']} period(s) imported for {site}/{line} ({r['from']} – {r['to']}), "
            f"{r['replaced']} replaced"
        ),
    )


@app.command("kpi")
def kpi(
    site: str = typer.Option(...),
    line: str | None = typer.Option(None, help="one line (default all)"),
    frm: str | None = typer.Option(None, "--from"),
    to: str | None = typer.Option(None, "--to"),
    by_month: bool = typer.Option(False, help="add the monthly series"),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """KPIs over a period: sums first, then ratios; null with a reason on a zero denominator."""
    hc = open_haechi()
    result = hc.esg.kpi(
        cli_actor(hc, org),
        site=site,
        line=line,
        frm=day(frm, "--from"),
        to=day(to, "--to"),
        by_month=by_month,
    )
    rows = [
        {"kpi": k, "value": result[k], "reason": result["reasons"].get(k)}
        for k in result
        if k not in ("site", "line", "from", "to", "reasons", "coverage", "months")
    ]
    emit(
        result,
        fmt,
        table=lambda _: print_table(
            rows, ("kpi", "value", "reason"), title=f"{site}/{line or '*'}"
        ),
    )


@app.command("effect")
def effect(
    system: str = typer.Argument(...),
    kpi_name: str | None = typer.Option(None, "--kpi"),
    site: str | None = typer.Option(None),
    line: str | None = typer.Option(None),
    at: str | None = typer.Option(None, help="split date (default: deployment date)"),
    before: str | None = typer.Option(None, help="FROM:TO"),
    after: str | None = typer.Option(None, help="FROM:TO"),
    resamples: int = typer.Option(4000),
    seed: int = typer.Option(20260122),
    block_length: int = typer.Option(
        1, help="moving-block length in periods (1 = periods independent)"
    ),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """KPI before vs after the AI system, with a bootstrap 95% interval (observed, not causal)."""
    hc = open_haechi()
    result = hc.esg.effect(
        cli_actor(hc, org),
        system,
        kpi=kpi_name,
        site=site,
        line=line,
        at=day(at, "--at"),
        before=window(before, "--before"),
        after=window(after, "--after"),
        resamples=resamples,
        seed=seed,
        block_length=block_length,
    )
    rows = [
        {"line": f"{x['site']}/{x['line']}", **e, "interval": [e["ci_low"], e["ci_high"]]}
        for x in result["links"]
        for e in x["effects"]
    ]

    def show(data: dict[str, Any]) -> None:
        print_table(rows, EFFECT_COLUMNS)
        success(data["label"])

    emit(result, fmt, table=show)


@app.command("report")
def report(
    frm: str = typer.Option(..., "--from"),
    to: str = typer.Option(..., "--to"),
    fmt: ReportFormat = typer.Option(ReportFormat.json, "--format", "-f"),
    lang: str = typer.Option("en", help="ko | en"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="file (default: standard output)"
    ),
    org: str | None = OrgOption,
) -> None:
    """The ESG report for the organisation (JSON, HTML, PDF or XLSX; ko/en)."""
    if lang not in ("ko", "en"):
        raise ValidationFailed(
            f"--lang '{lang}' is not ko or en", issues=[Issue("--lang", "unknown", "ko | en")]
        )
    hc = open_haechi()
    data = hc.esg.report(
        cli_actor(hc, org), required_day(frm, "--from"), required_day(to, "--to"), lang=lang
    )
    rendered = render(data, fmt.value)
    if isinstance(rendered, dict):
        if output is None:
            emit(rendered, "json")
        else:
            output.write_text(_json(rendered))
        return
    payload = rendered.encode() if isinstance(rendered, str) else rendered
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        output.write_bytes(payload)
        success(f"wrote {output}")


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@app.command("site")
def site(
    slug: str = typer.Argument(...),
    country: str | None = typer.Option(None),
    name: str | None = typer.Option(None),
    name_ko: str | None = typer.Option(None),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Create or update a site (its country selects the factor for avoided emissions)."""
    hc = open_haechi()
    emit(
        hc.esg.set_site(cli_actor(hc, org), slug, country=country, name=name, name_ko=name_ko),
        fmt,
        table=lambda r: success(f"site {r['id']} ({r['country'] or 'no country'})"),
    )


@app.command("link")
def link(
    system: str = typer.Argument(...),
    site: str = typer.Option(...),
    line: str = typer.Option(...),
    kpis: list[str] = typer.Option(
        [], "--kpi", help="KPIs (default: from the card's lifecycle_stage)"
    ),
    deployed_at: str | None = typer.Option(None, help="split date if not the card's deployed_at"),
    note: str | None = typer.Option(None),
    org: str | None = OrgOption,
    fmt: Format = FormatOption,
) -> None:
    """Link an AI system to the line whose KPIs it acts on."""
    hc = open_haechi()
    result = hc.esg.link(
        cli_actor(hc, org),
        system,
        site=site,
        line=line,
        kpis=kpis or None,
        deployed_at=day(deployed_at, "--deployed-at"),
        note=note,
    )
    emit(
        result,
        fmt,
        table=lambda r: success(f"linked {system} → {site}/{line}: {', '.join(r['kpis'])}"),
    )


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
    emit(result, fmt, table=lambda r: success(f"instrument {r['id']}: {r['mwh']} MWh"))


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
    emit(result, fmt, table=lambda r: success(f"recorded {indicator}"))


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
    rows = [
        f.to_dict(sources)
        for f in factors.load_factors()
        if not country or f.country == country.upper()
    ]
    emit(
        rows,
        fmt,
        table=lambda r: print_table(
            r, ("id", "country", "value", "year", "published", "tier", "source")
        ),
    )
