"""Korean reasons, questions and selection notes name card fields and values in Korean."""

from __future__ import annotations

import datetime as dt

from haechi.rules import classify
from haechi.rules.fields import card_fields
from haechi.rules.labels import catalogue
from tests.walk.language import english_in

from .cards import UNKNOWN, card
from .test_spec_json import HIRING


def test_every_card_field_and_vocabulary_value_is_named_in_both_languages() -> None:
    fields = catalogue()["fields"]
    for path, info in card_fields().items():
        assert fields[path]["en"] and fields[path]["ko"], path
        for choice in info.choices:
            assert set(fields[path]["values"][choice]) == {"en", "ko"}, (path, choice)


def _korean_texts(result: dict) -> list[str]:  # type: ignore[type-arg]
    texts = [result["selection_ko"], *result["scope_reasons_ko"]]
    texts += [r for c in result["class_details"].values() for r in c["reasons_ko"]]
    texts += [r for o in result["obligations"] for r in o["reasons_ko"]]
    return texts + [q["question_ko"] for q in result["questions"]]


def test_korean_verdict_texts_have_no_english_words() -> None:
    cards = [HIRING, card(generative__modalities=["image"], roles=["developer", "deployer"]),
             card(generative__modalities=[], compute__state_of_the_art=False),
             card(domains=["employment"], generative__modalities=UNKNOWN, human_final_decision=UNKNOWN)]
    for one in cards:
        for result in classify(one, as_of=dt.date(2026, 11, 26), include_all=True).to_json()["results"]:
            for text in _korean_texts(result):
                assert english_in(text) == [], (result["pack"], text)


def test_english_reasons_keep_the_field_paths_and_values() -> None:
    kr = classify(HIRING, as_of=dt.date(2026, 11, 26)).to_json()["results"][0]
    ob = next(o for o in kr["obligations"] if o["id"] == "kr.34.1.risk-management-plan")
    assert ob["reasons"] == ["domain 'employment' is listed in Art. 2(4)(g)", "significant_impact is true"]
    assert ob["reasons_ko"][1] == "생명·신체 안전이나 기본권에 중대한 영향: 예"
    assert kr["selection"].startswith("version 2: newest adopted version published on or before")
