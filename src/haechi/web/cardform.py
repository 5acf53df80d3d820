"""The system-card form, generated from the card model so it always covers every field.

Booleans are three-way selects (unknown / yes / no) because "not known" is a real
answer for the rules engine; lists of vocabulary values are checkboxes; free lists
(tags, markets) are comma-separated text. Empty inputs mean "unknown" and are left out.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from haechi.domain.card import SystemCard

TEXTAREAS = {"description", "description_ko", "data.training_data_summary"}


@dataclass(frozen=True)
class FormField:
    """One input of the card form; ``path`` is the dotted card path (also the input name)."""

    path: str
    kind: str  # text | textarea | bool3 | select | multi | csv | int | float | date | pairs
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def group(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def dom_id(self) -> str:
        return "f-" + self.path.replace(".", "-").replace("_", "-")


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _base(annotation: Any) -> Any:
    """Unwrap ``Annotated[...]`` to the underlying type."""
    if get_origin(annotation) is typing.Annotated:
        return get_args(annotation)[0]
    return annotation


def _kind(path: str, annotation: Any) -> tuple[str, tuple[str, ...]]:
    annotation = _base(_strip_optional(annotation))
    origin = get_origin(annotation)
    if origin is dict:  # name → number (model.metrics): typed as "f1=0.71, auc=0.9"
        return "pairs", ()
    if origin is list:
        inner = _base(get_args(annotation)[0])
        if get_origin(inner) is Literal:
            return "multi", tuple(get_args(inner))
        return "csv", ()
    if get_origin(annotation) is Literal:
        return "select", tuple(get_args(annotation))
    if annotation is bool:
        return "bool3", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if annotation is dt.date:
        return "date", ()
    return ("textarea" if path in TEXTAREAS else "text"), ()


def _fields(model: type[BaseModel], prefix: str = "") -> list[FormField]:
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        inner = _base(_strip_optional(info.annotation))
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out.extend(_fields(inner, path + "."))
            continue
        kind, choices = _kind(path, info.annotation)
        out.append(FormField(path, kind, choices, info.is_required()))
    return out


CARD_FIELDS: list[FormField] = _fields(SystemCard)
FIELDS_BY_PATH = {f.path: f for f in CARD_FIELDS}


def _parse(field: FormField, raw: list[str]) -> Any:
    values = [v.strip() for v in raw if v is not None]
    if field.kind == "multi":
        return [v for v in values if v] or None
    value = values[0] if values else ""
    if value == "":
        return None
    if field.kind == "bool3":
        return {"yes": True, "no": False}.get(value, value)
    if field.kind == "csv":
        return [part.strip() for part in value.split(",") if part.strip()]
    if field.kind == "pairs":
        return _pairs(value)
    if field.kind in ("int", "float"):
        cleaned = value.replace(",", "").replace("_", "")
        try:
            return int(cleaned) if field.kind == "int" else float(cleaned)
        except ValueError:
            return value  # let validation name the field and the fix
    return value


def _pairs(value: str) -> dict[str, float] | str:
    """``"f1=0.71, auc=0.9"`` as a mapping; text that is not such a list is returned as it is,
    so validation names the field and the fix."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in value.split(",")):
        name, sep, number = part.partition("=")
        try:
            out[name.strip()] = float(number.strip())
        except ValueError:
            return value
        if not sep or not name.strip():
            return value
    return out


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def form_to_card_data(form: dict[str, list[str]], multi_present: set[str]) -> dict[str, Any]:
    """Card data from submitted form values; empty answers are left out (unknown).

    ``multi_present`` lists checkbox groups that were shown: an unticked group then
    means an empty list (known: none), not unknown — unless "unknown" was ticked.
    """
    data: dict[str, Any] = {}
    for field in CARD_FIELDS:
        raw = form.get(field.path, [])
        if field.kind == "multi" and field.path in multi_present:
            if "__unknown__" in raw:
                continue
            _set(data, field.path, [v for v in raw if v and v != "__unknown__"])
            continue
        value = _parse(field, raw)
        if value is not None:
            _set(data, field.path, value)
    return data


def card_to_form_values(card_json: dict[str, Any]) -> dict[str, Any]:
    """Flatten card JSON to ``{path: value}`` for pre-filling the form."""
    values: dict[str, Any] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            field = FIELDS_BY_PATH.get(path)
            if isinstance(value, dict) and not (field and field.kind == "pairs"):
                walk(value, path + ".")
            else:
                values[path] = value

    walk(card_json, "")
    return values


def display_value(field: FormField, value: Any) -> str:
    """The text an input shows for ``value``."""
    if value is None:
        return ""
    if field.kind == "bool3":
        return "yes" if value else "no"
    if field.kind == "csv" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field.kind == "float" and isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.3e}"
    if field.kind == "pairs" and isinstance(value, dict):
        return ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
    return str(value)


SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("identity", ("id", "name", "name_ko", "description", "description_ko", "status", "tags", "deployed_at")),
    ("use", ("roles", "domains", "decides_about_people", "infrastructure_sectors", "education_level",
             "lifecycle_stage", "markets", "significant_impact", "human_final_decision", "profiling",
             "interacts_with_people", "internal_use_only", "defence_or_security_only", "research_only",
             "personal_use_only")),
    ("operator", ("operator.",)),
    ("generative", ("generative.",)),
    ("eu", ("eu_derogation", "gpai", "eu_practices", "eu_annex_i_safety_component",
            "critical_infrastructure_safety_component", "public_benefits_eligibility", "public_authority_use",
            "significant_change")),
    ("korea", ("kr.",)),
    ("compute", ("compute.",)),
    ("model", ("model.", "data.")),
    ("owners", ("owners.",)),
]


def sections() -> list[tuple[str, list[FormField]]]:
    """Card fields grouped for the form; every field appears exactly once."""
    placed: set[str] = set()
    out: list[tuple[str, list[FormField]]] = []
    for key, selectors in SECTIONS:
        chosen = [f for f in CARD_FIELDS if f.path not in placed and any(
            f.path == s or (s.endswith(".") and f.path.startswith(s)) for s in selectors)]
        placed.update(f.path for f in chosen)
        out.append((key, chosen))
    rest = [f for f in CARD_FIELDS if f.path not in placed]
    if rest:
        out.append(("other", rest))
    return out


#: Translation prefixes of vocabulary-valued fields (``vocab.<prefix>.<value>``).
VOCAB_PREFIX = {
    "domains": "vocab.domain", "roles": "vocab.role", "generative.modalities": "vocab.modality",
    "eu_practices": "vocab.eu_practice", "lifecycle_stage": "vocab.lifecycle_stage",
    "status": "vocab.status", "education_level": "vocab.education_level",
    "eu_derogation": "vocab.eu_derogation", "infrastructure_sectors": "vocab.infrastructure_sector",
    "kr.sectoral_measures": "vocab.kr_sectoral_measure", "cra.product_class": "vocab.cra_product_class",
}
