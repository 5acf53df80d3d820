"""Korean documents of the demo company say everything in Korean: no English prose (the
walk's rule, ``tests/walk/language.py``), times in the organisation's zone to the minute,
dates the Korean way. Identifiers from the user's data (columns, monitors, the model) are
code: Markdown code spans in a draft, ``<code>`` in HTML."""

from __future__ import annotations

import re

import pytest
from tests.walk.dossiers import html_prose, pdf_prose
from tests.walk.language import english_in

from conftest import Demo
from haechi.demo.company import CARD_ORDER as DEMO_SYSTEMS

MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")
ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _prose(markdown: str) -> str:
    """What a reader takes as prose: the Markdown without its code spans."""
    return re.sub(r"`[^`]*`", " ", markdown)


@pytest.mark.parametrize("regulator", ["eu", "kr"])
def test_incident_report_drafts_read_in_korean(demo: Demo, regulator: str) -> None:
    from haechi.compliance.reportdraft import render_markdown

    incidents = demo.hc.compliance.incidents.list(demo.actor)
    assert incidents
    for incident in incidents:
        draft = demo.hc.compliance.incidents.draft_report(demo.actor, incident["ref"], regulator, "ko")
        markdown = render_markdown(draft)
        assert english_in(_prose(markdown)) == [], (incident["ref"], english_in(_prose(markdown)))
        assert not MICROSECONDS.search(markdown) and not ISO_INSTANT.search(markdown), markdown
        assert "(KST)" in markdown and "년" in markdown


def test_draft_times_are_the_organisations_minute(demo: Demo) -> None:
    """The moment the organisation became aware, in Seoul: an oracle from the stored UTC instant."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    incident = demo.hc.compliance.incidents.list(demo.actor)[0]
    draft = demo.hc.compliance.incidents.draft_report(demo.actor, incident["ref"], "eu", "ko")
    aware = dt.datetime.fromisoformat(incident["aware_at"]).astimezone(ZoneInfo("Asia/Seoul"))
    dates = next(s["body"] for s in draft["sections"] if s["heading"].startswith("5."))
    assert f"인지: {aware.year}년 {aware.month}월 {aware.day}일 {aware:%H:%M} (KST)" in dates
    english = demo.hc.compliance.incidents.draft_report(demo.actor, incident["ref"], "eu", "en")
    dates_en = next(s["body"] for s in english["sections"] if s["heading"].startswith("5."))
    assert f"became aware: {aware:%Y-%m-%d %H:%M} KST" in dates_en


def _visible(html: str) -> str:
    return html_prose(html)


def test_organisation_reports_show_korean_words_and_seoul_minutes(demo: Demo) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    for kind in ("incidents", "overdue", "portfolio"):
        html = demo.hc.reports.report(demo.actor, kind, lang="ko", fmt="html").content.decode()
        text = _visible(html)
        # left: the CLI actor who generated the document in this test, and the ledger's verify command
        words = set(english_in(text)) - {"cli", "root", "haechi", "audit", "verify", "export", "public-key"}
        assert words == set(), (kind, words)
        assert not ISO_INSTANT.search(text) and not MICROSECONDS.search(text), kind
        assert "<title>" in html and "Hanbit" not in html.split("</title>")[0], kind
    incident = demo.hc.compliance.incidents.list(demo.actor)[0]
    aware = dt.datetime.fromisoformat(incident["aware_at"]).astimezone(ZoneInfo("Asia/Seoul"))
    html = demo.hc.reports.report(demo.actor, "incidents", lang="ko", fmt="html").content.decode()
    assert f"{aware.year}년 {aware.month}월 {aware.day}일 {aware:%H:%M} (KST)" in html
    assert "조사 중" in html or "열림" in html


def test_korean_dossier_pdf_reads_its_times_in_seoul(demo: Demo) -> None:
    """The PDF as a reader gets it (pdftotext): the generation time in Korean, in Seoul, with its zone."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    doc = demo.hc.reports.dossier(demo.actor, "hiring-screener", variant="kr-art34", lang="ko", fmt="pdf")
    path = demo.tmp / "kr-art34-ko.pdf"
    path.write_bytes(doc.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)", text), text[:500]
    assert not MICROSECONDS.search(text)


#: Left in a document generated in-process: the CLI actor's label (a web user's is an e-mail).
ACTOR = {"cli", "root"}


@pytest.mark.parametrize("system", DEMO_SYSTEMS)
def test_every_korean_html_dossier_reads_in_korean(demo: Demo, system: str) -> None:
    """Card values, verdict and control states, evidence, monitoring metrics, thresholds, charts,
    risks, transparency and energy: Korean words, with the user's identifiers as code."""
    from haechi.reports.dossier import VARIANTS

    for variant in VARIANTS:
        html = demo.hc.reports.dossier(demo.actor, system, variant=variant, lang="ko", fmt="html").content.decode()
        text = _visible(html)
        assert set(english_in(text)) - ACTOR == set(), (variant, english_in(text))
        assert "{'" not in text and '{"' not in text, variant  # no Python or JSON values
        assert not ISO_INSTANT.search(text) and not MICROSECONDS.search(text), variant


@pytest.mark.parametrize("kind", ["portfolio", "esg"])
def test_korean_organisation_report_pdfs_read_in_korean(demo: Demo, kind: str) -> None:
    """The PDF as a reader gets it: no English outside code, the period in Korean dates."""
    import shutil

    if shutil.which("pdftohtml") is None:
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    path = demo.tmp / f"{kind}-ko.pdf"
    path.write_bytes(demo.hc.reports.report(demo.actor, kind, lang="ko", fmt="pdf").content)
    text = pdf_prose(path)
    assert set(english_in(text)) - ACTOR == set(), english_in(text)
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)", text)


def test_korean_esg_report_reads_in_korean(demo: Demo) -> None:
    """The ESG report (HTML and the PDF read back): KPI, method and framework names in Korean."""
    import datetime as dt
    import shutil

    from haechi.esg.render import render_html, render_pdf

    report = demo.hc.esg.report(demo.actor, dt.date(2026, 1, 1), dt.date(2026, 12, 31), lang="ko")
    text = html_prose(render_html(report))
    assert english_in(text) == [], english_in(text)
    assert "2026년 1월 1일 – 2026년 12월 31일" in text and "(KST)" in text
    if shutil.which("pdftohtml") is None:
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    path = demo.tmp / "esg-ko.pdf"
    path.write_bytes(render_pdf(report))
    assert english_in(pdf_prose(path)) == [], english_in(pdf_prose(path))


def _main(html: str) -> str:
    return html_prose(html[html.index("<main"):html.index("</main>")])


def test_public_passports_and_transparency_page_read_in_korean(demo: Demo) -> None:
    """What the public reads: every published passport page and the organisation's AI page, in Korean."""
    published = [s for s in DEMO_SYSTEMS if demo.hc.passport.history(demo.actor, s)]
    assert published
    for url in [f"/p/hanbit/{s}" for s in published] + ["/public/hanbit/ai"]:
        page = demo.client.get(url, headers={"Accept": "text/html"}, cookies={"haechi_lang": "ko"})
        assert page.status_code == 200, url
        assert english_in(_main(page.text)) == [], (url, english_in(_main(page.text)))
        assert "UTC" not in _main(page.text), url


def test_the_pdf_reading_finds_prose_but_not_code() -> None:
    """The check the walk runs on PDFs: English prose is found, also across a line break; text set
    as code (monospace) is not."""
    import shutil
    import tempfile
    from pathlib import Path

    from haechi.reports.pdf import write_pdf

    if shutil.which("pdftohtml") is None:
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    html = ('<html lang="ko"><body style="font-family: NanumGothic"><p style="width: 9em">모델 경보 '
            'monitoring alert breaches the threshold</p><p>열 <code>temperature_c</code>와 '
            '<code>vibration_rms</code></p></body></html>')
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "probe.pdf"
        path.write_bytes(write_pdf(html, "PDF documents"))
        text = pdf_prose(path)
    assert english_in(text) == ["monitoring", "alert", "breaches", "the", "threshold"], text
    assert "temperature" not in text and "vibration" not in text


def test_dossier_names_classes_and_scope_in_words(demo: Demo) -> None:
    """Each pack's classes by their Korean titles and values, and whether the system is in scope,
    as the verdict says (yes, no or unknown — never read as a truth value)."""
    from haechi.web.i18n import Translator

    t = Translator("ko")
    html = demo.hc.reports.dossier(demo.actor, "hiring-screener", variant="full", lang="ko", fmt="html")
    text = html.content.decode()
    verdict = demo.hc.rules.verdict(demo.actor, "hiring-screener").to_json()
    for result in verdict["results"]:
        assert f"· 적용 대상: {t('rules.tri.' + result['in_scope'])}</p>" in text, result["pack"]
        for name, detail in (result.get("class_details") or {}).items():
            assert f"{detail['title_ko']}: " in text, (result["pack"], name)
    assert "high_impact=" not in text
