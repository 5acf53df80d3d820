"""``haechi reminders due`` as a user runs it: a fresh process, JSON and table output, exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from ..compliance.cards import HIRING


def test_reminders_due_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home"), "HAECHI_TIMEZONE": "Asia/Seoul"}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    assert haechi("init", "--org", "acme", "--name", "Acme").returncode == 0
    card = tmp_path / "screener.yaml"
    card.write_text(yaml.safe_dump(HIRING, allow_unicode=True))
    assert haechi("systems", "add", str(card)).returncode == 0
    aware = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    opened = haechi("incidents", "open", "--title", "Wrong rejections", "--system", "hiring-screener",
                    "--source", "complaint", "--severity", "high", "--category",
                    "fundamental_rights_infringement", "--widespread",
                    "--aware-at", aware)
    assert opened.returncode == 0, opened.stderr
    listed = haechi("reminders", "due", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    incident = next(i for i in data["items"] if i["kind"] == "incident_clock")
    assert incident["ref"] == "INC-1" and incident["system"] == "hiring-screener"
    assert incident["citation"] == "EU AI Act Art. 73" and incident["urgency"] in ("today", "this_week")
    assert set(incident["whom"]) == {"hr@acme.example", "ml@acme.example", "oversight@acme.example"}
    assert data["timezone"] == "Asia/Seoul" and incident["due_local"].endswith("+09:00")
    table = haechi("reminders", "due", "--person", "hr@acme.example")
    assert table.returncode == 0 and "INC-1" in table.stdout
    bad = haechi("reminders", "due", "--days", "400")
    assert bad.returncode == 2 and "between 0 and 366" in bad.stderr and "Traceback" not in bad.stderr
    unknown = haechi("reminders", "due", "--system", "no-such-system")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
