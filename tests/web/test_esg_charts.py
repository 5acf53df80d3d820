"""ESG line charts: series of one unit share one visible, titled y axis (read in Chromium).

A monthly chart plots OEE, scrap rate, energy per unit, downtime and TRIR. Each series on
its own hidden axis made a 2 % scrap rate draw as high as a 70 % OEE; now OEE and scrap
rate share the % axis and every other unit has its own labelled axis.
"""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

AXES = """() => Array.from(document.querySelectorAll('canvas[data-esg-chart]')).map(canvas => {
  const chart = Chart.getChart(canvas);
  if (!chart || chart.config.type !== 'line') return null;
  const spec = JSON.parse(document.getElementById(canvas.dataset.esgChart).textContent);
  const read = () => chart.data.datasets.map((ds, i) => {
    const scale = chart.scales[ds.yAxisID || 'y'];
    const values = ds.data.filter(v => v !== null);
    return {name: spec.series[i].name, axis: scale.id, shown: chart.isDatasetVisible(i),
            axisShown: scale.width > 0, title: scale.options.title.display ? scale.options.title.text : '',
            inRange: values.every(v => v >= scale.min && v <= scale.max),
            ticks: scale.ticks.map(t => scale.getLabelForValue ? String(t.label) : '')};
  });
  const before = read();
  chart.data.datasets.forEach((_, i) => chart.setDatasetVisibility(i, true));
  chart.update();
  return {before, after: read()};
}).filter(x => x)"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_kpis_of_one_unit_share_a_visible_titled_axis(browser, demo_server: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, lang)
    page.goto(f"{demo_server}/esg/sites/changwon")
    page.wait_for_function("() => typeof Chart !== 'undefined' && document.querySelector('canvas[data-esg-chart]')"
                           " && Chart.getChart(document.querySelector('canvas[data-esg-chart]'))")
    charts = page.evaluate(AXES)
    context.close()
    assert charts, "no line chart on the site page"
    for chart in charts:
        before = {s["name"]: s for s in chart["before"]}
        share = before["oee"]["axis"]
        assert before["scrap_rate"]["axis"] == share, before
        assert before["oee"]["shown"] and before["scrap_rate"]["shown"] and before["oee"]["axisShown"]
        assert "%" in before["oee"]["title"] and any(t.endswith("%") for t in before["oee"]["ticks"])
        assert {s["axis"] for s in chart["before"] if s["name"] not in ("oee", "scrap_rate")}.isdisjoint({share})
        for series in chart["after"]:  # with every series shown, every axis is drawn and titled
            assert series["axisShown"] and series["title"] and series["inRange"], series
