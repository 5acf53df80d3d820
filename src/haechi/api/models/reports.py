"""Response bodies of the reports operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class ReportsDocumentsItem(Open):
    id: int | float | None = None
    kind: str | None = None
    variant: str | None = None
    lang: str | None = None
    format: str | None = None
    system: str | None = None
    sha256: str | None = None
    size: int | float | None = None
    checkpoint_seq: int | float | None = None
    created_by: str | None = None
    filename: str | None = None
    href: str | None = None
    created_at: str | None = None


class ReportsDocuments(Page):
    items: list[ReportsDocumentsItem] | None = None


class ReportsImportFile(Open):
    file: str | None = None
    created: int | float | None = None
    updated: int | float | None = None
    unchanged: int | float | None = None
    incidents: int | float | None = None
    warnings: list[Any] | None = None
    skipped_sheets: list[Any] | None = None


class ReportsConfigurePassport(Open):
    system: str | None = None
    enabled: bool | None = None
    fields: list[Any] | None = None
    valid_days: int | float | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    current: Any = None
    available_fields: list[Any] | None = None


class ReportsPassportSettings(ReportsConfigurePassport):
    current: dict[str, Any] | None = None
    history: list[Any] | None = None


class ReportsPublishPassport(Open):
    system: str | None = None
    version: int | None = None
    sha256: str | None = None
    document: dict[str, Any] | None = None


class ReportsPublicPassport(Open):
    passport: dict[str, Any] | None = None
    signature: dict[str, Any] | None = None


class ReportsPassportKeys(Open):
    org: str | None = None
    keys: list[Any] | None = None
