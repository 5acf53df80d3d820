"""Monitoring problems: a breach that persists, grouped from its alerts.

An alert is one window's breach of one threshold at one place (system × metric ×
scope × group). A problem is what a person works through: the alerts of one place,
window after window, from the first breach until someone resolves it with a note.
Each alert names its problem (``monitor_alerts.problem_id``); the problem keeps the
counts, the first and last window, recent values for the trend, and the incident,
evidence and controls its alerts fed in compliance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class MonitorProblem(Base):
    """One open (or handled) breach of a threshold at one place, over one or more windows."""

    __tablename__ = "monitor_problems"
    __table_args__ = (Index("ix_monitor_problems_place", "monitor_id", "metric", "scope", "grp"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    metric: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(200), default="")
    grp: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    severity: Mapped[str] = mapped_column(String(16), default="medium")
    first_window: Mapped[str] = mapped_column(String(40))
    last_window: Mapped[str] = mapped_column(String(40))
    occurrences: Mapped[int] = mapped_column(default=0)
    last_value: Mapped[float | None] = mapped_column(Float)
    worst_value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: the latest occurrences, oldest first: ``[[window_start, value], …]`` (trend, sparkline)
    recent: Mapped[list[Any]] = mapped_column(default=list)
    #: whether the newest window the monitor computed still breaches here
    breaching: Mapped[bool] = mapped_column(default=True)
    #: what the alerts fed in compliance: incident ref, evidence refs, control refs
    incident: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    controls: Mapped[list[Any]] = mapped_column(default=list)
    #: the resolved problem of the same place that this one follows
    follows_id: Mapped[int | None] = mapped_column(Integer)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column()
    acknowledged_by: Mapped[str | None] = mapped_column(String(320))
    acknowledged_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    resolved_by: Mapped[str | None] = mapped_column(String(320))
    resolved_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
