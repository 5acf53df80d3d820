"""Telling a system's owners about a law change, through the alert e-mail channel.

The same SMTP delivery the monitoring alerts use (:mod:`haechi.monitor.delivery`):
one bilingual plain-text message to the card's owners (business, technical and the
oversight contact's e-mail), sent after the record is committed; the outcome is kept
on the record, so the law-changes page shows whether the owners were told.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
_KIND = {"gained": ("new duty", "새 의무"), "lost": ("duty ends", "의무 종료"), "moved": ("duty changed", "의무 변경")}
_STATUS_KO = {"applies": "적용", "may_apply": "적용 가능", "exempt": "면제", "not_in_force": "시행 전",
              "not_applicable": "해당 없음"}

Mailer = Callable[[EmailMessage], dict[str, Any]]


def version_step(change: dict[str, Any]) -> str:
    """``v1 → v2``, or ``v1`` for a pack new to the system."""
    old = change.get("old_version")
    return f"v{old} → v{change['new_version']}" if old is not None else f"v{change['new_version']}"


def owner_emails(card: dict[str, Any]) -> list[str]:
    """The owners' addresses on a card (values that are not e-mail addresses are skipped)."""
    owners = card.get("owners") or {}
    oversight = owners.get("oversight") or {}
    found = [owners.get("business"), owners.get("technical"),
             oversight.get("email") if isinstance(oversight, dict) else None]
    return list(dict.fromkeys(v.strip() for v in found if isinstance(v, str) and _EMAIL.match(v.strip())))


def _line(item: dict[str, Any], kind: str, lang: str) -> str:
    label = _KIND[kind][1 if lang == "ko" else 0]
    title = item.get("title_ko") if lang == "ko" and item.get("title_ko") else item.get("title")
    old, new = item["old_status"], item["new_status"]
    if lang == "ko":
        old, new = _STATUS_KO.get(old, old), _STATUS_KO.get(new, new)
    dates = f" ({item.get('old_effective_from') or '—'} → {item.get('new_effective_from') or '—'})"
    return f"- [{label}] {item.get('article')} {title}: {old} → {new}{dates}"


def message(change: dict[str, Any], sender: str, recipients: list[str]) -> EmailMessage:
    """A bilingual plain-text message describing one law-change record."""
    msg = EmailMessage()
    ref = f"{change['pack']} {version_step(change)}"
    msg["Subject"] = f"[Haechi] law change / 법령 변경: {change['system']} ({ref}, {change['effective']})"
    msg["From"], msg["To"] = sender, ", ".join(recipients)
    lines = [f"Haechi law change for {change['system']} under {ref}, in effect from {change['effective']}.",
             f"{change['system']} 시스템의 법령 변경: {ref}, {change['effective']}부터 적용.", ""]
    for lang in ("en", "ko"):
        for kind in ("gained", "lost", "moved"):
            lines += [_line(item, kind, lang) for item in change.get(kind, [])]
        lines.append("")
    controls = ", ".join(c["id"] for c in change.get("controls", []))
    lines.append(f"Controls affected / 영향받는 통제: {controls or '—'}")
    msg.set_content("\n".join(lines) + "\n")
    return msg


def smtp_mailer(host: str | None, port: int, smtp: Any = None) -> Mailer:
    """Send through the configured SMTP server (the alert channel, with its TLS and login when
    ``smtp`` — a :class:`haechi.reminders.mail.SmtpConfig` — is given); without one, say so."""
    def send(msg: EmailMessage) -> dict[str, Any]:
        if not host:
            return {"channel": "email", "target": msg["To"], "ok": False,
                    "detail": "no SMTP server configured (set HAECHI_SMTP_HOST)"}
        from haechi.monitor.delivery import send_email

        return send_email(host, port, msg, smtp)

    return send
