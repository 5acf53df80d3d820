"""Korean CLI output names things in the dashboard's words, not in codes or English.

The demo is built once with ``HAECHI_LANG=ko`` (its progress lines, summary and log-in note
are checked too), then a few list commands whose cells used to show English codes run in
fresh ``haechi`` processes. What they print must pass :func:`tests.walk.language.english_in`
(ids, codes, citations and file names pass by that rule); command lines a message tells the
reader to type (``haechi serve``), the log columns an alert names and time-zone ids are
written as typed, logged and catalogued, so they are set aside.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.walk.language import english_in

SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.slow

#: A command a message quotes for the reader to type.
COMMAND_LINE = re.compile(r"\bhaechi(?: [a-z][a-z-]*)+")
#: Columns of the demo's prediction logs, named in alerts as the logs name them (``sex = 0.147``).
LOG_COLUMNS = re.compile(r"\b(?:age_band|sex|language|vibration_rms|temperature_c|contrast|brightness)\b")
#: Time-zone ids (Asia/Seoul) are codes of the IANA database.
TIME_ZONE = re.compile(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b")
#: Commands whose table cells show statuses, kinds and proof in the dashboard's words.
COMMANDS = ("controls list", "controls show C-2", "evidence list --system hiring-screener", "risks list",
            "incidents list", "packs list", "packs show kr-ai-basic-act", "plans list", "esg records",
            "reminders due --days 60", "users list", "risks heatmap", "packs changes", "evidence show E-63",
            "timeline marketing-image-gen", "passport show hiring-screener")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    root = tmp_path_factory.mktemp("korean-words")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "PYTEST", "LC_", "LANG"))}
    env.update({"PYTHONPATH": str(SRC), "NO_COLOR": "1", "COLUMNS": "200", "HAECHI_LANG": "ko"})
    built = subprocess.run([sys.executable, "-m", "haechi", "demo", "--home", "ws", "--no-serve"], cwd=root,
                           env=env, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    env["HAECHI_HOME"] = str(root / "ws")
    return root, env, built.stdout + built.stderr


def _english(output: str) -> list[str]:
    return english_in(TIME_ZONE.sub(" ", LOG_COLUMNS.sub(" ", COMMAND_LINE.sub(" ", output))))


def test_the_demo_build_speaks_korean(workspace: tuple[Path, dict[str, str], str]) -> None:
    output = workspace[2]
    assert "데모 준비 완료" in output and "로그인" in output
    assert _english(output) == [], output


@pytest.mark.parametrize("line", COMMANDS)
def test_list_cells_use_the_dashboards_words(workspace: tuple[Path, dict[str, str], str], line: str) -> None:
    root, env, _ = workspace
    result = subprocess.run([sys.executable, "-m", "haechi", *shlex.split(line)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert _english(output) == [], f"{line}: English in the Korean output: {_english(output)}\n{output}"
