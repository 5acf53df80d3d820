"""Response bodies of the statutory forms, the documents written from them and the
confirmation requests filed with the regulator."""

from __future__ import annotations

from typing import Any

from ..base import Open, Page


class ComplianceListFormsItem(Open):
    kind: str | None = None
    title: str | None = None
    title_ko: str | None = None
    citation: str | None = None
    citation_ko: str | None = None
    fields: int | float | None = None
    confidence: str | None = None


class ComplianceListForms(Page):
    items: list[ComplianceListFormsItem] | None = None


class ComplianceGetForm(Open):
    kind: str | None = None
    version: int | None = None
    title: str | None = None
    title_ko: str | None = None
    citation: str | None = None
    citation_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    note: Any = None
    note_ko: Any = None
    confidence: str | None = None
    review_days: int | float | None = None
    sections: list[Any] | None = None


class ComplianceListDocumentsItem(Open):
    system: str | None = None
    kind: str | None = None
    title: str | None = None
    title_ko: str | None = None
    citation: str | None = None
    citation_ko: str | None = None
    version: int | None = None
    status: str | None = None
    created_by: str | None = None
    created_at: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    note: Any = None
    complete: bool | None = None
    required_filled: str | None = None
    missing: list[Any] | None = None
    evidence: str | None = None


class ComplianceListDocuments(Page):
    items: list[ComplianceListDocumentsItem] | None = None


class ComplianceGetDocument(ComplianceListDocumentsItem):
    answers: dict[str, Any] | None = None
    public_summary: list[Any] | None = None
    public_summary_ko: list[Any] | None = None


class CompliancePrefillDocument(Open):
    scope: str | None = None


class ComplianceListConfirmationsItem(Open):
    id: int | float | None = None
    system: str | None = None
    submitted_at: str | None = None
    extended_at: Any = None
    replied_at: Any = None
    reply: Any = None
    rerequested_at: Any = None
    rereplied_at: Any = None
    note: str | None = None
    clock_tz: str | None = None
    clocks: list[Any] | None = None


class ComplianceListConfirmations(Page):
    items: list[ComplianceListConfirmationsItem] | None = None


class ComplianceSubmitConfirmation(ComplianceListConfirmationsItem):
    extended_at: str | None = None
    note: Any = None
