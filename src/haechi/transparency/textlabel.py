"""Labels for generated text: a visible label plus machine-readable marks.

Machine-readable marks come in three forms so every kind of client can read one:

* the HTTP response header ``AI-Disclosure`` (a structured-field dictionary following
  the IETF individual draft *draft-abaris-aicdh*; a draft, not a standard — it is
  used because no standard header exists yet), plus ``AI-System`` naming the system;
* an HTML ``<meta name="ai-disclosure">`` element with the same dictionary;
* a JSON field ``ai_disclosure`` for API responses.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import Any, Literal

from .labelsettings import LabelSettings

TextFormat = Literal["text", "html", "json"]
HEADER = "AI-Disclosure"
SYSTEM_HEADER = "AI-System"
NOTICE_HEADER = "AI-Notice-Version"


@dataclass(frozen=True)
class TextIdentity:
    system_id: str
    name: dict[str, str]
    provider: str
    model: str | None
    notice_version: int | None


def _sf_string(value: str) -> str:
    """An RFC 9651 sf-string: quoted, with backslash and quote escaped, printable ASCII only."""
    ascii_only = value.encode("ascii", "replace").decode().replace("\\", "\\\\").replace('"', '\\"')
    return f'"{ascii_only}"'


def disclosure_header(ident: TextIdentity, settings: LabelSettings, when: dt.datetime) -> str:
    """The ``AI-Disclosure`` header value."""
    parts = [f"mode={settings.disclosure_mode}"]
    if ident.model:
        parts.append(f"model={_sf_string(ident.model)}")
    parts.append(f"provider={_sf_string(ident.provider)}")
    parts.append(f"date=@{int(when.timestamp())}")
    return ", ".join(parts)


def machine_headers(ident: TextIdentity, settings: LabelSettings, when: dt.datetime) -> dict[str, str]:
    headers = {HEADER: disclosure_header(ident, settings, when), SYSTEM_HEADER: ident.system_id}
    if ident.notice_version:
        headers[NOTICE_HEADER] = str(ident.notice_version)
    return headers


def disclosure_json(ident: TextIdentity, settings: LabelSettings, when: dt.datetime, lang: str) -> dict[str, Any]:
    """The ``ai_disclosure`` object for JSON responses."""
    return {"ai_generated": True, "mode": settings.disclosure_mode, "system": ident.system_id,
            "system_name": ident.name.get(lang) or ident.name["en"], "provider": ident.provider,
            "model": ident.model, "notice_version": ident.notice_version,
            "label": settings.wording(lang, ident.name.get(lang) or ident.name["en"]) if settings.visible else None,
            "generated_at": when.isoformat(timespec="seconds")}


def meta_tag(ident: TextIdentity, settings: LabelSettings, when: dt.datetime) -> str:
    return f'<meta name="ai-disclosure" content="{html.escape(disclosure_header(ident, settings, when))}">'


def visible_label_html(label: str, lang: str) -> str:
    return (f'<p class="haechi-ai-label" role="note" lang="{lang}" '
            f'style="color:#111;background:#eef3fb;border-left:4px solid #0b4f9c;padding:.25rem .5rem">'
            f"{html.escape(label)}</p>")


def label_text(text: str, ident: TextIdentity, settings: LabelSettings, fmt: TextFormat,
               lang: str | None = None, when: dt.datetime | None = None) -> dict[str, Any]:
    """Label ``text``; returns ``{"body": str, "headers": {...}, "label": str|None}``."""
    lang = lang or settings.lang
    when = when or dt.datetime.now(dt.UTC)
    name = ident.name.get(lang) or ident.name["en"]
    label = settings.wording(lang, name) if settings.visible else None
    headers = machine_headers(ident, settings, when) if settings.machine else {}
    if fmt == "json":
        payload = {"content": text, "ai_disclosure": disclosure_json(ident, settings, when, lang)}
        return {"body": json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "headers": headers,
                "label": label}
    if fmt == "html":
        parts = [meta_tag(ident, settings, when)] if settings.machine else []
        content = f"<div>{html.escape(text)}</div>"
        visible = [visible_label_html(label, lang)] if label else []
        parts += [*visible, content] if settings.position == "prefix" else [content, *visible]
        return {"body": "\n".join(parts) + "\n", "headers": headers, "label": label}
    pieces = [label, text] if settings.position == "prefix" else [text, label]
    return {"body": "\n\n".join(p for p in pieces if p).rstrip("\n") + "\n", "headers": headers, "label": label}
