"""Every ``<dl>`` on every main page pairs each label with its own value, in the DOM and on screen.

A ``<dt>`` without its ``<dd>`` shifts every later label beside the wrong value; a grid
that flows dt and dd as independent cells does the same visually. Checked in Chromium on
every main page, in both languages and at desktop and phone widths.
"""

from __future__ import annotations

import pytest

from .conftest import MAIN_PAGES, sign_in

pytestmark = pytest.mark.browser

# For each <dt>: the next element sibling must be a <dd> with visible text, and on screen the
# dd sits on the dt's row to its right, or starts just below it in the same column.
PAIRS = """() => {
  const out = [];
  document.querySelectorAll('dt').forEach((dt, index) => {
    const label = `dt #${index} "${dt.textContent.trim().slice(0, 40)}"`;
    const dd = dt.nextElementSibling;
    if (!dd || dd.tagName !== 'DD') { out.push(`${label}: followed by ${dd ? dd.tagName : 'nothing'}`); return; }
    if (!dd.textContent.trim() && !dd.querySelector('img, svg, canvas')) out.push(`${label}: empty value`);
    const a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
    if (!a.width || !b.width) return;  // not displayed (e.g. a closed <details>)
    const sameRow = Math.abs(a.top - b.top) < 4 && b.left >= a.right - 1;
    const below = Math.abs(a.left - b.left) < 4 && b.top >= a.bottom - 1 && b.top - a.bottom < 24;
    const at = (r) => `${Math.round(r.left)},${Math.round(r.top)}`;
    if (!sameRow && !below) out.push(`${label}: its value is drawn elsewhere (dt ${at(a)} dd ${at(b)})`);
  });
  return out;
}"""


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ko", 1280), ("en", 390)])
def test_every_label_sits_beside_its_own_value(browser, demo_server: str, lang: str, width: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, lang)
    problems, lists = [], 0
    for path in MAIN_PAGES:
        page.goto(demo_server + path)
        lists += page.locator("dl").count()
        problems += [f"{path}: {p}" for p in page.evaluate(PAIRS)]
    context.close()
    assert lists >= 8  # the check really met fact lists
    assert not problems, "\n".join(problems)
