"""The Monitoring tab of a generative system in Chromium, in Korean: the catalogue's charts
are drawn with Korean titles, the latest window's tables read in Korean, and the page has
no English beyond ids, codes and allowed names (the walk's rule, ``english_in``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generative_logs import make_generative_log, write_generative
from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS

pytestmark = pytest.mark.browser
CHATBOT_CARD = Path(__file__).resolve().parents[2] / "src/haechi/demo/cards/support-chatbot.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``haechi serve`` on a workspace whose support chatbot has a generative monitor with alerts."""
    from tests.foundation.test_browser import serving

    home = tmp_path_factory.mktemp("generative-browser")
    env = {**os.environ, "HAECHI_HOME": str(home / "home"), "HAECHI_SCHEDULE_MONITORS": "false"}
    env.pop("HAECHI_DATABASE_URL", None)

    def cli(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run([sys.executable, "-m", "haechi.cli.entry", *args], env=env, check=True, capture_output=True,
                       input=stdin)

    cli("init", "--org", "hanbit", "--name", "Hanbit Precision")
    cli("users", "create", "ana@hanbit.example", "--org", "hanbit", "--role", "editor", "--password-stdin",
        stdin=b"password-123\n")
    cli("systems", "add", str(CHATBOT_CARD))
    chat = make_generative_log(n=2500, seed=9).drop(columns=["c2pa_verified", "realistic"])  # text: no media
    spec = write_generative(chat, home)
    thresholds = ("thresholds:\n  label_coverage: {min: 0.9}\n  refusal_rate_difference: {max: 0.05}\n"
                  "  latency_p95: {max: 3500}\n")
    spec.write_text(spec.read_text().replace("system: gen-system", "system: support-chatbot") + thresholds)
    cli("monitor", "run", str(spec))
    with serving(env) as url:
        yield url


def test_the_chatbot_monitoring_tab_in_korean(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ana@hanbit.example")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.goto(f"{server}/lang/ko?next=/systems/support-chatbot/monitoring")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-monitor-chart]').length > 0")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-monitor-chart]'))
        .map(c => c.id)""")
    assert {"gen-label_coverage", "gen-notice_coverage", "gen-pii_leak_rate", "gen-refusal_rate", "gen-latency",
            "fair-refusal_rate_difference"} <= set(drawn)
    assert "gen-c2pa_verified_share" not in drawn      # a text chatbot logs no C2PA results: no empty chart
    assert page.evaluate("() => Array.from(document.querySelectorAll('canvas[data-monitor-chart]'))"
                         ".every(c => !!Chart.getChart(c))")
    assert page.locator("figcaption", has_text="표시 적용률").first.is_visible()
    assert page.locator("th", has_text="응답 거부율").first.is_visible()
    assert page.locator("text=집단 간 응답 거부율 격차").first.is_visible()
    english = [w for text in page.evaluate(TEXT_JS) for w in english_in(text)]
    assert english == [], sorted(set(english))
    page.screenshot(path=str(Path(os.environ.get("HAECHI_SHOTS", "/tmp")) / "generative-monitoring-ko.png"),
                    full_page=True)
    assert errors == []
    page.close()
