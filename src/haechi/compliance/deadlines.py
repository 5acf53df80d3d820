"""Regulator clocks: due dates, countdowns and warnings, as pure functions of time.

* EU AI Act Art. 73 (serious incidents, providers of high-risk AI): report no later than
  15 days after becoming aware; 10 days if a person died; 2 days for a widespread
  infringement or a serious disruption of critical infrastructure [EU-73].
* Korean AI Basic Act Art. 33 / Decree Art. 25 (confirmation of high-impact status):
  MSIT replies within 30 days, extendable once by 30; an operator who disagrees may ask
  for re-confirmation within 10 days of the reply; MSIT answers that within 30 days
  [KR-33-4].
* EU Cyber Resilience Act Art. 14 (from 2026-09-11; see :mod:`.cra_clocks`): an early
  warning within 24 hours and a notification within 72 hours of becoming aware, a final
  report 14 days after a fix is available or one month after the notification.

Counting rule: a period of N days runs from the local calendar day on which the clock
starts, in the clock's time zone, and ends at midnight at the end of the Nth following day;
a period of N months ends at midnight after the day with the same date N months later (the
month's last day when it has no such date). Korean periods whose last day is a Saturday,
Sunday or public holiday end on the next working day (Civil Act Art. 161;
:mod:`haechi.reminders.workdays`). EU clocks count calendar days; whether Regulation
1182/71's weekend rule moves an Art. 73 deadline is not applied (uncertain), so EU due
dates err early. A period of hours is absolute: it ends exactly that many hours after the
clock starts, whatever the time zone, daylight-saving change, weekend or holiday.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from haechi.domain.errors import ValidationFailed

ClockState = Literal["running", "due_soon", "overdue", "met", "late", "lapsed"]

COUNTING_NOTE = (
    "Calendar days from the start day, ending at midnight after the last day in the clock's "
    "time zone. Korean periods ending on a Saturday, Sunday or public holiday move to the next "
    "working day (Civil Act Art. 161); EU clocks are not moved (uncertain): file earlier.")
COUNTING_NOTE_KO = (
    "시작일부터 역일(曆日)로 세어 마지막 날 자정에 끝납니다(시계의 시간대 기준). 한국 기간의 말일이 "
    "토요일·일요일·공휴일이면 다음 근무일에 끝납니다(민법 제161조). EU 기한은 옮기지 않았습니다(불확실): "
    "더 일찍 제출하세요.")
HOURS_NOTE = (
    "Counted in hours from the moment the clock starts; weekends, holidays and daylight-saving "
    "changes do not move it.")
HOURS_NOTE_KO = "시계가 시작된 시각부터 시간 단위로 셉니다. 주말·공휴일·일광절약시간 변경으로 옮겨지지 않습니다."

ClockUnit = Literal["hours", "days", "months"]


@dataclass(frozen=True)
class ClockSpec:
    """One kind of regulator clock."""

    key: str
    jurisdiction: str
    days: int
    party: Literal["operator", "regulator"]
    title: str
    title_ko: str
    citation: str
    optional: bool = False
    hours: int | None = None
    months: int | None = None

    @property
    def unit(self) -> ClockUnit:
        return "hours" if self.hours is not None else "months" if self.months is not None else "days"

    @property
    def amount(self) -> int:
        """The length of the period in its :attr:`unit`."""
        return self.hours if self.hours is not None else self.months if self.months is not None else self.days

    @property
    def rolls_to_working_day(self) -> bool:
        """Korean day and month periods move past weekends and holidays; hour periods never do."""
        return self.jurisdiction == "KR" and self.unit != "hours"


def hour_spec(key: str, jurisdiction: str, hours: int, party: Literal["operator", "regulator"], title: str,
              title_ko: str, citation: str) -> ClockSpec:
    """A clock counted in hours (``days`` is 0: it has no calendar length)."""
    return ClockSpec(key, jurisdiction, 0, party, title, title_ko, citation, hours=hours)


def month_spec(key: str, jurisdiction: str, months: int, party: Literal["operator", "regulator"], title: str,
               title_ko: str, citation: str) -> ClockSpec:
    """A clock counted in calendar months (``days`` is 0)."""
    return ClockSpec(key, jurisdiction, 0, party, title, title_ko, citation, months=months)


EU_73_GENERAL = ClockSpec(
    "eu.73.serious", "EU", 15, "operator", "Report the serious incident to the market-surveillance authority",
    "시장감시당국에 중대 사고 보고", "EU AI Act Art. 73")
EU_73_DEATH = ClockSpec(
    "eu.73.death", "EU", 10, "operator", "Report the serious incident (a person died)",
    "중대 사고 보고 (사망 발생)", "EU AI Act Art. 73")
EU_73_WIDESPREAD = ClockSpec(
    "eu.73.widespread", "EU", 2, "operator",
    "Report the widespread infringement or critical-infrastructure disruption",
    "광범위한 침해 또는 핵심 기반시설 중단 보고", "EU AI Act Art. 73")
KR_33_REPLY = ClockSpec(
    "kr.33.reply", "KR", 30, "regulator", "MSIT confirms whether the system is high-impact",
    "과기정통부의 고영향 인공지능 해당 여부 확인 회신", "AI Basic Act Art. 33; Enforcement Decree Art. 25(3)–(5)")
KR_33_REPLY_EXTENDED = ClockSpec(
    "kr.33.reply", "KR", 60, "regulator", "MSIT confirms (period extended once by 30 days)",
    "과기정통부 확인 회신 (30일 1회 연장)", "AI Basic Act Art. 33; Enforcement Decree Art. 25(3)–(5)")
KR_33_REREQUEST = ClockSpec(
    "kr.33.rerequest", "KR", 10, "operator", "Ask MSIT to re-confirm (if you disagree with the reply)",
    "이의가 있으면 재확인 요청", "AI Basic Act Art. 33; Enforcement Decree Art. 25(3)–(5)", optional=True)
KR_33_REREPLY = ClockSpec(
    "kr.33.rereply", "KR", 30, "regulator", "MSIT answers the re-confirmation request",
    "과기정통부의 재확인 회신", "AI Basic Act Art. 33; Enforcement Decree Art. 25(3)–(5)")

CLOCK_SPECS = {s.key: s for s in (EU_73_GENERAL, EU_73_DEATH, EU_73_WIDESPREAD, KR_33_REPLY,
                                  KR_33_REREQUEST, KR_33_REREPLY)}


def zone(name: str, location: str = "timezone") -> ZoneInfo:
    """A time zone by IANA name, or a clear error with examples."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            f"unknown time zone '{name}'; use an IANA name such as Asia/Seoul, UTC or Europe/Brussels",
            key="compliance.unknown_time_zone_use", values={"name": name},
            details={"location": location}) from None


def eu_clock_spec(categories: list[str], widespread_infringement: bool) -> ClockSpec | None:
    """The Art. 73 clock for an incident's classification (the shortest that applies)."""
    if widespread_infringement or "critical_infrastructure_disruption" in categories:
        return EU_73_WIDESPREAD
    if "death" in categories:
        return EU_73_DEATH
    if categories:
        return EU_73_GENERAL
    return None


def due_date(start: dt.datetime, days: int, tz: ZoneInfo) -> dt.date:
    """The last local calendar day of a period of ``days`` starting at ``start``."""
    if start.tzinfo is None:
        raise ValueError("clock start must be timezone-aware")
    return start.astimezone(tz).date() + dt.timedelta(days=days)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later; the last day of that month when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_instant(last_day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """Midnight at the end of ``last_day`` in ``tz`` (the moment the period runs out), in UTC."""
    local_midnight = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return local_midnight.astimezone(dt.UTC)


def warning_window(days: int) -> dt.timedelta:
    """How long before the due moment a clock turns ``due_soon``: a third of it, at least a day."""
    return dt.timedelta(days=max(1, math.ceil(days / 3)))


def hour_warning_window(hours: int) -> dt.timedelta:
    """The ``due_soon`` window of an hour clock: a third of it, at least an hour (8 h of 24 h)."""
    return dt.timedelta(hours=max(1, math.ceil(hours / 3)))


@dataclass(frozen=True)
class Clock:
    """A running (or stopped) clock."""

    spec: ClockSpec
    started_at: dt.datetime
    tz: str
    stopped_at: dt.datetime | None = None
    subject: str | None = None

    @property
    def calendar_due_date(self) -> dt.date:
        """The last day by calendar count, before any Korean working-day rule (for an hour
        clock: the local day on which it runs out)."""
        tz = ZoneInfo(self.tz)
        if self.spec.hours is not None:
            if self.started_at.tzinfo is None:
                raise ValueError("clock start must be timezone-aware")
            return self.due_at.astimezone(tz).date()
        if self.spec.months is not None:
            return add_months(due_date(self.started_at, 0, tz), self.spec.months)
        return due_date(self.started_at, self.spec.days, tz)

    @property
    def due_date(self) -> dt.date:
        """The last day of the period; a Korean one moves past weekends and holidays."""
        last = self.calendar_due_date
        if self.spec.rolls_to_working_day:
            from haechi.reminders.workdays import kr_period_end

            return kr_period_end(last)
        return last

    @property
    def due_at(self) -> dt.datetime:
        """The moment the period runs out, in UTC."""
        if self.spec.hours is not None:
            # in UTC: adding to a zoned time would count wall-clock hours across a DST change
            return self.started_at.astimezone(dt.UTC) + dt.timedelta(hours=self.spec.hours)
        return due_instant(self.due_date, ZoneInfo(self.tz))

    def warning(self) -> dt.timedelta:
        if self.spec.hours is not None:
            return hour_warning_window(self.spec.hours)
        length = (self.calendar_due_date - self.started_at.astimezone(ZoneInfo(self.tz)).date()).days
        return warning_window(length)

    def state(self, now: dt.datetime) -> ClockState:
        if self.stopped_at is not None:
            return "met" if self.stopped_at < self.due_at else "late"
        if now >= self.due_at:
            return "lapsed" if self.spec.optional else "overdue"
        if self.due_at - now <= self.warning():
            return "due_soon"
        return "running"

    def to_dict(self, now: dt.datetime) -> dict[str, Any]:
        state = self.state(now)
        remaining = self.due_at - now
        zone_info = ZoneInfo(self.tz)
        return {
            "clock": self.spec.key, "jurisdiction": self.spec.jurisdiction, "party": self.spec.party,
            "title": self.spec.title, "title_ko": self.spec.title_ko, "citation": self.spec.citation,
            "days": self.spec.days, "unit": self.spec.unit, "amount": self.spec.amount,
            "hours": self.spec.hours, "months": self.spec.months, "optional": self.spec.optional,
            "subject": self.subject,
            "timezone": self.tz, "started_at": self.started_at.astimezone(dt.UTC).isoformat(),
            "started_local": self.started_at.astimezone(zone_info).isoformat(),
            "due_date": self.due_date.isoformat(), "due_at": self.due_at.isoformat(),
            "due_local": self.due_at.astimezone(zone_info).isoformat(),
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "state": state, "seconds_left": int(remaining.total_seconds()),
            "countdown": countdown(remaining, "en") if state in ("running", "due_soon", "overdue") else None,
            "countdown_ko": countdown(remaining, "ko") if state in ("running", "due_soon", "overdue") else None,
            "calendar_due_date": self.calendar_due_date.isoformat(),
            "note": HOURS_NOTE if self.spec.hours is not None else COUNTING_NOTE,
            "note_ko": HOURS_NOTE_KO if self.spec.hours is not None else COUNTING_NOTE_KO,
        }


def countdown(remaining: dt.timedelta, lang: str = "en") -> str:
    """``3 days 4 hours left`` / ``overdue by 5 hours`` (Korean: ``3일 4시간 남음`` / ``5시간 초과``)."""
    seconds = int(abs(remaining.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if lang == "ko":
        parts = [f"{days}일" if days else "", f"{hours}시간" if hours else "",
                 f"{minutes}분" if not days and minutes else ""]
        text = " ".join(p for p in parts if p) or "1분 미만"
        return f"{text} 남음" if remaining.total_seconds() >= 0 else f"{text} 초과"
    parts = [_plural(days, "day"), _plural(hours, "hour"), _plural(minutes, "minute") if not days else ""]
    text = " ".join(p for p in parts if p) or "less than a minute"
    return f"{text} left" if remaining.total_seconds() >= 0 else f"overdue by {text}"


def _plural(n: int, word: str) -> str:
    return "" if n == 0 else f"{n} {word}" + ("s" if n != 1 else "")


def confirmation_clocks(submitted_at: dt.datetime, tz: str, *, extended: bool = False,
                        replied_at: dt.datetime | None = None, rerequested_at: dt.datetime | None = None,
                        rereplied_at: dt.datetime | None = None, subject: str | None = None) -> list[Clock]:
    """The Korean Art. 33 clocks of one confirmation request, in the order they start."""
    reply = KR_33_REPLY_EXTENDED if extended else KR_33_REPLY
    clocks = [Clock(reply, submitted_at, tz, replied_at, subject)]
    if replied_at is not None:
        clocks.append(Clock(KR_33_REREQUEST, replied_at, tz, rerequested_at, subject))
    if rerequested_at is not None:
        clocks.append(Clock(KR_33_REREPLY, rerequested_at, tz, rereplied_at, subject))
    return clocks
