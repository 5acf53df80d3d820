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
    triage = home / "triage"
    triage.mkdir()
    (triage / "card.yaml").write_text("id: triage-system\nname: Triage system\n")
    cli("systems", "add", str(triage / "card.yaml"))
    log = write_log(make_log(task="multiclass_classification"), triage / "log.parquet")
    spec = write_spec(triage, log, "multiclass_classification", "thresholds:\n  class_recall: {min: 0.5}\n")
    spec.write_text(spec.read_text().replace("system: test-system", "system: triage-system"))
    cli("monitor", "run", str(spec))
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


def test_a_multiclass_monitor_shows_its_classes_and_confusion_matrix(browser: Any, server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ana@acme.example")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.goto(f"{server}/systems/triage-system/monitoring")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-monitor-chart]').length > 0")
    matrix = page.locator("table[data-table=confusion-matrix]")
    assert matrix.is_visible()
    header = matrix.locator("thead th").all_inner_texts()
    # classes in scikit-learn's order (sorted as text), as the oracle tests compare them
    assert header[1:] == ["approve", "escalate", "reject", "review"]
    rows = matrix.locator("tbody tr").all()
    assert len(rows) == 4 and rows[0].locator("td.diagonal").count() == 1
    counts = [int(x) for r in rows for x in r.locator("td").all_inner_texts()]
    classes = page.locator("table[data-table=classes] tbody tr").all()
    supports = [int(r.locator("td").nth(1).inner_text()) for r in classes]
    assert sum(counts) == sum(supports) > 0   # every labeled, predicted row is in one cell
    assert page.locator("text=macro F1").first.is_visible()
    page.goto(f"{server}/lang/ko?next=/systems/triage-system/monitoring")
    assert page.locator("h3", has_text="혼동 행렬").is_visible()
    assert page.locator("text=클래스별 재현율").first.is_visible()
    page.screenshot(path=str(Path(os.environ.get("HAECHI_SHOTS", "/tmp")) / "multiclass-monitoring.png"),
                    full_page=True)
    assert errors == []
    page.close()
