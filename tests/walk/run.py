"""The two walks a backend module runs: every page in one language, every dossier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from haechi.demo.build import DEMO_PASSWORD
from haechi.reports.dossier import VARIANTS
from haechi.web.nav import nav_items
from haechi.web.tabs import system_tabs

from .dossiers import check_dossier, dossier_choices, expected_links, tools
from .language import SYSTEM_IDS
from .walker import WIDTH, Report, Walker, sign_in
from .workspace import Workspace

ADMIN = "admin@hanbit.example"


def _signed_in(browser: Any, ws: Workspace, lang: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844},
                                  locale="ko-KR" if lang == "ko" else "en-US")
    page = context.new_page()
    page.goto(f"{ws.base}/lang/{lang}?next=/login")  # the language link a visitor clicks first
    return context, page


def _finish(report: Report, ws: Workspace) -> str:
    text = report.text()
    errors = ws.server_errors()
    if errors:
        text += "\n  server exceptions (from the server log):\n" + "\n".join(f"      {e}" for e in errors)
    return text


def required_pages() -> set[str]:
    """Every navigation entry and every tab of every demo system."""
    tabs = {f"/systems/{s}{tab.suffix}" for s in SYSTEM_IDS for tab in system_tabs()}
    return {item.href for item in nav_items()} | tabs


def walk_pages(browser: Any, ws: Workspace, lang: str) -> tuple[Report, str]:
    """Sign in as the demo admin and walk every page reachable from the navigation."""
    report = Report(f"walk of the demo on {ws.backend} in {lang}")
    context, page = _signed_in(browser, ws, lang)
    walker = Walker(page, ws.base, lang, report)
    walker.visit("/login")
    sign_in(page, ws.base, ADMIN, DEMO_PASSWORD)
    walker.crawl("/")
    visited = set(report.pages)
    for path in sorted(required_pages() - visited):
        report.add(path, lang, "not reached", "no link leads here from the navigation")
    context.close()
    return report, _finish(report, ws)


def walk_dossiers(browser: Any, ws: Workspace, folder: Path, pdf_variants: set[str]) -> tuple[Report, str]:
    """Generate every dossier of every demo system from its documents tab."""
    tools()
    report = Report(f"dossiers of the demo on {ws.backend}")
    context, page = _signed_in(browser, ws, "en")
    sign_in(page, ws.base, ADMIN, DEMO_PASSWORD)
    expected = set().union(*(expected_links(s, set(VARIANTS), pdf_variants) for s in SYSTEM_IDS))
    found = {c.key: c for system in sorted(SYSTEM_IDS) for c in dossier_choices(page, ws.base, system)}
    for key in sorted(expected - set(found)):
        report.add(f"/systems/{key[0]}/documents", key[3], "dossier",
                   f"no way to generate the {key[1]} {key[2]} dossier")
    for key in sorted(expected & set(found)):
        check_dossier(context.request, ws.base, found[key], folder, report)
    context.close()
    return report, _finish(report, ws)
