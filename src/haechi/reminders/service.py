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
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from haechi.auth.roles import Actor, Permission
from haechi.clock import Clock
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.ledger import append as ledger_append
from haechi.ledger.actions import LedgerAction
from haechi.monitor.webhook_targets import TargetPolicy, check_webhooks
from haechi.store.db import Database
from haechi.store.reminders_tables import (
    NotificationAttempt,
    NotificationDelivery,
    NotificationPreference,
    WebhookEndpoint,
)
from haechi.store.tables import Organisation

from . import due as engine
from .delivery import deliver_due, delivery_dict, enqueue
from .mail import SmtpConfig, send
from .messages import digest_email
from .notify import CHANNELS, DIGEST, endpoint_dict, preference, queue_digests, test_body
from .sources import collect, org_timezone
from .webhooks import FORMATS, KAKAOWORK_URL, new_secret

MAX_DAYS = 366
_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")


def check_days(days: int) -> int:
    """A look-ahead of 0..366 days, or a clear error."""
    if not 0 <= days <= MAX_DAYS:
        raise ValidationFailed(f"days must be between 0 and {MAX_DAYS}, not {days}",
                               key="reminders.days_must_between_not", values={"max_days": MAX_DAYS, "days": days},
                               details={"location": "days"})
    return days


class RemindersService:
    """What is due when, for which system, for whom; and sending it."""

    def __init__(self, db: Database, clock: Clock, smtp: SmtpConfig, public_url: str | None = None,
                 policy: TargetPolicy | None = None, digest_hour: int = 8) -> None:
        self.db, self.clock, self.smtp, self.public_url = db, clock, smtp, public_url
        self.policy, self.digest_hour = policy or TargetPolicy(), digest_hour

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
                                   key="reminders.not_e_mail_address", values={"to": to}, details={"location": "to"})
        now = self.clock.now()
        items = self.items(actor, 7, now=now)
        msg = digest_email(items, now, self.timezone(actor), lang, self.smtp.sender, to.strip(), self.public_url)
        return send(self.smtp, msg)

    # --- preferences ---------------------------------------------------------------
    def preferences(self, actor: Actor) -> dict[str, Any]:
        """The signed-in person's channels and language (defaults until saved)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return preference(s, actor.org_id, actor.label, org_timezone(s, actor.org_id, self.clock.timezone))

    def set_preferences(self, actor: Actor, *, lang: str, channels: list[str], digest: bool) -> dict[str, Any]:
        """Choose language (ko/en), channels (email, or none) and whether to get the daily digest."""
        actor.require(Permission.READ)  # everyone decides what reaches them
        _check_choice("lang", lang, ("ko", "en"))
        for channel in channels:
            _check_choice("channels", channel, CHANNELS)
        with self.db.transaction() as s:
            row = s.execute(select(NotificationPreference).where(
                NotificationPreference.org_id == actor.org_id,
                NotificationPreference.email == actor.label.lower())).scalar_one_or_none()
            if row is None:
                row = NotificationPreference(org_id=actor.org_id, email=actor.label.lower())
                s.add(row)
            row.lang, row.channels, row.digest = lang, sorted(set(channels)), digest
            row.updated_at = self.clock.now()
            ledger_append(s, actor.org_id, actor.label, LedgerAction.REMINDER_PREFERENCES, "person",
                          actor.label.lower(), {"lang": lang, "channels": row.channels, "digest": digest})
        return self.preferences(actor)

    # --- webhooks --------------------------------------------------------------------
    def add_webhook(self, actor: Actor, *, name: str, url: str, fmt: str = "standard", lang: str = "ko",
                    conversation_id: str | None = None, app_key: str | None = None) -> dict[str, Any]:
        """Register an endpoint; the answer carries its signing secret (shown this once).

        A ``kakaowork`` endpoint posts through the KakaoWork Bot API: it needs the chat room
        (``conversation_id``) and the bot's ``app_key``; its address defaults to that API.
        """
        actor.require(Permission.ADMIN)
        _check_choice("format", fmt, FORMATS)
        _check_choice("lang", lang, ("ko", "en"))
        if not name.strip() or len(name) > 100:
            raise ValidationFailed("name must be 1-100 characters", key="reminders.name_must_characters",
                                   details={"location": "name"})
        room, key = check_kakaowork(fmt, conversation_id, app_key)
        url = url.strip() or (KAKAOWORK_URL if fmt == "kakaowork" else "")
        check_webhooks([url], self.policy)
        secret = new_secret()
        with self.db.transaction() as s:
            row = WebhookEndpoint(org_id=actor.org_id, name=name.strip(), url=url, format=fmt, lang=lang,
                                  secret=secret, conversation_id=room, app_key=key, active=True,
                                  created_by=actor.label, created_at=self.clock.now())
            s.add(row)
            s.flush()
            ledger_append(s, actor.org_id, actor.label, LedgerAction.REMINDER_WEBHOOK_ADD, "webhook", str(row.id),
                          {"name": row.name, "url": row.url, "format": fmt})
            return endpoint_dict(row) | {"secret": secret}

    def webhooks(self, actor: Actor) -> list[dict[str, Any]]:
        """The organisation's endpoints (removed ones are left out; their delivery log stays)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            rows = s.execute(select(WebhookEndpoint).where(WebhookEndpoint.org_id == actor.org_id,
                                                           WebhookEndpoint.active.is_(True))
                             .order_by(WebhookEndpoint.id)).scalars()
            return [endpoint_dict(r) for r in rows]

    def remove_webhook(self, actor: Actor, endpoint_id: int) -> dict[str, Any]:
        """Stop sending to an endpoint: it leaves the list, messages still waiting for it are not
        sent; the row stays so the delivery log keeps naming it."""
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            row = _endpoint(s, actor, endpoint_id)
            row.active = False
            ledger_append(s, actor.org_id, actor.label, LedgerAction.REMINDER_WEBHOOK_REMOVE, "webhook", str(row.id),
                          {"name": row.name, "url": row.url})
            return endpoint_dict(row)

    def rotate_webhook_secret(self, actor: Actor, endpoint_id: int) -> dict[str, Any]:
        """A new signing secret for an endpoint, answered this once; every later attempt (retries
        of earlier messages too) is signed with it."""
        actor.require(Permission.ADMIN)
        secret = new_secret()
        with self.db.transaction() as s:
            row = _endpoint(s, actor, endpoint_id)
            row.secret = secret
            ledger_append(s, actor.org_id, actor.label, LedgerAction.REMINDER_WEBHOOK_ROTATE, "webhook", str(row.id),
                          {"name": row.name})
            return endpoint_dict(row) | {"secret": secret}

    def test_webhook(self, actor: Actor, endpoint_id: int) -> dict[str, Any]:
        """Queue a signed test message to one endpoint (sent, and retried, by the scheduler)."""
        actor.require(Permission.ADMIN)
        now = self.clock.now()
        with self.db.transaction() as s:
            row = _endpoint(s, actor, endpoint_id)
            body = test_body(row, now).decode()
            queued = enqueue(s, org_id=actor.org_id, channel="webhook", target=f"webhook:{row.id}",
                             endpoint_id=row.id, event="reminders.test", lang=row.lang, subject="test",
                             body=body, now=now)
            delivery_id = queued.id
        self.deliver(now)
        return self.delivery(actor, delivery_id)

    # --- the delivery log ------------------------------------------------------------
    def deliveries(self, actor: Actor, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """The delivery log, newest first, each with its attempts and next retry."""
        actor.require(Permission.READ)
        limit, offset = max(1, min(limit, 200)), max(0, offset)
        with self.db.reader() as s:
            where = NotificationDelivery.org_id == actor.org_id
            total = s.execute(select(func.count()).select_from(NotificationDelivery).where(where)).scalar_one()
            rows = list(s.execute(select(NotificationDelivery).where(where).order_by(
                NotificationDelivery.id.desc()).limit(limit).offset(offset)).scalars())
            items = [delivery_dict(r, self._attempts(s, r.id)) for r in rows]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def delivery(self, actor: Actor, delivery_id: int) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = s.get(NotificationDelivery, delivery_id)
            if row is None or row.org_id != actor.org_id:
                raise NotFound(f"no delivery {delivery_id}", key="reminders.no_delivery",
                               values={"delivery_id": delivery_id})
            return delivery_dict(row, self._attempts(s, row.id))

    @staticmethod
    def _attempts(s: Any, delivery_id: int) -> list[NotificationAttempt]:
        return list(s.execute(select(NotificationAttempt).where(NotificationAttempt.delivery_id == delivery_id)
                              .order_by(NotificationAttempt.number)).scalars())

    # --- the scheduler's job ---------------------------------------------------------
    def deliver(self, now: dt.datetime | None = None) -> int:
        """Send every message whose attempt is due (first tries and retries)."""
        return deliver_due(self.db, self.smtp, self.policy, now or self.clock.now())

    def queue_digests(self, now: dt.datetime | None = None) -> dict[str, list[str]]:
        """Queue today's digests in every organisation whose digest hour has come."""
        now = now or self.clock.now()
        with self.db.reader() as s:
            orgs = [(o.id, o.slug) for o in s.execute(select(Organisation)).scalars()]
        queued: dict[str, list[str]] = {}
        for org_id, slug in orgs:
            with self.db.transaction() as s:
                tz = org_timezone(s, org_id, self.clock.timezone)
                if now.astimezone(ZoneInfo(tz)).hour < self.digest_hour:
                    continue
                items = engine.due_within(collect(s, org_id, tz, now), now, 7)
                targets = queue_digests(s, org_id, tz, items, now, self.public_url)
                if targets:
                    ledger_append(s, org_id, "haechi", LedgerAction.REMINDER_DIGEST, "digest",
                                  now.astimezone(ZoneInfo(tz)).date().isoformat(),
                                  {"event": DIGEST, "targets": targets, "items": len(items)})
                    queued[slug] = targets
        return queued


def check_kakaowork(fmt: str, conversation_id: str | None,
                    app_key: str | None) -> tuple[str | None, str | None]:
    """The chat room and app key a ``kakaowork`` endpoint needs (and other formats must not have)."""
    room, key = (conversation_id or "").strip(), (app_key or "").strip()
    if fmt != "kakaowork":
        if room or key:
            raise ValidationFailed("conversation_id and app_key are for the kakaowork format only",
                                   key="reminders.conversation_id_app_key",
                                   details={"location": "conversation_id"})
        return None, None
    if not room.isdigit() or len(room) > 64:
        raise ValidationFailed("conversation_id: the KakaoWork chat room id (digits) is required",
                               key="reminders.conversation_id_kakaowork_chat",
                               details={"location": "conversation_id"})
    if not key or len(key) > 200 or any(c.isspace() for c in key):
        raise ValidationFailed("app_key: the KakaoWork bot's app key is required (no spaces, at most 200 characters)",
                               key="reminders.app_key_kakaowork_bot",
                               details={"location": "app_key"})
    return room, key


def _endpoint(s: Any, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    """The actor's organisation's live endpoint ``endpoint_id`` (another's, or a removed one, is not found)."""
    row = s.get(WebhookEndpoint, endpoint_id)
    if row is None or row.org_id != actor.org_id or not row.active:
        raise NotFound(f"no webhook {endpoint_id}", key="reminders.no_webhook", values={"endpoint_id": endpoint_id})
    return row


def _check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValidationFailed(f"{field} must be one of {', '.join(allowed)}, not '{value}'",
                               key="reminders.must_one_not",
                               values={"field": field, "allowed": ", ".join(allowed), "value": value},
                               details={"location": field})


def run_once(service: RemindersService) -> None:
    """The ``reminders`` periodic job: queue due digests, then send what is due."""
    service.queue_digests()
    service.deliver()
