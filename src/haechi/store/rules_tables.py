"""Stored verdicts of the law-pack engine.

One row per change of a system's verdict under one pack: a new card revision, a new
pack version, or an obligation coming into force with time. Rows are never updated,
so the table is the history of when a verdict changed and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class RulesVerdict(Base):
    """The classification of one system revision under one pack version."""

    __tablename__ = "rules_verdicts"
    __table_args__ = (Index("ix_rules_verdicts_system_pack", "system_id", "pack", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    revision: Mapped[int] = mapped_column()
    pack: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[int] = mapped_column()
    pack_sha256: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[dt.date] = mapped_column(Date)
    #: revision | pack_version | pack_content | date | initial
    cause: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the verdict's substance (scope, classes, obligation statuses and dates).
    digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column()
    changes: Mapped[dict[str, Any]] = mapped_column()
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
