"""Organisation reports: portfolio, overdue items, incidents with clocks, ESG summary.

Each builder returns JSON-able data copied from the capabilities' services, read
through :class:`haechi.reports.collect.Sources`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor
from haechi.domain.dates import check_date
from haechi.domain.errors import Issue, ValidationFailed

from .collect import Sources, section, verdicts

if TYPE_CHECKING:
    from haechi.rules.library import PackLibrary

KINDS = ("portfolio", "overdue", "incidents", "esg")


def check_kind(kind: str, lang: str) -> None:
    issues = []
    if kind not in KINDS:
        issues.append(Issue("kind", f"unknown report '{kind}'", f"use one of: {', '.join(KINDS)}"))
    if lang not in ("ko", "en"):
        issues.append(Issue("lang", f"unknown language '{lang}'", "use ko or en"))
    if issues:
        raise ValidationFailed("cannot build that report", issues=issues, key="reports.cannot_build_that_report")


def build(src: Sources, actor: Actor, kind: str, lang: str, **options: Any) -> dict[str, Any]:
    builders = {"portfolio": portfolio, "overdue": overdue, "incidents": incidents, "esg": esg}
    return {"kind": kind, "lang": lang, **builders[kind](src, actor, **options)}


def headline_classes(library: PackLibrary) -> dict[str, str | None]:
    """The class that summarises each pack's verdict in the portfolio grid (pack data:
    ``presentation.headline_class``)."""
    return {pack_id: library.latest(pack_id).pack.presentation.headline_class for pack_id in library.ids()}


def _pack_cell(result: dict[str, Any], headlines: dict[str, str | None]) -> dict[str, Any]:
    obligations = result.get("obligations", [])
    headline = headlines.get(result.get("pack", ""))
    classes = result.get("classes") or {}
    return {"pack": result.get("pack"), "version": result.get("pack_version"), "in_scope": result.get("in_scope"),
            "headline": classes.get(headline) if headline else None, "headline_class": headline,
            "applies": sum(1 for o in obligations if o.get("status") == "applies"),
            "may_apply": sum(1 for o in obligations if o.get("status") == "may_apply"),
            "not_in_force": sum(1 for o in obligations if o.get("status") == "not_in_force"),
            "questions": len(result.get("questions", []))}


def portfolio(src: Sources, actor: Actor, **_: Any) -> dict[str, Any]:
    """Systems × jurisdictions × status: verdict headline per pack and compliance coverage."""
    records = src.systems.all(actor)
    status = section(lambda: {"by_system": {x["system"]: x for x in src.compliance().status(actor)["systems"]}})
    rows, packs = [], []
    rules = src.verdicts()
    headlines = headline_classes(rules.library)
    for record in records:
        v = verdicts(rules, actor, record.slug)
        cells = {r["pack"]: _pack_cell(r, headlines) for r in v.get("results", [])}
        packs += [p for p in cells if p not in packs]
        comp = (status.get("by_system") or {}).get(record.slug) if status.get("available") else None
        rows.append({"system": record.slug, "name": record.card.name, "name_ko": record.card.name_ko,
                     "markets": record.card.markets, "revision": record.revision, "packs": cells,
                     "compliance": comp})
    return {"packs": packs, "rows": rows, "compliance_available": status.get("available", False),
            "compliance_reason": status.get("reason")}


def overdue(src: Sources, actor: Actor, **_: Any) -> dict[str, Any]:
    """What is late or about to be: controls, risk reviews, regulator clocks, next actions."""
    def build_() -> dict[str, Any]:
        svc = src.compliance()
        org = svc.status(actor)
        controls = [c | {"system": x["system"]} for x in (svc.status(actor, x["system"]) for x in org["systems"])
                    for c in x.get("controls_detail", []) if c.get("overdue") or c.get("status") == "needs_review"]
        risks = [r for r in svc.risks.list(actor) if r.get("review_overdue")]
        clocks = [c for c in org.get("clocks", []) if c.get("state") in ("overdue", "due_soon")]
        return {"today": org.get("today"), "controls": controls, "risks": risks, "clocks": clocks,
                "next_actions": org.get("next_actions", [])}
    return {"overdue": section(build_)}


def incidents(src: Sources, actor: Actor, **_: Any) -> dict[str, Any]:
    """Every incident with its regulator clocks (EU Art. 73, KR Art. 33 confirmations)."""
    def build_() -> dict[str, Any]:
        svc = src.compliance()
        org = svc.status(actor)
        return {"items": svc.incidents.list(actor), "clocks": org.get("clocks", [])}
    return {"incidents": section(build_)}


def esg(src: Sources, actor: Actor, frm: dt.date | None = None, to: dt.date | None = None, **_: Any) -> dict[str, Any]:
    """The ESG summary of the last twelve months (or ``frm``–``to``)."""
    to = check_date(to, "to") or dt.date.today()
    frm = frm or to - dt.timedelta(days=365)

    def build_() -> dict[str, Any]:
        report = src.esg().report(actor, frm, to, with_effects=True)
        keys = ("from", "to", "energy_kwh", "facility_energy_kwh", "emissions_location_tco2e", "emissions_market_tco2e",
                "by_system", "kpis", "effects", "social", "factors", "scope2_note", "scope2_note_ko")
        return {k: report.get(k) for k in keys}
    return {"esg": section(build_)}
