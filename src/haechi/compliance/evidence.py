"""Evidence service: files, links, structured records and automatic evidence.

Files are checked (size limit, declared vs sniffed type), stored once by SHA-256 under
``<home>/evidence/`` and recorded in the same transaction as their ledger entry and
control links. Identical content is never stored twice: a duplicate upload is refused
with a pointer to the existing item, and identical automatic records are idempotent.
Negative evidence (e.g. a monitoring alert) demotes the operating controls it is
attached to at once. Items are kept for the retention period and deleted only after it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, ValidationFailed
from haechi.domain.server_paths import upload_name
from haechi.ledger import LedgerAction, LedgerBatch, append, canonical_json, lock_head
from haechi.store.compliance_tables import Control, EvidenceItem, EvidenceLink

from . import evidence_reads, review
from .auto_targets import auto_digest, auto_meta, choose_targets, normalise_auto
from .blobs import StagedBlob
from .common import lock_numbers, next_number, not_found, parse_ref, ref, system_row, system_slugs
from .evidence_meta import Lifecycle, ledger_payload, lifecycle, retain_until
from .sniff import check_type, refine_zip, sniff

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .blobs import BlobStore
    from .catalog import ControlLibrary
    from .controls import ControlService
    from .workspace import EvidencePolicy, OrgClock


class EvidenceService:
    """Evidence of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock, library: Callable[[], ControlLibrary], blobs: BlobStore,
                 policy: EvidencePolicy, controls: ControlService,
                 pack_prefixes: Callable[[], Mapping[str, str]]) -> None:
        """:param controls: the control service, which links, demotes and judges the controls
        evidence is attached to.
        :param pack_prefixes: gives the packs' short prefixes (``kr`` → its pack id), asked
        for only when automatic evidence names articles.
        """
        self.db, self.clock, self.library, self.blobs = db, clock, library, blobs
        self.policy, self.controls, self.pack_prefixes = policy, controls, pack_prefixes

    # --- adding ------------------------------------------------------------------
    def add_file(self, actor: Actor, source: bytes | BinaryIO | Path, *, filename: str,
                 system: str | None = None, media_type: str | None = None,
                 controls: builtins.list[str] | None = None, **meta: Any) -> dict[str, Any]:
        """Store a file as evidence (checked, hashed, deduplicated, atomically written).

        ``filename`` is only a display name (an upload's is the sender's choice): it is cut to
        its last part without control characters, never used as a path.
        """
        actor.require(Permission.WRITE)
        filename = upload_name(filename, "upload")
        if not str(meta.get("title") or "").strip():
            meta["title"] = filename
        staged = self.blobs.stage(source, self.policy.max_bytes, filename)
        created = False
        try:
            declared = self._check_file(staged, filename, media_type)
            with self.db.transaction() as s:
                life = self._life(s, actor, "file", meta)
                lock_numbers(s, actor.org_id, "evidence")
                self._refuse_duplicate(s, actor, staged.sha256)
                row = self._insert(s, actor, system, "file", life, sha256=staged.sha256, size=staged.size,
                                   media_type=declared, sniffed_type=self._sniffed(staged),
                                   filename=filename)
                result = self._finish(s, actor, row, controls or [], LedgerAction.EVIDENCE_ADD)
                created = self.blobs.commit(staged)
            return result
        except BaseException:
            self.blobs.discard(staged)
            if created:
                self._drop_orphan(staged.sha256)
            raise

    def add_link(self, actor: Actor, url: str, *, system: str | None = None,
                 controls: builtins.list[str] | None = None, **meta: Any) -> dict[str, Any]:
        """Record a link to evidence kept elsewhere (an http(s) URL)."""
        actor.require(Permission.WRITE)
        if not str(url).startswith(("https://", "http://")):
            raise ValidationFailed(f"'{url}' is not a web link; give an http:// or https:// URL",
                                   key="compliance.not_web_link_give", values={"url": url})
        with self.db.transaction() as s:
            life = self._life(s, actor, "link", meta)
            row = self._insert(s, actor, system, "link", life, url=url,
                               sha256=hashlib.sha256(url.encode()).hexdigest())
            return self._finish(s, actor, row, controls or [], LedgerAction.EVIDENCE_ADD)

    def add_record(self, actor: Actor, record: dict[str, Any], *, system: str | None = None,
                   controls: builtins.list[str] | None = None, **meta: Any) -> dict[str, Any]:
        """Store a structured record (JSON object) as evidence; identical records are refused."""
        actor.require(Permission.WRITE)
        if not isinstance(record, dict) or not record:
            raise ValidationFailed("a record must be a non-empty JSON object",
                                   key="compliance.record_must_non_empty")
        digest = hashlib.sha256(canonical_json(record).encode()).hexdigest()
        with self.db.transaction() as s:
            life = self._life(s, actor, "record", meta)
            lock_numbers(s, actor.org_id, "evidence")
            self._refuse_duplicate(s, actor, digest)
            row = self._insert(s, actor, system, "record", life, record=record, sha256=digest)
            return self._finish(s, actor, row, controls or [], LedgerAction.EVIDENCE_ADD)

    def record_auto(self, actor: Actor, system: str, kind: str | None = None, title: str | None = None,
                    payload: dict[str, Any] | None = None, session: Session | None = None,
                    **options: Any) -> dict[str, Any]:
        """Automatic evidence from another capability (see ``ComplianceService.record_auto_evidence``)."""
        kind, title, payload = normalise_auto(kind, title, payload, options)
        if session is not None:
            return self._record_auto(session, actor, system, kind, title, payload, options)
        with self.db.transaction() as s:
            return self._record_auto(s, actor, system, kind, title, payload, options)

    def record_auto_many(self, actor: Actor, system: str, items: builtins.list[dict[str, Any]], session: Session,
                         ledger: LedgerBatch | None = None,
                         on_item: Callable[[int, dict[str, Any]], None] | None = None) -> builtins.list[dict[str, Any]]:
        """``record_auto`` for many items of ``system`` at once, with a fixed number of queries.

        Each item is a dict of ``record_auto``'s arguments (``kind``, ``title``, ``payload`` and
        options). The outcome is that of calling ``record_auto`` for each in turn: the same
        numbers, links, demotions and ledger entries in the same order. ``on_item(i, result)``
        runs after item ``i`` is done, for reactions that must follow it in the ledger;
        their entries go to ``ledger``, written in order at the end.
        """
        from .auto_batch import AutoBatch

        batch = AutoBatch(self, session, actor, system, ledger or LedgerBatch(session, actor.org_id, actor.label))
        return batch.record(items, on_item)

    def _record_auto(self, s: Session, actor: Actor, system: str, kind: str, title: str,
                     payload: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        sys_row = system_row(s, actor, system)
        digest = auto_digest(kind, sys_row.slug, payload)
        lock_numbers(s, actor.org_id, "evidence")
        existing = self._current_by_hash(s, actor.org_id, digest)
        targets = choose_targets(s, self.library(), sys_row.id, kind, options, prefixes=self.pack_prefixes)
        if existing is not None:
            return self._finish(s, actor, existing, targets, None) | {"deduplicated": True}
        life = self._life(s, actor, "auto", auto_meta(kind, title, options))
        row = self._insert(s, actor, system, "auto", life, record=payload, sha256=digest)
        return self._finish(s, actor, row, targets, LedgerAction.EVIDENCE_AUTO) | {"deduplicated": False}

    # --- revisions, links, resolution ------------------------------------------------
    def revise(self, actor: Actor, evidence: str | int, source: bytes | BinaryIO | Path | None = None, *,
               filename: str | None = None, media_type: str | None = None, url: str | None = None,
               record: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
        """A new revision of an item: new content and/or dates; links carry over."""
        actor.require(Permission.WRITE)
        filename = upload_name(filename, "upload") if filename is not None else None
        staged = self.blobs.stage(source, self.policy.max_bytes, filename or "upload") if source else None
        try:
            with self.db.transaction() as s:
                old = self.row(s, actor, evidence, lock=True)
                result = self._revise_in(s, actor, old, staged, filename, media_type, url, record, meta)
                if staged is not None:
                    self.blobs.commit(staged)
                return result
        except BaseException:
            if staged is not None:
                self.blobs.discard(staged)
            raise

    def _revise_in(self, s: Session, actor: Actor, old: EvidenceItem, staged: StagedBlob | None,
                   filename: str | None, media_type: str | None, url: str | None,
                   record: dict[str, Any] | None, meta: dict[str, Any]) -> dict[str, Any]:
        if old.superseded_at is not None or old.deleted_at is not None:
            raise Conflict(f"{ref('evidence', old.number)} is not the current revision; revise the newest one",
                           key="compliance.not_current_revision_revise", values={"label": ref("evidence", old.number)})
        content: dict[str, Any] = {"sha256": old.sha256, "size": old.size, "media_type": old.media_type,
                                   "sniffed_type": old.sniffed_type, "filename": old.filename, "url": old.url,
                                   "record": old.record}
        if staged is not None:
            declared = self._check_file(staged, filename or old.filename or "upload", media_type)
            content.update(sha256=staged.sha256, size=staged.size, media_type=declared,
                           sniffed_type=self._sniffed(staged), filename=filename or old.filename)
        if url is not None:
            content.update(url=url, sha256=hashlib.sha256(url.encode()).hexdigest())
        if record is not None:
            content.update(record=record, sha256=hashlib.sha256(canonical_json(record).encode()).hexdigest())
        merged = {"evidence_type": old.evidence_type, "polarity": old.polarity, "title": old.title,
                  "description": old.description, "source": old.source, "source_ref": old.source_ref} | meta
        life = self._life(s, actor, old.kind, merged)
        old.superseded_at = self.clock.now()
        system = system_slugs(s, actor.org_id).get(old.system_id) if old.system_id else None
        row = self._insert(s, actor, system, old.kind, life, lineage=old.lineage, revision=old.revision + 1,
                           **content)
        links = [ref("control", n) for n in self._linked_numbers(s, old.id)]
        return self._finish(s, actor, row, links, LedgerAction.EVIDENCE_REVISE)

    def link(self, actor: Actor, evidence: str | int, controls: builtins.list[str]) -> dict[str, Any]:
        """Attach an item to more controls."""
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = self.row(s, actor, evidence)
            return self._finish(s, actor, row, controls, LedgerAction.EVIDENCE_LINK)

    def resolve(self, actor: Actor, evidence: str | int, resolution: str) -> dict[str, Any]:
        """Mark negative evidence as dealt with, so it no longer blocks its controls."""
        actor.require(Permission.WRITE)
        if not resolution or not resolution.strip():
            raise ValidationFailed("say how it was resolved", key="compliance.say_how_was_resolved")
        with self.db.transaction() as s:
            row = self.row(s, actor, evidence, lock=True)
            if row.polarity != "contradicts":
                raise Conflict(f"{ref('evidence', row.number)} is supporting evidence; only negative evidence "
                               "is resolved", key="compliance.supporting_evidence_only_negative",
                               values={"label": ref("evidence", row.number)})
            row.resolved_at, row.resolved_by, row.resolution = self.clock.now(), actor.label, resolution.strip()
            append(s, actor.org_id, actor.label, LedgerAction.EVIDENCE_RESOLVE, "evidence", ref("evidence", row.number),
                   {"resolution": row.resolution})
            return self._dict(s, row)

    # --- reads ---------------------------------------------------------------------------
    def list(self, actor: Actor, system: str | None = None, control: str | None = None,
             include_history: bool = False) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(EvidenceItem).where(EvidenceItem.org_id == actor.org_id,
                                              EvidenceItem.deleted_at.is_(None)).order_by(EvidenceItem.number)
            if system:
                stmt = stmt.where(EvidenceItem.system_id == system_row(s, actor, system).id)
            if control:
                c = self.controls.row(s, actor, control)
                stmt = stmt.join(EvidenceLink, EvidenceLink.evidence_id == EvidenceItem.id).where(
                    EvidenceLink.control_id == c.id)
            if not include_history:
                stmt = stmt.where(EvidenceItem.superseded_at.is_(None))
            return [self._dict(s, r) for r in s.execute(stmt).scalars()]

    def get(self, actor: Actor, evidence: str | int) -> dict[str, Any]:
        """One item with its record, its revisions and its freshness for each control."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = self.row(s, actor, evidence)
            data = self._dict(s, row, with_record=True)
            data["revisions"] = [self._dict(s, r) for r in s.execute(select(EvidenceItem).where(
                EvidenceItem.org_id == actor.org_id, EvidenceItem.lineage == row.lineage)
                .order_by(EvidenceItem.revision)).scalars()]
            return data

    def download(self, actor: Actor, evidence: str | int) -> tuple[Path, str, str]:
        """(path, media type, file name) of a file item, for sending it to the reader."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = self.row(s, actor, evidence)
            if row.kind != "file" or not row.sha256 or row.deleted_at is not None:
                raise ValidationFailed(f"{ref('evidence', row.number)} has no file to download",
                                       key="compliance.has_no_file_download",
                                       values={"label": ref("evidence", row.number)})
            return (self.blobs.path(row.sha256), row.media_type or "application/octet-stream",
                    row.filename or "evidence")

    def for_control(self, s: Session, control: Control) -> builtins.list[dict[str, Any]]:
        """Current evidence of a control with its freshness under that control's rules."""
        return evidence_reads.of_control(s, control, self.library(), self.clock.org_today(s, control.org_id),
                                         self.policy.warning_days)

    def row(self, s: Session, actor: Actor, evidence: str | int, lock: bool = False) -> EvidenceItem:
        number = parse_ref("evidence", evidence)
        stmt = select(EvidenceItem).where(EvidenceItem.org_id == actor.org_id, EvidenceItem.number == number)
        if lock:
            lock_head(s, actor.org_id)  # before the row: one lock order for every writer
        found = s.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if found is None:
            raise not_found("evidence", evidence)
        return found

    # --- helpers ---------------------------------------------------------------------------
    def _check_file(self, staged: StagedBlob, filename: str, media_type: str | None) -> str:
        if staged.size == 0:
            raise ValidationFailed(f"{filename} is empty", key="compliance.empty_check_file",
                                   values={"filename": filename})
        return check_type(filename, media_type, self._sniffed(staged, Path(filename).name))

    @staticmethod
    def _sniffed(staged: StagedBlob, filename: str = "archive") -> str:
        kind = sniff(staged.head)
        return refine_zip(staged.temp_path, filename) if kind == "application/zip" else kind

    def _life(self, s: Session, actor: Actor, kind: str, meta: dict[str, Any]) -> Lifecycle:
        tz = ZoneInfo(self.clock.timezone(s, actor.org_id))
        return lifecycle(kind, meta, self.clock.now(), tz)

    def _current_by_hash(self, s: Session, org_id: int, digest: str) -> EvidenceItem | None:
        return s.execute(select(EvidenceItem).where(
            EvidenceItem.org_id == org_id, EvidenceItem.sha256 == digest, EvidenceItem.deleted_at.is_(None),
            EvidenceItem.superseded_at.is_(None)).limit(1)).scalar_one_or_none()

    def _refuse_duplicate(self, s: Session, actor: Actor, digest: str) -> None:
        dup = self._current_by_hash(s, actor.org_id, digest)
        if dup is not None:
            label = ref("evidence", dup.number)
            raise Conflict(
                f"identical content is already stored as {label} '{dup.title}' (added by {dup.added_by} on "
                f"{dup.created_at.date()}); attach it with 'haechi evidence link {label} CONTROL' instead",
                key="compliance.identical_content_already_stored", values={"title": dup.title, "label": label},
                details={"existing": label, "sha256": digest})

    def _insert(self, s: Session, actor: Actor, system: str | None, kind: str, life: Lifecycle,
                lineage: int | None = None, revision: int = 1, **content: Any) -> EvidenceItem:
        system_id = system_row(s, actor, system).id if system else None
        number = next_number(s, actor.org_id, "evidence")
        today = self.clock.org_today(s, actor.org_id)
        row = self.build(actor, system_id, number, kind, life, today, lineage, revision, **content)
        review.stamp_new(s, row, actor.label, self.clock.now())
        s.add(row)
        s.flush()
        return row

    def build(self, actor: Actor, system_id: int | None, number: int, kind: str, life: Lifecycle, today: dt.date,
              lineage: int | None = None, revision: int = 1, **content: Any) -> EvidenceItem:
        """A new item row (not yet added to the session); shared with the batch path."""
        row = EvidenceItem(
            org_id=actor.org_id, number=number, system_id=system_id, lineage=lineage or number,
            revision=revision, kind=kind, evidence_type=life.evidence_type, polarity=life.polarity,
            title=life.title, description=life.description, source=life.source, source_ref=life.source_ref,
            collected_at=life.collected_at, effective_from=life.effective_from,
            effective_until=life.effective_until, valid_until=life.valid_until, added_by=actor.label,
            created_at=self.clock.now(),
            retain_until=retain_until(life.effective_until, today, self.policy.retention_years), **content)
        if kind == "auto":
            review.stamp_machine(row, self.clock.now())
        return row

    def _finish(self, s: Session, actor: Actor, row: EvidenceItem, controls: builtins.list[str],
                action: LedgerAction | None) -> dict[str, Any]:
        """Link to ``controls``, write the ledger entry, demote on negative evidence."""
        linked = self._attach(s, actor, row, controls)
        if action is not None:
            append(s, actor.org_id, actor.label, action, "evidence", ref("evidence", row.number),
                   ledger_payload(row, controls))
        demoted = []
        if row.polarity == "contradicts" and row.resolved_at is None and linked:
            demoted = self.controls.demote_in(s, actor, only=linked)
        return self._dict(s, row) | {"demoted": demoted}

    def _attach(self, s: Session, actor: Actor, row: EvidenceItem, controls: builtins.list[str]) -> builtins.list[int]:
        ids = []
        for text in controls:
            control = self.controls.row(s, actor, text)
            if row.system_id is not None and control.system_id != row.system_id:
                raise ValidationFailed(
                    f"{ref('control', control.number)} belongs to another system than this evidence",
                    key="compliance.belongs_another_system_than", values={"control": ref("control", control.number)})
            exists = s.execute(select(EvidenceLink).where(EvidenceLink.evidence_id == row.id,
                                                          EvidenceLink.control_id == control.id)).scalar_one_or_none()
            if exists is None:
                s.add(EvidenceLink(org_id=actor.org_id, evidence_id=row.id, control_id=control.id,
                                   linked_at=self.clock.now(), linked_by=actor.label))
            ids.append(control.id)
        s.flush()
        return ids

    def _linked_numbers(self, s: Session, evidence_id: int) -> builtins.list[int]:
        return evidence_reads.linked_numbers(s, evidence_id)

    def _dict(self, s: Session, row: EvidenceItem, with_record: bool = False) -> dict[str, Any]:
        return evidence_reads.describe(s, row, with_record)

    def _drop_orphan(self, digest: str) -> None:
        with self.db.reader() as s:
            used = s.execute(select(EvidenceItem.id).where(EvidenceItem.sha256 == digest,
                                                           EvidenceItem.deleted_at.is_(None)).limit(1)).first()
        if used is None:
            self.blobs.delete(digest)

