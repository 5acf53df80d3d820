"""Scheduled monitor runs inside ``haechi serve``.

Every ``DEFAULT_TICK_SECONDS`` the server's scheduler (:mod:`haechi.scheduler`, job
``monitors`` declared in ``monitor/capability.py``) calls :func:`run_due`, which finds
monitors whose ``schedule`` has elapsed since their last run and runs them one at a
time as the organisation's scheduler (an admin actor labelled ``scheduler``). A failing
monitor is recorded on its row and in its run history and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError
from haechi.store.monitor_tables import Monitor
from haechi.store.tables import Organisation, System

from .windows import parse_duration

if TYPE_CHECKING:
    from .service import MonitorService

log = logging.getLogger("haechi.monitor.scheduler")
DEFAULT_TICK_SECONDS = 60.0
#: let the server finish starting before the first round of monitors
FIRST_TICK_DELAY_SECONDS = 5.0


def due_monitors(monitors: MonitorService, now: dt.datetime) -> list[tuple[Actor, str, str]]:
    """(scheduler actor, system, monitor name) of every enabled monitor whose time has come."""
    out = []
    with monitors.db.reader() as s:
        rows = s.execute(select(Monitor, System.slug, Organisation.slug)
                         .join(System, System.id == Monitor.system_id)
                         .join(Organisation, Organisation.id == Monitor.org_id)
                         .where(Monitor.enabled.is_(True), Monitor.schedule.is_not(None),
                                System.deleted_at.is_(None))).all()
        found = [(m.org_id, m.name, m.schedule or "1d", m.last_run_at, system, org) for m, system, org in rows]
    for org_id, name, schedule, last_run_at, system, org in found:
        if last_run_at is None or last_run_at + parse_duration(schedule) <= now:
            out.append((Actor(org_id, org, "admin", "scheduler"), system, name))
    return out


def run_due(monitors: MonitorService, now: dt.datetime | None = None) -> int:
    """Run every due monitor once; returns how many ran (successfully or not)."""
    count = 0
    for actor, system, name in due_monitors(monitors, now or monitors.clock.now()):
        count += 1
        try:
            monitors.run(actor, system, name=name, trigger="schedule")
        except HaechiError as exc:  # recorded on the monitor by the service
            log.warning("monitor %s/%s failed: %s", system, name, exc.message)
        except Exception:  # keep the scheduler alive whatever one monitor does
            log.exception("monitor %s/%s crashed", system, name)
    return count


def interval(monitors: MonitorService) -> float | None:
    """Seconds between looks for due monitors; ``None`` (off) with ``HAECHI_SCHEDULE_MONITORS=false``.

    Also off for in-memory instances (tests, throw-aways): their one shared SQLite
    connection cannot serve the scheduler's thread while requests use it.
    """
    return DEFAULT_TICK_SECONDS if monitors.config.scheduled else None
