"""The home page's "this week" panel: what is due, for which system, for whom.

Shown in the organisation's time zone and the reader's language. When little is due this
week, the next items coming up are listed too, so the panel is never a blank promise.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from .due import DueItem

UPCOMING_DAYS = 60
SHOWN = 8
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: kinds whose titles people type (their language is whatever they typed)
USER_TITLES = {"evidence_expiry", "risk_review"}


def text_lang(text: str) -> str:
    """``ko`` for text with Hangul, else ``en`` (for the ``lang`` attribute of typed titles)."""
    return "ko" if _HANGUL.search(text) else "en"


def _row(item: DueItem, now: dt.datetime, tz: str) -> dict[str, Any]:
    data = item.to_dict(now, tz)
    # a typed title is in whatever language it was typed in; the product's own titles follow the page
    data["title_lang"] = text_lang(item.title) if item.kind in USER_TITLES else None
    data["due_day"] = (item.due_at.astimezone(ZoneInfo(tz)) - dt.timedelta(seconds=1)).date().isoformat()
    return data


def panel_data(service: Any, actor: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """This week's items (overdue first) and, when fewer than :data:`SHOWN`, the next ones."""
    now = now or service.clock.now()
    tz = service.timezone(actor)
    upcoming = service.items(actor, UPCOMING_DAYS, now=now)
    week_end = now.astimezone(ZoneInfo(tz)).date() + dt.timedelta(days=7)
    week = [i for i in upcoming if i.due_date < week_end]
    later = [i for i in upcoming if i.due_date >= week_end][: max(0, SHOWN - len(week))]
    return {"timezone": tz, "week": [_row(i, now, tz) for i in week[:SHOWN * 2]],
            "week_total": len(week), "overdue": sum(1 for i in week if i.urgency(now) == "overdue"),
            "later": [_row(i, now, tz) for i in later]}
