"""Render the ESG report as HTML, PDF (WeasyPrint) or XLSX (openpyxl), in Korean or English.

The renderers only format the JSON built by :func:`haechi.esg.report.build_report`;
they compute nothing, so every format shows the same numbers.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from haechi.domain.errors import MissingExtra, ValidationFailed

from .effect import LABEL_EN, LABEL_KO

FORMATS = ("json", "html", "pdf", "xlsx")


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    text = resources.files("haechi.esg").joinpath("data/report_text.yaml").read_text("utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def fmt(value: Any, digits: int = 1) -> str:
    """A number with thousands separators, or an em dash for null."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def pct(value: Any, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("haechi.esg", "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(fmt=fmt, pct=pct)
    return env


def render_html(report: dict[str, Any]) -> str:
    from haechi.domain.localformat import DEFAULT_ZONE, local_date, local_datetime
    from haechi.reports.render import word

    lang = report.get("lang", "en")
    tz = report.get("timezone") or DEFAULT_ZONE
    return (
        _env()
        .get_template("report.html")
        .render(r=report, t=texts()[lang], label=LABEL_KO if lang == "ko" else LABEL_EN,
                when=lambda value: local_datetime(value, lang, tz), day=lambda value: local_date(value, lang, tz),
                word=lambda group, value: word(lang, group, value), ko=lang == "ko")
    )


def render_pdf(report: dict[str, Any]) -> bytes:
    from haechi.reports.pdf import write_pdf

    return write_pdf(render_html(report), "PDF reports")


def render_xlsx(report: dict[str, Any]) -> bytes:
    """A workbook with one sheet per section, figures as numbers (not text)."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise MissingExtra("Excel reports", "exports", "openpyxl") from None
    t = texts()[report.get("lang", "en")]
    book = Workbook()
    summary = book.active
    summary.title = "summary"
    summary.append([t["organisation"], report["organisation"]])
    summary.append([t["period"], report["from"], report["to"]])
    for key in (
        "energy_kwh",
        "facility_energy_kwh",
        "emissions_location_tco2e",
        "emissions_market_tco2e",
    ):
        refs = "; ".join(f"{m['framework']} {m['ref']}" for m in report["frameworks"].get(key, []))
        summary.append([key, report[key], refs])
    _sheet(
        book,
        "by_system",
        report["by_system"],
        [
            "system",
            "energy_kwh",
            "facility_energy_kwh",
            "emissions_location_tco2e",
            "emissions_market_tco2e",
        ],
    )
    _sheet(
        book,
        "records",
        report["records"],
        [
            "id",
            "system",
            "activity",
            "method",
            "start",
            "end",
            "kwh",
            "pue",
            "facility_kwh",
            "country",
            "factor_id",
            "factor",
            "factor_year",
            "factor_source",
            "factor_fallback",
            "emissions_location_tco2e",
            "emissions_market_tco2e",
            "market_basis",
            "data_quality",
        ],
    )
    _sheet(
        book,
        "kpis",
        report["kpis"],
        [
            "site",
            "line",
            "n_periods",
            "availability",
            "performance",
            "quality",
            "oee",
            "scrap_rate",
            "first_pass_yield",
            "energy_per_good_unit_kwh",
            "unplanned_downtime_h",
            "mtbf_h",
            "mttr_h",
            "trir",
            "ltifr",
            "material_kg",
            "waste_kg",
        ],
    )
    effects = [
        {
            **e,
            "ci_low": e["interval_95"][0],
            "ci_high": e["interval_95"][1],
            "n_before": e["n"]["before"],
            "n_after": e["n"]["after"],
        }
        for e in report["effects"]
    ]
    _sheet(
        book,
        "effects",
        effects,
        [
            "system",
            "site",
            "line",
            "kpi",
            "before",
            "after",
            "difference",
            "ci_low",
            "ci_high",
            "n_before",
            "n_after",
            "verdict",
            "label",
        ],
    )
    social = [
        {**s, "value": ", ".join(s["value"]) if isinstance(s["value"], list) else s["value"]} for s in report["social"]
    ]
    _sheet(
        book,
        "social",
        social,
        ["indicator", "label", "label_ko", "value", "records", "data_quality"],
    )
    _sheet(
        book,
        "factors",
        report["factors"],
        [
            "id",
            "country",
            "value",
            "unit",
            "year",
            "published",
            "source",
            "source_name",
            "source_url",
            "note",
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Any, title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) if not isinstance(row.get(c), list | dict) else str(row.get(c)) for c in columns])


def render(report: dict[str, Any], fmt_name: str) -> bytes | str | dict[str, Any]:
    """The report as ``json`` (the dict), ``html`` (text), ``pdf`` or ``xlsx`` (bytes)."""
    if fmt_name == "json":
        return report
    if fmt_name == "html":
        return render_html(report)
    if fmt_name == "pdf":
        return render_pdf(report)
    if fmt_name == "xlsx":
        return render_xlsx(report)
    raise ValidationFailed(f"unknown report format '{fmt_name}'", key="esg.unknown_report_format",
                           values={"fmt_name": fmt_name})
