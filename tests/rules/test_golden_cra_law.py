"""Runs the Cyber Resilience Act golden cases (``golden_cra_law``) with the law-case checks."""

from __future__ import annotations

import pytest

from haechi.rules import classify

from . import test_golden_kr_law as law
from .golden_cra_law import CASES
from .golden_kr_law import LawCase


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cra_case(case: LawCase) -> None:
    law.test_law_case(case)


def test_reporting_clocks_are_24_and_72_hours() -> None:
    result = classify(CASES[0].card, as_of=CASES[0].as_of, packs=["eu-cra"]).results[0]
    days = [d["days"] for d in result.obligation("cra.14.1.exploited-vulnerability-report").deadlines]
    assert days == [1, 3, 14]
    assert result.obligation("cra.14.1.exploited-vulnerability-report").penalty["max_amount"] == 15_000_000


def test_crosswalk_links_cra_reporting_to_ai_act_art_73_both_ways() -> None:
    from haechi.rules.crosswalk import lookup
    from haechi.rules.library import PackLibrary

    lib = PackLibrary.shipped()
    forward = lookup(lib.crosswalks, "eu-cra", "14(1)")
    links = {link["pack"]: link for link in forward[0]["links"]}
    assert links["eu-ai-act"]["refs"] == ["73"] and links["eu-ai-act"]["relationship"] == "intersect"
    assert "24 hours" in links["eu-ai-act"]["rationale"] and "24시간" in links["eu-ai-act"]["rationale_ko"]
    back = lookup(lib.crosswalks, "eu-ai-act", "73")
    assert any(e["crosswalk"] == "eu-cra-crosswalk" and e["direction"] == "reverse" for e in back)
