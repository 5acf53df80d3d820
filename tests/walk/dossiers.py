"""Every dossier of every system, generated from its documents tab as a user does.

The tab has one form per dossier variant (format and language chosen in the form); the
walk submits each choice with the form's own fields and CSRF token and follows the
redirect to the stored document, which must answer 200 with the right type: the full
dossier and the model card as PDF and HTML, the article-pack variants (``kr-art34``,
``eu-annex-iv``, selections of the full dossier's sections rendered by the same code) as
HTML, each in Korean and English. PDF rendering is what makes a walk slow and does not
depend on the database, so the PostgreSQL walk renders the full dossier's PDFs only. A Korean PDF
must carry Korean text (``pdftotext``) in an embedded CJK font (``pdffonts``): a PDF
whose Hangul fell back to a font without it shows empty boxes on a machine without
Korean fonts. A Korean dossier, HTML or PDF, must hold no English prose (the rule of
:mod:`.language`): the HTML without its code, the PDF without the text set in a monospace
font (what the HTML marks as code), its lines joined again.
"""

from __future__ import annotations

import html as markup
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import unavailable

from .language import english_in
from .walker import Report

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CJK_FONT = re.compile(r"CJK|Nanum|Gothic|Myeongjo|Batang|Gulim|Dotum|Malgun|Hangul|-KR\b", re.I)
FORMATS = ("pdf", "html")
LANGS = ("ko", "en")


def tools() -> None:
    for tool in ("pdftotext", "pdffonts", "pdftohtml"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not found (apt-get install poppler-utils)")


FORMS_JS = """() => [...document.querySelectorAll('form[action="/documents/generate"]')]
  .filter(f => f.querySelector('input[name=what]')?.value === 'dossier')
  .map(f => ({fields: Object.fromEntries([...f.querySelectorAll('input[type=hidden]')].map(i => [i.name, i.value])),
              formats: [...f.querySelectorAll('select[name=format] option')].map(o => o.value),
              langs: [...f.querySelectorAll('select[name=lang] option')].map(o => o.value)}))"""


@dataclass(frozen=True)
class Choice:
    """One dossier as a user asks for it: a form's hidden fields plus a format and a language."""

    page: str
    fields: tuple[tuple[str, str], ...]
    fmt: str
    lang: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        f = dict(self.fields)
        return f.get("system", ""), f.get("variant", "full"), self.fmt, self.lang

    def label(self) -> str:
        _, variant, fmt, lang = self.key
        return f"{self.page} → {variant} {fmt} {lang}"


def dossier_choices(page: Any, base: str, system: str) -> list[Choice]:
    """Every (variant, format, language) the documents tab of ``system`` offers."""
    path = f"/systems/{system}/documents"
    page.goto(base + path)
    return [Choice(path, tuple(sorted(form["fields"].items())), fmt, lang)
            for form in page.evaluate(FORMS_JS) for fmt in form["formats"] for lang in form["langs"]]


def embedded_cjk_fonts(pdf: Path) -> list[str]:
    """Names of the embedded fonts that can show Hangul."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [row[0] for row in rows if len(row) >= 6 and row[-5] == "yes" and CJK_FONT.search(row[0])]


MONOSPACE = re.compile(r"Mono|Coding|Courier", re.I)
FONT = re.compile(r'<fontspec id="(\d+)"[^>]*family="([^"]*)"')
TEXT = re.compile(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', re.S)


def pdf_prose(pdf: Path) -> str:
    """The PDF's text as a reader reads it: without code (monospace fonts), lines joined, a word
    broken at a hyphen joined again."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    code = {m.group(1) for m in FONT.finditer(xml) if MONOSPACE.search(m.group(2))}
    lines = [markup.unescape(re.sub(r"<[^>]+>", "", m.group(2))) for m in TEXT.finditer(xml) if m.group(1) not in code]
    text = re.sub(r"(?<=[A-Za-z])-\n(?=[a-z])", "-", "\n".join(lines))
    return re.sub(r"\s+", " ", text)


def html_prose(html: str) -> str:
    """An HTML document's text as a reader reads it: without markup, code (also code-marked names in
    charts), scripts, styles and the parts marked as English."""
    html = re.sub(r"<(script|style|code|kbd|title)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<tspan class="code"[^>]*>.*?</tspan>', " ", html, flags=re.S)
    html = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return markup.unescape(re.sub(r"<[^>]+>", " ", html))


def check_korean(path: str, text: str, kind: str, report: Report) -> None:
    words = english_in(text)
    if words:
        report.add(path, "ko", kind, f"English words: {', '.join(words[:20])}")


def check_pdf(path: str, body: bytes, lang: str, folder: Path, report: Report) -> None:
    if not body.startswith(b"%PDF"):
        report.add(path, lang, "dossier", "the PDF download is not a PDF")
        return
    pdf = folder / (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") + ".pdf")
    pdf.write_bytes(body)
    if lang != "ko":
        return
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    if not HANGUL.search(text):
        report.add(path, lang, "Korean PDF", "pdftotext finds no Hangul in the Korean dossier")
    if not embedded_cjk_fonts(pdf):
        report.add(path, lang, "Korean PDF", "no embedded CJK font (pdffonts)")
    check_korean(path, pdf_prose(pdf), "Korean PDF", report)


def check_dossier(request: Any, base: str, choice: Choice, folder: Path, report: Report) -> None:
    """Submit the form for ``choice``, follow it to the stored document and check that."""
    _, _, fmt, lang = choice.key
    where = choice.label()
    report.pages.append(where)
    form = dict(choice.fields) | {"format": fmt, "lang": lang}
    try:
        response = request.post(base + "/documents/generate", form=form, timeout=180_000)
    except Exception as error:  # a dropped connection is a finding, not the end of the walk
        report.add(where, lang, "dossier", f"POST failed: {str(error).splitlines()[0]}")
        return
    if response.status != 200:
        report.add(where, lang, "dossier", f"-> {response.status}: {response.text()[:200]}")
        return
    kind = response.headers.get("content-type", "")
    if fmt not in kind:
        report.add(where, lang, "dossier", f"content-type {kind!r} for a {fmt} dossier")
    if fmt == "pdf":
        check_pdf(where, response.body(), lang, folder, report)
    elif lang == "ko":
        if not HANGUL.search(response.text()):
            report.add(where, lang, "Korean HTML", "no Hangul in the Korean HTML dossier")
        check_korean(where, html_prose(response.text()), "Korean HTML", report)


def expected_links(system: str, variants: set[str], pdf_variants: set[str]) -> set[tuple[str, str, str, str]]:
    """(system, variant, format, language) of every dossier the walk generates."""
    return {(system, v, f, lang) for v in variants for f in FORMATS for lang in LANGS
            if f == "html" or v in pdf_variants}
