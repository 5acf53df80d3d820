"""The topic vocabulary that lines obligations of different laws up side by side."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from .fastyaml import parse_fast


@cache
def topics() -> dict[str, dict[str, Any]]:
    """Topic id → ``{"id", "title", "title_ko"}`` in display order."""
    text = files("haechi.packs").joinpath("topics.yaml").read_text(encoding="utf-8")
    doc = parse_fast(text, "topics.yaml", trusted=True)
    if doc is None:
        raise RuntimeError("the shipped topics.yaml is not valid YAML")
    return {t["id"]: t for t in doc.data["topics"]}


def topic_ids() -> set[str]:
    return set(topics())
