"""Names of card fields and of their values, in English and Korean, for the engine's texts.

Reasons and questions speak of card fields (``compute.state_of_the_art``) and vocabulary
values (``employment``). English reasons keep the paths and values as packs write them (they
are stable and quoted in golden cases); Korean reasons name the field and value the way a
person reads them on a card (``최첨단 AI 기술 사용``, ``채용·고용``). The catalogue is
package data (``labels.yaml``), read once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Lang = Literal["en", "ko"]


@cache
def catalogue() -> dict[str, Any]:
    """The parsed ``labels.yaml``: ``words`` and ``fields`` (each with ``en``/``ko``/``values``)."""
    text = resources.files("haechi.rules").joinpath("labels.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def word(key: str, lang: Lang) -> str:
    """A small word used inside reasons (``true``/``예``, ``none``/``없음``, ``or``/``또는``)."""
    return str(catalogue()["words"][key][lang])


def field_label(path: str, lang: Lang) -> str:
    """The readable name of a card field; the path itself when the catalogue has none."""
    entry = catalogue()["fields"].get(path)
    return str(entry[lang]) if entry and entry.get(lang) else path


def value_label(path: str, value: Any, lang: Lang) -> str:
    """The readable name of one vocabulary value of ``path``; the value itself otherwise."""
    entry = catalogue()["fields"].get(path) or {}
    label = (entry.get("values") or {}).get(str(value))
    return str(label[lang]) if label else str(value)


def value_labels(path: str) -> dict[str, dict[str, str]]:
    """Every vocabulary value of ``path`` with its English and Korean names (empty if none)."""
    entry = catalogue()["fields"].get(path) or {}
    return {str(k): {"en": str(v["en"]), "ko": str(v["ko"])} for k, v in (entry.get("values") or {}).items()}

