"""What compliance takes from its workspace: the clock, read per organisation, and the
evidence rules from the settings.

Every compliance service is handed these two small objects instead of the settings or
the facade, so what a service depends on is visible in its constructor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from haechi.clock import Clock
from haechi.store.compliance_tables import ComplianceSettings


class OrgClock:
    """The workspace clock, with each organisation's own time zone for dates and deadlines.

    The moment is the shared workspace clock's (the verdicts read the same one), so moving
    that clock in a test moves compliance with it. An organisation's zone is the one an
    administrator set for it, else the workspace's.
    """

    def __init__(self, clock: Clock) -> None:
        self.workspace = clock

    def now(self) -> dt.datetime:
        """The current moment (UTC), from the workspace clock."""
        return self.workspace.now()

    def today(self, tz: str | None = None) -> dt.date:
        """Today's date in ``tz`` (default: the workspace's time zone)."""
        return self.workspace.today(tz)

    def timezone(self, s: Session | None = None, org_id: int | None = None) -> str:
        """The organisation's clock time zone, else the workspace's."""
        if s is not None and org_id is not None:
            row = s.get(ComplianceSettings, org_id)
            if row is not None and row.timezone:
                return row.timezone
        return self.workspace.timezone

    def org_today(self, s: Session, org_id: int) -> dt.date:
        """Today's date in the organisation's time zone."""
        return self.today(self.timezone(s, org_id))


@dataclass(frozen=True)
class EvidencePolicy:
    """The evidence rules of the workspace (from its settings).

    :ivar max_bytes: the largest evidence file accepted.
    :ivar warning_days: evidence expiring within this many days is flagged as expiring.
    :ivar retention_years: how long evidence is kept before it may be deleted.
    """

    max_bytes: int
    warning_days: int
    retention_years: int
