"""The delivery log and its retries: messages are written first, then sent by the scheduler.

A message (e-mail or webhook) becomes a ``notification_deliveries`` row in the
transaction that decides to send it, ``pending`` with its first attempt due at once.
The one scheduler's ``reminders`` job sends what is due; a failure sets the next attempt
by :data:`BACKOFF` (1 min, 5 min, 30 min, 2 h, 6 h after the first, second … try) and the
message fails for good after :data:`MAX_ATTEMPTS`. Each try is kept as an attempt row.
A row is leased (its next attempt pushed back) before sending, so two servers never send
it twice at once; a restart finds the pending rows where they were.
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.monitor.webhook_targets import TargetPolicy
from haechi.store.db import Database
from haechi.store.reminders_tables import NotificationAttempt, NotificationDelivery, WebhookEndpoint

from .mail import SmtpConfig, send
from .webhooks import post

BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
           dt.timedelta(hours=6))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = dt.timedelta(minutes=2)
BATCH = 50


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def enqueue(s: Session, *, org_id: int, channel: str, target: str, event: str, lang: str, subject: str,
            body: str, now: dt.datetime, endpoint_id: int | None = None,
            day: dt.date | None = None) -> NotificationDelivery:
    """Write a pending message (sent by :func:`deliver_due`)."""
    row = NotificationDelivery(org_id=org_id, message_id=new_message_id(), channel=channel, target=target,
                               endpoint_id=endpoint_id, event=event, day=day, lang=lang, subject=subject, body=body,
                               status="pending", attempts=0, next_attempt_at=now, created_at=now)
    s.add(row)
    s.flush()
    return row


def _lease(db: Database, now: dt.datetime) -> list[int]:
    with db.transaction() as s:
        rows = list(s.execute(select(NotificationDelivery).where(
            NotificationDelivery.status == "pending", NotificationDelivery.next_attempt_at <= now)
            .order_by(NotificationDelivery.next_attempt_at, NotificationDelivery.id).limit(BATCH)).scalars())
        for row in rows:
            row.next_attempt_at = now + LEASE
        return [r.id for r in rows]


def _send(db: Database, delivery_id: int, smtp: SmtpConfig, policy: TargetPolicy,
          now: dt.datetime) -> dict[str, Any]:
    with db.reader() as s:
        row = s.get(NotificationDelivery, delivery_id)
        assert row is not None
        endpoint = s.get(WebhookEndpoint, row.endpoint_id) if row.endpoint_id else None
        channel, target, subject, body, message_id = row.channel, row.target, row.subject, row.body, row.message_id
        url, secret = (endpoint.url, endpoint.secret) if endpoint and endpoint.active else (None, None)
        bearer = endpoint.app_key if endpoint else None
    if channel == "email":
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"] = subject, smtp.sender, target
        msg["Auto-Submitted"] = "auto-generated"
        msg["Message-ID"] = f"<{message_id}@haechi>"
        msg.set_content(body)
        outcome = send(smtp, msg)
        return {"ok": outcome["ok"], "status_code": None, "detail": outcome["detail"]}
    if url is None or secret is None:
        return {"ok": False, "status_code": None, "detail": "the webhook endpoint was removed"}
    return post(url, body.encode(), secret, message_id, int(now.timestamp()), policy, bearer)


def _record(db: Database, delivery_id: int, outcome: dict[str, Any], now: dt.datetime) -> None:
    with db.transaction() as s:
        row = s.get(NotificationDelivery, delivery_id)
        assert row is not None
        row.attempts += 1
        s.add(NotificationAttempt(org_id=row.org_id, delivery_id=row.id, number=row.attempts, at=now,
                                  ok=outcome["ok"], status_code=outcome["status_code"], detail=outcome["detail"]))
        row.last_status_code, row.last_detail = outcome["status_code"], outcome["detail"]
        if outcome["ok"]:
            row.status, row.delivered_at, row.next_attempt_at = "delivered", now, None
        elif row.attempts >= MAX_ATTEMPTS:
            row.status, row.next_attempt_at = "failed", None
        else:
            row.next_attempt_at = now + BACKOFF[row.attempts - 1]


def deliver_due(db: Database, smtp: SmtpConfig, policy: TargetPolicy, now: dt.datetime) -> int:
    """Send every message whose attempt is due; the number tried."""
    ids = _lease(db, now)
    for delivery_id in ids:
        _record(db, delivery_id, _send(db, delivery_id, smtp, policy, now), now)
    return len(ids)


def delivery_dict(row: NotificationDelivery, attempts: list[NotificationAttempt]) -> dict[str, Any]:
    """One log entry with its attempts (API and page)."""
    return {"id": row.id, "message_id": row.message_id, "channel": row.channel, "target": row.target,
            "endpoint_id": row.endpoint_id, "event": row.event, "day": row.day.isoformat() if row.day else None,
            "lang": row.lang, "subject": row.subject, "status": row.status, "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
            "last_status_code": row.last_status_code, "last_detail": row.last_detail,
            "created_at": row.created_at.isoformat(),
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
            "attempt_log": [{"number": a.number, "at": a.at.isoformat(), "ok": a.ok, "status_code": a.status_code,
                             "detail": a.detail} for a in attempts]}
