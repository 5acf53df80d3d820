"""Response bodies of the pack-update operations: installs, keys, law changes, timelines."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class PackInstall(Open):
    bundle: str | None = None
    bundle_sha256: str | None = None
    publisher: dict[str, Any] | None = None
    installed: list[dict[str, Any]] | None = None
    already_present: list[str] | None = None
    law_changes: dict[str, list[dict[str, Any]]] | None = None


class PackUninstall(Open):
    removed: dict[str, Any] | None = None
    law_changes: dict[str, list[dict[str, Any]]] | None = None


class PackKey(Open):
    key_id: str | None = None
    source: str | None = None
    trusted: bool | None = None
    file: str | None = None


class PackKeys(Page):
    items: list[PackKey] | None = None


class LawChangeItem(Open):
    id: int | None = None
    system: str | None = None
    pack: str | None = None
    old_version: int | None = None
    new_version: int | None = None
    old_sha256: str | None = None
    new_sha256: str | None = None
    old_as_of: str | None = None
    as_of: str | None = None
    effective: str | None = None
    trigger: str | None = None
    cause: str | None = None
    gained: list[dict[str, Any]] | None = None
    lost: list[dict[str, Any]] | None = None
    moved: list[dict[str, Any]] | None = None
    classes: list[dict[str, Any]] | None = None
    controls: list[dict[str, Any]] | None = None
    deliveries: list[dict[str, Any]] | None = None
    actor: str | None = None
    at: str | None = None


class LawChanges(Page):
    items: list[LawChangeItem] | None = None


class Timeline(Open):
    system: str | None = None
    today: str | None = None
    events: list[dict[str, Any]] | None = None
