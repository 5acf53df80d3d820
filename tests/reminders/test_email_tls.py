"""The reminder e-mail reaches a mail server that requires TLS and a login (STARTTLS and implicit TLS),
from a workspace on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.reminders.mail import SmtpConfig, send
from haechi.settings import Settings
from tests.conftest import make_haechi

from ..compliance.cards import HIRING
from .tls_smtp import PASSWORD, USER, tls_smtp_server

NOW = dt.datetime(2026, 9, 21, 0, 0, tzinfo=dt.UTC)


def _workspace(store: str, home: Path, request: pytest.FixtureRequest, **smtp: Any) -> Haechi:
    hc = make_haechi(store, home, request, smtp_from="haechi@acme.example", **smtp)
    hc.accounts.create_org("acme", "Acme Corp", "애크미")
    actor = hc.local_actor()
    hc.compliance.clock = lambda: NOW
    hc.systems.add(actor, SystemCard.model_validate(HIRING))
    hc.compliance.incidents.open(actor, title="Wrong rejections", system="hiring-screener", source="complaint",
                                 severity="high", categories=["fundamental_rights_infringement"],
                                 widespread_infringement=True, aware_at="2026-09-20T10:00+09:00")
    hc.compliance.confirmations.submit(actor, "hiring-screener", submitted_at="2026-08-24T10:00+09:00")
    return hc


@pytest.fixture
def starttls(tmp_path: Path) -> Iterator[Any]:
    with tls_smtp_server(tmp_path) as server:
        yield server


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "ssl"])
def test_korean_reminder_arrives_over_tls_with_login(tmp_path: Path, implicit: bool, store: str,
                                                     request: pytest.FixtureRequest) -> None:
    with tls_smtp_server(tmp_path, implicit=implicit) as (controller, inbox, cert):
        hc = _workspace(store, tmp_path / "home", request, smtp_host="127.0.0.1", smtp_port=controller.port,
                        smtp_security="ssl" if implicit else "starttls", smtp_username=USER,
                        smtp_password=PASSWORD, smtp_ca_file=cert)
        try:
            outcome = hc.reminders.send_test(hc.local_actor(), "kim@acme.example", "ko")
        finally:
            hc.close()
    assert outcome == {"channel": "email", "target": "kim@acme.example", "ok": True, "detail": "sent"}
    assert inbox.logins == [f"PLAIN:{USER}"]  # AUTH PLAIN, only after TLS
    mail, = inbox.received
    assert mail["To"] == "kim@acme.example" and mail["Subject"].startswith("[Haechi] 이번 주 마감")
    body = mail.get_content()
    assert "■ hiring-screener" in body and "시간대: Asia/Seoul" in body
    assert "규제기관 보고 INC-1" in body and "2026-09-22 (화)" in body  # EU Art. 73: 2 calendar days
    # 30 days from 24 Aug end on Wednesday 23 Sept: no holiday, not moved
    assert "확인 기한" in body and "2026-09-23 (수)" in body


def test_login_refused_untrusted_certificate_and_clear_text_login(starttls: Any) -> None:
    controller, inbox, cert = starttls
    base = SmtpConfig("127.0.0.1", controller.port, "haechi@acme.example", "starttls", USER, PASSWORD,
                      ca_file=cert)
    msg = _message()
    wrong = send(SmtpConfig(**{**base.__dict__, "password": "wrong"}), msg)
    assert not wrong["ok"] and "refused the login" in wrong["detail"]
    untrusted = send(SmtpConfig(**{**base.__dict__, "ca_file": None}), _message())
    assert not untrusted["ok"] and "certificate is not trusted" in untrusted["detail"]
    clear = send(SmtpConfig(**{**base.__dict__, "security": "none"}), _message())
    assert not clear["ok"] and "needs an encrypted connection" in clear["detail"]
    no_tls = send(SmtpConfig("127.0.0.1", controller.port, "haechi@acme.example"), _message())
    assert not no_tls["ok"]  # the server requires STARTTLS before accepting mail
    assert inbox.received == [] and inbox.logins == []
    assert "app-password" not in repr(base)


def _message() -> Any:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "test", "haechi@acme.example", "kim@acme.example"
    msg.set_content("본문")
    return msg


def test_alert_and_law_change_mail_use_the_same_tls_login(starttls: Any) -> None:
    from haechi.monitor.delivery import deliver
    from haechi.verdicts.notify import smtp_mailer

    controller, inbox, cert = starttls
    config = SmtpConfig("127.0.0.1", controller.port, "haechi@acme.example", "starttls", USER, PASSWORD,
                        ca_file=cert)
    alert = {"system": "hiring-screener", "metric": "accuracy", "value": 0.7, "threshold": {"min": 0.8},
             "window_start": "2026-09-01T00:00:00+00:00",
             "window_end": "2026-09-02"}
    outcomes = deliver([alert], system="hiring-screener", monitor="quality", webhooks=[], emails=["kim@acme.example"],
                       smtp_host="127.0.0.1", smtp_port=controller.port, sender="haechi@acme.example", smtp=config)
    assert outcomes[0]["ok"], outcomes
    law = _message()
    assert smtp_mailer("127.0.0.1", controller.port, config)(law)["ok"]
    assert len(inbox.received) == 2 and inbox.logins == [f"PLAIN:{USER}"] * 2


def test_doctor_checks_tls_and_login(starttls: Any) -> None:
    from haechi.doctor.checks import email

    controller, _, cert = starttls
    common = {"smtp_host": "127.0.0.1", "smtp_port": controller.port, "smtp_from": "haechi@acme.example",
              "smtp_security": "starttls", "smtp_username": USER, "smtp_ca_file": cert}
    good = email(Settings(memory=True, smtp_password=PASSWORD, **common))
    assert [f.status for f in good] == ["pass"] and "STARTTLS AUTH" in good[0].message
    bad = email(Settings(memory=True, smtp_password="wrong", **common))
    assert [f.status for f in bad] == ["fail"] and "refused the login" in bad[0].message
