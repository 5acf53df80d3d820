"""Notices: golden ko/en outputs per channel, HTML/JSON/PDF forms, accessibility (axe-core
in Chromium), versioning, and clear errors when the card lacks what users must be told."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.transparency.duties import duties_from_verdict
from haechi.transparency.notice_render import render_document, render_html, render_json, render_pdf
from haechi.transparency.notice_text import render_text
from haechi.transparency.notices import CHANNELS, NoticeContent, build_content

from . import cards, verdicts

GOLDEN = Path(__file__).parent / "golden"
ORG = {"en": "Hanbit Precision Co., Ltd.", "ko": "한빛정밀"}
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def content_of(card: dict, verdict: dict) -> NoticeContent:
    built = build_content(SystemCard.model_validate(card), duties_from_verdict(verdict), ORG)
    return built.with_version(1, dt.date(2026, 11, 26))


CASES = {"support-chatbot": (cards.chatbot(), verdicts.chatbot()),
         "hiring-screener": (cards.hiring(), verdicts.hiring())}


@pytest.mark.parametrize("system", sorted(CASES))
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_text_matches_golden(system: str, channel: str, lang: str) -> None:
    text = render_text(content_of(*CASES[system]), lang, channel)  # type: ignore[arg-type]
    path = GOLDEN / f"{system}.{channel}.{lang}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_screen_html_matches_golden(lang: str) -> None:
    html = render_html(content_of(*CASES["support-chatbot"]), lang, "screen")  # type: ignore[arg-type]
    path = GOLDEN / f"support-chatbot.screen.{lang}.html"
    if UPDATE:
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def test_notice_says_which_ai_what_for_and_where_to_object() -> None:
    content = content_of(*CASES["hiring-screener"])
    text = render_text(content, "ko", "screen")
    assert "지원자 서류 심사 보조 AI" in text and "채용 지원서" in text and "oversight" not in text
    assert "ai-help@hanbit.example" in text and "재검토" in text
    assert content.required is True
    assert "KR AI Basic Act Art. 31(1); Decree Art. 23(1)" in content.citations["en"]
    assert "EU AI Act Art. 26(11)" in content.citations["en"]


def test_json_payload_has_what_an_app_needs() -> None:
    data = render_json(content_of(*CASES["support-chatbot"]), "en", "screen")
    assert data["version"] == 1 and data["required"] is True and data["contact"]["email"] == "ai-help@hanbit.example"
    assert data["title"].startswith("Notice") and data["text"].startswith(data["title"])
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_exempt_verdict_makes_the_notice_voluntary_and_keeps_the_reason() -> None:
    verdict = verdicts.chatbot("exempt", ["AI use is obvious from the product name (Decree Art. 23(4)(1))"])
    verdict["results"] = verdict["results"][:1]
    content = content_of(cards.chatbot(), verdict)
    assert content.required is False
    assert content.exemptions[0]["reasons"] == ["AI use is obvious from the product name (Decree Art. 23(4)(1))"]
    assert "자율 고지" in render_text(content, "ko", "terms")


def test_missing_contact_and_purpose_are_named() -> None:
    card = cards.chatbot(owners=None, description=None)
    with pytest.raises(ValidationFailed) as info:
        build_content(SystemCard.model_validate(card), duties_from_verdict(verdicts.chatbot()), ORG)
    where = {i.location for i in info.value.issues}
    assert where == {"owners.oversight.email", "description"}


def test_pdf_for_the_place_of_service_has_the_korean_text(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    pdf = render_pdf(content_of(*CASES["support-chatbot"]), "ko", "place")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "n.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "n.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "안내: 이 서비스는 인공지능을 이용합니다" in text and "고객지원 챗봇" in text


AXE = Path(__file__).parents[2] / "src" / "haechi" / "web" / "static" / "vendor" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("channel", ["screen", "place", "terms"])
def test_html_notice_passes_axe(browser, lang: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.exists(), "axe-core must be shipped at web/static/vendor/axe.min.js"
    page = browser.new_page()
    try:
        page.set_content(render_document(content_of(*CASES["hiring-screener"]), lang, channel))  # type: ignore[arg-type]
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
                               "'wcag21aa', 'best-practice']})")
    finally:
        page.close()
    problems = [(v["id"], v["help"]) for v in result["violations"]]
    assert problems == []
    assert len(result["passes"]) > 10  # the checks really ran
