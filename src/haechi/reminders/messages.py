"""The reminder e-mail and chat texts, in the recipient's language.

Times are computed in UTC and shown in the organisation's time zone: a Korean
organisation reads ``2026-09-28 (월) 24:00 KST``-style local dates, never UTC.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from .due import KINDS, URGENCY, DueItem, by_system

_WEEKDAYS_KO = "월화수목금토일"


def local_day(item: DueItem, tz: str, lang: str) -> str:
    """The last day shown in ``tz``: ``2026-09-28 (Mon)`` / ``2026-09-28 (월)``; a duty counted
    in hours also shows its local time: ``2026-09-28 (Mon) 14:30``."""
    last_moment = item.due_at.astimezone(ZoneInfo(tz)) - dt.timedelta(seconds=1)
    day = last_moment.date()
    weekday = _WEEKDAYS_KO[day.weekday()] if lang == "ko" else day.strftime("%a")
    shown = f"{day.isoformat()} ({weekday})"
    if item.due_moment is not None:
        shown += " " + item.due_at.astimezone(ZoneInfo(tz)).strftime("%H:%M")
    return shown


def line(item: DueItem, now: dt.datetime, tz: str, lang: str) -> str:
    """One reminder line: urgency, kind, reference, title, last day, citation, who."""
    ko = lang == "ko"
    urgency = URGENCY[item.urgency(now)][1 if ko else 0]
    kind = KINDS[item.kind][1 if ko else 0]
    text = f"- [{urgency}] {kind} {item.ref}: {item.title_in(lang)} — {local_day(item, tz, lang)}"
    if item.citation:
        text += f" ({item.citation})"
    if item.moved:
        text += f"\n  {item.moved[1] if ko else item.moved[0]}"
    return text


def digest_text(items: list[DueItem], now: dt.datetime, tz: str, lang: str, base_url: str | None = None) -> str:
    """The body of a digest: per system, soonest first."""
    ko = lang == "ko"
    zone_note = f"시간대: {tz}" if ko else f"Times in {tz}"
    head = ("이번 주에 마감되는 일과 기한이 지난 일입니다." if ko
            else "What is due this week, and what is overdue.")
    lines = [head, zone_note, ""]
    for system, group in by_system(items).items():
        lines.append(f"■ {system or ('조직 전체' if ko else 'organisation-wide')}")
        lines += [line(i, now, tz, lang) for i in group]
        lines.append("")
    if base_url:
        lines.append(("대시보드: " if ko else "Dashboard: ") + base_url.rstrip("/") + "/")
    lines.append("이 알림은 Haechi가 보냈습니다. 받을 채널과 언어는 대시보드의 알림 설정에서 바꿀 수 있습니다."
                 if ko else "Sent by Haechi. Choose channels and language under Notification settings.")
    return "\n".join(lines) + "\n"


def subject(items: list[DueItem], now: dt.datetime, lang: str) -> str:
    overdue = sum(1 for i in items if i.urgency(now) == "overdue")
    if lang == "ko":
        extra = f", 기한 지남 {overdue}건" if overdue else ""
        return f"[Haechi] 이번 주 마감 {len(items)}건{extra}"
    extra = f", {overdue} overdue" if overdue else ""
    return f"[Haechi] {len(items)} due this week{extra}"


def digest_email(items: list[DueItem], now: dt.datetime, tz: str, lang: str, sender: str,
                 recipient: str, base_url: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 digest e-mail for one person."""
    msg = EmailMessage()
    msg["Subject"] = subject(items, now, lang)
    msg["From"], msg["To"] = sender, recipient
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a reminder
    msg.set_content(digest_text(items, now, tz, lang, base_url))
    return msg


def chat_payload(items: list[DueItem], now: dt.datetime, tz: str, lang: str) -> dict[str, Any]:
    """Title and lines for the chat formats (:mod:`haechi.reminders.formats`)."""
    return {"title": subject(items, now, lang),
            "lines": [line(i, now, tz, lang) for i in items],
            "systems": sorted({i.system for i in items if i.system})}
