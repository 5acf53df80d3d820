"""Periodic upkeep of the log lake inside ``haechi serve``: compaction and retention.

Every ``settings.lake_upkeep_minutes`` the server merges the small batch files of past
days (today is left to the writers) and deletes the day partitions that have outlived
their system's retention policy — deletions are ledgered by ``LakeService.purge_expired``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError

from . import lake_maintenance

if TYPE_CHECKING:
    from haechi.core import Haechi

log = logging.getLogger("haechi.lake")

UPKEEP_LABEL = "haechi-lake-upkeep"
MIN_FILES = 4


def run_once(hc: Haechi, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Compact past days and purge expired ones for every system that has logs."""
    today = today or dt.datetime.now(dt.UTC).date()
    report = []
    for org in hc.accounts.list_orgs():
        actor = Actor(org_id=org.id, org_slug=org.slug, role="admin", label=UPKEEP_LABEL)
        for system in hc.lake.lake.systems(org.slug):
            try:
                sl = hc.lake.system_lake(actor, system)
            except HaechiError:
                continue  # a directory without a registered system: leave it alone
            past = [day for day in sl.days() if day < today]
            # an unreadable file is set aside (and ledgered) instead of stopping every pass
            compacted, moved = hc.lake.despite_unreadable(
                actor, system, partial(lake_maintenance.compact, sl, days=past, min_files=MIN_FILES))
            purged = hc.lake.purge_expired(actor, system)
            report.append({"org": org.slug, "system": system, "compacted_days": compacted.days,
                           "purged": purged["deleted_days"], "quarantined": [m["file"] for m in moved]})
    return report


class LakeUpkeep:
    """A daemon thread that calls :func:`run_once` on a fixed period."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, hc: Haechi) -> None:
        minutes = hc.settings.lake_upkeep_minutes
        if minutes <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._loop, args=(hc, minutes * 60.0), name="haechi-lake-upkeep", daemon=True
        )
        self._thread.start()

    def stop(self, _hc: Haechi) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None

    def _loop(self, hc: Haechi, period: float) -> None:
        while not self._stop.wait(period):  # first pass after one period: not at start-up
            try:
                run_once(hc)
            except Exception:  # keep the server up; the next pass retries
                log.exception("log lake upkeep failed")
