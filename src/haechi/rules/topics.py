"""The topic vocabulary that lines obligations of different laws up side by side."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from haechi.domain.yamlio import loads_yaml


@cache
def topics() -> dict[str, dict[str, Any]]:
    """Topic id → ``{"id", "title", "title_ko"}`` in display order."""
    text = files("haechi.packs").joinpath("topics.yaml").read_text(encoding="utf-8")
    return {t["id"]: t for t in loads_yaml(text, "topics.yaml").data["topics"]}


def topic_ids() -> set[str]:
    return set(topics())
