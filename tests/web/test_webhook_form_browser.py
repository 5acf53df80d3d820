"""The notifications page's webhook form in Chromium, in Korean: add, re-key and remove an
endpoint; the secret is shown once; no English prose on the page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_adds_rekeys_and_removes_a_webhook_in_korean(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the removal asks first
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/notifications")
    page.fill("#webhook-name", "준법 채널")
    page.fill("#webhook-url", "https://example.com/haechi-hook")
    page.select_option("#webhook-format", "dooray")
    page.click("#add-webhook button[type=submit]")
    assert page.locator("#webhooks .alert-ok").first.inner_text() == "웹훅을 추가했습니다."
    first = page.locator("#webhook-secret").inner_text()
    assert first.startswith("whsec_")
    row = page.locator("#webhooks tbody tr", has_text="준법 채널")
    assert "두레이" in row.inner_text()
    assert [w for text in page.evaluate(TEXT_JS) for w in english_in(text)] == []

    row.locator("button", has_text="비밀값 재발급").click()
    second = page.locator("#webhook-secret").inner_text()
    assert second.startswith("whsec_") and second != first
    page.locator("#webhooks tbody tr", has_text="준법 채널").locator("button", has_text="삭제").click()
    assert "웹훅을 삭제했습니다" in page.locator("#webhooks").inner_text()
    assert page.locator("#webhooks tbody tr", has_text="준법 채널").count() == 0
    assert page.locator("#webhook-secret").count() == 0
    page.close()
