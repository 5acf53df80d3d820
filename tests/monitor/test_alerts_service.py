"""hc.monitor: saving and running monitors, stored results and alerts, hooks, delivery,
caching, tenant isolation — on SQLite and PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import json
import smtplib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.events import AlertsRaised
from haechi.monitor.spec import Notify, load_spec

THRESHOLDS = """thresholds:
  demographic_parity_difference: {max: 0.05}
  psi: {max: 0.1, scope: [f0, f1]}
  selection_rate: {min: 0.05}
  missing_share: {max: 0.04}
"""


@pytest.fixture
def spec_path(tmp_path: Path) -> Path:
    log = write_log(make_log(), tmp_path / "log.parquet")
    return write_spec(tmp_path, log, extra=THRESHOLDS)


def _register(hc: Haechi, actor: Actor, slug: str = "test-system") -> None:
    hc.systems.add(actor, SystemCard.model_validate({"id": slug, "name": "Test system"}))


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def webhook() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def test_run_stores_results_and_alerts_once(db_hc: Haechi, spec_path: Path) -> None:
    actor = db_hc.accounts.local_actor(db_hc.accounts.create_org("acme", "Acme").slug)
    _register(db_hc, actor)
    seen: list[dict[str, Any]] = []
    db_hc.events.subscribe(AlertsRaised, lambda event: seen.extend(event.alerts))
    out = db_hc.monitor.run(actor, load_spec(spec_path))
    assert out["run"]["computed_windows"] == len(out["windows"]) > 0
    metrics = {a["metric"] for a in out["alerts"]}
    assert {"demographic_parity_difference", "psi", "missing_share"} <= metrics
    assert all(a["scope"] in ("f0", "f1") for a in out["alerts"] if a["metric"] == "psi")
    assert len(seen) == len(out["alerts"]) and all(a["new"] for a in out["alerts"])
    stored = db_hc.monitor.alerts(actor)
    assert stored["total"] == len(out["alerts"])
    again = db_hc.monitor.run(actor, "test-system")
    assert again["run"]["computed_windows"] == 0 and again["run"]["cached_windows"] == len(out["windows"])
    assert again["windows"] == out["windows"]
    assert db_hc.monitor.alerts(actor)["total"] == stored["total"] and len(seen) == stored["total"]
    assert not any(a["new"] for a in again["alerts"])
    results = db_hc.monitor.results(actor, "test-system")
    assert [w["start"] for w in results["windows"]] == [w["start"] for w in out["windows"]]
    runs = db_hc.monitor.runs(actor, "test-system")
    assert [r["computed_windows"] for r in runs] == [0, len(out["windows"])]
    entries = db_hc.ledger.entries(actor) if hasattr(db_hc.ledger, "entries") else None
    assert entries is None or any(e["action"] == "monitor.run" for e in entries)


def test_alert_status_and_isolation(hc: Haechi, actor: Actor, other_actor: Actor, spec_path: Path) -> None:
    _register(hc, actor)
    out = hc.monitor.run(actor, load_spec(spec_path))
    first = out["alerts"][0]["id"]
    acked = hc.monitor.set_alert_status(actor, first, "acknowledged", "looking into it")
    assert acked["status"] == "acknowledged" and acked["note"] == "looking into it"
    assert hc.monitor.alerts(actor, status="acknowledged")["total"] == 1
    assert hc.monitor.alerts(other_actor)["total"] == 0
    with pytest.raises(NotFound):
        hc.monitor.set_alert_status(other_actor, first, "resolved", "not mine")
    with pytest.raises(NotFound):
        hc.monitor.results(other_actor, "test-system")
    with pytest.raises(ValidationFailed):
        hc.monitor.set_alert_status(actor, first, "closed")


def test_unregistered_system_is_refused(hc: Haechi, actor: Actor, spec_path: Path) -> None:
    with pytest.raises(NotFound, match="register it first"):
        hc.monitor.run(actor, load_spec(spec_path))


def test_webhook_delivery_and_missing_smtp(tmp_path: Path, webhook: str) -> None:
    from haechi.settings import Settings

    # the receiver listens on loopback, which only an administrator's allowance lets webhooks reach
    hc = Haechi(Settings(home=tmp_path / "home", memory=True, webhook_allow_private=True))
    actor = hc.accounts.local_actor(hc.accounts.create_org("acme", "Acme").slug)
    _register(hc, actor)
    log = write_log(make_log(), tmp_path / "log.parquet")
    notify = f"notify:\n  webhook: ['{webhook}']\n  email: [ops@example.com]\n"
    spec = load_spec(write_spec(tmp_path, log, extra=THRESHOLDS + notify))
    out = hc.monitor.run(actor, spec)
    assert len(_Hook.received) == 1
    payload = _Hook.received[0]
    assert payload["event"] == "haechi.alerts" and len(payload["alerts"]) == len(out["alerts"])
    stored = hc.monitor.alerts(actor, limit=1)["items"][0]
    channels = {d["channel"]: d for d in stored["deliveries"]}
    assert channels["webhook"]["ok"] is True
    assert channels["email"]["ok"] is False and "SMTP" in channels["email"]["detail"]
    hc.close()


def test_email_delivery_through_smtp(tmp_path: Path, spec_path: Path) -> None:
    """A real SMTP exchange with a minimal local server (stdlib), no mocks."""
    received: list[bytes] = []
    server, port = _smtp_server(received)
    try:
        from haechi.settings import Settings

        hc = Haechi(Settings(home=tmp_path / "home", memory=True, smtp_host="127.0.0.1", smtp_port=port))
        actor = hc.accounts.local_actor(hc.accounts.create_org("acme", "Acme").slug)
        _register(hc, actor)
        spec = load_spec(spec_path)
        spec = spec.model_copy(update={"notify": Notify(email=["ops@example.com"])})
        out = hc.monitor.run(actor, spec)
        stored = hc.monitor.alerts(actor, limit=1)["items"][0]
        hc.close()
    finally:
        server.close()
    message = email.message_from_bytes(b"".join(received[:-1]), policy=email.policy.default)
    assert message["To"] == "ops@example.com"
    assert f"{len(out['alerts'])} alert(s)" in message["Subject"] and "경보" in message["Subject"]
    body = message.get_content()
    assert "demographic parity difference" in body and "인구통계적 동등성 차이" in body
    assert stored["deliveries"] == [{"channel": "email", "target": "ops@example.com", "ok": True, "detail": "sent"}]


def _smtp_server(received: list[bytes]) -> tuple[Any, int]:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def serve() -> None:
        conn, _ = sock.accept()
        file = conn.makefile("rb")
        conn.sendall(b"220 localhost ESMTP\r\n")
        in_data = False
        for raw in file:
            if in_data:
                received.append(raw)
                if raw == b".\r\n":
                    in_data = False
                    conn.sendall(b"250 OK\r\n")
                continue
            verb = raw[:4].upper()
            if verb == b"DATA":
                in_data = True
                conn.sendall(b"354 go\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    assert smtplib  # the client side is the real smtplib in delivery.send_email
    return sock, sock.getsockname()[1]
