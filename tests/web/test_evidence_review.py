"""The evidence review form in Chromium, in Korean: the submitter sees their item waiting
without a form; another person accepts it with a note, and the queue empties. Korean
pages show no English words (ids and codes aside)."""

from __future__ import annotations

import pytest

from tests.walk.language import english_in

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_second_person_accepts_pending_evidence_in_korean(browser, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    officer = browser.new_context()
    page = officer.new_page()
    sign_in(page, demo_server, "ko", email="compliance@hanbit.example")
    page.goto(f"{demo_server}/compliance")
    queue = page.locator("#review-queue")
    assert "검토 대기 증거" in queue.inner_text()
    assert queue.locator("form.review-form").count() == 0  # never a form on one's own submission
    assert "본인이 제출한 증거입니다" in queue.inner_text()
    text = queue.inner_text()
    assert english_in(text) == [], english_in(text)
    officer.close()

    admin = browser.new_context()
    page = admin.new_page()
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/compliance")
    form = page.locator("#review-queue form.review-form").first
    assert english_in(page.locator("#review-queue").inner_text()) == []
    ref = form.get_attribute("action").split("/")[-2]  # type: ignore[union-attr]
    form.locator("button[value=accept]").click()  # no note: the browser refuses to send the form
    assert page.url.endswith("/compliance")
    assert form.locator("textarea:invalid").count() == 1
    form.locator("textarea").fill("채용 페이지의 고지 문구와 게시 일자를 확인했습니다.")
    form.locator("button[value=accept]").click()
    page.wait_for_load_state()
    assert "검토를 기다리는 증거가 없습니다" in page.locator("#review-queue").inner_text()
    shown = page.request.get(f"{demo_server}/api/v1/evidence/{ref}").json()
    assert shown["review"]["status"] == "accepted" and shown["review"]["by"] == "admin@hanbit.example"
    assert shown["review"]["note"] == "채용 페이지의 고지 문구와 게시 일자를 확인했습니다."
    admin.close()
