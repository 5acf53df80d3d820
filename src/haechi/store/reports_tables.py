"""Tables of the reports capability: generated documents and trust passports.

* ``report_documents`` logs every dossier, report and export handed out: its SHA-256 and
  the ledger checkpoint it was generated from, so an auditor can match a file to the
  ledger state it describes; the file itself is kept, so reading it again writes nothing.
* ``passport_settings`` holds, per system, whether a public passport exists and which
  fields it shows (opt-in field by field).
* ``passport_publications`` keeps every signed passport issued (the public page serves
  the newest); old ones stay so a holder of an old file can still be told it was real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, JSONType, utcnow


class ReportDocument(Base):
    """One generated document (dossier, organisation report or export)."""

    __tablename__ = "report_documents"
    __table_args__ = (Index("ix_report_documents_org_created", "org_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # dossier | report | export
    variant: Mapped[str] = mapped_column(String(32))  # full, kr-art34, portfolio, cyclonedx, ...
    lang: Mapped[str | None] = mapped_column(String(4))
    format: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    checkpoint_seq: Mapped[int | None] = mapped_column(Integer)
    checkpoint_hash: Mapped[str | None] = mapped_column(String(64))
    #: the file name it was handed out under; its content is kept by SHA-256 (``<home>/documents``)
    filename: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PassportSetting(Base):
    """Whether a system has a public passport, and which fields it shows."""

    __tablename__ = "passport_settings"
    __table_args__ = (UniqueConstraint("org_id", "system_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    fields: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    valid_days: Mapped[int] = mapped_column(Integer, default=30)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PassportPublication(Base):
    """One signed passport document as issued."""

    __tablename__ = "passport_publications"
    __table_args__ = (UniqueConstraint("org_id", "system_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
