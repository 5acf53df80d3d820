"""The company facts in Chromium: entered once on the settings page, shown on every system
with where each value comes from, in Korean without English prose."""

from __future__ import annotations

from typing import Any

import pytest

from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_company_facts_page_and_a_system_show_the_facts_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/settings")
    facts = page.locator("#org-facts")
    assert facts.locator("h2").inner_text() == "회사 정보 (사업자 정보)"
    assert page.input_value("#f-operator-name") == "한빛정밀 주식회사"
    assert page.input_value("#f-operator-country") == "KR"
    assert page.locator("#f-operator-korean-office").input_value() == "yes"
    assert "변경 이력" in facts.inner_text()
    assert [w for text in page.evaluate(TEXT_JS) for w in english_in(text)] == []

    page.goto(f"{demo_server}/systems/hiring-screener")
    badges = page.locator(".badge", has_text="회사 정보에서 가져옴")
    assert badges.count() == 8  # every operator fact comes from the company
    assert page.locator(".badge", has_text="이 시스템에서 지정").count() == 0
    page.click("a[href='/settings#org-facts']")
    page.wait_for_url(f"{demo_server}/settings#org-facts")
    page.goto(f"{demo_server}/systems/hiring-screener/verdict")
    assert page.locator("#operator .badge", has_text="회사 정보에서 가져옴").count() == 8
    assert [w for text in page.evaluate(TEXT_JS) for w in english_in(text)] == []
    page.close()
