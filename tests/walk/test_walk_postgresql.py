"""Walk the demo company on PostgreSQL as its users do (see tests/walk/walker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .run import walk_dossiers, walk_pages
from .workspace import Workspace

BACKEND = "postgresql"
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.postgres]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_in_both_languages(browser, workspace: Workspace, lang: str) -> None:  # type: ignore[no-untyped-def]
    report, text = walk_pages(browser, workspace, lang)
    if report:
        pytest.fail(text, pytrace=False)


def test_every_dossier_of_every_system(browser, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, text = walk_dossiers(browser, workspace, tmp_path, pdf_variants={"full"})
    if report:
        pytest.fail(text, pytrace=False)
