"""The law-changes page and the verdict tab's law timeline in Chromium, in Korean, with JSON twins.

The demo records the change of law between 2026-07-26 and its date (the EU pack's
Omnibus version, EU duties coming into force) for Hanbit's systems.
"""

from __future__ import annotations

import re

import pytest

from tests.walk.language import english_in

from .conftest import sign_in

pytestmark = pytest.mark.browser

KOREAN_DATE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")

# the visible text of <main>, without code and text marked as English
MAIN_TEXT = """() => {
  const skip = 'code, kbd, [lang=en], script, style';
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def test_law_changes_page_and_timeline_read_in_korean(browser, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, "ko")
    page.goto(f"{demo_server}/law-changes")
    assert page.locator("nav a[href='/law-changes']").first.inner_text().strip() == "법령 변경"
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    text = page.evaluate(MAIN_TEXT)
    assert "법령 변경" in text and "적용 시점" in text
    assert english_in(text) == [], english_in(text)
    twin = page.request.get(f"{demo_server}/law-changes?format=json").json()
    assert twin["total"] >= 1 and twin["items"], twin
    screener = [i for i in twin["items"] if i["system"] == "hiring-screener" and i["pack"] == "eu-ai-act"]
    assert screener and screener[0]["effective"] > "2026-07-26", screener
    assert page.locator(f"#change-{screener[0]['id']}").count() == 1
    # a person reads 2026년 7월 27일; the page's <time datetime> and the JSON twin keep ISO
    when = page.locator(f"#change-{screener[0]['id']} time").first
    assert when.get_attribute("datetime") == screener[0]["effective"]
    assert KOREAN_DATE.fullmatch(when.inner_text().strip()), when.inner_text()
    assert not ISO_DATE.search(page.evaluate(MAIN_TEXT)), "an ISO date a person reads on a Korean page"

    page.goto(f"{demo_server}/")
    panel = page.locator("section.panel", has=page.locator("h2", has_text="법령 변경"))
    assert panel.count() == 1 and panel.locator("li").count() >= 1
    panel_text = panel.inner_text()  # system slugs and pack ids are allowed as they are
    assert english_in(panel_text) == [], english_in(panel_text)

    page.goto(f"{demo_server}/systems/hiring-screener/verdict")
    section = page.locator("#timeline")
    assert section.locator("h2").inner_text() == "법령 일정"
    assert section.locator("tbody tr").count() >= 3
    first = section.locator("tbody tr time").first
    assert KOREAN_DATE.fullmatch(first.inner_text().strip())
    assert ISO_DATE.fullmatch(first.get_attribute("datetime") or "")
    tab = page.evaluate(MAIN_TEXT)
    assert english_in(tab) == [], english_in(tab)
    data = page.request.get(f"{demo_server}/systems/hiring-screener/verdict?format=json").json()
    events = data["timeline"]["events"]
    assert {e["pack"] for e in events} >= {"kr-ai-basic-act", "eu-ai-act"}
    assert any(e["past"] for e in events)
    assert all(e["past"] == (e["date"] <= data["timeline"]["today"]) for e in events)
    context.close()
