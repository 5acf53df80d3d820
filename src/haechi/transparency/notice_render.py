"""Render a notice as text, an HTML fragment, a JSON payload or a printable PDF.

The HTML fragment is what a web or app team pastes on screen; the JSON payload is the
same content for native apps that draw their own UI; the PDF is the A4 notice to post
at the place of service (Decree Art. 23(1)(3)). PDF needs WeasyPrint (``haechi[pdf]``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .notice_text import CONTACT_SEPARATOR, body, contact_parts, legal_line, render_text, sentences, version_line
from .notices import Channel, Lang, NoticeContent

Format = Literal["text", "html", "json", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "html", "json", "pdf")
DISMISS = {"en": "I understand", "ko": "확인했습니다"}
CONTACT_LABEL = {"en": "Questions or objections:", "ko": "문의·이의 제기:"}


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("haechi.transparency", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def notice_css() -> str:
    return (resources.files("haechi.transparency") / "templates" / "notice_style.css").read_text()


def render_html(content: NoticeContent, lang: Lang, channel: Channel, *, dismiss: bool = False,
                level: int = 2) -> str:
    """The notice as an accessible HTML fragment (a labelled ``<section>``; heading ``level``)."""
    s = sentences(content, lang)
    clause_head = "Article __ (Use of artificial intelligence)" if lang == "en" else "제○조 (인공지능 이용 고지)"
    return _env().get_template("notice_snippet.html").render(
        content=content, lang=lang, channel=channel, s=s, body=body(content, lang),
        clause_head=clause_head, legal=legal_line(content, lang, channel),
        version=version_line(content, lang), contact_label=CONTACT_LABEL[lang],
        contact_parts=contact_parts(content), contact_separator=CONTACT_SEPARATOR[lang],
        dismiss=DISMISS[lang] if dismiss else None, level=level).strip() + "\n"


def render_document(content: NoticeContent, lang: Lang, channel: Channel) -> str:
    """A complete HTML page holding the notice (for print, PDF and accessibility checks)."""
    snippet = Markup(render_html(content, lang, channel, level=1))
    return _env().get_template("notice_document.html").render(
        lang=lang, title=sentences(content, lang)["title"], css=Markup(notice_css()), snippet=snippet)


def render_json(content: NoticeContent, lang: Lang, channel: Channel) -> dict[str, Any]:
    """The payload an app needs to show the notice itself, plus the ready text."""
    s = sentences(content, lang)
    return {
        "system": content.system_id, "version": content.version, "effective": content.effective,
        "lang": lang, "channel": channel, "required": content.required,
        "title": s["title"], "sentences": body(content, lang),
        "contact": content.contact.to_dict(), "legal_basis": content.citations[lang],
        "legal_line": legal_line(content, lang, channel), "text": render_text(content, lang, channel),
        "html": render_html(content, lang, channel), "verdict_digest": content.verdict_digest,
    }


def render_pdf(content: NoticeContent, lang: Lang, channel: Channel) -> bytes:
    """A4 PDF of the notice (WeasyPrint, with the Korean font bundled with Haechi)."""
    from haechi.reports.pdf import write_pdf

    return write_pdf(render_document(content, lang, channel), "PDF notices")


def render(content: NoticeContent, lang: Lang, channel: Channel, fmt: Format) -> str | bytes | dict[str, Any]:
    """Dispatch on ``fmt``: text → str, html → str, json → dict, pdf → bytes."""
    if fmt == "text":
        return render_text(content, lang, channel)
    if fmt == "html":
        return render_html(content, lang, channel)
    if fmt == "json":
        return render_json(content, lang, channel)
    return render_pdf(content, lang, channel)
