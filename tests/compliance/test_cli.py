"""The compliance CLI as a user runs it: controls, evidence, plans, risks, incidents,
status, and the audit commands — including tampering caught by ``haechi audit verify``
(exit 3, entry named) and an export verified with no database at all."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from .cards import HIRING
from .conftest import PDF


@pytest.fixture
def workspace(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = tmp_path / "card.yaml"
    card.write_text(yaml.safe_dump(HIRING, allow_unicode=True), encoding="utf-8")
    assert cli("systems", "add", str(card)).code == 0
    return cli


def _ref(cli, key: str) -> str:  # type: ignore[no-untyped-def]
    return next(c["ref"] for c in cli("controls", "list", "-f", "json").json() if c["key"] == key)


def test_controls_evidence_and_status_round_trip(workspace, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cli = workspace
    ref = _ref(cli, "human-oversight")
    assert cli("controls", "set-status", ref, "in_progress").code == 0
    refused = cli("controls", "set-status", ref, "operating")
    assert refused.code == 2 and "no fresh evidence of type plan" in refused.err
    answers = tmp_path / "oversight.yaml"
    answers.write_text("name: Kim Min-ji\nemail: oversight@acme.example\npowers: [override, stop]\n"
                       "measures: reviews every rejection\nposted_at: https://acme.example/ai\n", encoding="utf-8")
    assert cli("plans", "save", "hiring-screener", "human_oversight", str(answers)).code == 0
    approved = cli("plans", "approve", "hiring-screener", "human_oversight", "-f", "json")
    assert approved.code == 0, approved
    waiting = cli("controls", "set-status", ref, "operating")
    assert waiting.code == 2 and "waiting for review" in waiting.err  # high-impact: four eyes
    plan = approved.json()["evidence"]
    own = cli("evidence", "review", plan, "--accept", "--note", "mine")
    assert own.code == 2 and "another reviewer" in own.err
    monkeypatch.setenv("LOGNAME", "second-reviewer")  # another person at the same workspace
    monkeypatch.setenv("USER", "second-reviewer")
    assert [p["ref"] for p in cli("evidence", "pending", "-f", "json").json()] == [plan]
    accepted = cli("evidence", "review", plan, "--accept", "--note", "designation matches the HR policy", "-f", "json")
    assert accepted.json()["review"] == accepted.json()["review"] | {
        "status": "accepted", "by": "cli:second-reviewer", "note": "designation matches the HR policy"}
    asked = cli("controls", "set-status", ref, "operating", "--reason", "designation approved", "-f", "json")
    assert asked.json()["status"] == "in_progress" and asked.json()["request"]["by"] == "cli:second-reviewer"
    own_ask = cli("controls", "review", ref, "--approve", "--note", "mine")
    assert own_ask.code == 2 and "another reviewer must approve" in own_ask.err
    monkeypatch.setenv("LOGNAME", "third-person")
    monkeypatch.setenv("USER", "third-person")
    assert [c["ref"] for c in cli("controls", "pending", "-f", "json").json()] == [ref]
    done = cli("controls", "review", ref, "--approve", "--note", "proof re-checked", "-f", "json")
    assert done.json()["status"] == "operating" and done.json()["effective"] is True
    assert done.json()["status_reason"] == "approved by cli:third-person: proof re-checked"
    pdf = tmp_path / "training.pdf"
    pdf.write_bytes(PDF)
    added = cli("evidence", "add", str(pdf), "--system", "hiring-screener", "--control", ref, "--type",
                "training_record", "--valid-until", "2030-01-01", "-f", "json")
    assert added.code == 0 and added.json()["controls"] == [ref]
    again = cli("evidence", "add", str(pdf), "--system", "hiring-screener")
    assert again.code == 2 and "already stored as" in again.err
    out = tmp_path / "copy.pdf"
    assert cli("evidence", "get", added.json()["ref"], "-o", str(out)).code == 0 and out.read_bytes() == PDF
    status = cli("status", "hiring-screener", "-f", "json").json()
    assert next(o for o in status["obligations"] if o["id"] == "kr.34.1.human-oversight")["state"] == "met"
    table = cli("status")
    assert table.code == 0 and "coverage" in table.out


def test_bad_input_exits_2_with_a_clear_message(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    exe = tmp_path / "report.pdf"
    exe.write_bytes(b"MZ" + b"\x00" * 64)
    result = cli("evidence", "add", str(exe), "--system", "hiring-screener")
    assert result.code == 2 and "executable" in result.err and "Traceback" not in result.err
    bad_dates = cli("evidence", "add-link", "https://x.example", "--effective-from", "2026-05-01",
                    "--valid-until", "2026-04-01")
    assert bad_dates.code == 2 and "valid_until" in bad_dates.err
    assert cli("incidents", "open", "--title", "x", "--severity", "urgent").code == 2
    assert cli("controls", "set-status", "C-999", "in_progress").code == 2
    assert cli("risks", "add", "--title", "x", "--likelihood", "9", "--severity", "1").code == 2


def test_incident_risk_and_report_commands(workspace) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    opened = cli("incidents", "open", "--title", "Unfair rejections", "--system", "hiring-screener",
                 "--category", "fundamental_rights_infringement", "-f", "json")
    assert opened.code == 0 and opened.json()["clocks"][0]["days"] == 15
    assert cli("incidents", "update", "INC-1", "--root-cause", "proxy feature", "--action", "drop feature").code == 0
    report = cli("incidents", "report", "INC-1", "--lang", "ko")
    assert report.code == 0 and report.out.startswith("# 중대 사고 보고서 초안 — INC-1")
    assert cli("incidents", "file", "INC-1", "--reference", "MSA-1", "-f", "json").json()["clocks"][0]["state"] == "met"
    assert cli("incidents", "close", "INC-1", "--summary", "fixed").code == 0
    assert cli("risks", "add", "--title", "Bias", "--likelihood", "4", "--severity", "4", "--system",
               "hiring-screener").code == 0
    heat = cli("risks", "heatmap", "-f", "json").json()
    assert heat["rows"][1]["cells"][3]["count"] == 1
    assert cli("risks", "treat", "R-1", "--action", "reweigh").code == 0


def test_audit_verify_names_the_tampered_entry(workspace, cli_home: Path) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    assert cli("audit", "checkpoint").code == 0
    ok = cli("audit", "verify", "-f", "json")
    assert ok.code == 0 and ok.json()["ok"]
    with sqlite3.connect(cli_home / "haechi.db") as conn:
        conn.execute("UPDATE ledger_entries SET payload = '{}' WHERE seq = 3")
    bad = cli("audit", "verify")
    assert bad.code == 3 and "entry 3 altered" in bad.out
    data = cli("audit", "verify", "-f", "json")
    assert data.code == 3 and data.json()["first_problem"]["seq"] == 3


def test_export_verifies_without_any_database(workspace, tmp_path: Path, cli_home: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cli = workspace
    export, key = tmp_path / "ledger.json", tmp_path / "ledger.pub.pem"
    assert cli("audit", "export", str(export), "--public-key-out", str(key)).code == 0
    monkeypatch.setenv("HAECHI_HOME", str(tmp_path / "does-not-exist"))
    monkeypatch.setenv("HAECHI_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    offline = cli("audit", "verify", "--export", str(export), "--public-key", str(key), "-f", "json")
    assert offline.code == 0 and offline.json()["ok"], offline
    assert not (tmp_path / "does-not-exist").exists()
    data = json.loads(export.read_text())
    data["entries"][1]["action"] = "system.delete"
    export.write_text(json.dumps(data))
    tampered = cli("audit", "verify", "--export", str(export), "--public-key", str(key))
    assert tampered.code == 3 and "entry 2 altered" in tampered.out
    missing = cli("audit", "verify", "--export", str(export))
    assert missing.code == 2
