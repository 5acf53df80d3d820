"""Screenshots of the dashboard for the user guide (docs/img/*.png), in Korean and English.

    python scripts/screenshots.py http://127.0.0.1:8000

Run it against a server of the demo (``haechi demo``). Uses Debian's Chromium through
Playwright (never a downloaded browser).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
PAGES = [("home", "/"), ("systems", "/systems"), ("system", "/systems/hiring-screener"),
         ("documents", "/systems/hiring-screener/documents"), ("reports", "/reports"),
         ("passport", "/p/hanbit/hiring-screener")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=email]", "admin@hanbit.example")
        page.fill("input[name=password]", "hanbit-demo-2026")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for lang in ("ko", "en"):
            page.goto(f"{base}/lang/{lang}?next=/")
            for name, path in PAGES:
                page.goto(base + path, wait_until="load")
                page.screenshot(path=str(OUT / f"{name}-{lang}.png"))
                print(f"docs/img/{name}-{lang}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
