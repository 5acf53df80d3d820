"""The workspace's clock: one notion of "now" and "today" for every capability.

Verdicts are evaluated as of the clock's date and compliance counts its deadlines from
the same moment, so a verdict and the controls synced from it never disagree about which
day it is. Tests move time by replacing :attr:`Clock.source`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Clock:
    """Now (UTC) and today (in a time zone), from a replaceable source.

    :param timezone: the zone whose date is "today" unless another is asked for.
    """

    def __init__(self, timezone: str, source: Callable[[], dt.datetime] = utcnow) -> None:
        self.timezone = timezone
        self.source = source

    def now(self) -> dt.datetime:
        """The current moment, timezone-aware (a naive source is read as UTC)."""
        moment = self.source()
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def today(self, tz: str | None = None) -> dt.date:
        """Today's date in ``tz`` (default: the clock's zone)."""
        from zoneinfo import ZoneInfo  # on first use: most commands never ask for a date

        return self.now().astimezone(ZoneInfo(tz or self.timezone)).date()
