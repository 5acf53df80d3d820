"""Generative monitors the way users meet them: ``haechi monitor run`` in a subprocess,
the SDK logging to a running server, and a run on the server whose marks come from the
system's verdict and whose coverage becomes evidence for the Art. 31 / Art. 50 controls."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from generative_logs import make_generative_log, oracle_groups, oracle_window, window_rows, write_generative
from server_helpers import Server, prepare_home
from test_generative_metrics import close

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.monitor.spec import parse_spec_text
from haechi.sdk import Monitor

ROOT = Path(__file__).resolve().parents[2]
CHATBOT = SystemCard.model_validate({
    "id": "support-chatbot", "name": "Support chatbot", "name_ko": "고객지원 챗봇", "roles": ["deployer"],
    "domains": ["customer_service"], "interacts_with_people": True, "markets": ["KR", "EU"],
    "generative": {"modalities": ["text"], "realistic_synthetic_media": False, "outputs_leave_service": True,
                   "ai_use_obvious": False}})


def haechi_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAECHI_HOME": str(home), "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    env.pop("HAECHI_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_haechi_monitor_run_on_a_generative_spec_in_a_subprocess(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert haechi_cli(home, "init", "--org", "acme", "--name", "Acme").returncode == 0
    card = tmp_path / "card.yaml"
    card.write_text("id: gen-system\nname: Support chatbot\n")
    assert haechi_cli(home, "systems", "add", str(card)).returncode == 0
    frame = make_generative_log(n=1200, seed=21)
    spec = write_generative(frame, tmp_path, extra="  required_marks: [text]\n")
    spec.write_text(spec.read_text() + "thresholds:\n  refusal_rate_difference: {max: 0.05}\n")
    done = haechi_cli(home, "monitor", "run", str(spec), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["task"] == "generative" and out["generative"]["required_marks"] == ["text"]
    assert out["generative"]["source"] == "spec"
    for window in out["windows"]:
        rows = window_rows(frame, pd.Timestamp(window["start"]).to_pydatetime())
        if len(rows):
            expected = oracle_window(rows, ["text"])
            assert all(close(window["performance"][k], expected[k]) for k in expected), window["start"]
            gap = oracle_groups(rows, "language")["refusal_rate_difference"]
            assert close(window["fairness"]["language"]["refusal_rate_difference"], gap)
    assert {a["metric"] for a in out["alerts"]} == {"refusal_rate_difference"}
    table = haechi_cli(home, "monitor", "run", "gen-system")
    assert table.returncode == 0 and "label_coverage" in table.stdout and "refusal" in table.stdout
    # a bad spec: exit code 2, the field and the fix named, no traceback
    spec.write_text(spec.read_text() + "engine: spark\n")
    bad = haechi_cli(home, "monitor", "run", str(spec))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "engine" in bad.stderr and "Spark engine does not compute generative metrics" in bad.stderr


def test_the_sdk_logs_generative_events_to_a_running_server(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    token = prepare_home(home, "support-chatbot")
    rng = np.random.default_rng(8)
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    logged: list[dict[str, Any]] = []
    server = Server(home).start()
    try:
        with Monitor("support-chatbot", url=server.url, token=token, outbox=tmp_path / "ob") as monitor:
            for i in range(900):
                english = bool(rng.random() < 0.4)
                fields = {"language": "en" if english else "ko", "latency_ms": float(rng.integers(300, 3000)),
                          "output_text": "연락처는 010-1234-5678 입니다" if i % 97 == 0 else "주문은 내일 도착합니다",
                          "marks": ["text"] if rng.random() < 0.95 else [], "session_id": f"s{i // 3}",
                          "notice_shown": bool(rng.random() < 0.9), "refused": bool(rng.random() < (0.2 if english
                                                                                               else 0.05)),
                          "groups": {"channel": "web" if i % 2 else "app"}, "scores": {"toxicity": 0.01}}
                when = start + dt.timedelta(days=i // 100, minutes=i % 100)
                monitor.log_generative(timestamp=when, **fields)
                logged.append({**fields, "ts": when})
            assert monitor.flush()
            assert monitor.stats["stored"] == 900 and monitor.stats["rejected_rows"] == 0
        headers = {"Authorization": f"Bearer {token}"}
        spec = {"system": "support-chatbot", "task": "generative", "window": "1d",
                "generative": {"required_marks": ["text"]},
                "reference": {"start": "2026-05-01", "end": "2026-05-03"},
                "thresholds": {"pii_leak_rate": {"max": 0.001}}}
        put = httpx.put(f"{server.url}/api/v1/systems/support-chatbot/monitors/default", json=spec, headers=headers)
        assert put.status_code == 200, put.text
        run = httpx.post(f"{server.url}/api/v1/systems/support-chatbot/monitors/default/run", headers=headers,
                         timeout=60)
        assert run.status_code == 200, run.text
        out = run.json()
    finally:
        server.stop()
    frame = pd.DataFrame([{
        "ts": r["ts"], "language": r["language"], "latency_ms": r["latency_ms"], "released": 1.0,
        "mark_text": 1.0 if r["marks"] else 0.0, "session_id": r["session_id"],
        "notice_shown": float(r["notice_shown"]), "refused": float(r["refused"]),
        "pii_phone": 1.0 if "010" in r["output_text"] else 0.0} for r in logged])
    assert [w["start"][:10] for w in out["windows"]][:2] == ["2026-05-03", "2026-05-04"]
    for window in out["windows"]:
        rows = window_rows(frame, pd.Timestamp(window["start"]).to_pydatetime())
        p = window["performance"]
        assert window["n"] == len(rows) == 100
        assert close(p["label_coverage"], rows.mark_text.mean())
        assert close(p["notice_coverage"], rows[rows.notice_shown == 1].session_id.nunique()
                     / rows.session_id.nunique())
        assert close(p["refusal_rate"], rows.refused.mean())
        assert close(p["pii_leak_rate"], (rows.pii_phone > 0).mean())
        assert close(p["latency_p95"], float(np.percentile(rows.latency_ms, 95)))
        assert set(window["fairness"]) == {"channel", "language"}
        assert "score_toxicity" in window["drift"] and "language" in window["drift"]
    leaks = [a for a in out["alerts"] if a["metric"] == "pii_leak_rate"]
    assert leaks and {a["family"] for a in leaks} == {"privacy"}


def _chatbot_events(days: int, broken_day: int) -> pa.Table:
    """Chatbot outputs as the SDK stores them; on ``broken_day`` answers lose their disclosure."""
    rng = np.random.default_rng(3)
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    rows: dict[str, list[Any]] = {}
    for day in range(days):
        n = 120
        marked = rng.random(n) < (0.5 if day == broken_day else 1.0)
        values = {"event_id": [f"d{day}-{i}" for i in range(n)],
                  "timestamp": [start + dt.timedelta(days=day, minutes=i) for i in range(n)],
                  "prediction": [1.0] * n, "features.released": [1.0] * n,
                  "features.mark_text": marked.astype(float).tolist(),
                  "features.notice_shown": [1.0] * n, "features.session_id": [f"s{day}-{i // 4}" for i in range(n)],
                  "features.refused": (rng.random(n) < 0.05).astype(float).tolist(),
                  "sensitive.language": rng.choice(["ko", "en"], n).tolist()}
        for key, column in values.items():
            rows.setdefault(key, []).extend(column)
    return pa.table(rows)


def _evidence(hc: Haechi, actor: Actor) -> list[dict[str, Any]]:
    items = hc.compliance.evidence.list(actor, system="support-chatbot")
    items = items["items"] if isinstance(items, dict) else items
    return [e for e in items if e.get("source") == "monitoring.generative"]


def test_a_run_takes_marks_from_the_verdict_and_offers_coverage_as_evidence(hc: Haechi, actor: Actor) -> None:
    hc.systems.add(actor, CHATBOT)
    duties = hc.transparency.duties(actor, "support-chatbot")
    assert [d.kind for d in duties.active(("label",))], "the chatbot's verdict has an active labelling duty"
    hc.lake.ingest_table(actor, "support-chatbot", _chatbot_events(days=6, broken_day=99))
    spec_text = """
system: support-chatbot
task: generative
reference: {start: 2026-06-01, end: 2026-06-03}
window: 1d
thresholds:
  label_coverage: {min: 0.95}
"""
    out = hc.monitor.run(actor, parse_spec_text(spec_text))
    assert out["generative"]["source"] == "verdict" and out["generative"]["marks"] == ["text"]
    assert out["generative"]["label_basis"] and out["generative"]["notice_basis"]
    assert {w["performance"]["label_coverage"] for w in out["windows"]} == {1.0}
    first = {e["evidence_type"]: e for e in _evidence(hc, actor)}
    assert set(first) == {"label_check", "notice_delivery"}
    assert {e["polarity"] for e in first.values()} == {"supports"}
    controls = {c["ref"]: c["key"] for c in hc.compliance.controls.list(actor, "support-chatbot")}
    assert {controls[r] for r in first["label_check"]["controls"]} == {"output-labelling"}
    assert {controls[r] for r in first["notice_delivery"]["controls"]} == {"ai-use-notice"}
    # the same results again: nothing new (identical payloads are stored once)
    hc.monitor.run(actor, "support-chatbot")
    assert len(_evidence(hc, actor)) == 2
    # a day whose answers lost the disclosure: an alert, and evidence against the labelling control
    hc.lake.ingest_table(actor, "support-chatbot", _chatbot_events(days=8, broken_day=7))
    out = hc.monitor.run(actor, "support-chatbot")
    assert [(a["metric"], a["family"]) for a in out["alerts"]] == [("label_coverage", "transparency")]
    against = [e for e in _evidence(hc, actor) if e["polarity"] == "contradicts"]
    assert [e["evidence_type"] for e in against] == ["label_check"]
    record = hc.compliance.evidence.get(actor, against[0]["ref"])
    assert record["record"]["short_windows"] == ["2026-06-08T00:00:00Z"]
    assert {controls[r] for r in against[0]["controls"]} == {"output-labelling"}
    from haechi.compliance.messages import evidence_title

    marked = sum(w["performance"]["label_coverage"] * w["released"] for w in out["windows"])
    overall = f"{marked / sum(w['released'] for w in out['windows']):.4g}"   # every output weighs the same
    assert f"{record['record']['value']:.4g}" == overall
    korean = evidence_title("label_check", "monitoring.generative", against[0]["title"], record["record"], "ko")
    assert korean == f"표시 적용률 {overall} (2026년 6월 3일~2026년 6월 9일): 6개 구간 중 1개가 기준(최소 0.95) 미달"
    assert against[0]["title"] == f"label_coverage {overall} over 2026-06-03..2026-06-09: 1 of 6 windows under min 0.95"


def test_required_marks_follow_the_duty_statuses() -> None:
    from haechi.monitor.generative.marks import marks_from_duties
    from haechi.transparency.duties import Duties, Duty

    def duties(label: str, deepfake: str) -> Duties:
        return Duties("chat", "digest", {
            "output_label": Duty("output_label", "kr", "31(2)", label, "KR Art. 31(2)", "제31조제2항", kind="label"),
            "synthetic_mark": Duty("synthetic_mark", "kr", "31(3)", deepfake, "KR Art. 31(3)", "제31조제3항",
                                   kind="deepfake"),
            "advance_notice": Duty("advance_notice", "kr", "31(1)", "applies", "KR Art. 31(1)", "제31조제1항")})

    may = marks_from_duties(duties("may_apply", "applies"), "image")   # a duty that may apply counts
    assert (may.marks, may.label_basis, may.deepfake_basis) == (["c2pa"], ["KR Art. 31(2)"], ["KR Art. 31(3)"])
    assert marks_from_duties(duties("applies", "applies"), "text").marks == ["text"]
    assert marks_from_duties(duties("applies", "applies"), "text").deepfake_basis == []   # text is no deepfake
    exempt = marks_from_duties(duties("exempt", "exempt"), "image")
    assert (exempt.marks, exempt.label_basis, exempt.notice_basis) == ([], [], ["KR Art. 31(1)"])
    assert marks_from_duties(duties("not_in_force", "exempt"), "audio").marks == []


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_the_events_endpoint_checks_generative_fields(api: Any) -> None:
    admin = api.hc.local_actor("acme")
    api.hc.systems.add(admin, CHATBOT)
    good = {"released": True, "refused": False, "latency_ms": 812, "mark_text": 1, "pii_phone": 0,
            "language": "ko"}
    rows = [{"event_id": f"e{i}", "timestamp": "2026-06-01T09:00:00Z", "prediction": 1,
             "features": dict(good), "sensitive": {"language": "ko"}} for i in range(5)]
    rows[1]["features"]["refused"] = 2
    rows[2]["features"]["latency_ms"] = -40
    rows[3]["features"]["notice_shown"] = "maybe"
    response = api.post("/api/v1/systems/support-chatbot/events", json=rows)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 2
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [
        (2, "features.refused"), (3, "features.latency_ms"), (4, "features.notice_shown")]
    reasons = [r["reason"] for r in body["rejected"]]
    assert reasons[0] == "refused = 2 is not allowed: send true/false or 1/0"
    assert reasons[1] == "latency_ms = -40 is not allowed: send a count, a length or milliseconds of 0 or more"
    assert reasons[2].startswith("notice_shown is a 0/1 flag of a generative event; ")
