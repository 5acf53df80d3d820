"""Runs the Cyber Resilience Act golden cases (``golden_cra_law``) with the law-case checks."""

from __future__ import annotations

import datetime as dt

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


def test_fine_tiers_follow_art_64() -> None:
    # Art. 64(2): Annex I and Arts. 13-14 up to EUR 15 M or 2.5 %; Art. 64(3): the conformity
    # duties (Arts. 28, 30, 32) up to EUR 10 M or 2 %; Art. 64(4): incorrect information 5 M / 1 %.
    result = classify(CASES[0].card, as_of=dt.date(2028, 1, 10), packs=["eu-cra"]).results[0]
    tiers = {ob.id: (ob.penalty or {}).get("article") for ob in result.obligations}
    for reporting in ("cra.14.1.exploited-vulnerability-report", "cra.14.3.severe-incident-report",
                      "cra.13.1.essential-requirements", "cra.annex-i-ii.vulnerability-handling",
                      "cra.annex-i-ii.sbom"):
        penalty = result.obligation(reporting).penalty
        assert tiers[reporting] == "64(2)" and (penalty["max_amount"], penalty["turnover_percent"]) == (15_000_000, 2.5)
    conformity = result.obligation("cra.32.conformity-assessment").penalty
    assert (conformity["article"], conformity["max_amount"], conformity["turnover_percent"]) == ("64(3)", 10_000_000, 2)
    assert "5 million or 1%" in conformity["summary"] and "500만 유로 또는 1%" in conformity["summary_ko"]


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
