"""Links from AI systems to the KPIs they act on, and their before/after effects.

A link says an AI system acts on one line of one site. Its KPIs are listed on the link
or follow from the card's ``lifecycle_stage``. The split date is the link's own
deployment date, else the card's ``deployed_at``, else two explicit windows.

The net effect turns a KPI change into avoided quantities over the *after* window
(e.g. Δ energy per good unit × good units) and subtracts what the AI itself used in that
window. Avoided figures carry the interval of the KPI change; nothing here claims
causality.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Issue, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgLink, EsgSite

from . import effect as fx
from . import factors
from .control import estimate_with_control
from .kpi import KPI_NAMES, UNIT_KO, Period

if TYPE_CHECKING:
    from .service import EsgService

STAGE_KPIS: dict[str, tuple[str, ...]] = {
    "quality_control": ("scrap_rate", "first_pass_yield", "quality"),
    "predictive_maintenance": ("unplanned_downtime_h", "mtbf_h", "mttr_h", "availability"),
    "process_optimisation": ("energy_kwh", "energy_per_good_unit_kwh", "oee"),
    "automation": ("performance", "oee"),
    "environmental_analysis": ("energy_per_good_unit_kwh", "waste_kg"),
    "safety_systems": ("trir", "ltifr"),
    "rnd_support": (),
}


def _check_kpis(kpis: list[str] | None) -> None:
    bad = [k for k in kpis or [] if k not in KPI_NAMES]
    if bad:
        raise ValidationFailed(
            f"unknown KPI(s): {', '.join(bad)}",
            issues=[Issue("kpis", f"'{k}' is not a KPI", "use one of: " + ", ".join(KPI_NAMES)) for k in bad],
            key="esg.unknown_kpi", values={"bad": ", ".join(bad)},
        )


def link(
    svc: EsgService,
    actor: Actor,
    system: str,
    *,
    site: str,
    line: str,
    kpis: list[str] | None,
    deployed_at: dt.date | None,
    note: str | None,
) -> dict[str, Any]:
    """Create or update the link of ``system`` to ``site``/``line``."""
    actor.require(Permission.WRITE)
    _check_kpis(kpis)
    with svc.db.transaction() as s:
        sys_row, site_row = svc.system_row(s, actor, system), svc.site_row(s, actor, site)
        row = s.execute(
            select(EsgLink).where(
                EsgLink.org_id == actor.org_id,
                EsgLink.system_id == sys_row.id,
                EsgLink.site_id == site_row.id,
                EsgLink.line == line,
            )
        ).scalar_one_or_none()
        if row is None:
            row = EsgLink(org_id=actor.org_id, system_id=sys_row.id, site_id=site_row.id, line=line)
            s.add(row)
        row.kpis, row.deployed_at, row.note = kpis or None, deployed_at, note
        s.flush()
        append(
            s,
            actor.org_id,
            actor.label,
            LedgerAction.ESG_LINK_SET,
            "esg_link",
            f"{system}@{site}/{line}",
            {"kpis": kpis, "deployed_at": deployed_at, "note": note},
        )
    return next(x for x in links(svc, actor, system) if x["site"] == site and x["line"] == line)


def links(svc: EsgService, actor: Actor, system: str | None = None) -> list[dict[str, Any]]:
    """Links with their effective KPIs (explicit, else by lifecycle stage) and split date."""
    actor.require(Permission.READ)
    with svc.db.reader() as s:
        stmt = (
            select(EsgLink, EsgSite).join(EsgSite, EsgSite.id == EsgLink.site_id).where(EsgLink.org_id == actor.org_id)
        )
        if system:
            stmt = stmt.where(EsgLink.system_id == svc.system_row(s, actor, system).id)
        slugs = svc.slugs(s, actor)
        rows = [
            (
                slugs[link_row.system_id],
                site.slug,
                site.country,
                link_row.line,
                link_row.kpis,
                link_row.deployed_at,
                link_row.note,
            )
            for link_row, site in s.execute(stmt).all()
        ]
    out = []
    for slug, site_slug, country, line, kpis, deployed, note in rows:
        card = svc.systems.get(actor, slug).card
        split = deployed or card.deployed_at
        out.append(
            {
                "system": slug,
                "site": site_slug,
                "site_country": country,
                "line": line,
                "kpis": list(kpis or STAGE_KPIS.get(card.lifecycle_stage or "", ())),
                "kpis_from": "link" if kpis else f"lifecycle_stage:{card.lifecycle_stage}",
                "lifecycle_stage": card.lifecycle_stage,
                "deployed_at": split.isoformat() if split else None,
                "deployed_at_from": "link" if deployed else ("card" if card.deployed_at else None),
                "note": note,
            }
        )
    return sorted(out, key=lambda x: (x["system"], x["site"], x["line"]))


def _window(value: Any, name: str) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    start, end = value
    if end < start:
        raise ValidationFailed(
            f"the {name} window ends before it starts", key="esg.window_reversed", values={"name": name},
            issues=[Issue(name, "end before start", "give FROM:TO with FROM ≤ TO")],
        )
    return start, end


def effects(
    svc: EsgService,
    actor: Actor,
    system: str,
    *,
    kpi: str | None = None,
    site: str | None = None,
    line: str | None = None,
    before: tuple[dt.date, dt.date] | None = None,
    after: tuple[dt.date, dt.date] | None = None,
    at: dt.date | None = None,
    resamples: int = fx.DEFAULT_RESAMPLES,
    seed: int = fx.DEFAULT_SEED,
    block_length: int = 1,
    control_line: str | None = None,
) -> dict[str, Any]:
    """Before/after effect of ``system`` on each linked KPI, with context and net effect.

    ``control_line`` (a line of the same site the system does not act on) adds the
    difference-in-differences estimate under ``adjusted`` (see :mod:`haechi.esg.control`).
    """
    _check_kpis([kpi] if kpi else None)
    chosen = [
        x
        for x in links(svc, actor, system)
        if (site is None or x["site"] == site) and (line is None or x["line"] == line)
    ]
    if not chosen:
        raise ValidationFailed(
            f"system '{system}' has no link to a production line" + (f" matching {site}/{line}" if site else ""),
            issues=[
                Issue(
                    "link",
                    "no link",
                    f"link it first: haechi esg link {system} --site SITE --line LINE",
                )
            ],
            key="esg.system_not_on_line", values={"system": system},
        )
    windows = (_window(before, "before"), _window(after, "after"))
    options = dict(resamples=resamples, seed=seed, block_length=block_length)
    results, problems = [], []
    for item in chosen:
        try:
            results.append(_link_effects(svc, actor, item, kpi, windows, at, options, control_line))
        except ValidationFailed as error:
            # One link without a deployment date must not hide the others' effects.
            problems.append(error)
            results.append({**item, "effects": [], "error": error.message, "error_ko": error.message_ko})
    if len(problems) == len(chosen):
        raise problems[0]
    return {"system": system, "links": results, "label": fx.LABEL_EN, "label_ko": fx.LABEL_KO}


def _split(
    item: dict[str, Any], at: dt.date | None, windows: tuple[tuple[dt.date, dt.date] | None, ...]
) -> tuple[tuple[Any, Any], tuple[Any, Any], str]:
    before, after = windows
    if before and after:
        return before, after, "explicit windows"
    split = at or (dt.date.fromisoformat(item["deployed_at"]) if item["deployed_at"] else None)
    if split is None:
        raise ValidationFailed(
            f"no deployment date for {item['system']}: set deployed_at on the card or the link, or give windows",
            issues=[
                Issue(
                    "deployed_at",
                    "unknown deployment date",
                    "set deployed_at on the card, pass --at DATE, or --before FROM:TO --after FROM:TO",
                )
            ],
            key="esg.no_deployment_date_set", values={"system": item["system"]},
        )
    return (
        (before or (None, split - dt.timedelta(days=1))),
        (after or (split, None)),
        f"split at {split.isoformat()}",
    )


def _link_effects(
    svc: EsgService,
    actor: Actor,
    item: dict[str, Any],
    kpi: str | None,
    windows: tuple[Any, ...],
    at: dt.date | None,
    options: dict[str, Any],
    control_line: str | None = None,
) -> dict[str, Any]:
    (b0, b1), (a0, a1), how = _split(item, at, windows)
    before = svc.periods(actor, item["site"], item["line"], b0, b1)
    after = svc.periods(actor, item["site"], item["line"], a0, a1)
    kpis = [kpi] if kpi else item["kpis"]
    if control_line:
        if control_line == item["line"]:
            raise ValidationFailed(
                "the control line must be another line than the treated one",
                issues=[
                    Issue(
                        "control_line",
                        f"'{control_line}' is the treated line",
                        "choose a line of the same site the system does not act on",
                    )
                ],
                key="esg.control_line_must_another",
            )
        c_before = svc.periods(actor, item["site"], control_line, b0, b1)
        c_after = svc.periods(actor, item["site"], control_line, a0, a1)
        results = [estimate_with_control(before, after, c_before, c_after, name, **options) for name in kpis]
    else:
        results = [fx.estimate(before, after, name, **options) for name in kpis]
    for result in results:
        result["implied"] = implied(result, after)
    own = _own_energy(svc, actor, item["system"], after)
    return {
        **item,
        "split": how,
        "before_window": _span(before),
        "after_window": _span(after),
        "effects": results,
        "context": fx.context(before, after),
        "net": _net(results, after, own, item.get("site_country")),
    }


# KPI -> (what the change means over the after window, unit, sign, scale from the after periods)
IMPLIED: dict[str, tuple[str, str, float, Any]] = {
    "scrap_rate": ("units not scrapped", "units", -1.0, lambda ps: sum(p.produced_qty for p in ps)),
    "first_pass_yield": ("more units right first time", "units", 1.0, lambda ps: sum(p.produced_qty for p in ps)),
    "quality": ("more good units", "units", 1.0, lambda ps: sum(p.produced_qty for p in ps)),
    "availability": ("more production hours", "h", 1.0, lambda ps: sum(p.planned_busy_time_h for p in ps)),
    "unplanned_downtime_h": ("downtime hours avoided", "h", -1.0, len),
    "trir": ("recordable injuries avoided", "cases", -1.0, lambda ps: sum(p.hours_worked or 0.0 for p in ps) / 200_000),
    "ltifr": (
        "lost-time injuries avoided",
        "cases",
        -1.0,
        lambda ps: sum(p.hours_worked or 0.0 for p in ps) / 1_000_000,
    ),
}
#: The Korean of each implied quantity (units: :data:`haechi.esg.kpi.UNIT_KO`).
IMPLIED_KO: dict[str, str] = {
    "scrap_rate": "줄어든 불량 수량", "first_pass_yield": "늘어난 초회 양품 수량", "quality": "늘어난 양품 수량",
    "availability": "늘어난 생산 시간", "unplanned_downtime_h": "줄어든 정지 시간",
    "trir": "줄어든 기록 대상 재해", "ltifr": "줄어든 휴업 재해",
}


def implied(result: dict[str, Any], after: list[Period]) -> dict[str, Any] | None:
    """The KPI change as a quantity over the after window (e.g. units not scrapped), with its
    interval; ``None`` for KPIs without a natural quantity (energy is in the net effect)."""
    spec = IMPLIED.get(result["kpi"])
    if spec is None or result["difference"] is None:
        return None
    what, unit, sign, scale_of = spec
    scale = float(scale_of(after))
    bounds = sorted(sign * scale * b for b in (result["ci_low"], result["ci_high"]) if b is not None)
    return {
        "quantity": what,
        "unit": unit,
        "quantity_ko": IMPLIED_KO[result["kpi"]],
        "unit_ko": UNIT_KO.get(unit, unit),
        "value": sign * scale * result["difference"],
        "interval": bounds if len(bounds) == 2 else None,
    }


def _span(periods: list[Period]) -> dict[str, Any]:
    if not periods:
        return {"from": None, "to": None, "n": 0}
    return {
        "from": periods[0].period_start.date().isoformat(),
        "to": (max(p.period_end for p in periods) - dt.timedelta(microseconds=1)).date().isoformat(),
        "n": len(periods),
    }


def _own_energy(svc: EsgService, actor: Actor, system: str, after: list[Period]) -> dict[str, Any]:
    span = _span(after)
    if not span["n"]:
        return {"facility_kwh": 0.0, "emissions_location_tco2e": 0.0, "records": 0}
    rows = svc.energy_records(actor, system, dt.date.fromisoformat(span["from"]), dt.date.fromisoformat(span["to"]))
    return {
        "facility_kwh": sum(r["facility_kwh"] for r in rows),
        "emissions_location_tco2e": sum(r["emissions_location_tco2e"] for r in rows),
        "records": len(rows),
    }


def _avoided_kwh(result: dict[str, Any], after: list[Period]) -> tuple[float, float, float] | None:
    """(estimate, low, high) of kWh avoided in the after window, from an energy KPI's change."""
    if result["difference"] is None or result["ci_low"] is None:
        return None
    if result["kpi"] == "energy_per_good_unit_kwh":
        scale = sum(p.good_qty for p in after)
    elif result["kpi"] == "energy_kwh":
        scale = float(result["n_after"])
    else:
        return None
    return -result["difference"] * scale, -result["ci_high"] * scale, -result["ci_low"] * scale


def _net(
    results: list[dict[str, Any]], after: list[Period], own: dict[str, Any], country: str | None
) -> dict[str, Any]:
    """Avoided energy and emissions minus the AI's own, over the after window."""
    energy_results = [r for r in results if r["kpi"] in ("energy_per_good_unit_kwh", "energy_kwh")]
    avoided = next((v for r in energy_results if (v := _avoided_kwh(r, after))), None)
    out: dict[str, Any] = {
        "ai_energy_kwh": own["facility_kwh"],
        "ai_emissions_tco2e": own["emissions_location_tco2e"],
        "ai_energy_records": own["records"],
        "avoided_energy_kwh": None,
        "avoided_energy_interval": None,
        "avoided_emissions_tco2e": None,
        "net_energy_kwh": None,
        "net_emissions_tco2e": None,
        "factor": None,
        "reason": None,
        "reason_ko": None,
    }
    if avoided is None:
        out["reason"], out["reason_ko"] = (
            ("no energy KPI with an interval on this link", "이 연결에는 구간 추정이 있는 에너지 KPI가 없음")
            if not energy_results
            else ("the energy KPI change could not be estimated", "에너지 KPI 변화를 추정할 수 없음")
        )
        return out
    out["avoided_energy_kwh"], out["avoided_energy_interval"] = avoided[0], [avoided[1], avoided[2]]
    out["net_energy_kwh"] = avoided[0] - own["facility_kwh"]
    end = dt.date.fromisoformat(_span(after)["to"])
    try:
        choice = factors.choose_factor(country, end)
    except factors.FactorNotFound as exc:
        out["reason"] = f"avoided emissions not computed: {exc.message}"
        out["reason_ko"] = f"회피 배출량을 계산하지 못함: {exc.message_ko}"
        return out
    out["factor"] = choice.describe()
    out["avoided_emissions_tco2e"] = avoided[0] / 1000 * choice.factor.value
    out["net_emissions_tco2e"] = out["avoided_emissions_tco2e"] - own["emissions_location_tco2e"]
    return out
