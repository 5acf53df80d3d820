"""The Korean of expected errors, from one catalogue.

English is the source text and stays at the raise site; its Korean lives in
``locales/errors.ko.yaml`` under a stable dotted key (``transparency.unknown_channel``).
A raise site names the key and the values its message quotes::

    raise ValidationFailed(f"unknown channel '{channel}'", key="transparency.unknown_channel",
                           values={"channel": channel})

and the error carries its Korean from the moment it is made, so the CLI, the dashboard
and the API show it without knowing the key. A test scans the code and fails on a raise
without Korean, a key missing from the catalogue, placeholders that differ or an entry
nothing uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).parent / "locales" / "errors.ko.yaml"


@cache
def entries() -> dict[str, str]:
    """Every Korean error text by its key."""
    data: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or {}
    return {str(key): str(text) for key, text in data.items()}


def korean_message(key: str, values: Mapping[str, Any] | None = None) -> str | None:
    """The Korean text of ``key`` with its placeholders filled; None for an unknown key
    (the English message is shown then — better than failing while reporting an error)."""
    text = entries().get(key)
    if text is None:
        return None
    try:
        return text.format(**(values or {}))
    except (KeyError, IndexError, ValueError):
        return None
