"""A browser crawl of the dashboard: every page reachable from the home page, in one language.

For each page: the HTTP status, the server time (Navigation Timing: request start to
response start), axe-core violations (the shipped ``vendor/axe.min.js``), catalog keys
shown untranslated, horizontal overflow at the current viewport, and optionally a
full-page screenshot. Used by ``test_journeys.py`` and by ``scripts/screenshots.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

AXE = Path(__file__).parents[2] / "src/haechi/web/static/vendor/axe.min.js"
SKIP = re.compile(r"^/(api|static|lang|logout|docs|redoc|openapi\.json|healthz)|format=|/qr\.svg$|\.(json|svg|pdf)$")
FILE_SUFFIXES = {"md", "py", "json", "yaml", "yml", "csv", "html", "pdf", "xlsx", "svg", "png", "zip"}
#: One page per pattern is enough (e.g. every system's history looks alike); the first two are visited.
PATTERN = re.compile(r"/[^/]*\d[^/]*|(?<=/systems/)[a-z0-9-]+")


@dataclass
class PageCheck:
    url: str
    status: int
    server_ms: float
    violations: list[dict[str, Any]] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    overflow: bool = False
    screenshot: str | None = None


def _key(path: str) -> str:
    return PATTERN.sub("/*", path)


def login(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login).*"))


def _links(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parsed = urlparse(url)
        if url.startswith(base) and not SKIP.search(parsed.path + ("?" + parsed.query if parsed.query else "")):
            out.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return out


def check_page(page: Any, base: str, path: str, keys: set[str], shots: Path | None, name: str) -> PageCheck:
    response = page.goto(base + path, wait_until="load")
    timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                           " return n ? n.responseStart - n.requestStart : -1; }")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                  for v in result["violations"]]
    text = page.inner_text("body")
    # A missing key is shown as the key itself ("area.some_key"): catch known and unknown ones.
    prefixes = "|".join(sorted({k.split(".")[0] for k in keys}))
    raw = set(re.findall(rf"\b(?:{prefixes})\.[a-z_]+(?:\.[a-z0-9_]+)*\b", text)) if prefixes else set()
    raw = {r for r in raw if r.rsplit(".", 1)[-1] not in FILE_SUFFIXES}  # "esg.md" is a file name, not a key
    untranslated = sorted({k for k in keys if k in text} | raw)
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    shot = None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        shot = str(shots / f"{name}.png")
        page.screenshot(path=shot, full_page=True)
    return PageCheck(path, response.status if response else 0, float(timing), violations, untranslated, overflow,
                     shot)


def crawl(page: Any, base: str, keys: set[str], *, start: str = "/", limit: int = 120, per_pattern: int = 2,
          shots: Path | None = None, prefix: str = "") -> list[PageCheck]:
    """Breadth-first over internal links; each URL pattern at most ``per_pattern`` times."""
    queue, seen, counts, out = [start], {start}, {}, []
    while queue and len(out) < limit:
        path = queue.pop(0)
        pattern = _key(path.split("?")[0])
        if counts.get(pattern, 0) >= per_pattern:
            continue
        counts[pattern] = counts.get(pattern, 0) + 1
        name = prefix + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home")
        out.append(check_page(page, base, path, keys, shots, name))
        for link in _links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return out
