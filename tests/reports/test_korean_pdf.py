"""Korean PDFs carry the Korean font bundled with Haechi, whatever fonts the machine has:
pdffonts lists it embedded and pdftotext gives the Hangul back. A machine with neither
the bundled files nor a Korean system font gets a clear warning."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Org
from haechi.reports import pdf


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def _fonts_and_text(content: bytes, tmp: Path) -> tuple[str, str]:
    path = tmp / "doc.pdf"
    path.write_bytes(content)
    fonts = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return fonts, text


def _embedded_nanum(fonts: str) -> list[str]:
    rows = [line.split() for line in fonts.splitlines()[2:]]
    return [r[0] for r in rows if "NanumGothic" in r[0] and "yes" in r]


def test_korean_dossier_embeds_the_bundled_font_and_keeps_the_hangul(org: Org) -> None:
    doc = org.hc.reports.dossier(org.actor, "hiring-screener", variant="kr-art34", lang="ko", fmt="pdf")
    fonts, text = _fonts_and_text(doc.content, org.tmp)
    embedded = _embedded_nanum(fonts)
    assert any("Bold" not in name for name in embedded) and any("Bold" in name for name in embedded), fonts
    assert "지원자 서류 심사 보조 AI" in text and "한빛정밀" in text


def test_korean_notice_pdf_uses_it_too(org: Org) -> None:
    from haechi.transparency.notice_render import render_pdf

    content, _ = org.hc.transparency.current_notice(org.actor, "support-chatbot")
    fonts, text = _fonts_and_text(render_pdf(content, "ko", "place"), org.tmp)
    assert _embedded_nanum(fonts) and "인공지능" in "".join(text.split())


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    folder = pdf.font_dir()
    assert all((folder / name).stat().st_size > 1_000_000 for name in pdf.FONT_FILES.values())
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text(encoding="utf-8")
    css = pdf.font_face_css()
    assert css.count("@font-face") == 2 and f'"{pdf.FAMILY}"' in css


def test_missing_korean_font_is_said_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))  # fontconfig then knows no font at all
    problem = pdf.korean_font_problem(tmp_path)
    assert problem is not None and "Hangul will print as empty boxes" in problem and "fonts-nanum" in problem
    assert pdf.korean_font_problem() is None  # the bundled files are enough
