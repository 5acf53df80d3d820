"""The reminders service: the due list of an organisation and the digests that carry it.

Collaborators: the database, the workspace clock (UTC moments; each organisation's own
zone for its dates), the mail transport's configuration and the public base URL used in
links. It reads compliance and passport records directly (:mod:`.sources`) and holds no
other service.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from haechi.auth.roles import Actor, Permission
from haechi.clock import Clock
from haechi.domain.errors import ValidationFailed
from haechi.store.db import Database

from . import due as engine
from .mail import SmtpConfig, send
from .messages import digest_email
from .sources import collect, org_timezone

MAX_DAYS = 366
_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")


def check_days(days: int) -> int:
    """A look-ahead of 0..366 days, or a clear error."""
    if not 0 <= days <= MAX_DAYS:
        raise ValidationFailed(f"days must be between 0 and {MAX_DAYS}, not {days}",
                               message_ko=f"days는 0부터 {MAX_DAYS} 사이여야 합니다({days} 불가)",
                               details={"location": "days"})
    return days


class RemindersService:
    """What is due when, for which system, for whom; and sending it."""

    def __init__(self, db: Database, clock: Clock, smtp: SmtpConfig, public_url: str | None = None) -> None:
        self.db, self.clock, self.smtp, self.public_url = db, clock, smtp, public_url

    def timezone(self, actor: Actor) -> str:
        """The organisation's time zone (dates and messages are in it)."""
        with self.db.reader() as s:
            return org_timezone(s, actor.org_id, self.clock.timezone)

    def items(self, actor: Actor, days: int = 7, *, system: str | None = None, person: str | None = None,
              include_overdue: bool = True, now: dt.datetime | None = None) -> list[engine.DueItem]:
        """Dated duties ending within ``days`` days (and overdue ones), soonest first."""
        actor.require(Permission.READ)
        check_days(days)
        now = now or self.clock.now()
        with self.db.reader() as s:
            tz = org_timezone(s, actor.org_id, self.clock.timezone)
            found = collect(s, actor.org_id, tz, now)
        chosen = engine.due_within(found, now, days, include_overdue)
        if system:
            chosen = [i for i in chosen if i.system == system]
        if person:
            chosen = engine.for_person(chosen, person)
        return chosen

    def due(self, actor: Actor, days: int = 7, *, system: str | None = None, person: str | None = None,
            include_overdue: bool = True, now: dt.datetime | None = None) -> dict[str, Any]:
        """The due list as JSON: ``{timezone, as_of, days, items: [...], total, by_urgency}``."""
        now = now or self.clock.now()
        tz = self.timezone(actor)
        items = self.items(actor, days, system=system, person=person, include_overdue=include_overdue, now=now)
        rows = [i.to_dict(now, tz) for i in items]
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["urgency"]] = counts.get(row["urgency"], 0) + 1
        return {"timezone": tz, "as_of": now.astimezone(dt.UTC).isoformat(), "days": days,
                "items": rows, "total": len(rows), "by_urgency": counts,
                "people": engine.people(items), "systems": sorted({i.system for i in items if i.system})}

    def send_test(self, actor: Actor, to: str, lang: str = "ko") -> dict[str, Any]:
        """Send this week's due list to one address (admin: checks the SMTP set-up end to end)."""
        actor.require(Permission.ADMIN)
        if not _EMAIL.match(to.strip()):
            raise ValidationFailed(f"'{to}' is not an e-mail address",
                                   message_ko=f"'{to}'은(는) 이메일 주소가 아닙니다", details={"location": "to"})
        now = self.clock.now()
        items = self.items(actor, 7, now=now)
        msg = digest_email(items, now, self.timezone(actor), lang, self.smtp.sender, to.strip(), self.public_url)
        return send(self.smtp, msg)
