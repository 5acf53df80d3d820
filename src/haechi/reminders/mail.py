"""E-mail over SMTP as mail providers require it: STARTTLS or implicit TLS, and a login.

Gmail, Microsoft 365 and Naver Works accept mail from an application only over TLS
(STARTTLS on 587 or implicit TLS on 465) after ``AUTH``. The server's certificate and
host name are verified against the system's trust store, or against the CA file an
administrator names for a private mail server; turning verification off is possible but
loud in ``haechi doctor``. A password is never sent over a connection that is not
encrypted: a login without TLS is refused before connecting.

Sending never raises: the outcome is a dict ``{channel, target, ok, detail}`` that the
caller records (delivery log, law-change record, alert).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

Security = Literal["none", "starttls", "ssl"]
TIMEOUT_SECONDS = 10.0
log = logging.getLogger("haechi.reminders.mail")


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the mail server (from the ``HAECHI_SMTP_*`` settings)."""

    host: str | None
    port: int = 25
    sender: str = "haechi@localhost"
    security: Security = "none"
    username: str | None = None
    password: str | None = None
    verify: bool = True
    ca_file: Path | None = None
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Any) -> SmtpConfig:
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_from, settings.smtp_security,
                   settings.smtp_username, settings.smtp_password, settings.smtp_verify, settings.smtp_ca_file)

    def __repr__(self) -> str:  # never print the password
        return (f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r}, "
                f"username={self.username!r}, verify={self.verify})")

    def problem(self) -> str | None:
        """Why this configuration cannot send, or ``None``."""
        if not self.host:
            return "no SMTP server configured (set HAECHI_SMTP_HOST)"
        if self.username and self.security == "none":
            return "a login needs an encrypted connection: set HAECHI_SMTP_SECURITY=starttls or ssl"
        if self.username and self.password is None:
            return "no SMTP password (set HAECHI_SMTP_PASSWORD or HAECHI_SMTP_PASSWORD_FILE)"
        if self.ca_file is not None and not self.ca_file.is_file():
            return f"HAECHI_SMTP_CA_FILE {self.ca_file} is not a readable file"
        return None


def tls_context(config: SmtpConfig) -> ssl.SSLContext:
    """A client TLS context: the system's CAs (or the configured CA file), names checked."""
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    if not config.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    assert config.host is not None
    if config.security == "ssl":
        return smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=tls_context(config))
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    if config.security == "starttls":
        try:
            smtp.starttls(context=tls_context(config))
        except BaseException:
            smtp.close()
            raise
    return smtp


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """AUTH PLAIN when offered (one exchange, one clear refusal), else smtplib's own choice."""
    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" in smtp.esmtp_features.get("auth", "").upper().split():
        smtp.user, smtp.password = username, password
        code, response = smtp.auth("PLAIN", smtp.auth_plain)
        if code not in (235, 503):
            raise smtplib.SMTPAuthenticationError(code, response)
        return
    smtp.login(username, password)


def _reason(exc: BaseException) -> str:
    """A short outcome that names the fix, not the server's internals."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "the server's certificate is not trusted (set HAECHI_SMTP_CA_FILE for a private CA)"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the server refused the login (check HAECHI_SMTP_USERNAME / HAECHI_SMTP_PASSWORD)"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "the server does not offer STARTTLS or AUTH (check HAECHI_SMTP_SECURITY and the port)"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the server refused the recipient"
    if isinstance(exc, ssl.SSLError):
        return "TLS failed (check HAECHI_SMTP_SECURITY: ssl for port 465, starttls for 587)"
    return exc.__class__.__name__


def send(config: SmtpConfig, message: EmailMessage) -> dict[str, Any]:
    """Send ``message``; the outcome, never an exception."""
    target = str(message["To"])
    problem = config.problem()
    if problem:
        return {"channel": "email", "target": target, "ok": False, "detail": problem}
    if not message["From"]:
        message["From"] = config.sender
    try:
        with _connect(config) as smtp:
            if config.username:
                _login(smtp, config.username, config.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("e-mail to %s via %s:%s failed: %s", target, config.host, config.port, exc)
        return {"channel": "email", "target": target, "ok": False, "detail": _reason(exc)}
    return {"channel": "email", "target": target, "ok": True, "detail": "sent"}


def probe(config: SmtpConfig) -> tuple[bool, str]:
    """Connect as :func:`send` would (TLS, login) without sending; ``(ok, what happened)``."""
    problem = config.problem()
    if problem:
        return False, problem
    try:
        with _connect(config) as smtp:
            if config.username:
                _login(smtp, config.username, config.password or "")
            code, _ = smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return False, _reason(exc)
    steps = {"none": "", "starttls": " STARTTLS", "ssl": " TLS"}[config.security]
    return True, f"{code}{steps}{' AUTH' if config.username else ''}"
