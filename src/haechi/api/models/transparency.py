"""Response bodies of the transparency operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class TransparencyStoreNotice(Open):
    system: str | None = None
    version: int | None = None
    effective: str | None = None
    draft: bool | None = None


class TransparencyNotice(Open):
    system: str | None = None
    version: int | None = None
    effective: str | None = None
    lang: str | None = None
    channel: str | None = None
    format: str | None = None
    required: bool | None = None
    exemptions: list[Any] | None = None
    warnings: list[Any] | None = None
    draft: bool | None = None
    notice: dict[str, Any] | None = None


class TransparencyNoticeVersionsItem(Open):
    version: int | None = None
    effective: str | None = None
    sha256: str | None = None
    verdict_digest: str | None = None
    card_revision: int | float | None = None
    created_by: str | None = None
    required: bool | None = None


class TransparencyNoticeVersions(Page):
    items: list[TransparencyNoticeVersionsItem] | None = None


class TransparencyDuties(Open):
    system: str | None = None
    verdict_digest: str | None = None
    classes: dict[str, Any] | None = None
    duties: dict[str, Any] | None = None


class TransparencySnapshot(Open):
    system: str | None = None
    content: dict[str, Any] | None = None
    label_apply: bool | None = None
    exceptions: list[Any] | None = None
    settings: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None


class TransparencyGetSettings(Open):
    wording_en: str | None = None
    wording_ko: str | None = None
    overlay_en: str | None = None
    overlay_ko: str | None = None
    lang: str | None = None
    position: str | None = None
    mode: str | None = None
    disclosure_mode: str | None = None
    image_overlay: bool | None = None
    artistic_work: bool | None = None
    artistic_reason: Any = None


class TransparencyLabelText(Open):
    applied: bool | None = None
    body: str | None = None
    headers: dict[str, Any] | None = None
    label: str | None = None
    basis: list[Any] | None = None
    synthetic_media: bool | None = None
    exceptions: list[Any] | None = None
    notice_version: Any = None
    verdict_digest: str | None = None
    apply: bool | None = None


class TransparencyDeliveries(Open):
    recorded: int | float | None = None


class TransparencyDeliveryCountsItem(Open):
    system: str | None = None
    kind: str | None = None
    channel: str | None = None
    notice_version: int | float | None = None
    count: int | None = None
    sessions: int | float | None = None
    last: str | None = None


class TransparencyDeliveryCounts(Page):
    items: list[TransparencyDeliveryCountsItem] | None = None


class TransparencyDecisionsItem(Open):
    system: str | None = None
    kind: str | None = None
    duty: str | None = None
    decision: str | None = None
    reasons: list[Any] | None = None
    citation: str | None = None
    verdict_digest: str | None = None
    actor: str | None = None
    created_at: str | None = None


class TransparencyDecisions(Page):
    items: list[TransparencyDecisionsItem] | None = None


class TransparencyVerify(Open):
    file: str | None = None
    media_type: str | None = None
    size: int | float | None = None
    sha256: str | None = None
    manifest_present: bool | None = None
    manifest_label: str | None = None
    title: str | None = None
    claim_generator: list[Any] | None = None
    assertions: list[Any] | None = None
    validation_state: str | None = None
    signature_valid: bool | None = None
    hashes_valid: bool | None = None
    trusted: bool | None = None
    signer: dict[str, Any] | None = None
    digital_source_types: list[Any] | None = None
    ai_generated: bool | None = None
    system: dict[str, Any] | None = None
    failures: list[Any] | None = None
    fingerprint: str | None = None
    reencode: dict[str, Any] | None = None
    verdict: str | None = None
    haechi_record: dict[str, Any] | None = None


class TransparencyCreateReceipt(Open):
    token: str | None = None
    system: str | None = None
    system_name: dict[str, Any] | None = None
    decision_id: str | None = None
    decided_at: Any = None
    result: dict[str, Any] | None = None
    score: Any = None
    criteria: list[Any] | None = None
    method: dict[str, Any] | None = None
    training_data: dict[str, Any] | None = None
    human_final_decision: bool | None = None
    oversight: dict[str, Any] | None = None
    legal_basis: dict[str, Any] | None = None
    required: bool | None = None


class TransparencyPublicReceipt(TransparencyCreateReceipt):
    created_at: str | None = None


class TransparencyRequestReview(Open):
    id: int | float | None = None
    status: str | None = None
    due_at: str | None = None


class TransparencyReviewRequestsItem(Open):
    id: int | float | None = None
    system: str | None = None
    decision_id: str | None = None
    kind: str | None = None
    message: str | None = None
    contact: str | None = None
    status: str | None = None
    assignee: str | None = None
    due_at: str | None = None
    resolution: Any = None
    created_at: str | None = None
    resolved_at: Any = None


class TransparencyReviewRequests(Page):
    items: list[TransparencyReviewRequestsItem] | None = None


class TransparencyResolveReview(Open):
    id: int | float | None = None
    system: str | None = None
    decision_id: str | None = None
    kind: str | None = None
    message: str | None = None
    contact: Any = None
    status: str | None = None
    assignee: str | None = None
    due_at: str | None = None
    resolution: str | None = None
    created_at: str | None = None
    resolved_at: str | None = None


class TransparencyGetPosting(Open):
    published: bool | None = None
    intro: dict[str, Any] | None = None
    systems: dict[str, Any] | None = None


class TransparencyPublicPosting(Open):
    organisation: dict[str, Any] | None = None
    intro: dict[str, Any] | None = None
    high_impact: list[Any] | None = None
    generative: list[Any] | None = None
    unclassified: list[Any] | None = None
    basis: dict[str, Any] | None = None
