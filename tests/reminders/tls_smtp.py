"""A local SMTP server that insists on TLS and a login, as Gmail or Microsoft 365 do.

aiosmtpd with a self-signed certificate made here (its CA file is the certificate
itself), ``auth_require_tls=True`` and an authenticator that accepts one user. Mail
that arrives is kept in ``received``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "haechi@mail.test", "app-password-2026"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Inbox:
    received: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def _authenticator(inbox: Inbox) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == PASSWORD)
        if ok:
            inbox.logins.append(f"{mechanism}:{USER}")
        return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535 on failure
    return check


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _ImplicitTlsSMTP(SMTP):
    """aiosmtpd counts only STARTTLS as TLS, so ``auth_require_tls`` refuses AUTH on an implicit-TLS
    connection (aiosmtpd issue #281): mark a connection that arrived encrypted as TLS."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if transport.get_extra_info("ssl_object") is not None:
            self._tls_protocol = transport


class _ImplicitTlsController(Controller):
    def factory(self) -> SMTP:
        return _ImplicitTlsSMTP(self.handler, **self.SMTP_kwargs)


@contextmanager
def tls_smtp_server(directory: Path, implicit: bool = False) -> Iterator[tuple[Controller, Inbox, Path]]:
    """Serve on a free loopback port: STARTTLS required (or implicit TLS), AUTH only over TLS."""
    cert, key = self_signed(directory)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    options: dict[str, Any] = {"authenticator": _authenticator(inbox), "auth_require_tls": True}
    if implicit:
        controller = _ImplicitTlsController(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=context,
                                            **options)
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                                require_starttls=True, **options)
    controller.start()
    try:
        yield controller, inbox, cert
    finally:
        controller.stop()
