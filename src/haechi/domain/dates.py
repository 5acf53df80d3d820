"""The range of calendar dates Haechi accepts from people and files.

Python's dates run from year 1 to 9999, and a period that ends on 9999-12-31 overflows as
soon as anything adds a day to it (a window end, a retention period, a clock). No record
of an AI system, an energy bill or a law needs dates outside the modern era, so every
date that comes in is checked against one sane range and refused with a message naming
the field — instead of failing somewhere later with an overflow.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

from pydantic import AfterValidator

from .errors import Issue, ValidationFailed

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
RANGE_TEXT = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
D = TypeVar("D", dt.date, dt.datetime)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def in_range(value: dt.date | dt.datetime | None) -> bool:
    return value is None or EARLIEST <= _day(value) <= LATEST


def check_date(value: D | None, field: str) -> D | None:
    """``value`` unchanged when it is in range; :class:`ValidationFailed` naming ``field`` otherwise."""
    if in_range(value):
        return value
    raise ValidationFailed(
        f"{field}: {value} is outside the accepted dates ({RANGE_TEXT})",
        issues=[Issue(field, f"{value} is out of range", f"give a date {RANGE_TEXT}")],
        key="domain.outside_accepted_dates",
        values={"field": field, "value": value, "earliest": EARLIEST, "latest": LATEST})


def _validate(value: D) -> D:
    if not in_range(value):
        raise ValueError(f"{value} is outside the accepted dates ({RANGE_TEXT})")
    return value


#: A date field of a request body or query (pydantic answers 422 naming the field).
SaneDate = Annotated[dt.date, AfterValidator(_validate)]
SaneDateTime = Annotated[dt.datetime, AfterValidator(_validate)]
