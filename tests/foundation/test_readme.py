"""The README's two set-up commands, run from a clean clone as a new user would."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import web_login
from tests.foundation.test_browser import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def readme_commands() -> list[str]:
    """The commands of the first code block under '## Set up', comments stripped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_commands() -> None:
    commands = readme_commands()
    assert commands == ["python3 tasks.py demo", "python3 tasks.py test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tasks.py test" in ci and "CI=true" in ci


@pytest.mark.skipif(os.environ.get("HAECHI_INSIDE_README_TEST") == "1", reason="already inside it")
def test_two_commands_work_from_a_clean_clone(tmp_path: Path) -> None:
    clone = tmp_path / "haechi"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "VIRTUAL_ENV", "PYTEST"))}
    env.update(HAECHI_INSIDE_README_TEST="1", PATH=os.environ["PATH"])
    demo_cmd, test_cmd = readme_commands()
    port = free_port()
    demo = subprocess.Popen([*demo_cmd.split(), "--port", str(port)], cwd=clone, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_login_page(f"http://127.0.0.1:{port}", demo)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            login = web_login(client, "admin@hanbit.example", "hanbit-demo-2026", "/systems")
            assert login.status_code == 303
            systems = client.get("/systems?format=json")
        assert systems.json()["total"] >= 7
    finally:
        demo.terminate()
        output = demo.communicate(timeout=30)[0]
    assert "admin@hanbit.example" in output
    # The test command itself, on a small selection so CI does not run the suite twice.
    result = subprocess.run([*test_cmd.split(), "-q", "tests/foundation/test_card.py"], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=3600, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "passed" in result.stdout


def _wait_for_login_page(url: str, process: subprocess.Popen, timeout: float = 1800) -> None:  # type: ignore[type-arg]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"demo exited early ({process.returncode}):\n{process.stdout.read()[-3000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(url + "/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(1)
    raise AssertionError("the demo did not come up")
