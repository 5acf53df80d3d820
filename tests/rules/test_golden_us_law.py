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


def test_states_without_the_us_market_leave_the_pack_out_of_scope(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A user lists Colorado (in lower case) but offers the system only in Korea: the card is read,
    the state list is ignored, and the US pack says why it does not apply; a misspelt state is
    refused with the valid codes."""
    import json
    import subprocess
    import sys

    card = tmp_path / "card.yaml"

    def classify_card(text: str, *extra: str) -> subprocess.CompletedProcess[str]:
        card.write_text(text, encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "haechi", "classify", str(card), "--at", "2026-12-06",
                               *extra], capture_output=True, text=True, check=False)

    out = classify_card("id: state-card\nname: State card\nmarkets: [KR]\nus: {states: [co]}\n",
                        "--pack", "us-state-ai", "--format", "json")
    result = json.loads(out.stdout)["results"][0]
    assert out.returncode == 0 and result["in_scope"] == "no"
    assert any("not offered in the United States" in r for r in result["scope_reasons"])
    bad = classify_card("id: state-card\nname: State card\nmarkets: [US]\nus: {states: [CO, ZZ]}\n")
    assert bad.returncode == 2 and "us.states" in bad.stderr and "TX" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_us_crosswalk_links_real_duties_as_overlaps_in_both_languages() -> None:
    """Every state duty maps to existing Korean and EU duties as an overlap, with a rationale in
    English and in Korean (no English prose); lookups work from the Korean and EU side too."""
    from haechi.rules.crosswalk import lookup
    from haechi.rules.library import PackLibrary

    from ..walk.language import english_in

    library = PackLibrary.shipped()
    crosswalk = next(cw for cw in library.crosswalks if cw.id == "us-state-ai-crosswalk")
    us_duties = {o.id for v in library.versions("us-state-ai") for o in v.pack.obligations}
    assert len(crosswalk.entries) >= 8
    for entry in crosswalk.entries:
        assert set(entry.source.obligations) <= us_duties, entry.id
        for link in entry.links:
            target = {o.id for o in library.get(link.pack).pack.obligations}
            assert link.obligations and set(link.obligations) <= target, (entry.id, link.pack)
            assert link.relationship == "intersect", (entry.id, link.pack)
            assert link.rationale and not english_in(link.rationale_ko), (entry.id, english_in(link.rationale_ko))
    notice = next(e for e in lookup(library.crosswalks, "kr-ai-basic-act", "31(1)") if e["entry"] == "U01")
    assert notice["direction"] == "reverse" and notice["links"][0]["relationship"] == "intersect"
    incident = {e["entry"] for e in lookup(library.crosswalks, "eu-ai-act", "73")}
    assert "U04" in incident
    assessment = lookup(library.crosswalks, "us-state-ai", "6-1-1703(3)")[0]
    assert {link["pack"] for link in assessment["links"]} == {"kr-ai-basic-act", "eu-ai-act"}
    assert "repealed" in assessment["title"] and "폐지" in assessment["title_ko"]
    social = lookup(library.crosswalks, "us-state-ai", "552.053")[0]
    assert social["gap"] and "금지 관행" in social["gap_ko"]



def test_compare_shows_the_markets_by_default_and_the_us_with_all(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A Korean developer compares its Korea-only hiring screener from the command line: only the
    Korean law by default; ``--all`` adds the US state laws; once it is offered in Colorado the US
    column appears by default, with Korean headings on a Korean terminal."""
    import json
    import os
    import subprocess
    import sys

    from ..walk.language import english_in
    from .cards import card
    from .golden_us_law import HIRING

    base = {k: v for k, v in card(**HIRING).items() if k != "us"}
    card_file = tmp_path / "card.json"

    def run(data: dict[str, object], *extra: str, lang: str = "en") -> str:
        card_file.write_text(json.dumps(data), encoding="utf-8")
        env = {**os.environ, "HAECHI_LANG": lang, "COLUMNS": "250"}
        return subprocess.run([sys.executable, "-m", "haechi", "compare", str(card_file), "--at", "2026-12-06",
                               *extra], capture_output=True, text=True, env=env, check=True).stdout

    korea_only = json.loads(run({**base, "markets": ["KR"]}, "--format", "json"))
    assert [c["pack"] for c in korea_only["columns"]] == ["kr-ai-basic-act"]
    assert "us-state-ai" in korea_only["left_out"]
    every = json.loads(run({**base, "markets": ["KR"]}, "--all", "--format", "json"))
    us_column = next(c for c in every["columns"] if c["pack"] == "us-state-ai")
    assert us_column["offered"] is False and every["left_out"] == []
    colorado = {**base, "markets": ["KR", "US"], "us": {"states": ["CO"]}}
    both = json.loads(run(colorado, "--format", "json"))
    assert [c["pack"] for c in both["columns"]] == ["kr-ai-basic-act", "us-state-ai"]
    notice = next(r for r in both["rows"] if r["topic"] == "transparency_notice")["cells"]["us-state-ai"]
    assert {(o["id"], o["status"]) for o in notice} >= {("us.co.admt.1704.consumer-notice", "not_in_force")}
    table = run(colorado, lang="ko")
    assert "미국 주 인공지능법" in table and "AI 기본법" in table and "기준일" in table
    heading = next(line for line in table.splitlines() if "주제" in line)
    assert "미국 주 인공지능법" in heading and not english_in(heading), heading
