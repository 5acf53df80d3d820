"""The Monitoring tab in a real browser: charts drawn from the shipped Chart.js, no errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``haechi serve`` on a workspace with one monitored system and its alerts."""
    from tests.foundation.test_browser import serving

    home = tmp_path_factory.mktemp("monitor-browser")
    env = {**os.environ, "HAECHI_HOME": str(home / "home"), "HAECHI_SCHEDULE_MONITORS": "false"}
    env.pop("HAECHI_DATABASE_URL", None)
    haechi = [sys.executable, "-m", "haechi.cli.entry"]

    def cli(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run([*haechi, *args], env=env, check=True, capture_output=True, input=stdin)

    cli("init", "--org", "acme", "--name", "Acme")
    cli("users", "create", "ana@acme.example", "--org", "acme", "--role", "editor", "--password-stdin",
        stdin=b"password-123\n")
    card = home / "card.yaml"
    card.write_text("id: test-system\nname: Test system\n")
    cli("systems", "add", str(card))
    log = write_log(make_log(), home / "log.parquet")
    cli("monitor", "run", str(write_spec(home, log, extra="thresholds:\n  psi: {max: 0.1}\n")))
    with serving(env) as url:
        yield url


def test_monitoring_tab_draws_every_chart(browser: Any, server: str, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ana@acme.example")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.goto(f"{server}/systems/test-system/monitoring")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-monitor-chart]').length > 0")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-monitor-chart]'))
        .map(c => !!Chart.getChart(c))""")
    assert drawn and all(drawn)
    assert page.locator("text=PSI").first.is_visible()
    page.goto(f"{server}/monitoring")
    assert page.locator("a", has_text="test-system").first.is_visible()
    assert errors == []
    page.close()
