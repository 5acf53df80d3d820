"""A real browser (Debian Chromium via Playwright) against a real server process."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:  # type: ignore[type-arg]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(url)


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """``haechi serve`` in its own process with ``env``; yields its URL, stops it after."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "haechi.cli.entry", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``haechi serve`` in its own process on a fresh workspace with one editor."""
    home = tmp_path_factory.mktemp("browser-home")
    env = {**os.environ, "HAECHI_HOME": str(home)}
    env.pop("HAECHI_DATABASE_URL", None)
    haechi = [sys.executable, "-m", "haechi.cli.entry"]
    subprocess.run([*haechi, "init", "--org", "acme", "--name", "Acme"], env=env, check=True, capture_output=True)
    subprocess.run([*haechi, "users", "create", "ana@acme.example", "--org", "acme", "--role", "editor",
                    "--password-stdin"], env=env, check=True, capture_output=True, input=b"password-123\n")
    with serving(env) as url:
        yield url


def test_login_create_list_and_switch_to_korean(browser, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-US")
    page.goto(server + "/systems")
    assert "/login" in page.url
    page.fill("#email", "ana@acme.example")
    page.fill("#password", "password-123")
    page.click("button[type=submit]")
    page.wait_for_url(server + "/systems")
    page.click("text=Register a system")
    page.fill("#f-id", "support-chatbot")
    page.fill("#f-name", "Customer-support chatbot")
    page.fill("#f-name-ko", "고객지원 챗봇")
    page.check("input[name='roles'][value='deployer']")
    page.check("input[name='generative.modalities'][value='text']")
    page.select_option("#f-interacts-with-people", "yes")
    page.fill("#f-markets", "KR, EU")
    page.click("button:has-text('Register')")
    page.wait_for_url(server + "/systems/support-chatbot?created=1")
    assert page.locator("text=System registered.").is_visible()
    page.goto(server + "/systems")
    assert page.locator("a", has_text="Customer-support chatbot").is_visible()
    page.fill("#q", "nothing-matches-this")
    page.wait_for_selector("text=No systems match")
    page.click("a[lang='ko']")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    page.goto(server + "/systems")
    assert page.locator("h1", has_text="AI 시스템").is_visible()
    assert page.locator("a", has_text="고객지원 챗봇").is_visible()
    # times read in the workspace's zone (Asia/Seoul by default), the Korean way, to the minute
    listed = page.evaluate("fetch('/systems?format=json').then(r => r.json())")
    updated = next(s for s in listed["items"] if s["id"] == "support-chatbot")["updated_at"]
    seoul = dt.datetime.fromisoformat(updated).astimezone(ZoneInfo("Asia/Seoul"))
    shown = f"{seoul.year}년 {seoul.month}월 {seoul.day}일 {seoul:%H:%M} (KST)"
    assert shown in page.locator("tr", has_text="고객지원 챗봇").inner_text()
    assert "UTC" not in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "systems-ko.png"), full_page=True)
    page.close()
