"""Main navigation. Capabilities append entries: (i18n key, path, required permission)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str
    order: int = 50


NAV: list[NavItem] = [
    NavItem("nav.home", "/", 0),
    NavItem("nav.systems", "/systems", 10),
    NavItem("nav.settings", "/settings", 95),
    NavItem("nav.monitoring", "/monitoring", 40),
    NavItem("nav.esg", "/esg", 60),
    NavItem("nav.reports", "/reports", 80),
]


def nav_items() -> list[NavItem]:
    return sorted(NAV, key=lambda item: (item.order, item.href))
