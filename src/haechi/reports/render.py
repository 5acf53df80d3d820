"""Render report view models to HTML and PDF (WeasyPrint), in Korean or English.

Renderers format; they compute nothing, so HTML and PDF always show the same numbers.
The PDF uses the same HTML with print CSS: A4 pages, page numbers "n / N", a table of
contents with page numbers (``target-counter``) and the Korean font bundled with the
package (NanumGothic, see :mod:`haechi.reports.pdf`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from haechi.domain.localformat import DEFAULT_ZONE, local_date, local_datetime, number
from haechi.rules.answers import answer_note_ko

from .cardview import card_rows
from .citations import cite


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, Any]]:
    """The report words, ``{"en": {...}, "ko": {...}}`` (nested keys)."""
    raw = resources.files("haechi.reports").joinpath("data/text.yaml").read_text("utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(raw)
    return data


def translate(lang: str, key: str) -> str:
    """``translate("ko", "section.identity")``; the key itself when missing (a test catches it)."""
    node: Any = texts().get(lang, texts()["en"])
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return str(node) if node is not None else key


def pick(item: dict[str, Any] | None, key: str, lang: str) -> Any:
    """``item[key + "_ko"]`` in Korean when present, else ``item[key]``."""
    if not item:
        return None
    if lang == "ko" and item.get(f"{key}_ko"):
        return item[f"{key}_ko"]
    return item.get(key)


def fmt(value: Any, digits: int = 4) -> str:
    """Numbers with separators and a sensible precision; em dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int | float):
        return number(value, digits)
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value) or "—"
    return str(value)


def _catalogue(lang: str) -> Any:
    from haechi.web.i18n import Translator

    return Translator(lang)


def word(lang: str, group: str, value: Any) -> str:
    """A product value (a state, a severity) in the reader's words, from the dashboard catalogue."""
    t = _catalogue(lang)
    key = f"{group}.{value}"
    return t(key) if value not in (None, "") and t.has(key) else str(value or "—")


def stored_sentence(item: dict[str, Any], field: str, lang: str) -> Any:
    """A sentence the product stored with a record (an incident's title), in ``lang``, with the
    identifiers from the user's data (columns, monitors) marked as code."""
    from markupsafe import escape

    from haechi.compliance.messages import localized

    html = localized(None, item.get(f"{field}_message"), lang, code=lambda ident: f"<code>{escape(ident)}</code>")
    return Markup(html) if html is not None else pick(item, field, lang)


def metric(name: Any, lang: str) -> Markup:
    """A metric by its name in the reader's language; a name the catalogue does not know is code."""
    from markupsafe import escape

    from haechi.monitor.metrics.catalog import METRICS, short_label

    if name in METRICS:
        return Markup(escape(short_label(str(name), lang)))
    return Markup(f"<code>{escape(name)}</code>")


def threshold(value: Any, lang: str) -> Markup:
    """``{'max': 0.1}`` as 최대 0.1 / max 0.1; the columns a bound is limited to (``scope``) as code."""
    from markupsafe import escape

    from haechi.compliance.messages import threshold as words

    if not isinstance(value, dict):
        return Markup(escape(words(value, lang)))
    bounds = words({k: v for k, v in value.items() if k != "scope"}, lang)
    scope = value.get("scope")
    columns = [scope] if isinstance(scope, str) else list(scope or [])
    shown = ", ".join(f"<code>{escape(c)}</code>" for c in columns)
    return Markup(str(escape(bounds)) + (f" ({shown})" if shown else ""))


def commands_as_code(text: str) -> Markup:
    """Catalogue text with the quoted ``haechi`` commands in it as code (a reader types them as they are)."""
    from markupsafe import escape

    return Markup(re.sub(r"'(haechi [^']*)'", r"<code>\1</code>", str(escape(text)).replace("&#39;", "'")))


def short(digest: Any, n: int = 16) -> str:
    text = str(digest or "")
    return text if len(text) <= n else text[:n] + "…"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("haechi.reports", "templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fmt=fmt, pick=pick, short=short, commands_as_code=commands_as_code, card_rows=card_rows,
                       svg=Markup, cite=cite)
    return env


def render_html(template: str, model: dict[str, Any], *, for_pdf: bool = False) -> str:
    """HTML of ``model`` with ``template``; ``for_pdf`` adds print-only parts (page numbers)."""
    lang = model.get("lang", "en")
    tz = model.get("timezone") or DEFAULT_ZONE
    return environment().get_template(template).render(
        m=model, lang=lang, for_pdf=for_pdf, tx=lambda key: translate(lang, key),
        when=lambda value: local_datetime(value, lang, tz), day=lambda value: local_date(value, lang, tz),
        word=lambda group, value: word(lang, group, value),
        stored=lambda item, field: stored_sentence(item, field, lang),
        say=_catalogue(lang),
        metric=lambda name: metric(name, lang), threshold=lambda value: threshold(value, lang),
        revision_note=lambda note: (answer_note_ko(note) or note) if lang == "ko" else note)


def html_to_pdf(html: str) -> bytes:
    """A PDF of ``html`` via WeasyPrint (the ``pdf`` extra)."""
    from .pdf import write_pdf

    return write_pdf(html, "PDF documents")


def render(template: str, model: dict[str, Any], fmt_: str) -> bytes:
    """``html`` or ``pdf`` bytes of a report."""
    if fmt_ == "pdf":
        return html_to_pdf(render_html(template, model, for_pdf=True))
    return render_html(template, model).encode("utf-8")
