"""Setting up a monitor and working through problems in a real browser, in Korean: a bad
threshold is refused beside its field with the spec's own check, the preview shows the first
windows, saving stores the spec; the monitoring page pages its grouped problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _english(page: Any) -> list[str]:
    return [w for text in page.evaluate(TEXT_JS) for w in english_in(text)]


def test_monitor_setup_form_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    sign_in(page, demo_server, "ko", "compliance@hanbit.example")
    page.goto(f"{demo_server}/systems/ppe-safety-camera/monitoring")  # no data, no monitor: a way forward
    page.click("a[href='/systems/ppe-safety-camera/monitoring/setup']")
    assert page.locator("#send-data pre").first.is_visible() and _english(page) == []
    twin = page.request.get(f"{demo_server}/systems/hiring-screener/monitoring/setup?format=json").json()
    first = dt.date.fromisoformat(twin["lake"]["first_day"])
    page.goto(f"{demo_server}/systems/hiring-screener/monitoring/setup?monitor=weekly")
    page.fill("#f-name", "weekly")
    page.fill("#f-ref_start", first.isoformat())
    page.fill("#f-ref_end", (first + dt.timedelta(days=28)).isoformat())
    page.fill("#f-window", "7d")
    # the thresholds follow the task chosen (rows of the catalogue's metrics for it)
    recall, mae = page.locator("input[name=t_recall_min]"), page.locator("input[name=t_mae_max]")
    assert recall.is_visible() and not mae.is_visible()
    page.select_option("#f-task", "regression")
    assert mae.is_visible() and not recall.is_visible() and recall.is_disabled()
    page.select_option("#f-task", "binary_classification")
    page.fill("input[name=t_recall_min]", "0.9")
    page.fill("input[name=t_recall_max]", "0.5")   # min above max: every value would breach
    page.click("button[value=preview]")
    error = page.locator("#err-thresholds-recall")
    assert "최솟값 0.9이(가) 최댓값 0.5보다 큽니다" in error.inner_text()
    assert page.locator("input[name=t_recall_min][aria-invalid=true]").count() == 1
    assert _english(page) == []
    page.fill("input[name=t_recall_max]", "")
    page.fill("input[name=t_psi_max]", "abc")
    page.click("button[value=preview]")
    assert "숫자가 아닙니다" in page.locator("#err-thresholds-psi").inner_text()
    page.fill("input[name=t_psi_max]", "0.25")
    page.click("button[value=preview]")
    rows = page.locator("table[data-preview] tbody tr")
    assert rows.count() == 3 and _english(page) == []
    page.click("button[value=save]")
    page.wait_for_url(f"{demo_server}/systems/hiring-screener/monitoring?monitor=weekly")
    saved = page.request.get(f"{demo_server}/systems/hiring-screener/monitoring?monitor=weekly&format=json").json()
    assert "weekly" in [m["name"] for m in saved["monitors"]]
    spec = page.request.get(f"{demo_server}/api/v1/systems/hiring-screener/monitors/weekly").json()["spec"]
    assert spec["thresholds"] == {"recall": {"min": 0.9}, "psi": {"max": 0.25}} and spec["window"] == "7d"


def test_monitoring_page_pages_grouped_problems_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/monitoring?status=")
    twin = page.request.get(f"{demo_server}/monitoring?status=&format=json").json()
    camera = page.request.get(f"{demo_server}/api/v1/problems?system=press-defect-vision").json()["items"]
    assert camera and all(p["occurrences"] >= 20 for p in camera)  # one problem per metric, not one a day
    recall = next(p for p in camera if p["metric"] == "recall")
    assert recall["incident"] and page.locator(f"a[href='/compliance/incidents/{recall['incident']}']").count()
    assert _english(page) == []
    assert twin["total"] > 10 and page.locator("table[data-problems] tbody tr").count() == 10  # paged
    page.click("nav.pager a[rel=next]")
    page.wait_for_function("() => location.search.includes('offset=10')")
    rest = page.locator("table[data-problems] tbody tr").count()
    assert rest == min(10, twin["total"] - 10) and _english(page) == []
    page.select_option("select[name=system]", "press-defect-vision")
    page.wait_for_function("() => document.querySelectorAll('table[data-problems] tbody tr').length === 5")
    page.goto(f"{demo_server}/monitoring/problems/{recall['id']}")
    assert page.locator("dd a[href^='/compliance/incidents/']").count() == 1 and _english(page) == []
    page.click("form[action$='/acknowledge'] button[type=submit]")  # no note: refused beside the field
    assert page.locator("#note-acknowledge-err").is_visible()
    page.fill("#note-acknowledge", "라인 2 조명 점검 중")
    page.click("form[action$='/acknowledge'] button[type=submit]")
    assert "라인 2 조명 점검 중" in page.locator("dl.facts").inner_text()
    page.goto(f"{demo_server}/")  # the home page's panel lists unresolved problems, most severe first
    panel = page.locator("section.panel", has_text="모니터링 문제")
    assert panel.locator("a[href^='/monitoring/problems/']").count() == 5 and _english(page) == []
    home = page.request.get(f"{demo_server}/?format=json").json()["panels"]["monitor"]
    active = page.request.get(f"{demo_server}/api/v1/problems?status=active&limit=1").json()["total"]
    assert home["active"] == active > 0
    assert home["latest"][0]["severity"] == "high"
