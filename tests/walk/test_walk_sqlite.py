"""Walk the demo company on SQLite as its users do (see tests/walk/walker.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .run import walk_dossiers, walk_pages
from .workspace import HAECHI, Workspace

BACKEND = "sqlite"
pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_in_both_languages(browser, workspace: Workspace, lang: str) -> None:  # type: ignore[no-untyped-def]
    report, text = walk_pages(browser, workspace, lang)
    if report:
        pytest.fail(text, pytrace=False)


def test_every_dossier_of_every_system(browser, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, text = walk_dossiers(browser, workspace, tmp_path, pdf_variants={"full", "model-card"})
    if report:
        pytest.fail(text, pytrace=False)


def test_eu_verdict_of_the_demo_follows_the_omnibus(workspace: Workspace) -> None:
    """A compliance officer opening the demo asks for hiring-screener's EU duties.

    The AI Act applies as amended by Regulation (EU) 2026/1744 (in force 2026-07-27): the
    screener's Annex III duties start on 2027-12-02, so on 2026-12-06 (and any day until
    then) every one of them is ``not_in_force`` — none "applies since 2026-08-02".
    """
    env = {**os.environ, "HAECHI_HOME": str(workspace.home)}
    env.pop("HAECHI_DATABASE_URL", None)

    def eu_verdict(*extra: str) -> dict[str, Any]:
        done = subprocess.run([*HAECHI, "classify", "hiring-screener", "--pack", "eu-ai-act",
                               "--format", "json", *extra], env=env, capture_output=True, text=True,
                              check=False, timeout=120)
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout)["results"][0])

    for extra in ((), ("--at", "2026-12-06"), ("--at", "2027-12-01")):
        eu = eu_verdict(*extra)
        if not extra and dt.date.today() >= dt.date(2027, 12, 2):
            continue  # the demo opened after the Annex III date is checked below
        assert eu["pack_version"] == 2 and eu["classes"]["risk_tier"] == "high", extra
        literacy = [o for o in eu["obligations"] if o["id"] == "eu.4.ai-literacy"]
        assert [o["status"] for o in literacy] == ["applies"], extra  # Art. 4, since 2025-02-02
        high_risk = [o for o in eu["obligations"] if o["id"] != "eu.4.ai-literacy"]
        assert len(high_risk) >= 7, extra
        assert {(o["status"], o["effective_from"]) for o in high_risk} == {
            ("not_in_force", "2027-12-02")}, (extra, high_risk)
    original = eu_verdict("--at", "2026-07-26")
    assert original["pack_version"] == 1
    assert {o["effective_from"] for o in original["obligations"] if o["id"] != "eu.4.ai-literacy"} == {"2026-08-02"}
    table = subprocess.run([*HAECHI, "classify", "hiring-screener", "--pack", "eu-ai-act", "--at", "2026-12-06"],
                           env=env, capture_output=True, text=True, check=False, timeout=120)
    assert table.returncode == 0 and "2027-12-02" in table.stdout and "2026-08-02" not in table.stdout
