"""The due-date engine: what is due when, for which system, for whom (pure).

Every dated duty of the workspace becomes one :class:`DueItem`: evidence that expires,
a control's due date, the next review of an approved plan or of a risk, a regulator
clock of an incident (EU AI Act Art. 73: 2, 10 or 15 calendar days; Cyber Resilience Act
Art. 14: 24 and 72 hours, then 14 days or a month), a Korean
confirmation clock (AI Basic Act Art. 33, rolled past weekends and holidays), and a
published passport's expiry. Dates are the organisation's local dates; the moment a
duty runs out (``due_at``) is midnight after its last day in that zone, kept in UTC, except
for a clock counted in hours, which runs out at its exact moment.
This module reads no database: :mod:`haechi.reminders.sources` feeds it rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

Kind = Literal["evidence_expiry", "control_due", "plan_review", "risk_review", "incident_clock",
               "confirmation_clock", "passport_expiry"]
Urgency = Literal["overdue", "today", "this_week", "later"]

#: What each kind of item is called, for people (English, Korean).
KINDS: dict[str, tuple[str, str]] = {
    "evidence_expiry": ("evidence expires", "증거 만료"),
    "control_due": ("control due", "통제 기한"),
    "plan_review": ("plan review", "계획 검토"),
    "risk_review": ("risk review", "위험 검토"),
    "incident_clock": ("regulator report", "규제기관 보고"),
    "confirmation_clock": ("confirmation deadline", "확인 기한"),
    "passport_expiry": ("passport expires", "패스포트 만료"),
}
URGENCY: dict[str, tuple[str, str]] = {
    "overdue": ("overdue", "기한 지남"), "today": ("due today", "오늘 마감"),
    "this_week": ("this week", "이번 주"), "later": ("later", "이후"),
}


@dataclass(frozen=True)
class DueItem:
    """One dated duty.

    :param kind: one of :data:`KINDS`.
    :param ref: the record's reference (``E-3``, ``C-4``, ``INC-1``, ``KC-2``, ``passport v3``).
    :param system: the system's slug, or ``None`` for an organisation-wide record.
    :param due_date: the last local day of the duty (Korean periods already rolled over).
    :param tz: the IANA zone ``due_date`` is a date of.
    :param whom: e-mail addresses (or names) of the people answerable for it.
    :param calendar_due_date: the calendar last day when a working-day rule moved it.
    :param due_moment: the exact moment an hour-counted duty runs out (its ``due_date`` is
        then the local day of that moment).
    """

    kind: str
    ref: str
    system: str | None
    title: str
    title_ko: str
    due_date: dt.date
    tz: str
    whom: tuple[str, ...] = ()
    citation: str | None = None
    calendar_due_date: dt.date | None = None
    moved: tuple[str, str] | None = None
    link: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    due_moment: dt.datetime | None = None

    @property
    def due_at(self) -> dt.datetime:
        """Midnight after the last day in the item's zone (or the exact moment of an hour
        clock), in UTC: when it runs out."""
        if self.due_moment is not None:
            return self.due_moment.astimezone(dt.UTC)
        end = dt.datetime.combine(self.due_date + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(self.tz))
        return end.astimezone(dt.UTC)

    def urgency(self, now: dt.datetime) -> Urgency:
        """Overdue, due today, within seven days, or later (as of ``now``, in the item's zone)."""
        if now >= self.due_at:
            return "overdue"
        today = now.astimezone(ZoneInfo(self.tz)).date()
        if self.due_date == today:
            return "today"
        return "this_week" if self.due_date < today + dt.timedelta(days=7) else "later"

    def title_in(self, lang: str) -> str:
        return self.title_ko if lang == "ko" and self.title_ko else self.title

    def to_dict(self, now: dt.datetime, show_tz: str | None = None) -> dict[str, Any]:
        """JSON for the API, CLI and pages; times shown in ``show_tz`` (the organisation's zone)."""
        zone = ZoneInfo(show_tz or self.tz)
        urgency = self.urgency(now)
        return {
            "kind": self.kind, "kind_label": KINDS[self.kind][0], "kind_label_ko": KINDS[self.kind][1],
            "ref": self.ref, "system": self.system, "title": self.title, "title_ko": self.title_ko,
            "due_date": self.due_date.isoformat(), "due_at": self.due_at.isoformat(),
            "due_local": self.due_at.astimezone(zone).isoformat(), "timezone": zone.key,
            "days_left": (self.due_date - now.astimezone(ZoneInfo(self.tz)).date()).days,
            "urgency": urgency, "urgency_label": URGENCY[urgency][0], "urgency_label_ko": URGENCY[urgency][1],
            "whom": list(self.whom), "citation": self.citation,
            "calendar_due_date": self.calendar_due_date.isoformat() if self.calendar_due_date else None,
            "moved": self.moved[0] if self.moved else None, "moved_ko": self.moved[1] if self.moved else None,
            "link": self.link, "hours_left": self.hours_left(now) if self.due_moment is not None else None,
        }

    def hours_left(self, now: dt.datetime) -> float:
        """Hours until the item runs out (negative once overdue), to a tenth of an hour."""
        return round((self.due_at - now).total_seconds() / 3600, 1)


def due_within(items: Iterable[DueItem], now: dt.datetime, days: int,
               include_overdue: bool = True) -> list[DueItem]:
    """Items whose last day is within ``days`` days from today (and overdue ones), soonest first."""
    if days < 0:
        raise ValueError("days must not be negative")
    chosen = []
    for item in items:
        today = now.astimezone(ZoneInfo(item.tz)).date()
        if item.due_date >= today + dt.timedelta(days=days):
            continue
        if item.due_at <= now and not include_overdue:
            continue
        chosen.append(item)
    return sorted(chosen, key=lambda i: (i.due_at, i.system or "", i.kind, i.ref))


def for_person(items: Iterable[DueItem], email: str) -> list[DueItem]:
    """The items a person answers for (matched case-insensitively on the address)."""
    wanted = email.strip().lower()
    return [i for i in items if any(w.lower() == wanted for w in i.whom)]


def by_system(items: Iterable[DueItem]) -> dict[str, list[DueItem]]:
    """Items grouped by system slug (``""`` for organisation-wide ones), order kept."""
    groups: dict[str, list[DueItem]] = {}
    for item in items:
        groups.setdefault(item.system or "", []).append(item)
    return groups


def people(items: Iterable[DueItem]) -> list[str]:
    """Everyone named on the items, lower-cased, sorted."""
    return sorted({w.lower() for i in items for w in i.whom if "@" in w})
