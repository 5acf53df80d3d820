"""Who gets what: preferences, webhook endpoints and the daily digest (once per day per person).

Everyone answerable for something due this week gets one digest a day, from
``HAECHI_REMINDER_DIGEST_HOUR`` in the organisation's time zone, on the channels and in
the language they chose (default: e-mail, Korean for an organisation on Asia/Seoul time,
else English). Each active webhook endpoint gets the organisation's digest once a day.
"Once" is the delivery log: a digest row for that person (or endpoint) and local day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.store.reminders_tables import NotificationDelivery, NotificationPreference, WebhookEndpoint

from .delivery import enqueue
from .due import DueItem, for_person, people
from .messages import chat_payload, digest_text, subject
from .webhooks import body_for

CHANNELS = ("email", "none")
DIGEST = "reminders.digest"


def default_lang(tz: str) -> str:
    return "ko" if tz == "Asia/Seoul" else "en"


def preference(s: Session, org_id: int, email: str, tz: str) -> dict[str, Any]:
    row = s.execute(select(NotificationPreference).where(
        NotificationPreference.org_id == org_id, NotificationPreference.email == email.lower())).scalar_one_or_none()
    if row is None:
        return {"email": email.lower(), "lang": default_lang(tz), "channels": ["email"], "digest": True,
                "saved": False}
    return {"email": row.email, "lang": row.lang, "channels": list(row.channels), "digest": row.digest,
            "saved": True}


def _sent_today(s: Session, org_id: int, target: str, day: dt.date) -> bool:
    return s.execute(select(NotificationDelivery.id).where(
        NotificationDelivery.org_id == org_id, NotificationDelivery.target == target,
        NotificationDelivery.day == day, NotificationDelivery.event == DIGEST).limit(1)).first() is not None


def queue_digests(s: Session, org_id: int, tz: str, items: list[DueItem], now: dt.datetime,
                  base_url: str | None) -> list[str]:
    """Queue today's digests not queued yet; the targets queued."""
    day = now.astimezone(ZoneInfo(tz)).date()
    queued = []
    for email in people(items):
        pref = preference(s, org_id, email, tz)
        mine = for_person(items, email)
        if not mine or not pref["digest"] or "email" not in pref["channels"] or _sent_today(s, org_id, email, day):
            continue
        lang = pref["lang"]
        enqueue(s, org_id=org_id, channel="email", target=email, event=DIGEST, lang=lang,
                subject=subject(mine, now, lang), body=digest_text(mine, now, tz, lang, base_url), now=now, day=day)
        queued.append(email)
    endpoints = s.execute(select(WebhookEndpoint).where(WebhookEndpoint.org_id == org_id,
                                                        WebhookEndpoint.active.is_(True))).scalars()
    for endpoint in endpoints:
        target = f"webhook:{endpoint.id}"
        if not items or _sent_today(s, org_id, target, day):
            continue
        chat = chat_payload(items, now, tz, endpoint.lang)
        data = {"timezone": tz, "day": day.isoformat(), "items": [i.to_dict(now, tz) for i in items]}
        body = body_for(endpoint.format, DIGEST, now.isoformat(), chat["title"], chat["lines"], data,
                        endpoint.conversation_id)
        enqueue(s, org_id=org_id, channel="webhook", target=target, endpoint_id=endpoint.id, event=DIGEST,
                lang=endpoint.lang, subject=chat["title"], body=body.decode(), now=now, day=day)
        queued.append(target)
    return queued


def endpoint_dict(row: WebhookEndpoint) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "url": row.url, "format": row.format, "lang": row.lang,
            "conversation_id": row.conversation_id, "active": row.active, "created_by": row.created_by,
            "created_at": row.created_at.isoformat()}


def test_body(endpoint: WebhookEndpoint, now: dt.datetime) -> bytes:
    title = "[Haechi] 웹훅 시험 메시지" if endpoint.lang == "ko" else "[Haechi] webhook test message"
    return body_for(endpoint.format, "reminders.test", now.isoformat(), title, [], {"test": True},
                    endpoint.conversation_id)

