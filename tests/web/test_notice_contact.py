"""Contact details in the notice preview and on public pages: name, e-mail and phone kept apart.

The on-screen preview must read exactly like the text notice's contact line (", " in
English, " · " in Korean), in Chromium, in both languages.
"""

from __future__ import annotations

import re

import pytest

from haechi.transparency.notice_render import CONTACT_LABEL
from haechi.transparency.notice_text import CONTACT_SEPARATOR

from .conftest import sign_in

pytestmark = pytest.mark.browser
SYSTEM = "support-chatbot"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_preview_separates_name_email_and_phone(browser, demo_server: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, demo_server, lang)
    text = page.request.get(f"{demo_server}/api/v1/transparency/systems/{SYSTEM}/notice"
                            f"?channel=screen&format=text&lang={lang}").text()
    expected = next(line for line in text.splitlines() if line.startswith(CONTACT_LABEL[lang].rstrip(":")))
    page.goto(f"{demo_server}/systems/{SYSTEM}/transparency")
    shown = page.inner_text(".preview .haechi-notice__contact").strip()
    sep = CONTACT_SEPARATOR[lang]
    assert shown == expected, (shown, expected)
    name, email, phone = shown.split(": ", 1)[1].split(sep)
    assert "@" not in name and re.fullmatch(r"[^@\s]+@[^@\s]+", email) and re.fullmatch(r"\+?[\d ()-]+", phone)
    assert page.get_attribute(".preview .haechi-notice__contact a[href^='mailto:']", "href") == f"mailto:{email}"

    page.goto(f"{demo_server}/public/hanbit/ai")
    overseers = page.locator("article p:has(a[href^='mailto:'])").all_inner_texts()
    assert overseers
    for line in overseers:
        assert re.search(r"\S" + re.escape(sep) + r"[^@\s]+@", line), line  # a separator before each e-mail
    context.close()
