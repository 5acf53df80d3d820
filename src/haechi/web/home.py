"""Panels of the home page: those the capabilities declare (:mod:`haechi.capability`).

A panel's ``build(hc, actor)`` returns JSON-able data and its template renders it
(included in ``home.html``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from haechi.capability import capabilities, resolve


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    build: Callable[..., dict[str, Any]]  # build(hc, actor) -> data
    order: int = 50


def home_panels() -> list[HomePanel]:
    """Every capability's panels, by position, with their build functions imported."""
    declared = [panel for capability in capabilities() for panel in capability.home_panels]
    return [HomePanel(p.key, p.template, resolve(p.build), p.order) for p in sorted(declared, key=lambda p: p.order)]
