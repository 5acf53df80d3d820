"""The law timeline in the dossiers: every start and end of a duty, read back from the PDF."""

from __future__ import annotations

import pytest
from test_dossier import _pdf_text

from conftest import Org
from haechi.reports.render import translate


@pytest.mark.parametrize(("variant", "lang", "packs"), [
    ("full", "ko", None), ("kr-art34", "ko", {"kr-ai-basic-act"}), ("eu-annex-iv", "en", {"eu-ai-act"})])
def test_dossier_pdf_prints_the_timeline(org: Org, variant: str, lang: str, packs: set[str] | None) -> None:
    timeline = org.hc.rules.timeline(org.actor, "hiring-screener")
    events = [e for e in timeline["events"] if e["kind"] != "version" and (packs is None or e["pack"] in packs)]
    assert events, "the screener has duties that start within the window"
    doc = org.hc.reports.dossier(org.actor, "hiring-screener", variant=variant, lang=lang, fmt="pdf")
    text = _pdf_text(doc.content, org.tmp)
    assert translate(lang, "section.timeline") in text
    flat = "".join(text.split()).replace("-", "")
    for event in events:
        assert event["date"].replace("-", "") in flat and event["id"].replace("-", "") in flat, event
        kind = translate(lang, f"text.timeline_kind.{event['kind']}")
        assert kind.replace(" ", "") in flat
    if lang == "ko":
        assert "법령 일정" in text and "시작" in text
    html = org.hc.reports.dossier(org.actor, "hiring-screener", variant=variant, lang=lang, fmt="json")
    assert b'"timeline"' in html.content
