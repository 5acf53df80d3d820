"""Response bodies of the risk register and the incident operations."""

from __future__ import annotations

from typing import Any

from ..base import Open, Page


class ComplianceListRisksItem(Open):
    ref: str | None = None
    system: str | None = None
    title: str | None = None
    hazard: str | None = None
    harm: str | None = None
    affected: list[Any] | None = None
    owner: str | None = None
    status: str | None = None
    inherent: dict[str, Any] | None = None
    residual: dict[str, Any] | None = None
    treatments: list[Any] | None = None
    review_date: Any = None
    review_overdue: bool | None = None
    accepted_by: str | None = None
    accepted_at: str | None = None
    acceptance_note: str | None = None
    controls: list[Any] | None = None
    incidents: list[Any] | None = None
    created_by: str | None = None
    created_at: str | None = None
    closed_at: Any = None


class ComplianceListRisks(Page):
    items: list[ComplianceListRisksItem] | None = None


class ComplianceGetRisk(ComplianceListRisksItem):
    closed_at: str | None = None


class ComplianceHeatmap(Open):
    rows: list[Any] | None = None
    severity: list[Any] | None = None
    bands: list[Any] | None = None
    residual: bool | None = None
    system: Any = None
    unrated: int | float | None = None


class ComplianceGetMatrix(Open):
    likelihood: list[Any] | None = None
    severity: list[Any] | None = None
    bands: list[Any] | None = None
    cells: dict[str, Any] | None = None
    approval_level: str | None = None


class ComplianceListIncidentsItem(Open):
    ref: str | None = None
    system: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: dict[str, Any] | None = None
    description: str | None = None
    description_message: dict[str, Any] | None = None
    description_ko: str | None = None
    source: str | None = None
    source_ref: dict[str, Any] | None = None
    severity: str | None = None
    classification: dict[str, Any] | None = None
    status: str | None = None
    clock_tz: str | None = None
    occurred_at: Any = None
    aware_at: str | None = None
    root_cause: Any = None
    corrective_actions: list[Any] | None = None
    affected: dict[str, Any] | None = None
    closed_at: Any = None
    closed_by: Any = None
    closure_summary: Any = None
    created_by: str | None = None
    created_at: str | None = None
    clocks: list[Any] | None = None
    cra_clocks: bool | None = None
    no_statutory_clock_kr: bool | None = None
    filings: list[Any] | None = None


class ComplianceListIncidents(Page):
    items: list[ComplianceListIncidentsItem] | None = None


class ComplianceGetIncident(ComplianceListIncidentsItem):
    root_cause: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None
    closure_summary: str | None = None
    timeline: list[Any] | None = None


class ComplianceIncidentReport(Open):
    incident: str | None = None
    regulator: str | None = None
    lang: str | None = None
    title: str | None = None
    note: str | None = None
    sections: list[Any] | None = None
