"""Tabs of the system page. Capabilities append (i18n key, path suffix, order)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    key: str
    suffix: str
    order: int = 50


SYSTEM_TABS: list[Tab] = [
    Tab("tabs.overview", "", 0),
    Tab("tabs.monitoring", "/monitoring", 40),
    Tab("tabs.esg", "/esg", 60),
    Tab("tabs.documents", "/documents", 80),
    Tab("tabs.history", "/history", 90),
]


def system_tabs() -> list[Tab]:
    return sorted(SYSTEM_TABS, key=lambda tab: tab.order)
