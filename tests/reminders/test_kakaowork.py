"""Reminders to a KakaoWork chat room through its bot API: the documented ``messages.send`` body
(``conversation_id``, ``text``, ``blocks``), the app key as a bearer token, and the answer's
``success`` deciding whether the message was delivered."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from haechi.domain.errors import ValidationFailed
from haechi.reminders.webhooks import KAKAOWORK_URL, body_for
from tests.conftest import make_haechi


class BotApi(BaseHTTPRequestHandler):
    """Answers like KakaoWork: HTTP 200 with ``{"success": …}``; the second call fails."""

    requests: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        type(self).requests.append((dict(self.headers.items()), self.rfile.read(int(self.headers["Content-Length"]))))
        answer = {"success": True} if len(type(self).requests) == 1 else \
            {"success": False, "error": {"code": "conversation_not_found"}}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def bot_api() -> Iterator[str]:
    BotApi.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), BotApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/messages.send"
    server.shutdown()
    server.server_close()


def test_the_kakaowork_body_is_the_documented_messages_send_body() -> None:
    body = json.loads(body_for("kakaowork", "e", "t", "[Haechi] 이번 주 마감 1건", ["- 규제기관 보고 INC-1"], {},
                               conversation_id="12345"))
    assert set(body) == {"conversation_id", "text", "blocks"} and body["conversation_id"] == "12345"
    assert body["text"] == "[Haechi] 이번 주 마감 1건"
    assert [b["type"] for b in body["blocks"]] == ["text", "divider", "text"]
    assert body["blocks"][2] == {"type": "text", "text": "- 규제기관 보고 INC-1", "markdown": False}


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_kakaowork_endpoint_posts_with_the_app_key_and_reads_success(
        bot_api: str, store: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    hc = make_haechi(store, tmp_path / "home", request, webhook_allow_private=True)
    try:
        hc.accounts.create_org("acme", "Acme Corp", "애크미")
        admin = hc.local_actor()
        added = hc.reminders.add_webhook(admin, name="준법 채팅방", url=bot_api, fmt="kakaowork",
                                         conversation_id="4242", app_key="app-key-123")
        assert added["conversation_id"] == "4242" and "app_key" not in added
        assert "app_key" not in json.dumps(hc.reminders.webhooks(admin))
        first = hc.reminders.test_webhook(admin, added["id"])
        assert first["status"] == "delivered"
        headers, body = BotApi.requests[0]
        assert headers["Authorization"] == "Bearer app-key-123"
        sent = json.loads(body)
        assert sent["conversation_id"] == "4242" and sent["text"] == "[Haechi] 웹훅 시험 메시지"
        second = hc.reminders.test_webhook(admin, added["id"])
        assert second["status"] == "pending" and second["attempts"] == 1  # success: false is retried
        assert second["attempt_log"][0]["detail"] == "the bot API answered success: false"
    finally:
        hc.close()


def test_kakaowork_needs_a_room_and_a_key_and_defaults_to_the_bot_api(tmp_path: Path,
                                                                       request: pytest.FixtureRequest) -> None:
    hc = make_haechi("memory", tmp_path / "home", request)
    try:
        hc.accounts.create_org("acme", "Acme Corp", "애크미")
        admin = hc.local_actor()
        with pytest.raises(ValidationFailed, match="conversation_id"):
            hc.reminders.add_webhook(admin, name="k", url="", fmt="kakaowork", app_key="key")
        with pytest.raises(ValidationFailed, match="app_key"):
            hc.reminders.add_webhook(admin, name="k", url="", fmt="kakaowork", conversation_id="1")
        with pytest.raises(ValidationFailed, match="kakaowork format only"):
            hc.reminders.add_webhook(admin, name="s", url="https://example.com/h", fmt="slack", app_key="key")
        added = hc.reminders.add_webhook(admin, name="k", url="", fmt="kakaowork", conversation_id="1",
                                         app_key="key")
        assert added["url"] == KAKAOWORK_URL == "https://api.kakaowork.com/v1/messages.send"
    finally:
        hc.close()
