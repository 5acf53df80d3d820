"""Tables of the log lake (monitoring part B): per-system retention policies.

The events themselves live in Parquet (the lake); only governance decisions about them
— how long they are kept, who decided, why — live in the relational store, next to the
ledger entries that record each change.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class LakePolicy(Base):
    """How long one system's prediction logs are kept (in days), and why."""

    __tablename__ = "lake_policies"
    __table_args__ = (UniqueConstraint("org_id", "system"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    retention_days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
