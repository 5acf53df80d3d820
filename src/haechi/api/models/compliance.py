"""Response bodies of the compliance operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open


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


class ComplianceListControls(Open):
    items: list[ComplianceListControlsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceGetControl(Open):
    ref: str | None = None
    system: str | None = None
    key: str | None = None
    title: str | None = None
    title_ko: str | None = None
    status: str | None = None
    status_reason: Any = None
    status_reason_ko: Any = None
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
    evidence: list[Any] | None = None
    events: list[Any] | None = None
    obligation_details: list[Any] | None = None


class ComplianceChangeStatus(Open):
    ref: str | None = None
    system: str | None = None
    key: str | None = None
    title: str | None = None
    title_ko: str | None = None
    status: str | None = None
    status_reason: Any = None
    status_reason_ko: Any = None
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


class ComplianceControlLibrary(Open):
    items: list[ComplianceControlLibraryItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceListEvidenceItem(Open):
    ref: str | None = None
    lineage: str | None = None
    revision: int | None = None
    system: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    polarity: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: dict[str, Any] | None = None
    description: Any = None
    sha256: str | None = None
    size: int | float | None = None
    media_type: str | None = None
    sniffed_type: str | None = None
    filename: str | None = None
    url: Any = None
    source: str | None = None
    source_ref: str | None = None
    collected_at: str | None = None
    effective_from: str | None = None
    effective_until: Any = None
    valid_until: Any = None
    added_by: str | None = None
    created_at: str | None = None
    superseded: bool | None = None
    resolved: bool | None = None
    resolution: Any = None
    resolved_by: Any = None
    retain_until: str | None = None
    deleted: bool | None = None
    controls: list[Any] | None = None


class ComplianceListEvidence(Open):
    items: list[ComplianceListEvidenceItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceUploadEvidence(Open):
    ref: str | None = None
    lineage: str | None = None
    revision: int | None = None
    system: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    polarity: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: Any = None
    description: Any = None
    sha256: str | None = None
    size: int | float | None = None
    media_type: str | None = None
    sniffed_type: str | None = None
    filename: str | None = None
    url: str | None = None
    source: str | None = None
    source_ref: Any = None
    collected_at: str | None = None
    effective_from: str | None = None
    effective_until: Any = None
    valid_until: str | None = None
    added_by: str | None = None
    created_at: str | None = None
    superseded: bool | None = None
    resolved: bool | None = None
    resolution: Any = None
    resolved_by: Any = None
    retain_until: str | None = None
    deleted: bool | None = None
    controls: list[Any] | None = None
    demoted: list[Any] | None = None


class ComplianceAutoEvidence(Open):
    ref: str | None = None
    lineage: str | None = None
    revision: int | None = None
    system: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    polarity: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: Any = None
    description: Any = None
    sha256: str | None = None
    size: Any = None
    media_type: Any = None
    sniffed_type: Any = None
    filename: Any = None
    url: Any = None
    source: str | None = None
    source_ref: Any = None
    collected_at: str | None = None
    effective_from: str | None = None
    effective_until: Any = None
    valid_until: Any = None
    added_by: str | None = None
    created_at: str | None = None
    superseded: bool | None = None
    resolved: bool | None = None
    resolution: Any = None
    resolved_by: Any = None
    retain_until: str | None = None
    deleted: bool | None = None
    controls: list[Any] | None = None
    demoted: list[Any] | None = None
    deduplicated: bool | None = None


class ComplianceGetEvidence(Open):
    ref: str | None = None
    lineage: str | None = None
    revision: int | None = None
    system: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    polarity: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: dict[str, Any] | None = None
    description: Any = None
    sha256: str | None = None
    size: int | float | None = None
    media_type: str | None = None
    sniffed_type: str | None = None
    filename: str | None = None
    url: Any = None
    source: str | None = None
    source_ref: str | None = None
    collected_at: str | None = None
    effective_from: str | None = None
    effective_until: Any = None
    valid_until: Any = None
    added_by: str | None = None
    created_at: str | None = None
    superseded: bool | None = None
    resolved: bool | None = None
    resolution: Any = None
    resolved_by: Any = None
    retain_until: str | None = None
    deleted: bool | None = None
    controls: list[Any] | None = None
    record: dict[str, Any] | None = None
    revisions: list[Any] | None = None


class ComplianceResolveEvidence(Open):
    ref: str | None = None
    lineage: str | None = None
    revision: int | None = None
    system: str | None = None
    kind: str | None = None
    evidence_type: str | None = None
    polarity: str | None = None
    title: str | None = None
    title_ko: str | None = None
    title_message: Any = None
    description: Any = None
    sha256: str | None = None
    size: Any = None
    media_type: Any = None
    sniffed_type: Any = None
    filename: Any = None
    url: Any = None
    source: str | None = None
    source_ref: Any = None
    collected_at: str | None = None
    effective_from: str | None = None
    effective_until: Any = None
    valid_until: Any = None
    added_by: str | None = None
    created_at: str | None = None
    superseded: bool | None = None
    resolved: bool | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    retain_until: str | None = None
    deleted: bool | None = None
    controls: list[Any] | None = None


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


class ComplianceAuditVerify(Open):
    ok: bool | None = None
    org: str | None = None
    entries: int | None = None
    head_seq: int | float | None = None
    head_hash: str | None = None
    checkpoints: int | None = None
    signed_through: int | None = None
    first_problem: Any = None
    problems: list[Any] | None = None
    evidence_files: dict[str, Any] | None = None


class ComplianceAuditCheckpointsItem(Open):
    number: int | None = None
    seq: int | None = None
    head_hash: str | None = None
    at: str | None = None
    key_id: str | None = None
    signature: str | None = None
    reason: str | None = None
    created_by: str | None = None


class ComplianceAuditCheckpoints(Open):
    items: list[ComplianceAuditCheckpointsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceAuditCheckpoint(Open):
    number: int | None = None
    seq: int | None = None
    head_hash: str | None = None
    at: str | None = None
    key_id: str | None = None
    signature: str | None = None
    reason: str | None = None
    created_by: str | None = None
    new: bool | None = None


class ComplianceAuditExport(Open):
    format: str | None = None
    org: dict[str, Any] | None = None
    exported_at: str | None = None
    exported_by: str | None = None
    head: dict[str, Any] | None = None
    keys: list[Any] | None = None
    checkpoints: list[Any] | None = None
    entries: list[Any] | None = None


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


class ComplianceListRisks(Open):
    items: list[ComplianceListRisksItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceGetRisk(Open):
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


class ComplianceListIncidents(Open):
    items: list[ComplianceListIncidentsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceGetIncident(Open):
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
    root_cause: str | None = None
    corrective_actions: list[Any] | None = None
    affected: dict[str, Any] | None = None
    closed_at: str | None = None
    closed_by: str | None = None
    closure_summary: str | None = None
    created_by: str | None = None
    created_at: str | None = None
    clocks: list[Any] | None = None
    cra_clocks: bool | None = None
    no_statutory_clock_kr: bool | None = None
    filings: list[Any] | None = None
    timeline: list[Any] | None = None


class ComplianceIncidentReport(Open):
    incident: str | None = None
    regulator: str | None = None
    lang: str | None = None
    title: str | None = None
    note: str | None = None
    sections: list[Any] | None = None


class ComplianceListFormsItem(Open):
    kind: str | None = None
    title: str | None = None
    title_ko: str | None = None
    citation: str | None = None
    citation_ko: str | None = None
    fields: int | float | None = None
    confidence: str | None = None


class ComplianceListForms(Open):
    items: list[ComplianceListFormsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


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


class ComplianceListDocuments(Open):
    items: list[ComplianceListDocumentsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceGetDocument(Open):
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


class ComplianceListConfirmations(Open):
    items: list[ComplianceListConfirmationsItem] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None


class ComplianceSubmitConfirmation(Open):
    id: int | float | None = None
    system: str | None = None
    submitted_at: str | None = None
    extended_at: str | None = None
    replied_at: Any = None
    reply: Any = None
    rerequested_at: Any = None
    rereplied_at: Any = None
    note: Any = None
    clock_tz: str | None = None
    clocks: list[Any] | None = None


class ComplianceDeleteEvidence(Open):
    deleted: str | None = None
    reason: str | None = None


class ComplianceEvidenceReview(Open):
    """An evidence item after a review decision (its ``review`` block says who decided and why)."""

    ref: str | None = None
    review: dict[str, Any] | None = None
    demoted: list[Any] | None = None


class ComplianceReviewPolicy(Open):
    policy: str | None = None
    choices: list[str] | None = None
