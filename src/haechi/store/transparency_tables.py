"""Tables of the transparency kit: notice versions, label settings, decisions
(exceptions and synthetic-media choices), labelled outputs, deliveries, explanation
receipts, review requests and the public posting page settings.

Systems are referenced by their slug within the organisation (as the rest of the kit
speaks of them), so records outlive a soft-deleted system and stay readable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haechi.store.tables import Base, utcnow


class NoticeVersion(Base):
    """One version of a system's advance notice; a new version whenever the content changes."""

    __tablename__ = "transparency_notices"
    __table_args__ = (UniqueConstraint("org_id", "system", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column()
    content: Mapped[dict[str, Any]] = mapped_column()
    content_sha256: Mapped[str] = mapped_column(String(64))
    verdict_digest: Mapped[str] = mapped_column(String(64))
    card_revision: Mapped[int] = mapped_column()
    effective: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))


class LabelSettingsRow(Base):
    __tablename__ = "transparency_label_settings"
    __table_args__ = (UniqueConstraint("org_id", "system"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))


class TransparencyDecision(Base):
    """Why a notice or label was (not) used: exceptions from the verdict, mark choices."""

    __tablename__ = "transparency_decisions"
    __table_args__ = (Index("ix_transparency_decisions_sys", "org_id", "system", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # exception | mark_choice | voluntary
    duty: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(200))
    reasons: Mapped[list[Any]] = mapped_column()
    citation: Mapped[str | None] = mapped_column(String(300))
    verdict_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))  # identical decisions are recorded once
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))


class LabelledOutput(Base):
    """One file or text labelled by Haechi, with its hashes for later look-up."""

    __tablename__ = "transparency_outputs"
    __table_args__ = (Index("ix_transparency_outputs_sha", "org_id", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # text | image | video | audio
    media_type: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    input_sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str | None] = mapped_column(String(16))
    manifest_label: Mapped[str | None] = mapped_column(String(200))
    signer: Mapped[str | None] = mapped_column(String(300))
    marks: Mapped[dict[str, Any]] = mapped_column()
    notice_version: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))


class Delivery(Base):
    """A notice or label shown to someone (from the middleware, the API or the CLI)."""

    __tablename__ = "transparency_deliveries"
    __table_args__ = (Index("ix_transparency_deliveries_sys", "org_id", "system", "delivered_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))  # notice | label | machine_notice
    channel: Mapped[str] = mapped_column(String(24))
    notice_version: Mapped[int | None] = mapped_column()
    session_hash: Mapped[str | None] = mapped_column(String(64))
    route: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(24))  # middleware | api | cli | web
    delivered_at: Mapped[dt.datetime] = mapped_column()
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ExplanationReceipt(Base):
    __tablename__ = "transparency_receipts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    system: Mapped[str] = mapped_column(String(64))
    decision_id: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))


class ReviewRequest(Base):
    """A request for human review of, or an objection to, an explained decision."""

    __tablename__ = "transparency_review_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("transparency_receipts.id"), index=True)
    system: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # review | objection | question
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="open")
    assignee: Mapped[str | None] = mapped_column(String(320))
    due_at: Mapped[dt.datetime | None] = mapped_column()
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column()


class PostingSettings(Base):
    """What the organisation chose to publish on its public posting page (Decree Art. 27(1))."""

    __tablename__ = "transparency_posting"
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    settings: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
