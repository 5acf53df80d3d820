"""Durations and fixed time windows.

Windows are half-open UTC intervals ``[start, end)`` of one fixed length, laid end to
end from an origin (the end of the reference period). A window is identified by its
index ``k``: ``start = origin + k * size``. Engines assign a row to a window with the
same integer arithmetic on microseconds, so DuckDB, Spark and Python always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
MIN_SECONDS = 60


def parse_duration(text: str) -> dt.timedelta:
    """``'1h'``, ``'1d'``, ``'7d'``, ``'2w'``, ``'30m'`` → timedelta; ``ValueError`` if not."""
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a duration; write a number and a unit: 30m, 1h, 1d, 7d or 2w")
    return dt.timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def to_micros(moment: dt.datetime) -> int:
    """Microseconds since the Unix epoch (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=int(micros))


def iso(moment: dt.datetime) -> str:
    """``2026-01-08T00:00:00Z`` (UTC, seconds precision unless microseconds are set)."""
    moment = moment.astimezone(dt.UTC)
    text = moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


@dataclass(frozen=True)
class Window:
    """One window: its index from the origin and its UTC bounds."""

    index: int
    start: dt.datetime
    end: dt.datetime

    def to_dict(self) -> dict[str, str]:
        return {"start": iso(self.start), "end": iso(self.end)}


@dataclass(frozen=True)
class WindowGrid:
    """Windows of ``size`` laid from ``origin``; index 0 starts at the origin."""

    origin: dt.datetime
    size: dt.timedelta

    @property
    def origin_us(self) -> int:
        return to_micros(self.origin)

    @property
    def size_us(self) -> int:
        return int(self.size.total_seconds()) * 1_000_000

    def window(self, index: int) -> Window:
        start = self.origin + index * self.size
        return Window(index, start, start + self.size)

    def index_of(self, micros: int) -> int:
        """Index of the window holding the instant ``micros`` (floor division)."""
        return (micros - self.origin_us) // self.size_us

    def covering(self, last_us: int | None) -> list[Window]:
        """Windows from the origin up to the one holding ``last_us`` (none if no data after).

        Windows between the origin and the data are listed too, with no rows, so a gap in
        the log shows as a gap instead of disappearing.
        """
        if last_us is None or last_us < self.origin_us:
            return []
        return [self.window(k) for k in range(self.index_of(last_us) + 1)]

    def overlapping(self, lo_us: int, hi_us: int) -> range:
        """Indices of windows that intersect the closed interval ``[lo_us, hi_us]``."""
        first = max(0, self.index_of(lo_us))
        return range(first, self.index_of(hi_us) + 1)
