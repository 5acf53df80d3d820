"""Regulator clocks: EU Art. 73 (15 / 10 / 2 days) and KR Art. 33 (30 / +30 / 10 / 30
days), across month ends, leap years and time zones (Asia/Seoul, UTC, Europe/Brussels)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haechi.compliance.deadlines import (
    EU_73_DEATH,
    EU_73_GENERAL,
    EU_73_WIDESPREAD,
    Clock,
    confirmation_clocks,
    countdown,
    eu_clock_spec,
    zone,
)
from haechi.domain.errors import ValidationFailed

UTC = dt.UTC
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(("categories", "widespread", "days"), [
    (["fundamental_rights_infringement"], False, 15),
    (["serious_health_harm"], False, 15),
    (["property_environment_harm"], False, 15),
    (["death"], False, 10),
    (["death", "serious_health_harm"], False, 10),
    (["critical_infrastructure_disruption"], False, 2),
    (["fundamental_rights_infringement"], True, 2),
    (["death"], True, 2),   # the shortest applicable clock wins
    ([], True, 2),
    ([], False, None),
])
def test_art73_clock_per_incident_class(categories: list[str], widespread: bool, days: int | None) -> None:
    spec = eu_clock_spec(categories, widespread)
    assert (spec.days if spec else None) == days


# aware at (UTC), zone, spec → last day (local), due instant (UTC)
CASES = [
    # 23:30 UTC on 31 Jan is already 1 Feb in Seoul: the Seoul clock ends a day later.
    (dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "UTC", EU_73_GENERAL, "2026-02-15", "2026-02-16T00:00:00+00:00"),
    (dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "Asia/Seoul", EU_73_GENERAL, "2026-02-16",
     "2026-02-16T15:00:00+00:00"),
    # month end into a short February, and a leap year
    (dt.datetime(2026, 2, 20, 3, 0, tzinfo=UTC), "UTC", EU_73_DEATH, "2026-03-02", "2026-03-03T00:00:00+00:00"),
    (dt.datetime(2028, 2, 20, 3, 0, tzinfo=UTC), "UTC", EU_73_DEATH, "2028-03-01", "2028-03-02T00:00:00+00:00"),
    # 2 days across a month and year end, Seoul evening = UTC morning
    (dt.datetime(2026, 12, 30, 14, 59, tzinfo=UTC), "Asia/Seoul", EU_73_WIDESPREAD, "2027-01-01",
     "2027-01-01T15:00:00+00:00"),
    (dt.datetime(2026, 12, 30, 15, 0, tzinfo=UTC), "Asia/Seoul", EU_73_WIDESPREAD, "2027-01-02",
     "2027-01-02T15:00:00+00:00"),
    (dt.datetime(2026, 12, 30, 15, 0, tzinfo=UTC), "UTC", EU_73_WIDESPREAD, "2027-01-01",
     "2027-01-02T00:00:00+00:00"),
    # 15 days over the EU summer-time change (29 March 2026): midnight CEST = 22:00 UTC
    (dt.datetime(2026, 3, 20, 12, 0, tzinfo=UTC), "Europe/Brussels", EU_73_GENERAL, "2026-04-04",
     "2026-04-04T22:00:00+00:00"),
    # 30 April + 15 days; 31 May + 10 days (months of different lengths)
    (dt.datetime(2026, 4, 30, 10, 0, tzinfo=UTC), "UTC", EU_73_GENERAL, "2026-05-15", "2026-05-16T00:00:00+00:00"),
    (dt.datetime(2026, 5, 31, 10, 0, tzinfo=UTC), "Asia/Seoul", EU_73_DEATH, "2026-06-10",
     "2026-06-10T15:00:00+00:00"),
]


@pytest.mark.parametrize(("aware", "tz", "spec", "last_day", "due"), CASES)
def test_due_dates_across_month_ends_and_time_zones(aware: dt.datetime, tz: str, spec: object, last_day: str,
                                                    due: str) -> None:
    clock = Clock(spec, aware, tz)  # type: ignore[arg-type]
    assert clock.due_date.isoformat() == last_day
    assert clock.due_at.isoformat() == due


def test_the_same_moment_given_in_seoul_time_gives_the_same_due_date() -> None:
    utc = Clock(EU_73_GENERAL, dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "Asia/Seoul")
    seoul = Clock(EU_73_GENERAL, dt.datetime(2026, 2, 1, 8, 30, tzinfo=SEOUL), "Asia/Seoul")
    assert utc.due_at == seoul.due_at


def test_states_warning_and_countdown() -> None:
    aware = dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    clock = Clock(EU_73_GENERAL, aware, "Asia/Seoul")  # due at the end of 2026-03-17 KST
    assert clock.due_at == dt.datetime(2026, 3, 17, 15, 0, tzinfo=UTC)
    assert clock.state(aware) == "running"
    assert clock.state(clock.due_at - dt.timedelta(days=5, seconds=1)) == "running"
    assert clock.state(clock.due_at - dt.timedelta(days=5)) == "due_soon"  # 15 / 3 = 5 days ahead
    assert clock.state(clock.due_at) == "overdue"
    late = clock.to_dict(clock.due_at + dt.timedelta(hours=5, minutes=3))
    assert late["state"] == "overdue" and late["countdown"] == "overdue by 5 hours 3 minutes"
    assert late["countdown_ko"] == "5시간 3분 초과" and late["due_local"] == "2026-03-18T00:00:00+09:00"
    met = Clock(EU_73_GENERAL, aware, "Asia/Seoul", stopped_at=clock.due_at - dt.timedelta(seconds=1))
    assert met.state(clock.due_at + dt.timedelta(days=3)) == "met"
    assert Clock(EU_73_GENERAL, aware, "Asia/Seoul", stopped_at=clock.due_at).state(aware) == "late"
    two = Clock(EU_73_WIDESPREAD, aware, "UTC")
    assert two.state(two.due_at - dt.timedelta(hours=23)) == "due_soon"  # at least one day of warning


def test_countdown_text() -> None:
    assert countdown(dt.timedelta(days=3, hours=4, minutes=5)) == "3 days 4 hours left"
    assert countdown(dt.timedelta(days=1)) == "1 day left"
    assert countdown(dt.timedelta(seconds=20)) == "less than a minute left"
    assert countdown(dt.timedelta(days=3, hours=4), "ko") == "3일 4시간 남음"
    assert countdown(-dt.timedelta(minutes=61), "ko") == "1시간 1분 초과"


def test_korean_confirmation_clocks() -> None:
    submitted = dt.datetime(2026, 1, 30, 6, 0, tzinfo=UTC)  # 15:00 KST
    reply, = confirmation_clocks(submitted, "Asia/Seoul")
    # day 30 is Sunday 1 March (Independence Movement Day), its substitute holiday is Monday 2 March:
    # the period ends on Tuesday 3 March (Civil Act Art. 161)
    assert reply.calendar_due_date == dt.date(2026, 3, 1) and reply.spec.party == "regulator"
    assert reply.due_date == dt.date(2026, 3, 3)
    extended, = confirmation_clocks(submitted, "Asia/Seoul", extended=True)
    assert extended.due_date == dt.date(2026, 3, 31)
    replied = dt.datetime(2026, 2, 25, 1, 0, tzinfo=UTC)
    clocks = confirmation_clocks(submitted, "Asia/Seoul", replied_at=replied)
    assert [c.spec.key for c in clocks] == ["kr.33.reply", "kr.33.rerequest"]
    assert clocks[0].state(replied) == "met"
    window = clocks[1]
    assert window.calendar_due_date == dt.date(2026, 3, 7)  # a Saturday: the window ends on Monday
    assert window.due_date == dt.date(2026, 3, 9) and window.spec.optional
    assert window.state(window.due_at + dt.timedelta(days=1)) == "lapsed"  # a right not used, not a breach
    asked = dt.datetime(2026, 3, 5, 0, 0, tzinfo=UTC)
    final = confirmation_clocks(submitted, "Asia/Seoul", replied_at=replied, rerequested_at=asked)
    assert final[1].state(asked) == "met" and final[2].due_date == dt.date(2026, 4, 6)


def test_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(ValidationFailed, match="Asia/Seoul"):
        zone("Seoul/Korea")


@given(st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2035, 12, 31), timezones=st.just(UTC)),
       st.sampled_from(["UTC", "Asia/Seoul", "Europe/Brussels", "America/New_York"]),
       st.sampled_from([EU_73_GENERAL, EU_73_DEATH, EU_73_WIDESPREAD]))
def test_due_moment_is_the_end_of_the_nth_local_day(aware: dt.datetime, tz: str, spec: object) -> None:
    clock = Clock(spec, aware, tz)  # type: ignore[arg-type]
    local_start = aware.astimezone(ZoneInfo(tz))
    assert (clock.due_date - local_start.date()).days == clock.spec.days
    due_local = clock.due_at.astimezone(ZoneInfo(tz))
    assert due_local.time() == dt.time(0) and due_local.date() == clock.due_date + dt.timedelta(days=1)
    span = (clock.due_at - aware).total_seconds()
    assert clock.spec.days * 86400 - 3600 < span <= (clock.spec.days + 1) * 86400 + 3600
