"""Alert delivery beyond the dashboard: webhook (POST JSON) and e-mail (SMTP).

Delivery runs after the alerts are committed, so a dead webhook or mail server can
never lose an alert; each attempt's outcome is recorded on the alert. No retries
here: the next run of the monitor does not re-send an alert it already has, and the
dashboard shows failed deliveries.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from typing import Any

from .alerts import describe

TIMEOUT_SECONDS = 10.0


def webhook_payload(alerts: list[dict[str, Any]], system: str, monitor: str) -> dict[str, Any]:
    """The JSON a webhook receives (documented in the API docs)."""
    return {"event": "haechi.alerts", "system": system, "monitor": monitor,
            "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "alerts": alerts}


def post_webhook(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload``; returns ``{channel, target, ok, detail}`` and never raises."""
    import httpx  # imported here: a CLI that never delivers should not pay for it

    try:
        response = httpx.post(url, json=payload, timeout=TIMEOUT_SECONDS)
        ok = 200 <= response.status_code < 300
        return {"channel": "webhook", "target": url, "ok": ok, "detail": f"HTTP {response.status_code}"}
    except httpx.HTTPError as exc:
        return {"channel": "webhook", "target": url, "ok": False, "detail": exc.__class__.__name__}


def email_message(alerts: list[dict[str, Any]], sender: str, recipients: list[str], system: str) -> EmailMessage:
    """A bilingual plain-text e-mail listing every alert."""
    message = EmailMessage()
    message["Subject"] = f"[Haechi] {len(alerts)} alert(s) / 경보 {len(alerts)}건: {system}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    lines = ["Haechi monitoring alerts / Haechi 모니터링 경보", ""]
    for alert in alerts:
        lines += [f"- {describe(alert, 'en')}", f"  {describe(alert, 'ko')}"]
    message.set_content("\n".join(lines) + "\n")
    return message


def send_email(host: str, port: int, message: EmailMessage) -> dict[str, Any]:
    """Send through SMTP; returns the outcome and never raises."""
    target = message["To"]
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)
        return {"channel": "email", "target": target, "ok": True, "detail": "sent"}
    except (OSError, smtplib.SMTPException) as exc:
        return {"channel": "email", "target": target, "ok": False, "detail": exc.__class__.__name__}


def deliver(alerts: list[dict[str, Any]], *, system: str, monitor: str, webhooks: list[str],
            emails: list[str], smtp_host: str | None, smtp_port: int, sender: str) -> list[dict[str, Any]]:
    """Send ``alerts`` to every configured channel; the list of outcomes."""
    if not alerts:
        return []
    outcomes = [post_webhook(url, webhook_payload(alerts, system, monitor)) for url in webhooks]
    if emails and smtp_host:
        outcomes.append(send_email(smtp_host, smtp_port, email_message(alerts, sender, emails, system)))
    elif emails:
        outcomes.append({"channel": "email", "target": ", ".join(emails), "ok": False,
                         "detail": "no SMTP server configured (set HAECHI_SMTP_HOST)"})
    return outcomes
