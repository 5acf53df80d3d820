"""Dates, times, numbers and money as a reader of Korean or English expects them.

Pages and documents show every moment in the organisation's time zone (default
Asia/Seoul) with the zone's abbreviation, so ``2026-12-06T05:30Z`` reads
``2026년 12월 6일 14:30 (KST)`` in Korean and ``2026-12-06 14:30 KST`` in English. Stored
records, the JSON API and the ledger keep UTC ISO timestamps; only what a person reads
goes through here.

Korean money is read in 만/억/조 (10⁴, 10⁸, 10¹²): ``1조 2,000억 원`` is read at a glance,
``1,200,000,000,000원`` has to be counted.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Seoul"
#: Korean units of ten thousand, largest first.
KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
EMPTY = "—"


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a zone the settings already refused; never fail a page for it


def moment(value: Any) -> dt.datetime | dt.date | None:
    """A date or an aware datetime from a value or an ISO text (naive times are UTC)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value if isinstance(value, dt.date) else None


def zone_label(when: dt.datetime) -> str:
    """The zone's abbreviation at ``when`` (KST, CET, CEST, UTC), else its offset (UTC+05:30)."""
    name = when.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = when.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _korean_date(day: dt.date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


def local_date(value: Any, lang: str, tz: str = DEFAULT_ZONE) -> str:
    """The calendar date of ``value`` (an instant is read in ``tz``): 2026년 12월 6일 / 2026-12-06."""
    when = moment(value)
    if when is None:
        return EMPTY if value in (None, "") else str(value)
    if isinstance(when, dt.datetime):
        when = when.astimezone(_zone(tz)).date()
    return _korean_date(when) if lang == "ko" else when.isoformat()


def local_datetime(value: Any, lang: str, tz: str = DEFAULT_ZONE) -> str:
    """An instant to the minute in ``tz`` with its zone: 2026년 12월 6일 14:30 (KST) / 2026-12-06 14:30 KST.

    A plain date stays a date; text that is no timestamp is shown as it is.
    """
    when = moment(value)
    if not isinstance(when, dt.datetime):
        return local_date(value, lang, tz)
    local = when.astimezone(_zone(tz))
    if lang == "ko":
        return f"{_korean_date(local.date())} {local:%H:%M} ({zone_label(local)})"
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"


def number(value: Any, digits: int = 4) -> str:
    """Thousands separators, a sensible precision for fractions; em dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}g}" if abs(value) < 1e6 else f"{value:,.0f}"


def korean_amount(amount: int) -> str:
    """A whole number in 만/억/조 groups: 1조 2,000억, 3억 5,000만, 1억 2,345만 6,789, 9,500."""
    if amount < 0:
        return "-" + korean_amount(-amount)
    parts = []
    rest = amount
    for size, unit in KOREAN_UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if rest or not parts:
        parts.append(f"{rest:,}")
    return " ".join(parts)


def won(value: Any, lang: str) -> str:
    """An amount in Korean won (rounded to the won): 3억 5,000만 원 / KRW 350,000,000."""
    if value is None or value == "" or isinstance(value, bool) or not isinstance(value, int | float):
        return EMPTY if value in (None, "") else str(value)
    amount = round(value)
    return f"{korean_amount(amount)} 원" if lang == "ko" else f"KRW {amount:,}"
