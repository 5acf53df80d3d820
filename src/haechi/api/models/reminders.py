"""Response bodies of the reminders operations."""

from __future__ import annotations

from .base import Open


class ReminderItem(Open):
    kind: str | None = None
    kind_label: str | None = None
    kind_label_ko: str | None = None
    ref: str | None = None
    system: str | None = None
    title: str | None = None
    title_ko: str | None = None
    due_date: str | None = None
    due_at: str | None = None
    due_local: str | None = None
    timezone: str | None = None
    days_left: int | None = None
    urgency: str | None = None
    whom: list[str] | None = None
    citation: str | None = None
    calendar_due_date: str | None = None
    moved: str | None = None
    moved_ko: str | None = None
    link: str | None = None


class RemindersDue(Open):
    timezone: str | None = None
    as_of: str | None = None
    days: int | None = None
    items: list[ReminderItem] | None = None
    total: int | None = None
    by_urgency: dict[str, int] | None = None
    people: list[str] | None = None
    systems: list[str] | None = None


class ReminderPreferences(Open):
    email: str | None = None
    lang: str | None = None
    channels: list[str] | None = None
    digest: bool | None = None
    saved: bool | None = None


class WebhookEndpointOut(Open):
    id: int | None = None
    name: str | None = None
    url: str | None = None
    format: str | None = None
    lang: str | None = None
    conversation_id: str | None = None
    active: bool | None = None
    created_by: str | None = None
    created_at: str | None = None
    secret: str | None = None


class WebhookEndpointList(Open):
    items: list[WebhookEndpointOut] | None = None
    total: int | None = None


class DeliveryAttempt(Open):
    number: int | None = None
    at: str | None = None
    ok: bool | None = None
    status_code: int | None = None
    detail: str | None = None


class Delivery(Open):
    id: int | None = None
    message_id: str | None = None
    channel: str | None = None
    target: str | None = None
    endpoint_id: int | None = None
    event: str | None = None
    day: str | None = None
    lang: str | None = None
    subject: str | None = None
    status: str | None = None
    attempts: int | None = None
    next_attempt_at: str | None = None
    last_status_code: int | None = None
    last_detail: str | None = None
    created_at: str | None = None
    delivered_at: str | None = None
    attempt_log: list[DeliveryAttempt] | None = None


class DeliveryList(Open):
    items: list[Delivery] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None
