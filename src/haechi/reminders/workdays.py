"""Korean working days for the end of a statutory period (pure, offline).

Korean Civil Act Art. 157 leaves the first day out of a period counted in days, and
Art. 161 moves the end of a period whose last day is a Saturday or a public holiday to
the following day (Sundays are public holidays under the Regulation on Holidays of
Government Offices, 관공서의 공휴일에 관한 규정). The holiday calendar, substitute holidays
included, comes from the ``holidays`` package, which ships its data: nothing is fetched.
EU periods are not moved here: the brief for EU clocks (Art. 73) counts calendar days.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

CITATION = "Civil Act Art. 157, 161"
CITATION_KO = "민법 제157조, 제161조"


@cache
def _kr_calendar(year: int, lang: str) -> dict[dt.date, str]:
    import holidays  # the data load is the costly part: once per year and language

    return dict(holidays.country_holidays("KR", years=year, language="ko" if lang == "ko" else "en_US"))


def kr_holiday(day: dt.date, lang: str = "ko") -> str | None:
    """The Korean public holiday's name on ``day`` (in ``lang``), or ``None``."""
    return _kr_calendar(day.year, lang).get(day)


def is_kr_working_day(day: dt.date) -> bool:
    """Not a Saturday, a Sunday or a Korean public holiday."""
    return day.weekday() < 5 and kr_holiday(day) is None


def kr_period_end(last_day: dt.date) -> dt.date:
    """The day a Korean period really ends: ``last_day``, or the next working day after it."""
    day = last_day
    while not is_kr_working_day(day):
        day += dt.timedelta(days=1)
    return day


def kr_due_date(start: dt.date, days: int) -> dt.date:
    """Last day of a period of ``days`` days from ``start`` (first day not counted), rolled over."""
    return kr_period_end(start + dt.timedelta(days=days))


def rolled_reason(last_day: dt.date, due: dt.date, lang: str = "en") -> str | None:
    """Why a Korean due date moved (the skipped days), or ``None`` when it did not."""
    if due == last_day:
        return None
    skipped = []
    day = last_day
    while day < due:
        weekend = ("토요일", "Saturday") if day.weekday() == 5 else ("일요일", "Sunday")
        name = kr_holiday(day, lang) or (weekend[0] if lang == "ko" else weekend[1])
        skipped.append(f"{day.isoformat()} {name}")
        day += dt.timedelta(days=1)
    if lang == "ko":
        return f"{last_day.isoformat()}이(가) 휴일이라 다음 근무일로 넘어감 ({', '.join(skipped)}; {CITATION_KO})"
    return f"moved from {last_day.isoformat()}, not a working day ({'; '.join(skipped)}; {CITATION})"
