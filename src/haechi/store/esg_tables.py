"""Tables of the ESG capability: energy records, contractual instruments, sites,
production periods and their imports, KPI links to AI systems, social indicators.

Every row carries ``org_id``. Energy records keep the grid factor chosen when they were
recorded (``factor_id``), so a figure never changes factor silently afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class EsgSite(Base):
    """A plant or site; its country selects the grid factor for avoided emissions."""

    __tablename__ = "esg_sites"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    name_ko: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EsgEnergyRecord(Base):
    """Energy of one AI system for one activity over a date range (inclusive)."""

    __tablename__ = "esg_energy_records"
    __table_args__ = (
        Index("ix_esg_energy_org_system", "org_id", "system_id", "end_date"),
        UniqueConstraint("org_id", "system_id", "external_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    activity: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    kwh: Mapped[float] = mapped_column(Float)
    pue: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    country: Mapped[str | None] = mapped_column(String(8))
    factor_id: Mapped[str] = mapped_column(String(64))
    factor_fallback: Mapped[str | None] = mapped_column(String(16))
    inference_count: Mapped[int | None] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EsgInstrument(Base):
    """A contractual instrument (PPA, REC, green premium, supplier rate) for market-based."""

    __tablename__ = "esg_instruments"
    __table_args__ = (UniqueConstraint("org_id", "ident"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    ident: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(8))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    mwh: Mapped[float] = mapped_column(Float)
    factor: Mapped[float] = mapped_column(Float)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EsgImport(Base):
    """One accepted production file: what, where, how many rows, its hash."""

    __tablename__ = "esg_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("esg_sites.id"))
    line: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    replaced: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EsgPeriod(Base):
    """One production period of one line (columns as in spec/esg.md, canonical units)."""

    __tablename__ = "esg_periods"
    __table_args__ = (Index("ix_esg_periods_line", "org_id", "site_id", "line", "period_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("esg_sites.id"))
    line: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int] = mapped_column(ForeignKey("esg_imports.id"))
    period_start: Mapped[dt.datetime] = mapped_column()
    period_end: Mapped[dt.datetime] = mapped_column()
    planned_busy_time_h: Mapped[float] = mapped_column(Float)
    actual_production_time_h: Mapped[float] = mapped_column(Float)
    produced_qty: Mapped[float] = mapped_column(Float)
    good_qty: Mapped[float] = mapped_column(Float)
    ideal_cycle_time_s: Mapped[float | None] = mapped_column(Float)
    scrap_qty: Mapped[float | None] = mapped_column(Float)
    first_pass_good_qty: Mapped[float | None] = mapped_column(Float)
    energy_kwh: Mapped[float | None] = mapped_column(Float)
    unplanned_downtime_h: Mapped[float | None] = mapped_column(Float)
    failures: Mapped[float | None] = mapped_column(Float)
    repair_time_h: Mapped[float | None] = mapped_column(Float)
    hours_worked: Mapped[float | None] = mapped_column(Float)
    recordable_injuries: Mapped[float | None] = mapped_column(Float)
    lost_time_injuries: Mapped[float | None] = mapped_column(Float)
    material_kg: Mapped[float | None] = mapped_column(Float)
    waste_kg: Mapped[float | None] = mapped_column(Float)


class EsgLink(Base):
    """An AI system acting on a line's KPIs (KPIs from its lifecycle stage unless listed)."""

    __tablename__ = "esg_links"
    __table_args__ = (UniqueConstraint("org_id", "system_id", "site_id", "line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("esg_sites.id"))
    line: Mapped[str] = mapped_column(String(64))
    kpis: Mapped[list[Any] | None] = mapped_column()
    deployed_at: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EsgSocial(Base):
    """One social or governance indicator value for a period (organisation or one system)."""

    __tablename__ = "esg_social"
    __table_args__ = (Index("ix_esg_social_period", "org_id", "indicator", "end_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"))
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[float | None] = mapped_column(Float)
    items: Mapped[list[Any] | None] = mapped_column()
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
