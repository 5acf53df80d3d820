"""Structured plans and assessments: versioned answers to guided forms.

Every save is a new version (nothing is overwritten). A draft may be incomplete;
approving checks every required field, supersedes the previously approved version, and
turns the approved version into evidence (a ``plan`` record) for the system's controls
that this kind of document proves — e.g. an approved risk-management plan is evidence
for the risk-management control, valid until its next review date.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, NotFound
from haechi.ledger import LedgerAction, append
from haechi.store.compliance_tables import ComplianceDocument, EvidenceItem
from haechi.store.tables import System

from .auto_targets import kind_targets
from .common import iso, ref, system_row, system_slugs
from .forms import FormDef, answer_text, check_answers, form, forms, prefill, public_summary
from .obligations import card_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from haechi.store.db import Database

    from .catalog import ControlLibrary
    from .controls import ControlService
    from .evidence import EvidenceService
    from .workspace import OrgClock


class DocumentService:
    """Plans and assessments of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock, library: Callable[[], ControlLibrary],
                 evidence: EvidenceService, controls: ControlService) -> None:
        """:param evidence: stores an approved version as a ``plan`` record for its controls."""
        self.db, self.clock, self.library = db, clock, library
        self.evidence, self.controls = evidence, controls

    def forms(self) -> builtins.list[dict[str, Any]]:
        """The guided forms available (kind, titles, citation)."""
        return [{"kind": f.kind, "title": f.title, "title_ko": f.title_ko, "citation": f.citation,
                 "citation_ko": f.citation_ko or f.citation, "fields": len(f.fields()),
                 "confidence": f.confidence} for f in forms().values()]

    def form(self, kind: str) -> dict[str, Any]:
        return form(kind).to_dict()

    def prefill(self, actor: Actor, system: str, kind: str, lang: str = "en") -> dict[str, Any]:
        """Suggested answers from the card (its Korean side for ``lang="ko"``) and from the
        system's other documents."""
        actor.require(Permission.READ)
        definition = form(kind)
        with self.db.reader() as s:
            row = system_row(s, actor, system)
            others = {k: d.answers for k, d in self._latest_per_kind(s, row.id).items() if k != kind}
            return prefill(definition, card_of(s, row), others, lang)

    # --- writes ------------------------------------------------------------------
    def save(self, actor: Actor, system: str, kind: str, answers: dict[str, Any],
             note: str | None = None) -> dict[str, Any]:
        """Store a new draft version (answers are checked; missing required fields are allowed)."""
        actor.require(Permission.WRITE)
        definition = form(kind)
        clean = check_answers(definition, answers, complete=False)
        with self.db.transaction() as s:
            row = system_row(s, actor, system)
            version = self._next_version(s, row.id, kind)
            doc = ComplianceDocument(org_id=actor.org_id, system_id=row.id, kind=kind, version=version,
                                     status="draft", answers=clean, note=note, created_by=actor.label,
                                     created_at=self.clock.now())
            s.add(doc)
            s.flush()
            append(s, actor.org_id, actor.label, LedgerAction.DOCUMENT_SAVE, "document", f"{system}/{kind}/v{version}",
                   {"answers": clean, "note": note})
            return self._dict(s, doc, definition, system)

    def approve(self, actor: Actor, system: str, kind: str, version: int | None = None) -> dict[str, Any]:
        """Approve the newest draft: all required answers needed; becomes evidence for its controls."""
        actor.require(Permission.WRITE)
        definition = form(kind)
        with self.db.transaction() as s:
            row = system_row(s, actor, system)
            doc = self._version(s, actor, row, kind, version)
            newest = self._next_version(s, row.id, kind) - 1
            if doc.status != "draft" or doc.version != newest:
                raise Conflict(f"only the newest draft can be approved (v{newest}); v{doc.version} is {doc.status}",
                               key="compliance.only_newest_draft_can", values={"newest": newest})
            check_answers(definition, doc.answers, complete=True)
            previous = self._approved(s, row.id, kind)
            if previous is not None:
                previous.status = "superseded"
            now = self.clock.now()
            doc.status, doc.approved_by, doc.approved_at = "approved", actor.label, now
            evidence = self._evidence(s, actor, row, definition, doc, previous)
            doc.evidence_id = evidence["id"]
            append(s, actor.org_id, actor.label, LedgerAction.DOCUMENT_APPROVE, "document",
                   f"{system}/{kind}/v{doc.version}",
                   {"evidence": evidence["ref"], "valid_until": evidence["valid_until"]})
            return self._dict(s, doc, definition, system) | {"evidence": evidence["ref"],
                                                              "demoted": evidence.get("demoted", [])}

    def _evidence(self, s: Session, actor: Actor, system: System, definition: FormDef,
                  doc: ComplianceDocument, previous: ComplianceDocument | None) -> dict[str, Any]:
        """The approved version as a ``plan`` evidence record, a revision of the last approval's."""
        today = self.clock.org_today(s, actor.org_id)
        next_review = doc.answers.get("next_review")
        valid = dt.date.fromisoformat(next_review) if next_review else today + dt.timedelta(days=definition.review_days)
        ev = self.evidence
        meta = {"evidence_type": "plan", "title": f"{definition.title} v{doc.version} ({definition.title_ko})",
                "source": "plan", "source_ref": f"{system.slug}/{definition.kind}/v{doc.version}",
                "effective_from": today, "valid_until": max(valid, today)}
        life = ev._life(s, actor, "record", meta)
        old = s.get(EvidenceItem, previous.evidence_id) if previous and previous.evidence_id else None
        if old is not None:
            old.superseded_at = self.clock.now()
        record = {"kind": definition.kind, "version": doc.version, "answers": doc.answers,
                  "approved_by": actor.label, "form_version": definition.version}
        import hashlib

        from haechi.ledger import canonical_json
        row = ev._insert(s, actor, system.slug, "record", life, record=record,
                         sha256=hashlib.sha256(canonical_json(record).encode()).hexdigest(),
                         lineage=old.lineage if old else None, revision=(old.revision + 1) if old else 1)
        controls = kind_targets(s, self.library(), system.id, "plan", None)
        controls = [c for c in controls if definition.kind in self._plans_of(s, c, actor)]
        return ev._finish(s, actor, row, controls, LedgerAction.EVIDENCE_ADD) | {"id": row.id}

    def _plans_of(self, s: Session, control_ref: str, actor: Actor) -> builtins.list[str]:
        control = self.controls.row(s, actor, control_ref)
        definition = self.library().get(control.key)
        return definition.plans if definition else []

    # --- reads -----------------------------------------------------------------------
    def list(self, actor: Actor, system: str | None = None) -> builtins.list[dict[str, Any]]:
        """The newest version of each document kind per system."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(ComplianceDocument).where(ComplianceDocument.org_id == actor.org_id)
            if system:
                stmt = stmt.where(ComplianceDocument.system_id == system_row(s, actor, system).id)
            latest: dict[tuple[int, str], ComplianceDocument] = {}
            for doc in s.execute(stmt.order_by(ComplianceDocument.version)).scalars():
                latest[(doc.system_id, doc.kind)] = doc
            slugs = system_slugs(s, actor.org_id)
            return [self._dict(s, d, form(d.kind), slugs[d.system_id], with_answers=False)
                    for d in sorted(latest.values(), key=lambda d: (slugs[d.system_id], d.kind))]

    def get(self, actor: Actor, system: str, kind: str, version: int | None = None) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = system_row(s, actor, system)
            doc = self._version(s, actor, row, kind, version)
            return self._dict(s, doc, form(kind), system)

    def history(self, actor: Actor, system: str, kind: str) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = system_row(s, actor, system)
            docs = s.execute(select(ComplianceDocument).where(
                ComplianceDocument.system_id == row.id, ComplianceDocument.kind == kind)
                .order_by(ComplianceDocument.version)).scalars()
            return [self._dict(s, d, form(kind), system, with_answers=False) for d in docs]

    # --- helpers ------------------------------------------------------------------------
    def _next_version(self, s: Session, system_id: int, kind: str) -> int:
        current = s.execute(select(func.max(ComplianceDocument.version)).where(
            ComplianceDocument.system_id == system_id, ComplianceDocument.kind == kind)).scalar_one()
        return (current or 0) + 1

    def _version(self, s: Session, actor: Actor, system: System, kind: str, version: int | None) -> ComplianceDocument:
        form(kind)
        stmt = select(ComplianceDocument).where(ComplianceDocument.system_id == system.id,
                                                ComplianceDocument.kind == kind)
        stmt = stmt.where(ComplianceDocument.version == version) if version else stmt.order_by(
            ComplianceDocument.version.desc()).limit(1)
        doc = s.execute(stmt).scalar_one_or_none()
        if doc is None:
            what = f"version {version} of " if version else ""
            raise NotFound(f"no {what}{kind} for system '{system.slug}' yet",
                           key="compliance.no_system_yet", values={"slug": system.slug, "kind": kind})
        return doc

    def _approved(self, s: Session, system_id: int, kind: str) -> ComplianceDocument | None:
        return s.execute(select(ComplianceDocument).where(
            ComplianceDocument.system_id == system_id, ComplianceDocument.kind == kind,
            ComplianceDocument.status == "approved")).scalar_one_or_none()

    def _latest_per_kind(self, s: Session, system_id: int) -> dict[str, ComplianceDocument]:
        out: dict[str, ComplianceDocument] = {}
        for doc in s.execute(select(ComplianceDocument).where(ComplianceDocument.system_id == system_id)
                             .order_by(ComplianceDocument.version)).scalars():
            out[doc.kind] = doc
        return out

    def _dict(self, s: Session, doc: ComplianceDocument, definition: FormDef, system: str,
              with_answers: bool = True) -> dict[str, Any]:
        required = [f.id for f in definition.fields().values() if f.required]
        filled = [k for k in required if doc.answers.get(k) not in (None, "", [])]
        evidence = s.get(EvidenceItem, doc.evidence_id) if doc.evidence_id else None
        out = {"system": system, "kind": doc.kind, "title": definition.title, "title_ko": definition.title_ko,
               "citation": definition.citation, "citation_ko": definition.citation_ko or definition.citation,
               "version": doc.version, "status": doc.status,
               "created_by": doc.created_by, "created_at": iso(doc.created_at), "approved_by": doc.approved_by,
               "approved_at": iso(doc.approved_at), "note": doc.note,
               "complete": len(filled) == len(required), "required_filled": f"{len(filled)}/{len(required)}",
               "missing": [k for k in required if k not in filled],
               "evidence": ref("evidence", evidence.number) if evidence else None}
        if with_answers:
            out["answers"] = doc.answers
            out["public_summary"] = public_summary(definition, doc.answers)
            out["public_summary_ko"] = public_summary(definition, doc.answers, "ko")
            fields = definition.fields()
            out["answer_texts"] = {lang: {k: answer_text(fields[k], v, lang) for k, v in doc.answers.items()
                                          if k in fields and fields[k].choices} for lang in ("en", "ko")}
        return out
