"""Tables of the metric side of monitoring: monitors, cached window results, runs, alerts.

(The log lake's own tables live in ``monitor_lake_tables.py``, owned by the lake.)
A window result is stored once per monitor and window start with the fingerprint of
its inputs, which is how a rerun knows what it can reuse. An alert is unique per
monitor, window, metric, scope and group, so rerunning a monitor never duplicates one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class Monitor(Base):
    """A monitor spec attached to a system (one per system and name)."""

    __tablename__ = "monitors"
    __table_args__ = (UniqueConstraint("org_id", "system_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column()
    schedule: Mapped[str | None] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[dt.datetime | None] = mapped_column()
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)


class MonitorResult(Base):
    """The metrics of one window, with the fingerprint of the inputs they came from."""

    __tablename__ = "monitor_results"
    __table_args__ = (UniqueConstraint("monitor_id", "window_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"), index=True)
    window_start: Mapped[str] = mapped_column(String(40))
    window_end: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MonitorRun(Base):
    """One execution of a monitor (on demand or scheduled) and how it went."""

    __tablename__ = "monitor_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"), index=True)
    trigger: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(320))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    computed_windows: Mapped[int] = mapped_column(default=0)
    cached_windows: Mapped[int] = mapped_column(default=0)
    new_alerts: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class MonitorAlert(Base):
    """A threshold breach: which window, metric, scope and group, the value and the bound."""

    __tablename__ = "monitor_alerts"
    __table_args__ = (UniqueConstraint("monitor_id", "window_start", "metric", "scope", "grp"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    window_start: Mapped[str] = mapped_column(String(40))
    window_end: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(200), default="")
    grp: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    threshold: Mapped[dict[str, Any]] = mapped_column()
    n: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    deliveries: Mapped[list[Any]] = mapped_column(default=list)
    #: the problem this breach is an occurrence of (``monitor_problem_tables``)
    problem_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
