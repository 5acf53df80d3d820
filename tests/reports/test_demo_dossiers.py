"""Every dossier of every demo system, as ``haechi demo`` builds them: HTML and PDF, Korean
and English. Four demo systems are linked to production lines, so their dossiers carry the
ESG before/after effects table."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import Demo
from haechi.demo.company import CARD_ORDER as DEMO_SYSTEMS
from haechi.reports.dossier import VARIANTS
from haechi.reports.render import translate
from haechi.web.i18n import Translator

LANGS = ("ko", "en")


def _linked(demo: Demo) -> list[str]:
    return [slug for slug in DEMO_SYSTEMS if demo.hc.esg.links(demo.actor, slug)]


def test_demo_links_systems_to_production_lines(demo: Demo) -> None:
    assert len(_linked(demo)) >= 4


@pytest.mark.parametrize("system", DEMO_SYSTEMS)
def test_every_html_dossier_of_every_demo_system(demo: Demo, system: str) -> None:
    for variant in VARIANTS:
        for lang in LANGS:
            html = demo.hc.reports.dossier(demo.actor, system, variant=variant, lang=lang, fmt="html").content
            assert translate(lang, "section.checkpoint") in html.decode()


def test_linked_system_dossier_shows_the_kpi_effects(demo: Demo) -> None:
    system = _linked(demo)[0]
    effects = demo.hc.esg.effect(demo.actor, system)
    kpi = effects["links"][0]["effects"][0]["kpi"]
    html = demo.hc.reports.dossier(demo.actor, system, variant="full", lang="en", fmt="html").content.decode()
    named = Translator("en")(f"esg.kpis.{kpi}")  # the KPI by its name in the ESG catalogue
    assert f"{effects['links'][0]['line']} · {named}" in html


@pytest.mark.slow
@pytest.mark.parametrize("system", DEMO_SYSTEMS)
def test_full_and_model_card_pdfs_of_every_demo_system(demo: Demo, system: str) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for variant in ("full", "model-card"):
        for lang in LANGS:
            doc = demo.hc.reports.dossier(demo.actor, system, variant=variant, lang=lang, fmt="pdf")
            path = demo.tmp / f"{system}-{variant}-{lang}.pdf"
            path.write_bytes(doc.content)
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            assert translate(lang, "section.checkpoint") in text


def test_linked_system_dossiers_over_the_api(demo: Demo) -> None:
    for system in _linked(demo):
        for lang in LANGS:
            made = demo.client.post(f"/api/v1/systems/{system}/dossier",
                                    params={"variant": "model-card", "lang": lang, "format": "html"})
            assert made.status_code == 200, (system, lang, made.text[:300])
            assert translate(lang, "section.checkpoint") in made.text
