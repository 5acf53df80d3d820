"""Main navigation: the entries the capabilities declare (:mod:`haechi.capability`)."""

from __future__ import annotations

from haechi.capability import NavEntry, capabilities


def nav_items() -> list[NavEntry]:
    """Every capability's entries, by position (then path)."""
    entries = [entry for capability in capabilities() for entry in capability.nav]
    return sorted(entries, key=lambda item: (item.order, item.href))
