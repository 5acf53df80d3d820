"""Response bodies of the esg operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class EsgListFactorsItem(Open):
    id: str | None = None
    country: str | None = None
    value: int | float | None = None
    unit: str | None = None
    year: int | float | None = None
    published: str | None = None
    source: str | None = None
    tier: str | None = None
    note: str | None = None
    source_name: str | None = None
    source_name_ko: str | None = None
    source_url: str | None = None


class EsgListFactors(Page):
    items: list[EsgListFactorsItem] | None = None


class EsgListEnergyItem(Open):
    id: int | float | None = None
    system: str | None = None
    activity: str | None = None
    method: str | None = None
    start: str | None = None
    end: str | None = None
    share_in_period: int | float | None = None
    kwh: int | float | None = None
    pue: int | float | None = None
    pue_assumed: bool | None = None
    facility_kwh: int | float | None = None
    country: str | None = None
    emissions_location_tco2e: int | float | None = None
    factor: int | float | None = None
    factor_unit: str | None = None
    factor_id: str | None = None
    factor_year: int | float | None = None
    factor_source: str | None = None
    factor_fallback: Any = None
    inference_count: int | float | None = None
    external_id: str | None = None
    note: str | None = None
    details: dict[str, Any] | None = None
    recorded_by: str | None = None
    data_quality: str | None = None
    pue_given: bool | None = None


class EsgListEnergy(Page):
    items: list[EsgListEnergyItem] | None = None


class EsgRecordEnergy(EsgListEnergyItem):
    # a new record answers these unset (null) until they are given
    inference_count: Any = None
    external_id: Any = None
    note: Any = None


class EsgListInstrumentsItem(Open):
    id: str | None = None
    kind: str | None = None
    country: str | None = None
    start: str | None = None
    end: str | None = None
    mwh: int | float | None = None
    factor: int | float | None = None
    factor_unit: str | None = None
    system: Any = None
    note: str | None = None


class EsgListInstruments(Page):
    items: list[EsgListInstrumentsItem] | None = None


class EsgAddInstrument(EsgListInstrumentsItem):
    note: Any = None


class EsgListSitesItem(Open):
    id: str | None = None
    name: str | None = None
    name_ko: str | None = None
    country: str | None = None
    lines: list[Any] | None = None


class EsgListSites(Page):
    items: list[EsgListSitesItem] | None = None


class EsgPutSite(Open):
    id: str | None = None
    name: Any = None
    name_ko: str | None = None
    country: str | None = None


class EsgImportPeriods(Open):
    import_id: int | float | None = None
    site: str | None = None
    line: str | None = None
    rows: int | None = None
    replaced: int | float | None = None
    sha256: str | None = None
    conversions: dict[str, Any] | None = None
    ignored_columns: list[Any] | None = None
    to: str | None = None


class EsgKpi(Open):
    site: str | None = None
    line: str | None = None
    to: Any = None
    n_periods: int | float | None = None
    availability: int | float | None = None
    performance: int | float | None = None
    quality: int | float | None = None
    scrap_rate: int | float | None = None
    first_pass_yield: int | float | None = None
    energy_per_good_unit_kwh: int | float | None = None
    mtbf_h: int | float | None = None
    mttr_h: int | float | None = None
    trir: int | float | None = None
    ltifr: int | float | None = None
    oee: int | float | None = None
    unplanned_downtime_h: int | float | None = None
    energy_kwh: int | float | None = None
    produced_qty: int | float | None = None
    good_qty: int | float | None = None
    scrap_qty: int | float | None = None
    material_kg: int | float | None = None
    waste_kg: int | float | None = None
    recordable_injuries: int | float | None = None
    lost_time_injuries: int | float | None = None
    hours_worked: int | float | None = None
    reasons: dict[str, Any] | None = None
    coverage: dict[str, Any] | None = None
    reasons_ko: dict[str, Any] | None = None
    months: list[Any] | None = None


class EsgListLinksItem(Open):
    system: str | None = None
    site: str | None = None
    site_country: str | None = None
    line: str | None = None
    kpis: list[Any] | None = None
    kpis_from: str | None = None
    lifecycle_stage: str | None = None
    deployed_at: str | None = None
    deployed_at_from: str | None = None
    note: Any = None


class EsgListLinks(Page):
    items: list[EsgListLinksItem] | None = None


class EsgPutLink(EsgListLinksItem):
    pass


class EsgEffect(Open):
    system: str | None = None
    links: list[Any] | None = None
    label: str | None = None
    label_ko: str | None = None


class EsgListSocialItem(Open):
    id: int | float | None = None
    indicator: str | None = None
    system: str | None = None
    value: int | float | None = None
    items: list[Any] | None = None
    start: str | None = None
    end: str | None = None
    note: str | None = None
    recorded_by: str | None = None


class EsgListSocial(Page):
    items: list[EsgListSocialItem] | None = None


class EsgReport(Open):
    organisation: str | None = None
    to: str | None = None
    lang: str | None = None
    generated_at: str | None = None
    energy_kwh: int | float | None = None
    facility_energy_kwh: int | float | None = None
    emissions_location_tco2e: int | float | None = None
    emissions_market_tco2e: int | float | None = None
    scope2_note: str | None = None
    scope2_note_ko: str | None = None
    methods: dict[str, Any] | None = None
    by_system: list[Any] | None = None
    records: list[Any] | None = None
    instruments_unused_mwh: dict[str, Any] | None = None
    kpis: list[Any] | None = None
    effects: list[Any] | None = None
    social: list[Any] | None = None
    social_records: list[Any] | None = None
    factors: list[Any] | None = None
    frameworks: dict[str, Any] | None = None


class EsgImportCodecarbon(Open):
    system: str | None = None
    runs: int | None = None
    imported: int | None = None
    skipped_duplicates: int | None = None
    records: list[dict[str, Any]] | None = None
