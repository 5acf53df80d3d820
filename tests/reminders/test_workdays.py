"""Korean periods end on the next working day; EU clocks count calendar days."""

from __future__ import annotations

import datetime as dt

from haechi.compliance.deadlines import EU_73_WIDESPREAD, KR_33_REREQUEST, Clock, confirmation_clocks
from haechi.reminders.workdays import is_kr_working_day, kr_due_date, kr_period_end, rolled_reason

KST = dt.timezone(dt.timedelta(hours=9))


def test_chuseok_2026_moves_a_deadline_to_the_monday_after() -> None:
    # 24-26 Sept 2026 are Chuseok (Thu-Sat), 27 Sept is a Sunday
    assert not is_kr_working_day(dt.date(2026, 9, 25))
    assert kr_period_end(dt.date(2026, 9, 24)) == dt.date(2026, 9, 28)
    reason_ko = rolled_reason(dt.date(2026, 9, 24), dt.date(2026, 9, 28), "ko")
    assert reason_ko is not None and "추석" in reason_ko and "제161조" in reason_ko
    reason_en = rolled_reason(dt.date(2026, 9, 24), dt.date(2026, 9, 28), "en")
    assert reason_en is not None and "Chuseok" in reason_en and "Sunday" in reason_en


def test_christmas_saturday_and_an_ordinary_day() -> None:
    assert kr_period_end(dt.date(2026, 12, 25)) == dt.date(2026, 12, 28)  # Friday holiday, then the weekend
    assert kr_period_end(dt.date(2026, 11, 14)) == dt.date(2026, 11, 16)  # a Saturday
    assert kr_period_end(dt.date(2026, 11, 18)) == dt.date(2026, 11, 18)  # a Wednesday stays
    assert rolled_reason(dt.date(2026, 11, 18), dt.date(2026, 11, 18)) is None
    # the first day is not counted (Civil Act Art. 157): 10 days from Sunday 4 Oct 2026 is Wednesday 14 Oct
    assert kr_due_date(dt.date(2026, 10, 4), 10) == dt.date(2026, 10, 14)
    # ... and 10 days from Tuesday 29 Sept lands on Friday 9 Oct, Hangul Day: Monday 12 Oct
    assert kr_due_date(dt.date(2026, 9, 29), 10) == dt.date(2026, 10, 12)


def test_korean_rerequest_window_rolls_over_chuseok() -> None:
    replied = dt.datetime(2026, 9, 14, 10, 0, tzinfo=KST)  # 10 days later is Thursday 24 Sept
    window = Clock(KR_33_REREQUEST, replied, "Asia/Seoul")
    assert window.calendar_due_date == dt.date(2026, 9, 24) and window.due_date == dt.date(2026, 9, 28)
    assert window.due_at == dt.datetime(2026, 9, 28, 15, 0, tzinfo=dt.UTC)  # midnight KST after the 28th
    submitted = dt.datetime(2026, 11, 25, 9, 0, tzinfo=KST)  # MSIT's 30 days end on Christmas Day
    reply, = confirmation_clocks(submitted, "Asia/Seoul")
    assert reply.calendar_due_date == dt.date(2026, 12, 25) and reply.due_date == dt.date(2026, 12, 28)


def test_eu_art73_clock_counts_calendar_days() -> None:
    aware = dt.datetime(2026, 9, 22, 10, 0, tzinfo=KST)  # 2 days later is Thursday 24 Sept, Chuseok in Korea
    clock = Clock(EU_73_WIDESPREAD, aware, "Asia/Seoul")
    assert clock.due_date == clock.calendar_due_date == dt.date(2026, 9, 24)
    saturday = Clock(EU_73_WIDESPREAD, dt.datetime(2026, 11, 12, 8, 0, tzinfo=dt.UTC), "Europe/Brussels")
    assert saturday.due_date == dt.date(2026, 11, 14)  # a Saturday, not moved
