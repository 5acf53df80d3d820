"""``/api/v1/esg``: energy records, instruments, sites and periods, KPIs, links, effects,
social indicators and the ESG report over HTTP (a thin shell over ``hc.esg``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.dates import SaneDate
from haechi.domain.errors import BadRequest
from haechi.esg import factors
from haechi.esg.energy import Device
from haechi.esg.render import render

from ..deps import current_actor, get_hc
from ..models import returns
from ..models.esg import (
    EsgAddInstrument,
    EsgEffect,
    EsgImportCodecarbon,
    EsgImportPeriods,
    EsgKpi,
    EsgListEnergy,
    EsgListFactors,
    EsgListInstruments,
    EsgListLinks,
    EsgListSites,
    EsgListSocial,
    EsgListSocialItem,
    EsgPutLink,
    EsgPutSite,
    EsgRecordEnergy,
    EsgReport,
)

router = APIRouter(prefix="/api/v1/esg", tags=["esg"])
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Body(BaseModel):
    # No NaN/Infinity, also not spelled as text ("inf"): they would blank every total.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DeviceIn(_Body):
    kind: str
    tdp_w: float
    count: int = 1
    utilisation: float = 0.5


class EnergyIn(_Body):
    system: str
    activity: str
    start: SaneDate
    end: SaneDate
    kwh: float | None = None
    country: str | None = None
    pue: float | None = None
    method: Literal["metered", "estimated"] = "metered"
    note: str | None = None
    inference_count: int | None = None
    factor_id: str | None = None
    factor_fallback: Literal["none", "later", "world"] = "none"
    devices: list[DeviceIn] | None = Field(None, description="estimate from hardware instead of kWh")
    hours: float | None = None


class InstrumentIn(_Body):
    id: str
    kind: str
    country: str
    start: SaneDate
    end: SaneDate
    mwh: float
    factor: float = 0.0
    system: str | None = None
    note: str | None = None


class SiteIn(_Body):
    country: str | None = None
    name: str | None = None
    name_ko: str | None = None


class LinkIn(_Body):
    system: str
    site: str
    line: str
    kpis: list[str] | None = None
    deployed_at: SaneDate | None = None
    note: str | None = None


class SocialIn(_Body):
    indicator: str
    start: SaneDate
    end: SaneDate
    value: float | None = None
    items: list[str] | None = None
    system: str | None = None
    note: str | None = None


def _page(items: list[Any]) -> dict[str, Any]:
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/factors", summary="Shipped grid emission factors", **returns(EsgListFactors))
def list_factors(country: str | None = None, _: Actor = Depends(current_actor)) -> dict[str, Any]:
    sources = factors.load_sources()
    return _page([f.to_dict(sources) for f in factors.load_factors() if not country or f.country == country.upper()])


@router.get("/energy", summary="Energy records (pro-rated to from/to)", **returns(EsgListEnergy))
def list_energy(
    system: str | None = None,
    from_: SaneDate | None = Query(None, alias="from"),
    to: SaneDate | None = None,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    return _page(hc.esg.energy_records(actor, system, from_, to))


@router.post("/energy", status_code=status.HTTP_201_CREATED, summary="Record energy of an AI system",
             **returns(EsgRecordEnergy))
def record_energy(
    body: EnergyIn, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)
) -> dict[str, Any]:
    common: dict[str, Any] = dict(
        activity=body.activity,
        start=body.start,
        end=body.end,
        country=body.country,
        pue=body.pue,
        note=body.note,
        inference_count=body.inference_count,
        factor_id=body.factor_id,
        factor_fallback=body.factor_fallback,
    )
    if body.devices:
        devices = [Device(d.kind, d.tdp_w, d.count, d.utilisation) for d in body.devices]
        return hc.esg.estimate_energy(actor, body.system, devices=devices, hours=body.hours or 0, **common)
    if body.kwh is None:
        raise BadRequest(
            "give kwh, or devices and hours for an estimate",
            key="api.energy_missing",
        )
    return hc.esg.record_energy(actor, body.system, kwh=body.kwh, method=body.method, **common)


@router.post(
    "/systems/{system_id}/codecarbon",
    status_code=status.HTTP_201_CREATED,
    summary="Import a CodeCarbon emissions.csv (request body = the file)",
    **returns(EsgImportCodecarbon),
)
async def import_codecarbon(
    system_id: str,
    request: Request,
    activity: str = "training",
    country: str | None = None,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    data = await request.body()
    # Parsing and checking the rows is CPU work: off the event loop, like every import.
    return await run_in_threadpool(lambda: hc.esg.import_codecarbon(
        actor,
        system_id,
        "emissions.csv",
        activity=activity,
        country=country,
        data=data,
        name="emissions.csv",
    ))


@router.get("/instruments", summary="Contractual instruments (market-based)", **returns(EsgListInstruments))
def list_instruments(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return _page(hc.esg.instruments(actor))


@router.post(
    "/instruments",
    status_code=status.HTTP_201_CREATED,
    summary="Record a PPA, REC or green premium",
    **returns(EsgAddInstrument),
)
def add_instrument(
    body: InstrumentIn, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)
) -> dict[str, Any]:
    return hc.esg.add_instrument(
        actor,
        body.id,
        kind=body.kind,
        country=body.country,
        start=body.start,
        end=body.end,
        mwh=body.mwh,
        factor=body.factor,
        system=body.system,
        note=body.note,
    )


@router.get("/sites", summary="Sites and their lines", **returns(EsgListSites))
def list_sites(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return _page(hc.esg.sites(actor))


@router.put("/sites/{site}", summary="Create or update a site", **returns(EsgPutSite))
def put_site(
    site: str, body: SiteIn, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)
) -> dict[str, Any]:
    return hc.esg.set_site(actor, site, country=body.country, name=body.name, name_ko=body.name_ko)


@router.post(
    "/sites/{site}/lines/{line}/periods",
    status_code=status.HTTP_201_CREATED,
    summary="Import periods: CSV or Parquet body (Content-Type text/csv or "
    "application/vnd.apache.parquet), all rows or none",
    **returns(EsgImportPeriods),
)
async def import_periods(
    site: str,
    line: str,
    request: Request,
    replace: bool = False,
    country: str | None = None,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    name = {
        "text/csv": "body.csv",
        "application/vnd.apache.parquet": "body.parquet",
        "application/octet-stream": "body.parquet",
    }.get(kind)
    if name is None:
        raise BadRequest(
            f"unsupported Content-Type '{kind}'; send text/csv or application/vnd.apache.parquet",
            key="api.unsupported_content_type_send", values={"kind": kind},
        )
    data = await request.body()
    return await run_in_threadpool(lambda: hc.esg.import_production(
        actor,
        name,
        site=site,
        line=line,
        replace=replace,
        country=country,
        data=data,
        name=name,
    ))


@router.get("/kpi", summary="KPIs of a line or site over a period", **returns(EsgKpi))
def kpi(
    site: str,
    line: str | None = None,
    from_: SaneDate | None = Query(None, alias="from"),
    to: SaneDate | None = None,
    by_month: bool = False,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    return hc.esg.kpi(actor, site=site, line=line, frm=from_, to=to, by_month=by_month)


@router.get("/links", summary="Links from AI systems to lines", **returns(EsgListLinks))
def list_links(
    system: str | None = None, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)
) -> dict[str, Any]:
    return _page(hc.esg.links(actor, system))


@router.put("/links", summary="Create or update a link", **returns(EsgPutLink))
def put_link(body: LinkIn, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.esg.link(
        actor,
        body.system,
        site=body.site,
        line=body.line,
        kpis=body.kpis,
        deployed_at=body.deployed_at,
        note=body.note,
    )


@router.get("/systems/{system_id}/effect", summary="Before/after effect with a bootstrap 95% interval",
            **returns(EsgEffect))
def effect(
    system_id: str,
    kpi: str | None = None,
    site: str | None = None,
    line: str | None = None,
    at: SaneDate | None = None,
    before_from: SaneDate | None = None,
    before_to: SaneDate | None = None,
    after_from: SaneDate | None = None,
    after_to: SaneDate | None = None,
    resamples: int = Query(4000, ge=100, le=50_000),
    seed: int = 20260122,
    block_length: int = Query(1, ge=1, le=60),
    control_line: str | None = Query(None, description="line of the same site for difference in differences"),
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    before = (before_from, before_to) if before_from and before_to else None
    after = (after_from, after_to) if after_from and after_to else None
    return hc.esg.effect(
        actor,
        system_id,
        kpi=kpi,
        site=site,
        line=line,
        at=at,
        before=before,
        after=after,
        resamples=resamples,
        seed=seed,
        block_length=block_length,
        control_line=control_line,
    )


@router.get("/social", summary="Social and governance indicator records", **returns(EsgListSocial))
def list_social(
    from_: SaneDate | None = Query(None, alias="from"),
    to: SaneDate | None = None,
    system: str | None = None,
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> dict[str, Any]:
    return _page(hc.esg.social(actor, from_, to, system))


@router.post("/social", status_code=status.HTTP_201_CREATED, summary="Record a social indicator",
             **returns(EsgListSocialItem))
def record_social(
    body: SocialIn, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)
) -> dict[str, Any]:
    return hc.esg.record_social(
        actor,
        body.indicator,
        start=body.start,
        end=body.end,
        value=body.value,
        items=body.items,
        system=body.system,
        note=body.note,
    )


@router.get("/report", summary="ESG report (JSON, or HTML/PDF/XLSX with format=)", **returns(EsgReport),
            responses={200: {"content": {media: {"schema": {"type": "string", "format": "binary"}}
                                         for media in MEDIA.values()}}})
def report(
    # Annotated form: with a bare ``Query(...)`` default FastAPI drops the type's range check
    from_: Annotated[SaneDate, Query(alias="from")],
    to: Annotated[SaneDate, Query()],
    format: Literal["json", "html", "pdf", "xlsx"] = "json",
    lang: Literal["ko", "en"] = "en",
    actor: Actor = Depends(current_actor),
    hc: Haechi = Depends(get_hc),
) -> Any:
    data = hc.esg.report(actor, from_, to, lang=lang)
    rendered = render(data, format)
    if isinstance(rendered, dict):
        return rendered
    name = f"esg-report-{actor.org_slug}-{from_}-{to}.{format}"
    disposition = "inline" if format == "html" else f'attachment; filename="{name}"'
    return Response(rendered, media_type=MEDIA[format], headers={"Content-Disposition": disposition})
