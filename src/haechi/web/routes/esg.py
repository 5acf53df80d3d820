"""ESG pages: the organisation overview, one page per site and an ESG tab per system.

Each page builds one ``data`` dict (its JSON twin with ``?format=json``); the charts
read their series from that same dict, embedded as JSON in the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor
from haechi.domain.dates import check_date
from haechi.domain.errors import Issue, ValidationFailed
from haechi.esg.effect import LABEL_EN, LABEL_KO

from ..views import local_title, page_actor, render, translator
from .systems import system_header

router = APIRouter()
PAGE_RESAMPLES = 2000
#: Charted KPIs and their units: series of one unit share one labelled y axis (OEE and scrap
#: rate both read in %), so no series is scaled against an axis the reader cannot see.
CHART_KPIS = {"oee": "share", "scrap_rate": "share", "energy_per_good_unit_kwh": "kwh_per_unit",
              "unplanned_downtime_h": "hours", "trir": "trir"}


def _period(request: Request) -> tuple[dt.date, dt.date]:
    """``?from=&to=`` or the last twelve months."""
    try:
        to = dt.date.fromisoformat(request.query_params.get("to") or dt.date.today().isoformat())
        default_from = (to - dt.timedelta(days=364)).isoformat()
        frm = dt.date.fromisoformat(request.query_params.get("from") or default_from)
    except ValueError:
        raise ValidationFailed(
            "from/to must be dates (YYYY-MM-DD)",
            issues=[Issue("from", "not a date", "write YYYY-MM-DD")],
            key="web.from_must_dates_yyyy",
        ) from None
    check_date(frm, "from")
    check_date(to, "to")
    return frm, to


def _series(values: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Chart series as a list, so their order survives JSON (``tojson`` sorts mapping keys)."""
    return [{"name": name, "data": data} for name, data in values.items()]


def _kpi_series(request: Request, months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    t = translator(request)
    return [{"name": k, "label": t(f"esg.kpis.{k}"), "unit": unit, "data": [m[k] for m in months]}
            for k, unit in CHART_KPIS.items()]


def _label(request: Request) -> str:
    return LABEL_KO if translator(request).lang == "ko" else LABEL_EN


@router.get("/esg")
def esg_overview(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Organisation totals, per-system energy and emissions, sites, report downloads."""
    hc = get_hc(request)
    frm, to = _period(request)
    report = hc.esg.report(actor, frm, to, with_effects=False)
    data = {
        "from": frm.isoformat(),
        "to": to.isoformat(),
        "totals": {
            k: report[k]
            for k in ("energy_kwh", "facility_energy_kwh", "emissions_location_tco2e", "emissions_market_tco2e")
        },
        "methods": report["methods"],
        "by_system": report["by_system"],
        "factors": report["factors"],
        "sites": hc.esg.sites(actor),
        "social": report["social"],
        "scope2_note": report["scope2_note"],
        "scope2_note_ko": report["scope2_note_ko"],
        "chart": {
            "type": "bar",
            "labels": [s["system"] for s in report["by_system"]],
            "series": _series(
                {k: [s[k] for s in report["by_system"]] for k in ("emissions_location_tco2e", "emissions_market_tco2e")}
            ),
        },
    }
    return render(request, "esg/overview.html", data, title="ESG")


@router.get("/esg/sites/{site}")
def esg_site(request: Request, site: str, actor: Actor = Depends(page_actor)) -> Response:
    """Per line: KPIs for the period, the monthly series, and the AI systems acting on it."""
    hc, t = get_hc(request), translator(request)
    frm, to = _period(request)
    info = next((s for s in hc.esg.sites(actor) if s["id"] == site), None)
    if info is None:
        hc.esg.kpi(actor, site=site)  # raises the NotFound with its fix
    assert info is not None
    links = defaultdict(list)
    for item in hc.esg.links(actor):
        if item["site"] == site:
            links[item["line"]].append(item)
    lines = []
    for line in info["lines"]:
        kpi = hc.esg.kpi(actor, site=site, line=line, frm=frm, to=to, by_month=True)
        effects = [_effect_summary(hc, actor, link, line) for link in links.get(line, [])]
        lines.append(
            {
                "line": line,
                "kpi": {k: v for k, v in kpi.items() if k != "months"},
                "effects": effects,
                "chart": {
                    "type": "line",
                    "labels": [m["month"] for m in kpi["months"]],
                    "series": _kpi_series(request, kpi["months"]),
                    "units": {unit: t(f"esg.units.{unit}") for unit in dict.fromkeys(CHART_KPIS.values())},
                    "markers": sorted({e["deployed_at"] for e in effects if e["deployed_at"]}),
                },
            }
        )
    data = {"site": info, "from": frm.isoformat(), "to": to.isoformat(), "lines": lines, "label": _label(request)}
    return render(request, "esg/site.html", data, title=local_title(request, info) or site)


def _effect_summary(hc: Any, actor: Actor, link: dict[str, Any], line: str) -> dict[str, Any]:
    """Effects of one linked system on a line (all data before vs after deployment)."""
    summary = {
        "system": link["system"],
        "site": link["site"],
        "line": line,
        "kpis": link["kpis"],
        "deployed_at": link["deployed_at"],
        "effects": [],
        "context": None,
        "net": None,
        "error": None,
    }
    try:
        result = hc.esg.effect(actor, link["system"], site=link["site"], line=line, resamples=PAGE_RESAMPLES)
    except ValidationFailed as error:
        summary["error"] = error.message
        return summary
    found = result["links"][0]
    if found.get("error"):
        summary["error"] = found["error"]
        return summary
    summary.update(
        effects=found["effects"],
        context=found["context"],
        net=found["net"],
        before_window=found["before_window"],
        after_window=found["after_window"],
    )
    return summary


@router.get("/systems/{system_id}/esg")
def system_esg(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    """A system's energy (method, PUE, factor), its emissions and what it changed on its lines."""
    hc = get_hc(request)
    frm, to = _period(request)
    data = system_header(request, actor, system_id)
    records = hc.esg.energy_records(actor, system_id, frm, to)
    report_rows = [
        s for s in hc.esg.report(actor, frm, to, with_effects=False)["by_system"] if s["system"] == system_id
    ]
    months: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for record in records:
        months[record["end"][:7]][record["activity"]] += record["facility_kwh"]
    activities = sorted({r["activity"] for r in records})
    effects = [_effect_summary(hc, actor, link, link["line"]) for link in hc.esg.links(actor, system_id)]
    data.update(
        {
            "from": frm.isoformat(),
            "to": to.isoformat(),
            "records": records,
            "totals": report_rows[0] if report_rows else None,
            "effects": effects,
            "label": _label(request),
            "chart": {
                "type": "bar",
                "stacked": True,
                "labels": sorted(months),
                "series": _series({a: [months[m].get(a, 0.0) for m in sorted(months)] for a in activities}),
            },
        }
    )
    return render(request, "esg/system.html", data, title=local_title(request, data["system"]))


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """Home page summary: the last twelve months of AI energy and emissions."""
    to = dt.date.today()
    frm = to - dt.timedelta(days=364)
    report = hc.esg.report(actor, frm, to, with_effects=False)
    top = max(report["by_system"], key=lambda s: s["emissions_location_tco2e"], default=None)
    return {
        "from": frm.isoformat(),
        "to": to.isoformat(),
        **{k: report[k] for k in ("facility_energy_kwh", "emissions_location_tco2e", "emissions_market_tco2e")},
        "systems": len(report["by_system"]),
        "top_system": top["system"] if top else None,
        "links": len(hc.esg.links(actor)),
    }

