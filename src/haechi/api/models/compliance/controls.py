"""Response bodies of the control operations, the control library and the compliance status."""

from __future__ import annotations

from typing import Any

from ..base import Open, Page


class ComplianceListControlsItem(Open):
    ref: str | None = None
    system: str | None = None
    key: str | None = None
    title: str | None = None
    title_ko: str | None = None
    status: str | None = None
    status_reason: str | None = None
    status_reason_ko: str | None = None
    status_changed_at: str | None = None
    owner: str | None = None
    due_date: str | None = None
    overdue: bool | None = None
    obligations: list[Any] | None = None
    evidence_types: list[Any] | None = None
    effective: bool | None = None
    health: dict[str, Any] | None = None
    frameworks: dict[str, Any] | None = None
    retired: bool | None = None
    retired_reason: Any = None
    library_version: int | float | None = None
    created_at: str | None = None


class ComplianceListControls(Page):
    items: list[ComplianceListControlsItem] | None = None


class ComplianceChangeStatus(ComplianceListControlsItem):
    status_reason: Any = None
    status_reason_ko: Any = None


class ComplianceGetControl(ComplianceChangeStatus):
    evidence: list[Any] | None = None
    events: list[Any] | None = None
    obligation_details: list[Any] | None = None


class ComplianceSyncControls(Open):
    system: str | None = None
    context: str | None = None
    obligations_started: list[Any] | None = None
    obligations_ended: list[Any] | None = None
    added: list[Any] | None = None
    restored: list[Any] | None = None
    changed: list[Any] | None = None
    retired: list[Any] | None = None


class ComplianceCheckControls(Open):
    demoted: list[Any] | None = None


class ComplianceControlLibraryItem(Open):
    id: str | None = None
    title: str | None = None
    title_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    topics: list[Any] | None = None
    obligations: list[Any] | None = None
    frameworks: dict[str, Any] | None = None
    owner: str | None = None
    due_days: int | float | None = None
    plans: list[Any] | None = None
    alerts: list[Any] | None = None
    evidence: list[Any] | None = None


class ComplianceControlLibrary(Page):
    items: list[ComplianceControlLibraryItem] | None = None


class ComplianceOrgStatus(Open):
    org: str | None = None
    as_of: str | None = None
    today: str | None = None
    totals: dict[str, Any] | None = None
    obligations: int | float | None = None
    coverage: int | float | None = None
    controls: dict[str, Any] | None = None
    systems: list[Any] | None = None
    clocks: list[Any] | None = None
    risks: dict[str, Any] | None = None
    next_actions: list[Any] | None = None


class ComplianceSystemStatus(Open):
    system: str | None = None
    name: str | None = None
    counts: dict[str, Any] | None = None
    coverage: int | float | None = None
    obligations: list[Any] | None = None
    upcoming: list[Any] | None = None
    controls_detail: list[Any] | None = None
    controls: dict[str, Any] | None = None
    classified_at: str | None = None
    clocks: list[Any] | None = None
    next_actions: list[Any] | None = None
