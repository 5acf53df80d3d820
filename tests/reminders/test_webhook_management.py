"""Managing reminder webhooks: add, send a test, issue a new secret (shown once), remove —
through the service, the API and the notifications page, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from haechi.domain.errors import NotFound, PermissionDenied
from haechi.reminders.webhooks import verify
from tests.conftest import make_haechi, web_login


class Accepting(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        type(self).requests.append((dict(self.headers.items()), self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Accepting.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Accepting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_new_secret_signs_from_then_on_and_a_removed_endpoint_gets_nothing(
        receiver: str, store: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    hc = make_haechi(store, tmp_path / "home", request, webhook_allow_private=True)
    try:
        hc.accounts.create_org("acme", "Acme Corp", "애크미")
        admin = hc.local_actor()
        added = hc.reminders.add_webhook(admin, name="governance", url=receiver, fmt="slack")
        rotated = hc.reminders.rotate_webhook_secret(admin, added["id"])
        assert rotated["secret"].startswith("whsec_") and rotated["secret"] != added["secret"]
        assert "secret" not in hc.reminders.webhooks(admin)[0]
        tested = hc.reminders.test_webhook(admin, added["id"])
        assert tested["status"] == "delivered"
        (headers, body), = Accepting.requests
        assert verify(rotated["secret"], headers, body) and not verify(added["secret"], headers, body)

        removed = hc.reminders.remove_webhook(admin, added["id"])
        assert removed["active"] is False and hc.reminders.webhooks(admin) == []
        with pytest.raises(NotFound):
            hc.reminders.test_webhook(admin, added["id"])
        with pytest.raises(NotFound):
            hc.reminders.rotate_webhook_secret(admin, added["id"])
        assert hc.reminders.deliveries(admin)["items"][0]["target"] == f"webhook:{added['id']}"  # the log stays
        viewer = hc.accounts.create_user(admin, "v@acme.example", "viewer")
        viewer_actor = hc.accounts.actor_for_token(hc.accounts.create_token(admin, viewer.email))
        other = hc.reminders.add_webhook(admin, name="second", url=receiver)
        with pytest.raises(PermissionDenied):
            hc.reminders.remove_webhook(viewer_actor, other["id"])
        assert len(Accepting.requests) == 1
    finally:
        hc.close()


def test_the_api_removes_and_rotates(api: TestClient) -> None:
    created = api.post("/api/v1/reminders/webhooks", json={"name": "team", "url": "https://example.com/hook"})
    assert created.status_code == 201, created.text
    endpoint = created.json()["id"]
    rotated = api.post(f"/api/v1/reminders/webhooks/{endpoint}/rotate")
    assert rotated.status_code == 200 and rotated.json()["secret"] != created.json()["secret"]
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}  # type: ignore[attr-defined]
    assert api.delete(f"/api/v1/reminders/webhooks/{endpoint}", headers=viewer).status_code == 403
    assert api.delete(f"/api/v1/reminders/webhooks/{endpoint}").json()["active"] is False
    assert api.delete(f"/api/v1/reminders/webhooks/{endpoint}").status_code == 404
    assert api.post(f"/api/v1/reminders/webhooks/{endpoint}/rotate").status_code == 404
    assert api.get("/api/v1/reminders/webhooks").json()["total"] == 0


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_notifications_page_adds_rotates_and_removes_a_webhook(api: TestClient, lang: str) -> None:
    from haechi.api import create_app

    hc = api.hc  # type: ignore[attr-defined]
    admin = hc.local_actor("acme")
    hc.accounts.set_password(admin, "admin@acme.example", "correct horse battery 9")
    client = TestClient(create_app(hc=hc))
    web_login(client, "admin@acme.example", "correct horse battery 9")
    client.get(f"/lang/{lang}?next=/")
    page = client.get("/notifications").text
    assert 'id="add-webhook"' in page
    token = _csrf(page)
    added = client.post("/notifications/webhooks", data={"csrf_token": token, "name": "팀 채널",
                                                         "url": "https://example.com/hook", "format": "dooray",
                                                         "lang": lang})
    assert added.status_code == 200
    secret = re.search(r'id="webhook-secret">(whsec_[^<]+)<', added.text)
    assert secret and ("두레이" if lang == "ko" else "Dooray") in added.text
    endpoint = hc.reminders.webhooks(admin)[0]["id"]
    assert client.get("/notifications").text.count("whsec_") == 0  # shown once
    rotated = client.post(f"/notifications/webhooks/{endpoint}/rotate", data={"csrf_token": token})
    new = re.search(r'id="webhook-secret">(whsec_[^<]+)<', rotated.text)
    assert new and new.group(1) != secret.group(1)
    bad = client.post("/notifications/webhooks", data={"csrf_token": token, "name": "x", "url": "ftp://x",
                                                       "format": "standard", "lang": lang})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    removed = client.post(f"/notifications/webhooks/{endpoint}/remove", data={"csrf_token": token})
    assert removed.status_code == 200 and hc.reminders.webhooks(admin) == []
    assert client.post(f"/notifications/webhooks/{endpoint}/remove", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/notifications/webhooks/{endpoint}/launch", data={"csrf_token": token}).status_code == 404
