"""Security headers on every response, and a dashboard that runs under its own CSP.

The policy allows no inline script, so the Chromium checks load every main page and
fail on any Content-Security-Policy report in the console; the templates are also
scanned for inline scripts, inline event handlers and ``javascript:`` links.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app

from .conftest import MAIN_PAGES, PUBLIC_PAGES, SIGNED_IN_PAGES, sign_in

TEMPLATE_DIRS = [Path(__file__).parents[2] / "src/haechi" / sub for sub in
                 ("web/templates", "reports/templates", "transparency/templates", "esg/templates")]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _assert_secure(headers: dict[str, str] | object, where: str) -> None:
    csp = headers.get("content-security-policy", "")  # type: ignore[attr-defined]
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("script-src") == "script-src 'self'", (where, csp)
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", (where, csp)
    assert "unsafe-eval" not in csp, where
    assert headers.get("x-frame-options") == "DENY", where  # type: ignore[attr-defined]
    assert headers.get("x-content-type-options") == "nosniff", where  # type: ignore[attr-defined]
    assert headers.get("referrer-policy") == "same-origin", where  # type: ignore[attr-defined]
    assert "camera=()" in headers.get("permissions-policy", ""), where  # type: ignore[attr-defined]


def test_every_kind_of_response_carries_the_headers() -> None:
    hc = Haechi(memory=True)
    hc.accounts.create_org("acme", "Acme", "에이크미")
    app = create_app(hc=hc)

    def broken() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/broken", broken)  # answered by Starlette's outermost error middleware
    client = TestClient(app, raise_server_exceptions=False)
    html = {"accept": "text/html"}
    for method, path, headers in [("GET", "/login", html), ("GET", "/docs", html), ("GET", "/openapi.json", {}),
                                  ("GET", "/healthz", {}), ("GET", "/static/app.css", {}),
                                  ("GET", "/static/vendor/swagger-ui/swagger-ui-bundle.js", {}),
                                  ("GET", "/api/v1/systems", {}), ("GET", "/systems", html),
                                  ("GET", "/no-such-page", html), ("GET", "/public/acme/ai", html),
                                  ("POST", "/login", html), ("GET", "/login?format=json", {}),
                                  ("GET", "/broken", {}), ("GET", "/broken", html)]:
        response = client.request(method, path, headers=headers, follow_redirects=False)
        _assert_secure(response.headers, f"{method} {path} -> {response.status_code}")
        assert path != "/broken" or response.status_code == 500
    hc.close()


def test_templates_hold_no_inline_script() -> None:
    found = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            name = template.relative_to(folder.parents[1])
            found += [f"{name}: inline handler {m.group(0)!r}" for m in INLINE_HANDLER.finditer(text)]
            found += [f"{name}: javascript: URL" for _ in re.finditer(r"javascript:", text, re.IGNORECASE)]
            for tag in SCRIPT_TAG.finditer(text):
                attributes = tag.group(1)
                if "src=" not in attributes and 'type="application/json"' not in attributes:
                    found.append(f"{name}: inline <script{attributes}>")
    assert not found, "\n".join(found)


def _violations(page, base: str, paths: tuple[str, ...]) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text
            else None)
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    for path in paths:
        response = page.goto(base + path, wait_until="load")
        assert response is not None
        _assert_secure(response.headers, path)
        page.wait_for_timeout(150)  # late reports (scripts run after load, e.g. charts)
    return seen


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_main_page_runs_under_the_policy(browser, demo_server: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, lang)
    problems = _violations(page, demo_server, MAIN_PAGES)
    context.close()
    anonymous = browser.new_context()
    problems += _violations(anonymous.new_page(), demo_server, PUBLIC_PAGES)
    anonymous.close()
    assert len(MAIN_PAGES) == len(SIGNED_IN_PAGES) + len(PUBLIC_PAGES)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_remove_asks_for_confirmation_under_the_policy(browser, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, demo_server)
    page.goto(f"{demo_server}/systems/marketing-image-gen")
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("button.danger")
    page.wait_for_timeout(300)
    assert asked, "the remove button did not ask before deleting"
    assert page.url.endswith("/systems/marketing-image-gen")
    assert page.goto(f"{demo_server}/systems/marketing-image-gen").status == 200  # still there
    context.close()


@pytest.mark.browser
def test_another_site_cannot_frame_the_dashboard(browser, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_content(f'<iframe id="f" src="{demo_server}/login" width="600" height="400"></iframe>')
    page.wait_for_timeout(1000)
    framed = [f for f in page.frames if f != page.main_frame]
    shown = [f for f in framed if f.url.startswith(demo_server) and f.query_selector("input[name=email]")]
    assert not shown, "the login form rendered inside another page's frame"
    page.close()
