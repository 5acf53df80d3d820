"""``haechi esg`` commands for sites and lines: import-production, kpi, effect, site, link.

Registered on the same Typer app as :mod:`haechi.cli.esg`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, print_table, success
from .esg import app, day, window
from .language import korean, tr, vocabulary

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
    result = hc.esg.import_production(cli_actor(hc, org), file, site=site, line=line, country=country, replace=replace)
    emit(
        result,
        fmt,
        table=lambda r: success(tr(
            "esg.periods_imported", "{n} period(s) imported for {site}/{line} ({start} – {end}), {replaced} replaced",
            n=r["rows"], site=site, line=line, start=r["from"], end=r["to"], replaced=r["replaced"])),
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
        table=lambda _: print_table(rows, ("kpi", "value", "reason"), title=f"{site}/{line or '*'}"),
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
    control_line: str | None = typer.Option(
        None, help="a line of the same site the system does not act on (difference in differences)"
    ),
    block_length: int = typer.Option(1, help="moving-block length in periods (1 = periods independent)"),
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
        control_line=control_line,
    )
    rows = [
        {"line": f"{x['site']}/{x['line']}", **e, "interval": [e["ci_low"], e["ci_high"]],
         "kpi": vocabulary("esg.kpis", e["kpi"]), "verdict": vocabulary("esg.verdict", e["verdict"])}
        for x in result["links"]
        for e in x["effects"]
    ]

    def show(data: dict[str, Any]) -> None:
        print_table(rows, EFFECT_COLUMNS)
        success(data["label_ko"] if korean() else data["label"])

    emit(result, fmt, table=show)


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
        table=lambda r: success(tr("esg.site", "site {id} ({country})", id=r["id"],
                                      country=r["country"] or tr("esg.no_country", "no country"))),
    )


@app.command("link")
def link(
    system: str = typer.Argument(...),
    site: str = typer.Option(...),
    line: str = typer.Option(...),
    kpis: list[str] = typer.Option([], "--kpi", help="KPIs (default: from the card's lifecycle_stage)"),
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
        table=lambda r: success(tr("esg.linked", "linked {system} → {site}/{line}: {kpis}", system=system, site=site,
                                        line=line, kpis=", ".join(vocabulary("esg.kpis", k) for k in r["kpis"]))),
    )
