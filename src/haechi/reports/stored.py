"""Generated documents kept for reading again: files by SHA-256 under ``<home>/documents``.

Generating a document signs a ledger checkpoint and logs the file, so it is a write and
only happens on an explicit request (a POST, a CLI command). Everything that merely shows
a document — a download link opened twice, a prefetcher, a link checker — reads the file
kept here and writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.compliance.blobs import BlobStore
from haechi.domain.errors import Issue, NotFound
from haechi.store.reports_tables import ReportDocument
from haechi.store.tables import System

if TYPE_CHECKING:
    from haechi.store.db import Database

#: No generated document comes near this; the limit only bounds the temporary copy.
MAX_DOCUMENT_BYTES = 1 << 30


def keep(store: BlobStore, content: bytes) -> None:
    """Store ``content`` under its SHA-256 (once, however often it is generated)."""
    store.commit(store.stage(content, MAX_DOCUMENT_BYTES, "document"))


def _not_kept(what: str, fix: str) -> NotFound:
    return NotFound(f"no stored {what}", issues=[Issue("document", f"no stored {what}", fix)],
                    key="reports.no_stored")


def find(db: Database, actor: Actor, doc_id: int) -> dict[str, Any]:
    """What the log holds about document ``doc_id`` of the actor's organisation (see :func:`meta`)."""
    actor.require(Permission.READ)
    with db.reader() as s:
        row = s.execute(select(ReportDocument).where(ReportDocument.org_id == actor.org_id,
                                                     ReportDocument.id == doc_id)).scalar_one_or_none()
        if row is None:
            raise _not_kept(f"document {doc_id}", "see GET /api/v1/reports/documents for the ids")
        slug = s.execute(select(System.slug).where(System.id == row.system_id)).scalar_one_or_none() \
            if row.system_id else None
        return meta(row, slug)


def newest(db: Database, store: BlobStore, actor: Actor, *, kind: str, variant: str, fmt: str, lang: str | None = None,
           system: str | None = None) -> int:
    """The id of the newest kept document matching the choice; :class:`NotFound` if none."""
    actor.require(Permission.READ)
    query = select(ReportDocument.id, ReportDocument.sha256).where(
        ReportDocument.org_id == actor.org_id, ReportDocument.kind == kind, ReportDocument.variant == variant,
        ReportDocument.format == fmt, ReportDocument.filename.is_not(None))
    if lang is not None:
        query = query.where(ReportDocument.lang == lang)
    with db.reader() as s:
        if system is not None:
            system_id = s.execute(select(System.id).where(System.org_id == actor.org_id,
                                                          System.slug == system)).scalar_one_or_none()
            if system_id is None:
                raise NotFound(f"system '{system}' not found", key="system.not_found", values={"slug": system})
            query = query.where(ReportDocument.system_id == system_id)
        rows = s.execute(query.order_by(ReportDocument.id.desc()).limit(20)).all()
    for doc_id, sha256 in rows:
        if store.exists(sha256):
            return int(doc_id)
    raise _not_kept(f"{kind} {variant} ({fmt})", "generate it first: send the same request as POST")


def read(store: BlobStore, found: dict[str, Any]) -> bytes:
    """The kept content of a logged document; :class:`NotFound` if logged before files were kept."""
    if not store.exists(found["sha256"]):
        raise _not_kept(f"file of document {found['id']}", "generate the document again")
    return store.read(found["sha256"])


def meta(row: ReportDocument, system: str | None) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "variant": row.variant, "lang": row.lang, "format": row.format,
            "sha256": row.sha256, "size": row.size, "system": system, "checkpoint_seq": row.checkpoint_seq,
            "checkpoint_hash": row.checkpoint_hash, "filename": row.filename}
