"""Response bodies of the evidence operations and of the audit ledger that records them."""

from __future__ import annotations

from typing import Any

from ..base import Open, Page


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


class ComplianceListEvidence(Page):
    items: list[ComplianceListEvidenceItem] | None = None


class ComplianceGetEvidence(ComplianceListEvidenceItem):
    record: dict[str, Any] | None = None
    revisions: list[Any] | None = None


class ComplianceUploadEvidence(ComplianceListEvidenceItem):
    title_message: Any = None
    url: str | None = None
    source_ref: Any = None
    valid_until: str | None = None
    demoted: list[Any] | None = None


class _EvidenceWithoutFile(ComplianceListEvidenceItem):
    # recorded evidence (no uploaded file) answers the file's fields as null
    title_message: Any = None
    size: Any = None
    media_type: Any = None
    sniffed_type: Any = None
    filename: Any = None
    source_ref: Any = None


class ComplianceAutoEvidence(_EvidenceWithoutFile):
    demoted: list[Any] | None = None
    deduplicated: bool | None = None


class ComplianceResolveEvidence(_EvidenceWithoutFile):
    resolution: str | None = None
    resolved_by: str | None = None


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


class ComplianceAuditCheckpoints(Page):
    items: list[ComplianceAuditCheckpointsItem] | None = None


class ComplianceAuditCheckpoint(ComplianceAuditCheckpointsItem):
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
