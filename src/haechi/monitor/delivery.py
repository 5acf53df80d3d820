"""Alert delivery beyond the dashboard: webhook (POST JSON) and e-mail (SMTP).

Delivery runs after the alerts are committed, so a dead webhook or mail server can
never lose an alert; each attempt's outcome is recorded on the alert. No retries
here: the next run of the monitor does not re-send an alert it already has, and the
dashboard shows failed deliveries.

A webhook goes only to an address ``webhook_targets`` allows, resolved and checked at
delivery time, without following redirects. Whatever stops a delivery (a refused
address, a name that does not resolve, a closed port, a timeout, a reset) is stored as
the same ``not delivered``: the outcome an editor can read must not map the server's
network. The reason goes to the server log for the administrator.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from .alerts import describe
from .webhook_targets import TargetPolicy, TargetRefused, resolve

if TYPE_CHECKING:
    from haechi.reminders.mail import SmtpConfig

TIMEOUT_SECONDS = 10.0
NOT_DELIVERED = "not delivered"
log = logging.getLogger("haechi.monitor.delivery")


def webhook_payload(alerts: list[dict[str, Any]], system: str, monitor: str) -> dict[str, Any]:
    """The JSON a webhook receives (documented in the API docs)."""
    return {"event": "haechi.alerts", "system": system, "monitor": monitor,
            "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "alerts": alerts}


def post_webhook(url: str, payload: dict[str, Any], policy: TargetPolicy | None = None) -> dict[str, Any]:
    """POST ``payload`` to an allowed address; returns ``{channel, target, ok, detail}``, never raises."""
    import httpx  # imported here: a CLI that never delivers should not pay for it

    failed = {"channel": "webhook", "target": url, "ok": False, "detail": NOT_DELIVERED}
    try:
        target = resolve(url, policy or TargetPolicy())
    except TargetRefused as exc:
        log.warning("webhook %s refused: %s", url, exc)
        return failed
    extensions = {"sni_hostname": target.server_name} if target.url.startswith("https") else {}
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client:
            response = client.post(target.url, json=payload, headers={"Host": target.host_header},
                                   extensions=extensions)
    except httpx.HTTPError as exc:
        log.warning("webhook %s (%s) failed: %s", url, target.address, exc.__class__.__name__)
        return failed
    ok = 200 <= response.status_code < 300
    return {"channel": "webhook", "target": url, "ok": ok, "detail": f"HTTP {response.status_code}"}


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


def send_email(host: str, port: int, message: EmailMessage, smtp: SmtpConfig | None = None) -> dict[str, Any]:
    """Send through SMTP (with the configured TLS and login when ``smtp`` is given); never raises."""
    if smtp is not None and smtp.host:
        from haechi.reminders.mail import send

        return send(smtp, message)
    target = message["To"]
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as client:
            client.send_message(message)
        return {"channel": "email", "target": target, "ok": True, "detail": "sent"}
    except (OSError, smtplib.SMTPException) as exc:
        return {"channel": "email", "target": target, "ok": False, "detail": exc.__class__.__name__}


def deliver(alerts: list[dict[str, Any]], *, system: str, monitor: str, webhooks: list[str],
            emails: list[str], smtp_host: str | None, smtp_port: int, sender: str,
            policy: TargetPolicy | None = None, smtp: SmtpConfig | None = None) -> list[dict[str, Any]]:
    """Send ``alerts`` to every configured channel; the list of outcomes."""
    if not alerts:
        return []
    outcomes = [post_webhook(url, webhook_payload(alerts, system, monitor), policy) for url in webhooks]
    if emails and smtp_host:
        outcomes.append(send_email(smtp_host, smtp_port, email_message(alerts, sender, emails, system), smtp))
    elif emails:
        outcomes.append({"channel": "email", "target": ", ".join(emails), "ok": False,
                         "detail": "no SMTP server configured (set HAECHI_SMTP_HOST)"})
    return outcomes
