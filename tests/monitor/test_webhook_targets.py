"""Alert webhooks reach only the internet unless an administrator allows internal targets,
and the stored delivery outcome does not tell an open port from a closed or a refused one."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from metrics_logs import make_log, write_log

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.monitor.delivery import NOT_DELIVERED, post_webhook
from haechi.monitor.scheduler import run_due
from haechi.monitor.webhook_targets import TargetPolicy
from haechi.settings import Settings
from haechi.store.monitor_tables import Monitor
from haechi.store.tables import System

SPEC: dict[str, Any] = {
    "log": "log.parquet",
    "columns": {"timestamp": "ts", "prediction": "y_pred", "label": "y_true", "sensitive": ["sex"]},
    "reference": {"start": "2026-01-01", "end": "2026-01-06"},
    "thresholds": {"selection_rate": {"min": 0.99}},
}
URL = "/api/v1/systems/screener/monitors/default"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str]]] = []
    redirect_to: ClassVar[str | None] = None

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append((self.path, self.headers["Host"]))
        if _Receiver.redirect_to and self.path == "/redirect":
            self.send_response(307)
            self.send_header("Location", _Receiver.redirect_to)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received, _Receiver.redirect_to = [], None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_port)
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client(hc: Haechi) -> Any:
    from fastapi.testclient import TestClient
    from tests.conftest import org_with_users

    from haechi.api import create_app

    tokens = org_with_users(hc, "acme")
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    area = hc.monitor.files_dir(actor)
    area.mkdir(parents=True)
    write_log(make_log(), area / "log.parquet")
    client = TestClient(create_app(hc=hc))
    client.headers["Authorization"] = f"Bearer {tokens['editor']}"
    return client


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://app.localhost/x", "http://10.0.0.5/x",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]:9000/", "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/",
    "http://100.64.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/", "ftp://hooks.example.com/x", "file:///etc/passwd", "http:///nohost",
])
def test_saving_a_webhook_to_an_internal_address_is_refused(hc: Haechi, target: str) -> None:
    api = _client(hc)
    response = api.put(URL, json={**SPEC, "notify": {"webhook": ["https://hooks.example.com/ok", target]}})
    assert response.status_code == 422, response.text
    issue = response.json()["error"]["errors"][0]
    assert issue["location"] == "notify.webhook[1]" and "HAECHI_WEBHOOK_ALLOW_PRIVATE" in issue["fix"]
    assert response.json()["error"]["message_ko"]


def test_public_webhooks_are_saved(hc: Haechi) -> None:
    api = _client(hc)
    hooks = ["https://hooks.example.com/haechi", "http://93.184.216.34:8443/x", "https://[2606:4700::1111]/h"]
    response = api.put(URL, json={**SPEC, "notify": {"webhook": hooks}})
    assert response.status_code == 200, response.text


def test_delivery_to_internal_targets_is_refused_and_every_failure_looks_the_same(
        hc: Haechi, receiver: int) -> None:
    """A spec stored before the check (or a name that resolves inward) is checked again
    when alerts are delivered: nothing reaches the listening port, and its outcome equals
    a closed port's and an unresolvable name's."""
    api = _client(hc)
    hooks = [f"http://localhost:{receiver}/hook", f"http://127.0.0.1:{_closed_port()}/x",
             "http://no-such-host.invalid/x", f"http://[::ffff:127.0.0.1]:{receiver}/hook"]
    with hc.db.transaction() as s:
        system = s.query(System).filter_by(slug="screener").one()
        s.add(Monitor(org_id=system.org_id, system_id=system.id, name="default", schedule="1h",
                      spec={**SPEC, "system": "screener", "name": "default", "schedule": "1h",
                            "notify": {"webhook": hooks}}))
    run = api.post(f"{URL}/run")
    assert run.status_code == 200, run.text
    assert _Receiver.received == []
    alerts = api.get("/api/v1/alerts", params={"limit": 1}).json()["items"]
    outcomes = alerts[0]["deliveries"]
    assert [o["target"] for o in outcomes] == hooks
    assert {(o["ok"], o["detail"]) for o in outcomes} == {(False, NOT_DELIVERED)}
    assert run_due(hc.monitor, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)) == 1
    assert _Receiver.received == []


def test_an_administrator_can_allow_internal_targets(tmp_path: Path, receiver: int) -> None:
    hc = Haechi(Settings(home=tmp_path / "home", memory=True, webhook_allow_private=True))
    try:
        api = _client(hc)
        hook = f"http://localhost:{receiver}/hook"
        assert api.put(URL, json={**SPEC, "notify": {"webhook": [hook]}}).status_code == 200
        assert api.post(f"{URL}/run").status_code == 200
        assert _Receiver.received == [("/hook", f"localhost:{receiver}")]
        outcome = api.get("/api/v1/alerts", params={"limit": 1}).json()["items"][0]["deliveries"]
        assert outcome == [{"channel": "webhook", "target": hook, "ok": True, "detail": "HTTP 204"}]
    finally:
        hc.close()


def test_an_allowed_network_admits_only_itself() -> None:
    policy = TargetPolicy(allowed_networks=(ipaddress.ip_network("10.20.0.0/16"),))
    assert policy.permits(ipaddress.ip_address("10.20.1.2"))
    assert not policy.permits(ipaddress.ip_address("10.21.1.2"))
    assert not policy.permits(ipaddress.ip_address("127.0.0.1"))
    assert not TargetPolicy(allow_private=True).permits(ipaddress.ip_address("224.0.0.1"))
    assert not TargetPolicy(allow_private=True).permits(ipaddress.ip_address("0.0.0.0"))


def test_redirects_are_not_followed(receiver: int) -> None:
    policy = TargetPolicy(allow_private=True)
    _Receiver.redirect_to = f"http://127.0.0.1:{receiver}/internal"
    outcome = post_webhook(f"http://127.0.0.1:{receiver}/redirect", {"event": "x"}, policy)
    assert outcome["ok"] is False and outcome["detail"] == "HTTP 307"
    assert [path for path, _ in _Receiver.received] == ["/redirect"]
    assert json.dumps(outcome)  # stored as JSON on the alert


def test_alert_recipients_are_plain_addresses(hc: Haechi) -> None:
    api = _client(hc)
    for emails, webhooks in [(["ops@example.com\nBcc: victim@example.org"], []), (["Ops <ops@example.com>"], []),
                             (["ops@example.com, other@example.org"], []),
                             ([], [f"https://hooks.example.com/{i}" for i in range(11)])]:
        response = api.put(URL, json={**SPEC, "notify": {"email": emails, "webhook": webhooks}})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["errors"][0]["location"].startswith("notify."), response.text
    ok = api.put(URL, json={**SPEC, "notify": {"email": ["ml-oncall@example.com"]}})
    assert ok.status_code == 200, ok.text
