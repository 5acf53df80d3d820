"""Periodic upkeep of the log lake inside ``haechi serve``: compaction and retention.

Every ``settings.lake_upkeep_minutes`` the server's scheduler (job ``lake-upkeep``
declared in ``monitor/capability.py``) merges the small batch files of past
days (today is left to the writers) and deletes the day partitions that have outlived
their system's retention policy — deletions are ledgered by ``LakeService.purge_expired``.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError
from haechi.store.tables import Organisation

from . import lake_maintenance

if TYPE_CHECKING:
    from .lake_service import LakeService

log = logging.getLogger("haechi.lake")

UPKEEP_LABEL = "haechi-lake-upkeep"
MIN_FILES = 4


def run_once(lake: LakeService, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Compact past days and purge expired ones for every system that has logs."""
    today = today or lake.clock.now().astimezone(dt.UTC).date()
    report: list[dict[str, Any]] = []
    if lake.on_object_storage:  # compaction and purges move and delete files: local lakes only
        log.info("log lake on object storage: compaction and retention purges are left to the bucket")
        return report
    for org_id, org_slug in _organisations(lake):
        actor = Actor(org_id=org_id, org_slug=org_slug, role="admin", label=UPKEEP_LABEL)
        for system in lake.lake.systems(org_slug):
            try:
                sl = lake.system_lake(actor, system)
            except HaechiError:
                continue  # a directory without a registered system: leave it alone
            past = [day for day in sl.days() if day < today]
            # an unreadable file is set aside (and ledgered) instead of stopping every pass
            compacted, moved = lake.despite_unreadable(
                actor, system, partial(lake_maintenance.compact, sl, days=past, min_files=MIN_FILES))
            purged = lake.purge_expired(actor, system)
            report.append({"org": org_slug, "system": system, "compacted_days": compacted.days,
                           "purged": purged["deleted_days"], "quarantined": [m["file"] for m in moved]})
    return report


def _organisations(lake: LakeService) -> list[tuple[int, str]]:
    with lake.db.reader() as s:
        return [(o.id, o.slug) for o in s.execute(select(Organisation).order_by(Organisation.slug)).scalars()]


def interval(lake: LakeService) -> float | None:
    """Seconds between passes (``settings.lake_upkeep_minutes``); ``None`` (off) when not positive.

    The first pass comes one period after start-up, not while the server is starting.
    """
    minutes = lake.config.upkeep_minutes
    return minutes * 60.0 if minutes > 0 else None
