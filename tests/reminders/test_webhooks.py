"""Signed webhooks: a receiver that fails once, then accepts; the signature verifies; the log shows both tries
(on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.reminders.webhooks import body_for, verify
from haechi.settings import Settings
from tests.conftest import make_haechi

from ..compliance.cards import HIRING

NOW = dt.datetime(2026, 9, 21, 0, 0, tzinfo=dt.UTC)


class Receiver(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((dict(self.headers.items()), body))
        self.send_response(500 if len(type(self).requests) == 1 else 204)  # the first attempt fails
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_signed_webhook_is_retried_after_a_failure(receiver: str, store: str, tmp_path: Path,
                                                    request: pytest.FixtureRequest) -> None:
    hc = make_haechi(store, tmp_path / "home", request, webhook_allow_private=True)
    try:
        hc.accounts.create_org("acme", "Acme Corp", "애크미")
        actor = hc.local_actor()
        clock = [NOW]
        hc.compliance.clock = lambda: clock[0]
        hc.systems.add(actor, SystemCard.model_validate(HIRING))
        hc.compliance.incidents.open(actor, title="Wrong rejections", system="hiring-screener", source="complaint",
                                     severity="high", categories=["fundamental_rights_infringement"],
                                     widespread_infringement=True, aware_at="2026-09-20T10:00+09:00")
        endpoint = hc.reminders.add_webhook(actor, name="governance", url=receiver)
        assert endpoint["secret"].startswith("whsec_") and "secret" not in hc.reminders.webhooks(actor)[0]
        clock[0] = NOW.replace(hour=0) + dt.timedelta(hours=0, minutes=1)  # 09:01 KST: the digest hour has come
        assert hc.reminders.queue_digests() == {"acme": ["hr@acme.example", "ml@acme.example",
                                                         "oversight@acme.example", f"webhook:{endpoint['id']}"]}
        assert hc.reminders.queue_digests() == {}  # once per day
        hc.reminders.deliver()  # first try: e-mail has no server here, the receiver answers 500
        log = {d["target"]: d for d in hc.reminders.deliveries(actor)["items"]}
        hook = log[f"webhook:{endpoint['id']}"]
        assert hook["status"] == "pending" and hook["attempts"] == 1 and hook["last_status_code"] == 500
        assert dt.datetime.fromisoformat(hook["next_attempt_at"]) == clock[0] + dt.timedelta(minutes=1)
        assert hc.reminders.deliver() == 0  # the retry is not due yet
        clock[0] += dt.timedelta(minutes=1)
        hc.reminders.deliver()
        hook = hc.reminders.delivery(actor, hook["id"])
        assert hook["status"] == "delivered" and [a["status_code"] for a in hook["attempt_log"]] == [500, 204]
        assert hook["next_attempt_at"] is None
        (first_headers, _), (headers, body) = Receiver.requests
        assert verify(endpoint["secret"], headers, body)
        assert headers["webhook-id"] == first_headers["webhook-id"] == hook["message_id"]  # same id on a retry
        assert not verify(endpoint["secret"], headers, body + b" ")
        assert not verify("whsec_" + "A" * 44, headers, body)
        payload = json.loads(body)
        assert payload["type"] == "reminders.digest" and payload["data"]["timezone"] == "Asia/Seoul"
        assert payload["data"]["items"][0]["ref"] == "INC-1"
        mail = log["hr@acme.example"]
        assert mail["channel"] == "email" and mail["lang"] == "ko" and "SMTP" in mail["last_detail"]
    finally:
        hc.close()


def test_refused_addresses_and_chat_formats() -> None:
    hc = Haechi(Settings(memory=True))
    try:
        hc.accounts.create_org("acme", "Acme Corp", "애크미")
        with pytest.raises(ValidationFailed):
            hc.reminders.add_webhook(hc.local_actor(), name="x", url="http://127.0.0.1:9/hook")  # loopback refused
    finally:
        hc.close()
    slack = json.loads(body_for("slack", "e", "t", "[Haechi] 이번 주 마감 1건", ["- 항목"], {}))
    assert slack["text"].startswith("[Haechi]") and slack["blocks"][0]["type"] == "header"
    dooray = json.loads(body_for("dooray", "e", "t", "제목", ["- 항목"], {}))
    assert dooray["botName"] == "Haechi" and dooray["attachments"][0]["text"] == "- 항목"
