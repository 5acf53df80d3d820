"""``/docs`` works offline: Swagger UI comes from our static files, not a CDN."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_api_reference_renders_with_only_the_local_server_reachable(browser, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(demo_server + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{demo_server}/docs")
    # Swagger UI renders the operations near the viewport first; ten are plenty to prove it runs.
    page.wait_for_function("n => document.querySelectorAll('.opblock').length >= n", arg=10, timeout=30000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/systems" in path for path in operations)
    assert page.locator(".info .title").inner_text().startswith("Haechi API")
    assert not outside, outside
    assert not errors, errors
    context.close()
