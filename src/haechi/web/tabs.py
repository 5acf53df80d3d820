"""Tabs of the system page: the tabs the capabilities declare (:mod:`haechi.capability`)."""

from __future__ import annotations

from haechi.capability import SystemTab, capabilities


def system_tabs() -> list[SystemTab]:
    """Every capability's tabs, by position (capabilities' order breaks ties)."""
    tabs = [tab for capability in capabilities() for tab in capability.tabs]
    return sorted(tabs, key=lambda tab: tab.order)
