"""The demo company served by a real server (uvicorn in a thread) for page-level tests.

``MAIN_PAGES`` is one page of every kind a person meets: lists, a system and each of its
tabs, detail pages, the public pages and an error page.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from haechi import Haechi
from haechi.demo.build import DEMO_PASSWORD, build_demo
from haechi.settings import Settings

SIGNED_IN_PAGES = (
    "/", "/systems", "/systems/new", "/systems/hiring-screener", "/systems/hiring-screener/edit",
    "/systems/hiring-screener/history", "/systems/hiring-screener/verdict", "/systems/hiring-screener/compliance",
    "/systems/hiring-screener/monitoring", "/systems/compressed-air-optimizer/esg",
    "/systems/support-chatbot/transparency", "/systems/hiring-screener/documents",
    "/systems/hiring-screener/plans/eu_fria", "/compliance", "/compliance/audit", "/compliance/controls/C-1",
    "/compliance/incidents", "/compliance/incidents/INC-1", "/compliance/risks", "/crosswalk", "/esg",
    "/esg/sites/changwon", "/monitoring",
    "/monitoring/problems/1", "/systems/hiring-screener/monitoring/setup", "/packs", "/law-changes",
    "/packs/eu-ai-act@2", "/packs/eu-ai-act/diff", "/reports",
    "/settings", "/systems/no-such-system",
)
PUBLIC_PAGES = ("/login", "/public/hanbit/ai", "/p/hanbit/support-chatbot", "/docs")
MAIN_PAGES = SIGNED_IN_PAGES + PUBLIC_PAGES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo company behind a real HTTP server; yields its base URL."""
    import uvicorn

    from haechi.api import create_app

    hc = Haechi(Settings(home=tmp_path_factory.mktemp("web-demo")))
    build_demo(hc)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(hc=hc), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    hc.close()


def sign_in(page: Any, base: str, lang: str = "en", email: str = "admin@hanbit.example") -> None:
    """Log ``page``'s context in as a demo user and choose the dashboard language."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/lang/{lang}?next=/")
