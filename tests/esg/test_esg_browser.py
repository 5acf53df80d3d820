"""The ESG pages in Debian's Chromium: charts draw from the embedded JSON, no script errors."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from esg_data import build_esg_demo

from haechi import Haechi
from haechi.demo.build import DEMO_PASSWORD
from haechi.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PERIOD = "from=2025-12-01&to=2026-11-25"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.foundation.test_browser import serving

    home = tmp_path_factory.mktemp("esg-browser")
    hc = Haechi(Settings(home=home))
    build_esg_demo(hc, dt.date(2026, 11, 26))
    hc.close()
    env = {**os.environ, "HAECHI_HOME": str(home)}
    env.pop("HAECHI_DATABASE_URL", None)
    with serving(env) as url:
        yield url


def test_charts_draw_on_every_esg_page(browser, demo_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{demo_server}/login?next=/esg")
    page.fill("input[name=email]", "viewer@hanbit.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    for path in ("/esg", "/esg/sites/changwon", "/systems/compressed-air-optimizer/esg"):
        page.goto(f"{demo_server}{path}?{PERIOD}")
        page.wait_for_function("() => document.querySelectorAll('canvas').length > 0 && typeof Chart !== 'undefined'")
        drawn = page.evaluate("""Array.from(document.querySelectorAll('canvas')).map(c => {
            const chart = Chart.getChart(c); return chart ? chart.data.datasets.length : 0; })""")
        assert drawn and all(count > 0 for count in drawn), (path, drawn)
    page.screenshot(path=str(tmp_path / "esg.png"), full_page=True)
    assert not errors, errors
    page.close()
