"""Dossiers and organisation reports: every variant in both languages, PDF text extracted
back with pdftotext, the signed checkpoint printed, missing capabilities said so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Org
from haechi.domain.errors import ValidationFailed
from haechi.ledger.keys import verify_signature
from haechi.ledger.verify import checkpoint_message
from haechi.reports.dossier import VARIANTS
from haechi.reports.render import texts, translate


def _pdf_text(content: bytes, tmp: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _flat(node: dict, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in node.items():
        out |= _flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"}
    return out


def test_report_words_exist_in_both_languages() -> None:
    assert _flat(texts()["en"]) == _flat(texts()["ko"])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_full_dossier_pdf_has_text_toc_and_pages(org: Org, lang: str) -> None:
    doc = org.hc.reports.dossier(org.actor, "hiring-screener", variant="full", lang=lang, fmt="pdf")
    assert doc.content.startswith(b"%PDF")
    text = _pdf_text(doc.content, org.tmp)
    assert translate(lang, "section.verdicts") in text
    assert translate(lang, "toc") in text
    assert f"{translate(lang, 'page')} 1 {translate(lang, 'of')}" in " ".join(text.split())
    if lang == "ko":
        assert "지원자 서류 심사 보조 AI" in text and "관할별 분류" in text and "한빛정밀" in text
    else:
        assert "Classification by jurisdiction" in text
    verdict = org.hc.rules.verdict(org.actor, "hiring-screener").to_json()
    ids = [o["id"] for r in verdict["results"] for o in r["obligations"]]
    # pdftotext joins a word broken at a hyphen at the line end, so compare without hyphens.
    flat = "".join(text.split()).replace("-", "")
    assert ids and all(i.replace("-", "") in flat for i in ids)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_variant_renders_its_sections(org: Org, variant: str, lang: str) -> None:
    model = org.hc.reports.dossier_model(org.actor, "hiring-screener", variant, lang)
    html = org.hc.reports.dossier(org.actor, "hiring-screener", variant=variant, lang=lang).content.decode()
    for section in model["sections"]:
        assert translate(lang, f"section.{section['key']}") in html
    if variant in ("full", "eu-annex-iv", "model-card"):
        assert "<svg" in html  # monitoring charts drawn server-side


def test_dossier_shows_real_monitoring_numbers_and_evidence_hashes(org: Org) -> None:
    html = org.hc.reports.dossier(org.actor, "hiring-screener", lang="en").content.decode()
    windows = org.hc.monitor.results(org.actor, "hiring-screener")["windows"]
    recall = windows[-1]["performance"]["recall"]
    assert f"{recall:,.4g}" in html
    assert html.count("<svg") >= 2  # performance and fairness charts
    for evidence in org.hc.compliance.evidence.list(org.actor, system="hiring-screener"):
        if evidence["sha256"]:
            assert evidence["sha256"] in html
    assert "Complaint about a rejected application" in html


def test_checkpoint_in_the_dossier_verifies(org: Org) -> None:
    model = org.hc.reports.dossier_model(org.actor, "hiring-screener", "kr-art34", "ko")
    cp = model["checkpoint"]
    message = checkpoint_message("hanbit", cp["seq"], cp["head_hash"], cp["at"], cp["key_id"])
    assert verify_signature(org.hc.ledger.signer.public_key, cp["signature"], message)
    logged = org.hc.reports.documents(org.actor)
    doc = org.hc.reports.dossier(org.actor, "hiring-screener", variant="kr-art34", lang="ko")
    newest = org.hc.reports.documents(org.actor)[0]
    assert newest["sha256"] == doc.sha256 and newest["system"] == "hiring-screener"
    assert len(org.hc.reports.documents(org.actor)) == len(logged) + 1


def test_org_reports(org: Org) -> None:
    portfolio = org.hc.reports.report_model(org.actor, "portfolio", "en")
    assert {r["system"] for r in portfolio["rows"]} == {"hiring-screener", "support-chatbot", "press-defect-vision"}
    incidents = org.hc.reports.report_model(org.actor, "incidents", "ko")["incidents"]
    assert any(i["title"].startswith("Complaint") for i in incidents["items"])
    esg = org.hc.reports.report_model(org.actor, "esg", "en")["esg"]
    assert esg["energy_kwh"] == pytest.approx(1560.5)
    text = _pdf_text(org.hc.reports.report(org.actor, "portfolio", lang="ko", fmt="pdf").content, org.tmp)
    assert "포트폴리오 개요" in text


def test_bad_choices_are_clear(org: Org) -> None:
    with pytest.raises(ValidationFailed) as err:
        org.hc.reports.dossier(org.actor, "hiring-screener", variant="annex-v", lang="fr")
    assert {i.location for i in err.value.issues} == {"variant", "lang"}


def test_cli_dossier(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = Path(__file__).parents[2] / "src/haechi/demo/cards/hiring-screener.yaml"
    assert cli("systems", "add", str(card)).code == 0
    out = tmp_path / "d.pdf"
    res = cli("dossier", "hiring-screener", "--variant", "kr-art34", "--lang", "ko", "--format", "pdf",
              "--out", str(out))
    assert res.code == 0 and out.read_bytes().startswith(b"%PDF") and "ledger checkpoint" in res.err
    assert cli("dossier", "nope").code == 2
    assert cli("report", "portfolio", "--format", "json").code == 0


@pytest.mark.parametrize(("english", "korean"), [
    ("AI Basic Act Art. 34(1)(1); Enforcement Decree Art. 27", "인공지능기본법 제34조제1항제1호; 시행령 제27조"),
    ("AI Basic Act Art. 33(1)–(2); Enforcement Decree Arts. 25–26",
     "인공지능기본법 제33조제1항–제2항; 시행령 제25조–제26조"),
    ("AI Basic Act Art. 35(1) second sentence; Enforcement Decree Arts. 1-2 and 28(1)(1)",
     "인공지능기본법 제35조제1항 후단; 시행령 제1조의2 및 제28조제1항제1호"),
    ("AI Basic Act Art. 40(1)–(3); Art. 43(1)(3)", "인공지능기본법 제40조제1항–제3항; 제43조제1항제3호"),
])
def test_korean_citations(english: str, korean: str) -> None:
    from haechi.reports.citations import citation_ko, cite

    assert citation_ko(english) == korean
    assert cite({"citation": "EU AI Act Art. 26(1)"}, "ko") == "EU AI Act Art. 26(1)"  # other laws stay as cited


def test_law_specific_dossiers_show_the_laws_of_their_jurisdiction_from_the_verdict() -> None:
    from haechi.reports.dossier import build_dossier

    verdicts = {"results": [{"pack": "kr-ai-basic-act", "pack_kind": "law", "jurisdiction": "KR"},
                            {"pack": "acme-policy", "pack_kind": "policy", "jurisdiction": "KR"},
                            {"pack": "kr-sector-law", "pack_kind": "law", "jurisdiction": "KR"},
                            {"pack": "eu-ai-act", "pack_kind": "law", "jurisdiction": "EU"}]}

    def packs_of(variant: str, block_kind: str) -> list[list[str]]:
        model = build_dossier({"verdicts": verdicts}, variant, "en", checkpoint={}, organisation={},
                              generated_at="2026-12-06T00:00:00Z", generated_by="test")
        return [b["packs"] for s in model["sections"] for b in s["blocks"] if b["kind"] == block_kind and "packs" in b]

    assert packs_of("kr-art34", "verdicts") == [["kr-ai-basic-act", "kr-sector-law"]]
    assert packs_of("eu-annex-iv", "verdicts") == [["eu-ai-act"]]
    assert packs_of("eu-annex-iv", "obligations") == [["eu-ai-act"]]
