"""Runs the Chinese AI rules golden cases (``golden_cn_law``) with the law-case checks."""

from __future__ import annotations

import pytest

from . import test_golden_kr_law as law
from .golden_cn_law import CASES
from .golden_kr_law import LawCase


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cn_case(case: LawCase) -> None:
    law.test_law_case(case)


def test_compare_shows_the_chinese_column_in_english_and_korean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A user compares a poster generator offered in Korea and China from the command line."""
    import json
    import os
    import subprocess
    import sys

    card_file = tmp_path / "card.json"
    card_file.write_text(json.dumps({**CASES[0].card, "markets": ["KR", "CN"],
                                     "generative": {"modalities": ["image"], "outputs_leave_service": True}}))
    def run(lang: str, *extra: str) -> str:
        env = {**os.environ, "HAECHI_LANG": lang, "COLUMNS": "300"}
        out = subprocess.run([sys.executable, "-m", "haechi", "compare", str(card_file), "--at", "2026-12-06",
                              *extra], capture_output=True, text=True, env=env, check=True)
        return out.stdout
    data = json.loads(run("en", "--format", "json"))
    column = next(c for c in data["columns"] if c["pack"] == "cn-ai")
    assert column["offered"] is True and column["classes"]["generative"] == "yes"
    labels = next(r for r in data["rows"] if r["topic"] == "output_labelling")["cells"]["cn-ai"]
    assert {(o["article"], o["status"]) for o in labels} >= {("4", "applies"), ("5", "applies")}
    assert "implicit label" in run("en") and "암묵적 표시" in run("ko")
