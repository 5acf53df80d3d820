"""The README as a script: its tour and command-line examples, run as a reader would.

Every command of the README's "A 60-second tour" and "Command line" blocks runs in a fresh
process, in the order written, against a freshly built demo workspace (the tour) or a fresh
workspace (the command line), and must exit as the README says (0). The library example
runs as a Python script. A README edit that breaks a documented command fails here.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from haechi.demo.company import demo_card
from haechi.domain.yamlio import dumps_yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def readme_blocks(heading: str, language: str = "bash") -> list[str]:
    """The code blocks of one README section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def commands(block: str) -> list[str]:
    """Shell lines of a block, without comments (the README puts them after spaces)."""
    lines = [raw.split(" #", 1)[0].strip() for raw in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


class Reader:
    """A shell session as the reader has it: the venv activated, exports remembered."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "PYTEST"))}
        self.env = {**keep, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
                    "COLUMNS": "200"}

    def run(self, line: str) -> subprocess.CompletedProcess[str]:
        if line.startswith("source ") and line.endswith("activate"):
            return subprocess.CompletedProcess(line, 0, "", "")  # PATH already leads to the venv
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            self.env[name] = value
            return subprocess.CompletedProcess(line, 0, "", "")
        return subprocess.run(["bash", "-c", line], cwd=self.cwd, env=self.env, capture_output=True,
                              text=True, timeout=300, check=False)

    def expect_success(self, line: str) -> subprocess.CompletedProcess[str]:
        result = self.run(line)
        assert result.returncode == 0, (f"README command failed ({result.returncode}): {line}\n"
                                        f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        assert "Traceback" not in result.stderr, f"{line}\n{result.stderr[-2000:]}"
        return result


def test_the_tour_runs_in_order_against_a_fresh_demo(tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    reader.expect_success("haechi demo --home haechi-demo --no-serve")
    tour = [line for block in readme_blocks("A 60-second tour") for line in commands(block)]
    assert len(tour) >= 14, tour
    for line in tour:
        reader.expect_success(line)
    assert (tmp_path / "dossier.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "passport.json").stat().st_size > 0 and (tmp_path / "keys.json").stat().st_size > 0


def test_the_command_line_section_runs_in_order(tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    reader.env["HAECHI_HOME"] = str(tmp_path / "acme-home")
    (tmp_path / "card.yaml").write_text(dumps_yaml(demo_card("hiring-screener").model_dump(mode="json",
                                                                                        exclude_none=True)),
                                        encoding="utf-8")
    lines = [line for block in readme_blocks("Command line") for line in commands(block)]
    serve = [line for line in lines if line.startswith("haechi serve")]
    assert serve, "the section shows how to serve"
    for line in lines:
        if line in serve:
            reader.expect_success(line.split(" --", 1)[0] + " --help")  # serving never exits by itself
        else:
            reader.expect_success(line)


def test_the_documented_error_example_exits_with_2(tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    reader.env["HAECHI_HOME"] = str(tmp_path / "home")
    reader.expect_success('haechi init --org acme --name "Acme Corp"')
    (tmp_path / "card.yaml").write_text("id: bad\nname: Bad\ndomains: [employmnt]\nsignificant_impact: perhaps\n",
                                        encoding="utf-8")
    result = reader.run("haechi systems add card.yaml")
    assert result.returncode == 2, result
    message = result.stdout + result.stderr
    assert "card.yaml:3 domains[0]" in message and "did you mean 'employment'?" in message
    assert "card.yaml:4 significant_impact" in message and "Traceback" not in message


def test_the_library_example_runs_as_a_script(tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    reader.env["HAECHI_HOME"] = str(tmp_path / "home")
    reader.expect_success('haechi init --org acme --name "Acme Corp"')
    (tmp_path / "card.yaml").write_text(dumps_yaml(demo_card("hiring-screener").model_dump(mode="json",
                                                                                        exclude_none=True)),
                                        encoding="utf-8")
    example = readme_blocks("Python library", "python")[0]
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    result = reader.expect_success(f"{shlex.quote(sys.executable)} example.py")
    assert "employment" in result.stdout
