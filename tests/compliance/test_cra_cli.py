"""``haechi incidents`` with Cyber Resilience Act clocks, as a user runs it: a fresh process,
24 h / 72 h clocks in JSON and in the table, the final-report clock after a fix, the Korean
draft report, the reminders, and exit 2 on a wrong kind."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from .cards import HIRING


def test_cra_incident_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home"), "HAECHI_TIMEZONE": "Asia/Seoul"}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    assert haechi("init", "--org", "acme", "--name", "Acme").returncode == 0
    camera = {**HIRING, "id": "safety-camera", "name": "Safety camera", "roles": ["developer"],
              "cra": {"product_with_digital_elements": True, "product_class": "default", "support_period_years": 5}}
    card = tmp_path / "camera.yaml"
    card.write_text(yaml.safe_dump(camera, allow_unicode=True))
    assert haechi("systems", "add", str(card)).returncode == 0
    aware = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=3)
    opened = haechi("incidents", "open", "--title", "Camera firmware exploited", "--system", "safety-camera",
                    "--cra", "exploited_vulnerability", "--aware-at", aware.isoformat(), "--format", "json")
    assert opened.returncode == 0, opened.stderr
    clocks = json.loads(opened.stdout)["clocks"]
    assert [(c["clock"], c["unit"], c["amount"]) for c in clocks] == [
        ("cra.14.early_warning", "hours", 24), ("cra.14.notification", "hours", 72)]
    assert dt.datetime.fromisoformat(clocks[0]["due_at"]) == aware + dt.timedelta(hours=24)
    assert clocks[0]["due_local"].endswith("+09:00") and clocks[0]["countdown"].startswith("20 hours")
    table = haechi("incidents", "show", "INC-1")
    assert table.returncode == 0 and "24h" in table.stdout and "72h" in table.stdout
    fix = (aware + dt.timedelta(hours=1)).isoformat()
    updated = haechi("incidents", "update", "INC-1", "--fix-available-at", fix, "--format", "json")
    assert updated.returncode == 0, updated.stderr
    final = json.loads(updated.stdout)["clocks"][-1]
    assert final["clock"] == "cra.14.final" and final["days"] == 14
    filed = haechi("incidents", "file", "INC-1", "--clock", "cra.14.early_warning", "--reference", "CSIRT-1",
                   "--format", "json")
    assert json.loads(filed.stdout)["clocks"][0]["state"] == "met"
    korean = subprocess.run([sys.executable, "-m", "haechi", "incidents", "list"], env={**env, "HAECHI_LANG": "ko",
                            "COLUMNS": "200"}, capture_output=True, text=True, timeout=180, check=False)
    assert korean.returncode == 0 and "24시간 기한 내 제출; 72시간 진행 중" in korean.stdout
    assert "14일 진행 중" in korean.stdout and "running" not in korean.stdout
    report = haechi("incidents", "report", "INC-1", "--lang", "ko")
    assert report.returncode == 0 and "사이버복원력법 취약점 통지 제출" in report.stdout
    assert "Regulation (EU) 2024/2847 Art. 14(2)(b)" in report.stdout
    due = json.loads(haechi("reminders", "due", "--days", "30", "--format", "json").stdout)
    cra = [i for i in due["items"] if i["citation"] and "2024/2847" in i["citation"]]
    assert {i["title"] for i in cra} == {"Send the CRA vulnerability notification",
                                         "Send the CRA final report (14 days after a corrective or mitigating "
                                         "measure is available)"}
    notification = next(i for i in cra if "notification" in i["title"])
    assert 68 < notification["hours_left"] <= 69
    bad = haechi("incidents", "update", "INC-1", "--cra", "data_breach")
    assert bad.returncode == 2 and "exploited_vulnerability" in bad.stderr and "Traceback" not in bad.stderr
