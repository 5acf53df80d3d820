"""Tables of the compliance loop and the ledger's signed checkpoints.

Obligations (a snapshot of what the classifier says applies to a system), the controls
that meet them, evidence with its lifecycle, structured plans and assessments, the risk
register, incidents with their regulator filings, Korean Art. 33 confirmation requests,
per-organisation settings and counters, and ledger checkpoints and public keys.
Every tenant row carries ``org_id``; times are UTC-aware, dates are plain calendar dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class ComplianceCounter(Base):
    """Per-organisation sequence numbers for human references (C-3, E-12, R-2, INC-4)."""

    __tablename__ = "compliance_counters"
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class ComplianceSettings(Base):
    """Organisation-level choices: the risk matrix and the time zone of regulator clocks."""

    __tablename__ = "compliance_settings"
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    risk_matrix: Mapped[dict[str, Any] | None] = mapped_column()
    timezone: Mapped[str | None] = mapped_column(String(64))
    #: who must review submitted evidence: "high_impact" (four-eyes for high-impact systems)
    #: or "all" (four-eyes everywhere); None means the default, "high_impact".
    review_policy: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(320))


class SystemObligation(Base):
    """One obligation the classifier found for a system, as last synchronised."""

    __tablename__ = "system_obligations"
    __table_args__ = (UniqueConstraint("org_id", "system_id", "pack", "obligation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    pack: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[int | None] = mapped_column()
    obligation_id: Mapped[str] = mapped_column(String(200))
    article: Mapped[str | None] = mapped_column(String(64))
    citation: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    title_ko: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[dt.date | None] = mapped_column()
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    topic: Mapped[str | None] = mapped_column(String(64))
    nature: Mapped[str | None] = mapped_column(String(16))
    synced_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column()
    retired_reason: Mapped[str | None] = mapped_column(Text)


class Control(Base):
    """A control of one system, proposed from the control library."""

    __tablename__ = "controls"
    __table_args__ = (
        UniqueConstraint("org_id", "system_id", "key"),
        UniqueConstraint("org_id", "number"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    number: Mapped[int] = mapped_column()
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    library_version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(Text)
    title_ko: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(320))
    due_date: Mapped[dt.date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    obligations: Mapped[list[Any]] = mapped_column(default=list)
    evidence_types: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column()
    retired_reason: Mapped[str | None] = mapped_column(Text)
    #: a request to mark the control operating that waits for a second person's approval
    #: (four eyes, same policy as evidence review); cleared by the decision or any status change
    requested_status: Mapped[str | None] = mapped_column(String(16))
    requested_by: Mapped[str | None] = mapped_column(String(320))
    requested_at: Mapped[dt.datetime | None] = mapped_column()
    request_reason: Mapped[str | None] = mapped_column(Text)


class ControlEvent(Base):
    """The history of a control: creation, status changes, assignment, retirement."""

    __tablename__ = "control_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)


class EvidenceItem(Base):
    """One revision of a piece of evidence (a file, link, structured record or automatic result)."""

    __tablename__ = "evidence_items"
    __table_args__ = (
        UniqueConstraint("org_id", "number"),
        Index("ix_evidence_hash", "org_id", "sha256"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    number: Mapped[int] = mapped_column()
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), index=True)
    lineage: Mapped[int] = mapped_column()
    revision: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(16))
    evidence_type: Mapped[str] = mapped_column(String(40))
    polarity: Mapped[str] = mapped_column(String(16), default="supports")
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column()
    media_type: Mapped[str | None] = mapped_column(String(120))
    sniffed_type: Mapped[str | None] = mapped_column(String(120))
    filename: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict[str, Any] | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(64))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    collected_at: Mapped[dt.datetime] = mapped_column()
    effective_from: Mapped[dt.date] = mapped_column()
    effective_until: Mapped[dt.date | None] = mapped_column()
    valid_until: Mapped[dt.date | None] = mapped_column()
    added_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[dt.datetime | None] = mapped_column()
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    resolved_by: Mapped[str | None] = mapped_column(String(320))
    resolution: Mapped[str | None] = mapped_column(Text)
    retain_until: Mapped[dt.date] = mapped_column()
    deleted_at: Mapped[dt.datetime | None] = mapped_column()
    deleted_by: Mapped[str | None] = mapped_column(String(320))
    #: pending | accepted | rejected; only accepted evidence counts for a control.
    review_status: Mapped[str] = mapped_column(String(16), default="accepted")
    #: how the decision was made: four_eyes | submitter (no second reviewer needed) |
    #: automatic (machine evidence) | predates_review (migrated from before reviews existed)
    review_mode: Mapped[str | None] = mapped_column(String(16))
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    review_note: Mapped[str | None] = mapped_column(Text)


class EvidenceLink(Base):
    """Evidence attached to a control (many to many; revisions inherit their links)."""

    __tablename__ = "evidence_links"
    __table_args__ = (UniqueConstraint("evidence_id", "control_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id"), index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    linked_by: Mapped[str] = mapped_column(String(320))


class ComplianceDocument(Base):
    """One version of a structured plan or assessment (answers to a guided form)."""

    __tablename__ = "compliance_documents"
    __table_args__ = (UniqueConstraint("org_id", "system_id", "kind", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(320))
    approved_at: Mapped[dt.datetime | None] = mapped_column()
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"))


class Risk(Base):
    """One entry of the risk register."""

    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("org_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    number: Mapped[int] = mapped_column()
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    hazard: Mapped[str | None] = mapped_column(Text)
    harm: Mapped[str | None] = mapped_column(Text)
    affected: Mapped[list[Any]] = mapped_column(default=list)
    likelihood: Mapped[int] = mapped_column()
    severity: Mapped[int] = mapped_column()
    residual_likelihood: Mapped[int | None] = mapped_column()
    residual_severity: Mapped[int | None] = mapped_column()
    treatments: Mapped[list[Any]] = mapped_column(default=list)
    owner: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16))
    review_date: Mapped[dt.date | None] = mapped_column()
    accepted_by: Mapped[str | None] = mapped_column(String(320))
    accepted_at: Mapped[dt.datetime | None] = mapped_column()
    acceptance_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column()


class RiskLink(Base):
    """A risk linked to a control that treats it or an incident in which it materialised."""

    __tablename__ = "risk_links"
    __table_args__ = (UniqueConstraint("risk_id", "target_type", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()


class Incident(Base):
    """An incident with its classification for regulator clocks, timeline and closure."""

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("org_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    number: Mapped[int] = mapped_column()
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[dict[str, Any] | None] = mapped_column()
    severity: Mapped[str] = mapped_column(String(16))
    classification: Mapped[dict[str, Any]] = mapped_column(default=dict)
    clock_tz: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime | None] = mapped_column()
    aware_at: Mapped[dt.datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    root_cause: Mapped[str | None] = mapped_column(Text)
    corrective_actions: Mapped[list[Any]] = mapped_column(default=list)
    affected: Mapped[dict[str, Any]] = mapped_column(default=dict)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(320))
    closure_summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IncidentEvent(Base):
    """One line of an incident's timeline."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column()


class RegulatorFiling(Base):
    """A report filed with a regulator, which stops the matching clock."""

    __tablename__ = "regulator_filings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    confirmation_id: Mapped[int | None] = mapped_column(
        ForeignKey("kr_confirmations.id"), index=True
    )
    clock: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[dt.datetime] = mapped_column()
    reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class KrConfirmation(Base):
    """A request to MSIT to confirm whether a system is high-impact (KR Act Art. 33)."""

    __tablename__ = "kr_confirmations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column()
    extended_at: Mapped[dt.datetime | None] = mapped_column()
    replied_at: Mapped[dt.datetime | None] = mapped_column()
    reply: Mapped[str | None] = mapped_column(String(16))
    rerequested_at: Mapped[dt.datetime | None] = mapped_column()
    rereplied_at: Mapped[dt.datetime | None] = mapped_column()
    clock_tz: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerKey(Base):
    """A public key that signs ledger checkpoints (the private key stays on disk)."""

    __tablename__ = "ledger_keys"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    public_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerCheckpoint(Base):
    """An Ed25519 signature over an organisation's chain head at one moment.

    ``number`` counts an organisation's checkpoints 1, 2, 3, … so a deleted one leaves a
    gap; checkpoints made before numbering existed have none.
    """

    __tablename__ = "ledger_checkpoints"
    __table_args__ = (Index("ix_checkpoint_org_seq", "org_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column()
    head_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(320))
