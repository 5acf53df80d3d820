"""Panels of the home page. Capabilities append a :class:`HomePanel` whose ``build``
returns JSON-able data and whose template renders it (included in ``home.html``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    build: Callable[..., dict[str, Any]]  # build(hc, actor) -> data
    order: int = 50


HOME_PANELS: list[HomePanel] = []


def home_panels() -> list[HomePanel]:
    return sorted(HOME_PANELS, key=lambda p: p.order)
