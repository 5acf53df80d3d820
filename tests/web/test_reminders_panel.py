"""The home page's "this week" panel in Chromium, in Korean and English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_home_panel_lists_what_is_due_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/")
    panel = page.locator("#reminders-panel")
    assert panel.locator("h2").inner_text() == "이번 주 마감"
    data = page.request.get(f"{demo_server}/?format=json").json()["panels"]["reminders"]
    assert data["timezone"] == "Asia/Seoul"
    rows = data["week"] + data["later"]
    assert rows, "the demo has controls, clocks and evidence with due dates"
    first = rows[0]
    row = panel.locator("tbody tr", has_text=first["ref"]).first
    year, month, day = (int(part) for part in first["due_day"].split("-"))
    shown = f"{year}년 {month}월 {day}일"  # the due day the Korean way
    assert shown in row.inner_text() and first["kind_label_ko"] in row.inner_text()
    if first["system"]:
        assert row.locator(f"a[href='/systems/{first['system']}']").count() == 1
    incident = next((r for r in rows if r["kind"] == "incident_clock" and "AI Act" in r["citation"]), None)
    if incident is not None:  # the demo's EU Art. 73 clock: the product's Korean title, the statute's citation
        assert "규제기관 보고" in panel.inner_text() and incident["citation"] == "EU AI Act Art. 73"
    english = [w for text in page.evaluate(TEXT_JS, )  # the whole page, panel included
               for w in english_in(text)]
    assert english == []
    page.goto(f"{demo_server}/lang/en?next=/")
    assert page.locator("#reminders-panel h2").inner_text() == "Due this week"
    page.close()


def test_notifications_page_saves_my_choice_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    sign_in(page, demo_server, "ko", email="compliance@hanbit.example")
    page.goto(f"{demo_server}/")
    page.click("#reminders-panel a[href='/notifications']")
    assert page.locator("h1").inner_text() == "알림"
    page.select_option("select[name=lang]", "en")
    page.click("#my-preferences button[type=submit]")
    assert page.locator(".alert-ok").inner_text() == "저장했습니다."
    english = [w for text in page.evaluate(TEXT_JS) for w in english_in(text)]
    assert english == []
    mine = page.request.get(f"{demo_server}/api/v1/reminders/preferences").json()
    assert mine["lang"] == "en" and mine["saved"] is True and mine["email"] == "compliance@hanbit.example"
    page.close()
