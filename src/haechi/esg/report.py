"""The ESG report of an organisation for a period (JSON; renderers in ``render.py``).

Keys follow ``spec/esg.md`` "Report": ``energy_kwh``, ``facility_energy_kwh``,
``emissions_location_tco2e``, ``emissions_market_tco2e``, ``by_system``, ``kpis``,
``effects``, ``social`` and ``factors``. Every figure is traceable: each energy record
names its factor id, and ``factors`` lists every factor used with value, unit, year and
source. The framework mapping comes from ``data/frameworks.yaml`` and is chosen by
the report's start date (GRI 102/103 replace 302/305 from 2027).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from haechi.auth.roles import Actor, Permission
from haechi.domain.dates import check_date
from haechi.domain.errors import HaechiError, ValidationFailed

from . import energy, factors
from .social import summarise

if TYPE_CHECKING:
    from .service import EsgService

SCOPE2_NOTE = (
    "Scope 2 only (purchased electricity of AI workloads). Market-based figures use the "
    "contractual instruments recorded; where none cover the electricity, the location-based "
    "factor is used because no Korean residual-mix factor is published."
)
SCOPE2_NOTE_KO = (
    "범위 2(AI 작업의 구매 전력)만 포함합니다. 시장 기준 배출량은 등록된 계약 수단을 쓰고, "
    "덮이지 않은 전력에는 한국의 잔여 배출계수가 공표되지 않아 지역 기준 계수를 적용합니다."
)


@lru_cache(maxsize=1)
def framework_mapping() -> dict[str, list[dict[str, Any]]]:
    text = resources.files("haechi.esg").joinpath("data/frameworks.yaml").read_text("utf-8")
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(text)
    return data


def frameworks_for(start: dt.date) -> dict[str, list[dict[str, Any]]]:
    """The mapping entries that apply to a reporting period starting on ``start``."""
    out = {}
    for figure, entries in framework_mapping().items():
        out[figure] = [
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in e.items()}
            for e in entries
            if e.get("from", dt.date.min) <= start <= e.get("until", dt.date.max)
        ]
    return out


def build_report(
    svc: EsgService,
    actor: Actor,
    frm: dt.date,
    to: dt.date,
    *,
    lang: str = "en",
    with_effects: bool = True,
) -> dict[str, Any]:
    """Everything the ESG report shows, as JSON-ready data."""
    actor.require(Permission.READ)
    check_date(frm, "from")
    check_date(to, "to")
    if to < frm:
        raise ValidationFailed(
            f"the report period ends ({to}) before it starts ({frm})",
            key="esg.report_period_ends_before", values={"to": to, "frm": frm},
        )
    records = svc.energy_records(actor, frm=frm, to=to)
    market, unused = _market(records, svc.instruments(actor))
    by_system = _by_system(svc, actor, records, market, frm, to)
    report: dict[str, Any] = {
        "organisation": actor.org_slug,
        "from": frm.isoformat(),
        "to": to.isoformat(),
        "lang": lang,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "timezone": _zone(svc, actor),
        "energy_kwh": sum(r["kwh"] for r in records),
        "facility_energy_kwh": sum(r["facility_kwh"] for r in records),
        "emissions_location_tco2e": sum(r["emissions_location_tco2e"] for r in records),
        "emissions_market_tco2e": sum(market.values()),
        "scope2_note": SCOPE2_NOTE,
        "scope2_note_ko": SCOPE2_NOTE_KO,
        "methods": _count(records, "method"),
        "by_system": by_system,
        "records": [{**r, "emissions_market_tco2e": market[r["id"]]} for r in records],
        "instruments_unused_mwh": unused,
        "kpis": _kpis(svc, actor, frm, to),
        "effects": _effects(svc, actor, frm, to) if with_effects else [],
        "social": summarise(svc.social(actor, frm, to)),
        "social_records": svc.social(actor, frm, to),
        "factors": _factors(records),
        "frameworks": frameworks_for(frm),
    }
    return report


def _market(
    records: list[dict[str, Any]], instruments: list[dict[str, Any]]
) -> tuple[dict[int, float], dict[str, float]]:
    usages = [
        energy.Usage(
            r["id"],
            r["system"],
            r["country"] or "",
            dt.date.fromisoformat(r["end"]),
            r["facility_kwh"] / 1000,
            r["factor"],
        )
        for r in records
    ]
    insts = [
        energy.Instrument(
            i["id"],
            i["kind"],
            i["country"],
            dt.date.fromisoformat(i["start"]),
            dt.date.fromisoformat(i["end"]),
            i["mwh"],
            i["factor"],
            i["system"],
        )
        for i in instruments
    ]
    unused = energy.allocate_instruments(usages, insts)
    for record, usage in zip(records, usages, strict=True):
        record["market_basis"] = energy.market_basis(usage)
        record["instruments"] = [{"id": i, "mwh": m, "factor": f} for i, m, f in usage.covered]
    return {u.key: u.market_tco2e() for u in usages}, unused


def _count(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        out[row[key]] += 1
    return dict(out)


def _by_system(
    svc: EsgService,
    actor: Actor,
    records: list[dict[str, Any]],
    market: dict[int, float],
    frm: dt.date,
    to: dt.date,
) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        grouped[record["system"]].append(record)
    out = []
    for system, rows in sorted(grouped.items()):
        item = {
            "system": system,
            "energy_kwh": sum(r["kwh"] for r in rows),
            "facility_energy_kwh": sum(r["facility_kwh"] for r in rows),
            "emissions_location_tco2e": sum(r["emissions_location_tco2e"] for r in rows),
            "emissions_market_tco2e": sum(market[r["id"]] for r in rows),
            "by_activity": _by_activity(rows),
            "methods": _count(rows, "method"),
            "factor_ids": sorted({r["factor_id"] for r in rows}),
        }
        item["per_1000_inferences"] = _per_1000(svc, actor, system, rows, frm, to)
        out.append(item)
    return out


def _by_activity(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in rows:
        slot = out.setdefault(row["activity"], {"kwh": 0.0, "facility_kwh": 0.0, "emissions_location_tco2e": 0.0})
        for key in slot:
            slot[key] += row[key]
    return out


def _per_1000(
    svc: EsgService,
    actor: Actor,
    system: str,
    rows: list[dict[str, Any]],
    frm: dt.date,
    to: dt.date,
) -> dict[str, Any] | None:
    """Inference energy and emissions per 1,000 inferences (record counts, else monitoring)."""
    inference = [r for r in rows if r["activity"] == "inference"]
    if not inference:
        return None
    counted = [r for r in inference if r["inference_count"] is not None]
    # Monitoring counts only over the days the inference energy covers, inside the period.
    first = max(frm, min(dt.date.fromisoformat(r["start"]) for r in inference))
    last = min(to, max(dt.date.fromisoformat(r["end"]) for r in inference))
    if counted and len(counted) == len(inference):
        events: int | None = round(sum(r["inference_count"] * r["share_in_period"] for r in counted))
        source = "records"
    else:
        events, source = _monitor_events(svc, actor, system, first, last), "monitoring"
    kwh = sum(r["facility_kwh"] for r in inference)
    tco2e = sum(r["emissions_location_tco2e"] for r in inference)
    value, reason = energy.per_1000(kwh, events)
    return {
        "events": events,
        "events_source": source if events is not None else None,
        "events_window": [first.isoformat(), last.isoformat()],
        "facility_kwh": value,
        "emissions_location_tco2e": energy.per_1000(tco2e, events)[0],
        "reason": reason,
    }


def _monitor_events(svc: EsgService, actor: Actor, system: str, first: dt.date, last: dt.date) -> int | None:
    """Events logged for ``system`` on days ``first``..``last`` (the lake is half-open)."""
    try:
        count: int = svc.lake().event_count(actor, system, first, last + dt.timedelta(days=1))
    except HaechiError:
        return None
    return count


def _kpis(svc: EsgService, actor: Actor, frm: dt.date, to: dt.date) -> list[dict[str, Any]]:
    out = []
    for site in svc.sites(actor):
        for line in site["lines"]:
            result = svc.kpi(actor, site=site["id"], line=line, frm=frm, to=to)
            if result["n_periods"]:
                out.append(result)
    return out


def _effects(svc: EsgService, actor: Actor, frm: dt.date, to: dt.date) -> list[dict[str, Any]]:
    """One row per linked AI system and KPI, before vs after its deployment inside the period."""
    rows: list[dict[str, Any]] = []
    for item in svc.links(actor):
        if not item["deployed_at"]:
            continue
        split = dt.date.fromisoformat(item["deployed_at"])
        if not frm < split <= to:
            continue
        result = svc.effect(
            actor,
            item["system"],
            site=item["site"],
            line=item["line"],
            before=(frm, split - dt.timedelta(days=1)),
            after=(split, to),
        )
        for link_result in result["links"]:
            rows.extend(_effect_row(link_result, e) for e in link_result["effects"])
    return rows


def _effect_row(link_result: dict[str, Any], e: dict[str, Any]) -> dict[str, Any]:
    net = link_result["net"]
    return {
        "system": link_result["system"],
        "site": link_result["site"],
        "line": link_result["line"],
        "kpi": e["kpi"],
        "unit": e["unit"],
        "direction": e["direction"],
        "deployed_at": link_result["deployed_at"],
        "before": e["before"],
        "after": e["after"],
        "difference": e["difference"],
        "interval_95": [e["ci_low"], e["ci_high"]],
        "n": {"before": e["n_before"], "after": e["n_after"]},
        "verdict": e["verdict"],
        "reason": e["reason"],
        "method": e["method"],
        "context_notes": link_result["context"]["notes"],
        "context_notes_ko": link_result["context"]["notes_ko"],
        "implied": e.get("implied"),
        "net": net if e["kpi"].startswith("energy") else None,
        "label": e["label"],
        "label_ko": e["label_ko"],
    }


def _zone(svc: EsgService, actor: Actor) -> str:
    """The organisation's clock zone: the report shows its generation time there."""
    from haechi.domain.localformat import DEFAULT_ZONE
    from haechi.store.compliance_tables import ComplianceSettings

    with svc.db.reader() as s:
        row = s.get(ComplianceSettings, actor.org_id)
        return row.timezone if row is not None and row.timezone else DEFAULT_ZONE


def _factors(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sources = factors.load_sources()
    used = sorted({r["factor_id"] for r in records})
    return [
        {
            **factors.factor_by_id(fid).to_dict(sources),
            "fallback": sorted(
                {r["factor_fallback"] for r in records if r["factor_id"] == fid and r["factor_fallback"]}
            ),
        }
        for fid in used
    ]
