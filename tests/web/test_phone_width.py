"""Every main page fits a 390 px-wide phone screen, in Korean and English.

Wide tables scroll inside their own box, long identifiers and hashes wrap, and the
navigation wraps instead of pushing the page sideways.
"""

from __future__ import annotations

import pytest

from .conftest import MAIN_PAGES, sign_in

pytestmark = pytest.mark.browser
WIDTH = 390

# The elements that reach past the right edge, to name the culprit in a failure.
WIDEST = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > limit + 1 && !el.closest('.table-scroll, .swagger-ui .opblock-body'))
  .slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                 + ' ' + Math.round(el.getBoundingClientRect().right))"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_main_page_fits_a_phone(browser, demo_server: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="ko-KR" if lang == "ko" else "en-US")
    page = context.new_page()
    sign_in(page, demo_server, lang)
    wide = []
    for path in MAIN_PAGES:
        page.goto(demo_server + path, wait_until="load")
        page.wait_for_timeout(100)  # charts and Swagger UI lay out after load
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > WIDTH:
            wide.append(f"{path}: {scroll_width} px wide; {page.evaluate(WIDEST, WIDTH)}")
    context.close()
    assert not wide, "\n".join(wide)
