"""Guided forms for structured plans and assessments (ko/en), defined as data.

Each form (``compliance/form_defs/<kind>.yaml``) has sections of fields with Korean and
English labels, help text and the article each field comes from. Answers are a flat
mapping ``field id → value``. Drafts may be incomplete; approval requires every
required field. Fields may be pre-filled from the system card (``prefill``) or from
another document's answers (``reuse``: e.g. the EU FRIA reuses the Korean impact
assessment's affected groups and mitigations).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from importlib.resources import files
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from haechi.domain.errors import IssueCollector
from haechi.domain.validation import parse_model
from haechi.domain.yamlio import loads_yaml

FieldType = Literal["text", "textarea", "list", "choice", "multichoice", "date", "email", "bool", "number"]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_M):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    label: str
    label_ko: str


class FieldDef(_M):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    type: FieldType = "textarea"
    label: str
    label_ko: str
    help: str = ""
    help_ko: str = ""
    required: bool = False
    choices: list[Choice] = Field(default_factory=list)
    citation: str | None = None
    citation_ko: str | None = Field(None, description="the citation on Korean pages (default: citation)")
    prefill: str | None = Field(None, description="system-card path, e.g. owners.oversight.name")
    reuse: list[str] = Field(default_factory=list, description="'kind.field' answers to copy when empty")
    public: bool = Field(False, description="part of the contents to be posted publicly")


class Section(_M):
    id: str
    title: str
    title_ko: str
    citation: str | None = None
    citation_ko: str | None = Field(None, description="the citation on Korean pages (default: citation)")
    fields: list[FieldDef] = Field(min_length=1)


class FormDef(_M):
    kind: str
    version: Annotated[int, Field(ge=1)]
    title: str
    title_ko: str
    citation: str
    citation_ko: str | None = Field(None, description="the citation on Korean pages (default: citation)")
    description: str
    description_ko: str
    note: str | None = None
    note_ko: str | None = None
    confidence: Literal["primary", "secondary", "uncertain"] = "primary"
    review_days: Annotated[int, Field(ge=30, le=1095)] = 365
    sections: list[Section] = Field(min_length=1)

    def fields(self) -> dict[str, FieldDef]:
        return {f.id: f for s in self.sections for f in s.fields}

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump()


@cache
def forms() -> dict[str, FormDef]:
    """Every shipped form by kind."""
    root = files("haechi.compliance.form_defs")
    out = {}
    for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml")):
        doc = loads_yaml(root.joinpath(name).read_text(encoding="utf-8"), f"form_defs/{name}")
        form = parse_model(FormDef, doc.data, doc, "form", "서식")
        out[form.kind] = form
    return out


def form(kind: str) -> FormDef:
    from haechi.domain.errors import NotFound

    found = forms().get(kind)
    if found is None:
        raise NotFound(f"no form '{kind}'; use one of: {', '.join(forms())}",
                       key="compliance.no_form_use_one", values={"forms": ", ".join(forms()), "kind": kind})
    return found


# --- answers -------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value is None or value in ("", []) or (isinstance(value, str) and not value.strip())


def _coerce(f: FieldDef, value: Any) -> tuple[Any, str | None]:
    """Normalise one answer; return (value, problem)."""
    if f.type in ("text", "textarea"):
        return (value.strip(), None) if isinstance(value, str) else (value, "write text")
    if f.type == "list":
        if isinstance(value, str):
            value = [line.strip(" -•\t") for line in value.splitlines()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return value, "write a list of text items (one per line)"
        return [v.strip() for v in value if v.strip()], None
    if f.type in ("choice", "multichoice"):
        return _coerce_choice(f, value)
    if f.type == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return value, "write a date as YYYY-MM-DD"
    if f.type == "email":
        ok = isinstance(value, str) and EMAIL.match(value.strip())
        return (value.strip(), None) if ok else (value, "write an e-mail address")
    if f.type == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        return (text in ("true", "yes", "1", "on", "예"), None) if text in (
            "true", "false", "yes", "no", "1", "0", "on", "off", "예", "아니오") else (value, "write true or false")
    try:
        return float(value), None
    except (TypeError, ValueError):
        return value, "write a number"


def _coerce_choice(f: FieldDef, value: Any) -> tuple[Any, str | None]:
    allowed = [c.value for c in f.choices]
    values = value if isinstance(value, list) else [value]
    if f.type == "multichoice" and isinstance(value, str):
        values = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in values if v not in allowed]
    if bad:
        close = difflib.get_close_matches(str(bad[0]), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return value, f"{hint}use one of: {', '.join(allowed)}"
    return (values if f.type == "multichoice" else values[0]), None


def check_answers(form_def: FormDef, answers: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """Validate and normalise answers; with ``complete`` every required field must be filled."""
    fields = form_def.fields()
    found = IssueCollector()
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        f = fields.get(key)
        if f is None:
            close = difflib.get_close_matches(key, list(fields), n=1)
            found.add(key, "unknown field", f"did you mean '{close[0]}'?" if close else
                      f"use one of: {', '.join(fields)}")
            continue
        if _empty(value):
            continue
        normalised, problem = _coerce(f, value)
        if problem:
            found.add(key, f"{value!r} is not valid for '{f.label}'", problem)
        else:
            clean[key] = normalised
    if complete:
        for f in fields.values():
            if f.required and _empty(clean.get(f.id)):
                found.add(f.id, f"'{f.label}' ({f.label_ko}) is required", f.help or "fill it in")
    found.raise_if_any(f"{form_def.title}: {len(found.issues)} problem(s) in the answers",
                       f"{form_def.title_ko}: 답변에 {len(found.issues)}건의 문제가 있습니다")
    return clean


def _card_value(card: dict[str, Any], path: str) -> Any:
    value: Any = card
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def prefill(form_def: FormDef, card: dict[str, Any], others: dict[str, dict[str, Any]],
            lang: str = "en") -> dict[str, Any]:
    """Suggested answers from the card and from other documents (``kind → answers``).

    A Korean reader is offered the card's Korean side of a field where it has one
    (``description`` → ``description_ko``), so a Korean plan starts from Korean text."""
    out: dict[str, Any] = {}
    for f in form_def.fields().values():
        for ref in f.reuse:
            kind, _, key = ref.partition(".")
            value = others.get(kind, {}).get(key)
            if not _empty(value):
                out[f.id] = value
                break
        if f.id not in out and f.prefill:
            paths = [f"{f.prefill}_ko", f.prefill] if lang == "ko" else [f.prefill]
            for path in paths:
                value = _card_value(card, path)
                if not _empty(value):
                    out[f.id] = value
                    break
    return out


def public_summary(form_def: FormDef, answers: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """The answers meant to be posted publicly (e.g. KR Decree Art. 27(1)), in form order."""
    return [{"field": f.id, "label": f.label_ko if lang == "ko" else f.label, "value": answers[f.id],
             "text": answer_text(f, answers[f.id], lang)}
            for f in form_def.fields().values() if f.public and not _empty(answers.get(f.id))]


def answer_text(field: FieldDef, value: Any, lang: str = "en") -> str:
    """An answer as a reader reads it: chosen values by their labels, lists joined with commas."""
    labels = {c.value: (c.label_ko if lang == "ko" else c.label) for c in field.choices}
    values = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(v, str(v)) if isinstance(v, str) else str(v) for v in values)
