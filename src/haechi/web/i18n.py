"""Translations for everything a person reads in the dashboard.

Catalogs are YAML files ``locales/<area>.<lang>.yaml`` (flat or nested keys, joined
with dots). Every capability ships its own pair; a test checks that Korean and English
have exactly the same keys, so no page shows an untranslated string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "en"


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(_flatten(value, full))
        else:
            out[full] = str(value)
    return out


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, merged from every ``*.<lang>.yaml`` file."""
    from haechi.monitor.metrics.catalog import messages as metric_names

    merged: dict[str, str] = metric_names(lang)  # metric names live in the metric catalogue
    for path in sorted(LOCALES_DIR.glob(f"*.{lang}.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged.update(_flatten(data))
    return merged


class Translator:
    """``t("systems.title")`` or ``t("systems.count", n=3)`` in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.messages = catalog(self.lang)
        self.fallback = catalog(DEFAULT_LANGUAGE)

    def __call__(self, key: str, **values: Any) -> str:
        text = self.messages.get(key) or self.fallback.get(key)
        if text is None:
            return key  # visible, and caught by the catalog test
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.messages


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The user's explicit choice wins; else Korean when the browser asks for it first."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ko"):
            return "ko"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE
