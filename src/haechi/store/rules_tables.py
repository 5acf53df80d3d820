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
    #: revision | pack_version | pack_content | org_facts | date | initial
    cause: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the verdict's substance (scope, classes, obligation statuses and dates).
    digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column()
    changes: Mapped[dict[str, Any]] = mapped_column()
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LawChange(Base):
    """What a change of law meant for one system under one pack: duties gained, lost or moved.

    Written when a pack update (install, uninstall, a user pack) or the passage of time
    changes a stored verdict, never for a card revision (that is the system changing, not
    the law). ``changes`` holds ``gained``, ``lost`` and ``moved`` obligations (before/after
    status and start date, article, titles) and ``classes``; ``controls`` the library
    controls serving those obligations; ``deliveries`` the owners' notifications.
    """

    __tablename__ = "rules_law_changes"
    __table_args__ = (Index("ix_rules_law_changes_org_id_id", "org_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    verdict_id: Mapped[int] = mapped_column(ForeignKey("rules_verdicts.id"))
    pack: Mapped[str] = mapped_column(String(64))
    #: the previous version, checksum and evaluation date (none when the pack is new to the system)
    old_version: Mapped[int | None] = mapped_column()
    new_version: Mapped[int] = mapped_column()
    old_sha256: Mapped[str | None] = mapped_column(String(64))
    new_sha256: Mapped[str] = mapped_column(String(64))
    old_as_of: Mapped[dt.date | None] = mapped_column(Date)
    as_of: Mapped[dt.date] = mapped_column(Date)
    #: the date from which the change holds (a new version's publication, a duty's start)
    effective: Mapped[dt.date] = mapped_column(Date)
    #: install | uninstall | schedule | refresh | demo
    trigger: Mapped[str] = mapped_column(String(16))
    #: pack_version | pack_content | date (as in rules_verdicts)
    cause: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column()
    controls: Mapped[list[Any]] = mapped_column()
    deliveries: Mapped[list[Any]] = mapped_column()
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
