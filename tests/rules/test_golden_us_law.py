"""Runs the US state AI law golden cases (``golden_us_law``) with the law-case checks."""

from __future__ import annotations

import pytest

from . import test_golden_kr_law as law
from .golden_kr_law import LawCase
from .golden_us_law import CASES


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_us_case(case: LawCase) -> None:
    law.test_law_case(case)


def test_the_governing_version_follows_the_colorado_repeal() -> None:
    """Version 1 (SB 24-205) governs until SB 26-189 was signed on 2026-05-14, version 2 after."""
    import datetime as dt

    from haechi.rules.library import PackLibrary

    library = PackLibrary.shipped()
    assert library.select("us-state-ai", dt.date(2026, 5, 13)).pack.version == 1
    assert library.select("us-state-ai", dt.date(2026, 5, 14)).pack.version == 2


def test_a_card_naming_states_needs_the_us_market(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A user lists Colorado without US in markets: the CLI refuses the card with the fix."""
    import subprocess
    import sys

    card = tmp_path / "card.yaml"
    card.write_text("id: state-card\nname: State card\nmarkets: [KR]\nus: {states: [co]}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "haechi", "classify", str(card)], capture_output=True, text=True)
    assert out.returncode == 2 and "add US to markets" in out.stderr and "Traceback" not in out.stderr
    card.write_text("id: state-card\nname: State card\nmarkets: [us]\nus: {states: [co]}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "haechi", "classify", str(card), "--pack", "us-state-ai",
                          "--format", "json", "--at", "2026-12-06"], capture_output=True, text=True, check=True)
    assert '"us-state-ai"' in out.stdout
