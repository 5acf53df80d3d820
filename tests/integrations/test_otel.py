"""OpenTelemetry GenAI spans become monitoring events without touching the application.

The example application (``examples/otel-genai/app.py``: the OpenTelemetry SDK and its
OTLP/HTTP protobuf exporter, configured only by ``OTEL_*`` variables) exports to a
``haechi serve`` started in a subprocess; the events appear in the system's log lake with
the model, version, latency, tokens, refusals by the safety filter and failures. The JSON
encoding, tokens and hostile bodies are checked against the API in-process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.settings import Settings
from tests.conftest import org_with_users

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = "support-chatbot"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "OTEL_"))}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def _wait(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Until ``url``/healthz answers (failing with the server's log if it exits)."""
    for _ in range(600):
        if proc.poll() is not None:
            pytest.fail(log.read_text()[-2000:])
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail("the server did not answer /healthz")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """``haechi serve`` on a free port over a home with org acme, an editor token and the chatbot."""
    home = tmp_path / "home"
    hc = Haechi(Settings(home=home))
    try:
        tokens = org_with_users(hc, "acme")
        hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate({"id": SYSTEM, "name": "Support chatbot"}))
    finally:
        hc.close()
    port = _free_port()
    with (tmp_path / "server.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "haechi", "serve", "--port", str(port)],
                                env=_environ(HAECHI_HOME=str(home)), stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(proc, url, tmp_path / "server.log")
            yield url, tokens["editor"], home
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_an_instrumented_app_is_monitored_without_code_changes(served: tuple[str, str, Path]) -> None:
    url, token, home = served
    app = subprocess.run([sys.executable, str(ROOT / "examples" / "otel-genai" / "app.py"), "10"], env=_environ(
        OTEL_SERVICE_NAME=SYSTEM, OTEL_EXPORTER_OTLP_ENDPOINT=f"{url}/api/v1/otlp",
        OTEL_EXPORTER_OTLP_HEADERS=f"Authorization=Bearer {token}"), capture_output=True, text=True, timeout=120,
        check=False)
    assert app.returncode == 0, app.stderr
    assert "Failed to export" not in app.stderr, app.stderr
    count = httpx.get(f"{url}/api/v1/systems/{SYSTEM}/events/count", headers={"Authorization": f"Bearer {token}"})
    assert count.json()["events"] == 10, count.text  # ten chat spans; the web-request span is not GenAI
    hc = Haechi(Settings(home=home))
    try:
        rows = hc.lake.source(hc.local_actor("acme"), SYSTEM).arrow().to_pylist()
    finally:
        hc.close()
    assert len(rows) == 10
    by_reason = {r["finish_reason"]: r for r in rows}
    assert set(by_reason) == {"stop", "content_filter", None}
    ok = by_reason["stop"]
    assert (ok["model"], ok["model_version"], ok["provider"], ok["operation"]) == (
        "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "openai", "chat")
    assert ok["prediction"] == 1 and ok["latency_ms"] > 0 and ok["output_tokens"] >= 1 and ok["safety_triggered"] == 0
    assert sum(r["safety_triggered"] == 1 for r in rows) == 2  # turns 4 and 9
    failed = by_reason[None]
    assert failed["error_type"] == "timeout" and failed["prediction"] == 0
    assert "mark_text" not in rows[0] or rows[0]["mark_text"] is None  # unknown marks are not "no mark"
    assert len({r["session_id"] for r in rows}) == 5 and all(len(r["session_id"]) == 24 for r in rows)


def _span(span_id: str, **attributes: object) -> dict[str, object]:
    def value(v: object) -> dict[str, object]:
        if isinstance(v, int):
            return {"intValue": str(v)}
        if isinstance(v, list):
            return {"arrayValue": {"values": [{"stringValue": x} for x in v]}}
        return {"stringValue": str(v)}

    return {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": span_id, "name": "chat",
            "startTimeUnixNano": "1764892800000000000", "endTimeUnixNano": "1764892801250000000",
            "attributes": [{"key": k, "value": value(v)} for k, v in attributes.items()]}


def _request(*spans: dict[str, object], service: str = SYSTEM) -> dict[str, object]:
    return {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name",
                                                             "value": {"stringValue": service}}]},
                               "scopeSpans": [{"scope": {"name": "test"}, "spans": list(spans)}]}]}


@pytest.fixture
def api(hc: Haechi) -> Iterator[TestClient]:
    from haechi.api import create_app

    tokens = org_with_users(hc, "acme")
    hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate({"id": SYSTEM, "name": "Support chatbot"}))
    with TestClient(create_app(hc=hc)) as client:
        client.tokens = tokens  # type: ignore[attr-defined]
        client.hc = hc  # type: ignore[attr-defined]
        yield client


def _post(api: TestClient, body: object, token: str | None = None) -> httpx.Response:
    token = token or api.tokens["editor"]  # type: ignore[attr-defined]
    return api.post("/api/v1/otlp/v1/traces", content=json.dumps(body),
                    headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})


def test_otlp_json_partial_success_and_retries(api: TestClient) -> None:
    genai = _span("eee19b7ec3c1b174", **{"gen_ai.operation.name": "chat", "gen_ai.request.model": "m",
                                         "gen_ai.usage.input_tokens": 12, "gen_ai.response.finish_reasons": ["stop"],
                                         "haechi.language": "ko", "haechi.marks": "text"})
    plain = _span("eee19b7ec3c1b175", **{"http.route": "/chat"})
    answer = _post(api, _request(genai, plain))
    assert answer.status_code == 200 and answer.json() == {}, answer.text
    assert (answer.headers["x-haechi-stored"], answer.headers["x-haechi-skipped"]) == ("1", "1")
    again = _post(api, _request(genai))
    assert again.headers["x-haechi-stored"] == "0"  # an exporter's retry stores nothing twice
    unknown = _post(api, _request(genai, service="not-registered"))
    assert unknown.status_code == 200
    assert unknown.json()["partialSuccess"]["rejectedSpans"] == "1"
    assert "not-registered" in unknown.json()["partialSuccess"]["errorMessage"]
    rows = api.hc.lake.source(api.hc.local_actor("acme"), SYSTEM).arrow().to_pylist()  # type: ignore[attr-defined]
    assert len(rows) == 1 and rows[0]["mark_text"] == 1 and rows[0]["input_tokens"] == 12
    assert rows[0]["latency_ms"] == 1250.0 and rows[0]["language"] == "ko"


def test_tokens_and_hostile_bodies(api: TestClient) -> None:
    genai = _span("eee19b7ec3c1b174", **{"gen_ai.operation.name": "chat"})
    assert api.post("/api/v1/otlp/v1/traces", json=_request(genai)).status_code == 401
    assert _post(api, _request(genai), api.tokens["viewer"]).status_code == 403  # type: ignore[attr-defined]
    hc: Haechi = api.hc  # type: ignore[attr-defined]
    admin = hc.local_actor("acme")
    hc.systems.add(admin, SystemCard.model_validate({"id": "other", "name": "Other"}))
    other = hc.accounts.create_token(admin, "editor@acme.example", ingest_systems=["other"])
    refused = _post(api, _request(genai), other)
    assert refused.status_code == 200 and refused.json()["partialSuccess"]["rejectedSpans"] == "1"
    own = hc.accounts.create_token(admin, "editor@acme.example", ingest_systems=[SYSTEM])
    assert _post(api, _request(genai), own).headers["x-haechi-stored"] == "1"
    assert api.get("/metrics", headers={"Authorization": f"Bearer {own}"}).status_code == 403
    for body in ({"resourceSpans": "x"}, [1, 2], {"resourceSpans": [{"scopeSpans": [{"spans": [{"spanId": 5}]}]}]}):
        bad = _post(api, body)
        assert bad.status_code == 422 and bad.json()["ok"] is False, bad.text
    wrong = api.post("/api/v1/otlp/v1/traces", content=b"\x00\x01", headers={
        "Content-Type": "application/x-protobuf", "Authorization": f"Bearer {api.tokens['editor']}"})  # type: ignore[attr-defined]
    assert wrong.status_code == 422 and "protobuf" in wrong.json()["error"]["message"]
    media = api.post("/api/v1/otlp/v1/traces", content=b"{}", headers={
        "Content-Type": "text/plain", "Authorization": f"Bearer {api.tokens['editor']}"})  # type: ignore[attr-defined]
    assert media.status_code == 415
