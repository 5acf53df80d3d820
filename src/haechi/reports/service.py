"""The reports service (``hc.reports``): dossiers and organisation reports as HTML/PDF/JSON.

Every document is generated from a fresh signed ledger checkpoint, which the document
prints, and is logged (SHA-256, checkpoint) in ``report_documents`` with a ledger entry,
so an auditor handed a file can match it to the ledger state it describes. The file is
kept (:mod:`haechi.reports.stored`): generating writes, reading it again does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.compliance.blobs import BlobStore
from haechi.domain.errors import Issue, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.reports_tables import ReportDocument
from haechi.store.tables import System

from . import collect, orgreports, stored
from .dossier import build_dossier, check_choice
from .render import render

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.ledger.service import LedgerService
    from haechi.store.db import Database

    from .collect import Sources

DOC_FORMATS = ("html", "pdf", "json")
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8",
         "zip": "application/zip"}

#: What a logged document is: a system dossier, an organisation report or a data export.
DocumentKind = Literal["dossier", "report", "export"]
DOCUMENT_LEDGER_ACTIONS: dict[DocumentKind, LedgerAction] = {
    "dossier": LedgerAction.REPORT_DOSSIER,
    "report": LedgerAction.REPORT_REPORT,
    "export": LedgerAction.REPORT_EXPORT,
}


@dataclass(frozen=True)
class Document:
    """A generated file and what identifies it."""

    content: bytes
    media_type: str
    filename: str
    sha256: str
    meta: dict[str, Any]


def check_format(fmt: str, allowed: tuple[str, ...] = DOC_FORMATS) -> None:
    if fmt not in allowed:
        raise ValidationFailed(f"unknown format '{fmt}'", issues=[
            Issue("format", f"'{fmt}' is not a format of this document", f"use one of: {', '.join(allowed)}")],
            key="reports.unknown_format", values={"fmt": fmt})


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ReportsService:
    """Dossiers per system and reports for the organisation.

    :param db: the workspace database (the log of handed-out documents).
    :param accounts: the organisation a document names.
    :param sources: the capabilities a document reads.
    :param ledger: returns the ledger service, whose key signs each document's checkpoint.
    :param documents_dir: where generated files are kept for reading again.
    """

    def __init__(self, db: Database, accounts: Accounts, sources: Sources, ledger: Callable[[], LedgerService],
                 documents_dir: Path) -> None:
        self.db = db
        self.accounts = accounts
        self.sources = sources
        self.ledger = ledger
        self.files = BlobStore(documents_dir)

    # --- what documents are made of --------------------------------------------------------
    def collect_system(self, actor: Actor, slug: str) -> dict[str, Any]:
        """Everything the capabilities hold about ``slug`` (see :func:`collect.collect_system`)."""
        return collect.collect_system(self.sources, actor, slug)

    def checkpoint(self, actor: Actor, reason: str) -> dict[str, Any]:
        """Sign the ledger head now for a document about to be made (see :func:`collect.collect_checkpoint`)."""
        return collect.collect_checkpoint(self.db, self.ledger().signer, actor, reason)

    # --- dossiers ------------------------------------------------------------------------
    def dossier_model(self, actor: Actor, slug: str, variant: str = "full", lang: str = "en") -> dict[str, Any]:
        """The dossier as data (what the HTML and PDF show), signed checkpoint included."""
        actor.require(Permission.READ)
        check_choice(variant, lang)
        data = self.collect_system(actor, slug)
        checkpoint = self.checkpoint(actor, "dossier")
        org = self.accounts.get_org(actor.org_slug).to_dict()
        model = build_dossier(data, variant, lang, checkpoint=checkpoint, organisation=org,
                              generated_at=now_text(), generated_by=actor.label)
        model["timezone"] = self.timezone(actor)
        return model

    def timezone(self, actor: Actor) -> str:
        """The zone a document shows its times in: the organisation's clock zone."""
        compliance = self.sources.compliance()
        with self.db.reader() as s:
            return compliance.timezone(s, actor.org_id)

    def dossier(self, actor: Actor, slug: str, *, variant: str = "full", lang: str = "en",
                fmt: str = "html") -> Document:
        """Render a dossier and log it; ``fmt`` is html, pdf or json."""
        check_format(fmt)
        model = self.dossier_model(actor, slug, variant, lang)
        content = _encode(model, fmt, "dossier.html")
        name = f"{slug}-{variant}-{lang}.{fmt}"
        return self._log(actor, content, fmt, name, kind="dossier", variant=variant, lang=lang,
                         system=slug, checkpoint=model["checkpoint"])

    # --- organisation reports --------------------------------------------------------------
    def report_model(self, actor: Actor, kind: str, lang: str = "en", **options: Any) -> dict[str, Any]:
        """An organisation report as data: portfolio, overdue, incidents or esg."""
        actor.require(Permission.READ)
        orgreports.check_kind(kind, lang)
        model = orgreports.build(self.sources, actor, kind, lang, **options)
        model["checkpoint"] = self.checkpoint(actor, "report")
        model["organisation"] = self.accounts.get_org(actor.org_slug).to_dict()
        model["generated_at"], model["generated_by"] = now_text(), actor.label
        model["timezone"] = self.timezone(actor)
        return model

    def report(self, actor: Actor, kind: str, *, lang: str = "en", fmt: str = "html", **options: Any) -> Document:
        check_format(fmt)
        model = self.report_model(actor, kind, lang, **options)
        content = _encode(model, fmt, "org_report.html")
        return self._log(actor, content, fmt, f"{actor.org_slug}-{kind}-{lang}.{fmt}", kind="report",
                         variant=kind, lang=lang, system=None, checkpoint=model["checkpoint"])

    # --- the log of handed-out documents ---------------------------------------------------
    def log_document(self, actor: Actor, content: bytes, fmt: str, filename: str, *, kind: DocumentKind, variant: str,
                     lang: str | None = None, system: str | None = None,
                     checkpoint: dict[str, Any] | None = None) -> Document:
        """Record a generated file (exports use this too) and return it as a :class:`Document`."""
        return self._log(actor, content, fmt, filename, kind=kind, variant=variant, lang=lang, system=system,
                         checkpoint=checkpoint)

    def _log(self, actor: Actor, content: bytes, fmt: str, filename: str, *, kind: DocumentKind, variant: str,
             lang: str | None, system: str | None, checkpoint: dict[str, Any] | None) -> Document:
        digest = hashlib.sha256(content).hexdigest()
        cp = checkpoint or {}
        stored.keep(self.files, content)  # before the log row, so a logged document is always readable
        with self.db.transaction() as s:
            system_id = None
            if system:
                system_id = s.execute(select(System.id).where(System.org_id == actor.org_id,
                                                             System.slug == system)).scalar_one_or_none()
            row = ReportDocument(org_id=actor.org_id, system_id=system_id, kind=kind, variant=variant, lang=lang,
                                 format=fmt, sha256=digest, size=len(content), checkpoint_seq=cp.get("seq"),
                                 checkpoint_hash=cp.get("head_hash"), filename=filename, created_by=actor.label)
            s.add(row)
            s.flush()
            doc_id = row.id
            append(s, actor.org_id, actor.label, DOCUMENT_LEDGER_ACTIONS[kind], "report", filename,
                   {"variant": variant, "lang": lang, "format": fmt, "sha256": digest, "system": system,
                    "checkpoint_seq": cp.get("seq")})
        meta = {"id": doc_id, "kind": kind, "variant": variant, "lang": lang, "format": fmt, "sha256": digest,
                "size": len(content), "system": system, "checkpoint_seq": cp.get("seq"),
                "checkpoint_hash": cp.get("head_hash")}
        return Document(content, MEDIA.get(fmt, "application/octet-stream"), filename, digest, meta)

    def stored_document(self, actor: Actor, doc_id: int) -> Document:
        """A document generated earlier, read back unchanged (no checkpoint, no log entry)."""
        found = stored.find(self.db, actor, doc_id)
        content = stored.read(self.files, found)
        return Document(content, MEDIA.get(found["format"], "application/octet-stream"),
                        found["filename"] or f"document-{doc_id}.{found['format']}", found["sha256"], found)

    def newest_document(self, actor: Actor, *, kind: str, variant: str, fmt: str, lang: str | None = None,
                        system: str | None = None) -> Document:
        """The newest kept document of this choice (e.g. the Korean PDF full dossier of a system)."""
        return self.stored_document(actor, stored.newest(self.db, self.files, actor, kind=kind, variant=variant,
                                                         fmt=fmt, lang=lang, system=system))

    def documents(self, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
        """Documents generated in the organisation, newest first."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            slugs = {row.id: row.slug for row in s.execute(select(System.id, System.slug)
                                                            .where(System.org_id == actor.org_id))}
            rows = s.execute(select(ReportDocument).where(ReportDocument.org_id == actor.org_id)
                             .order_by(ReportDocument.id.desc()).limit(limit)).scalars()
            return [{"id": r.id, "kind": r.kind, "variant": r.variant, "lang": r.lang, "format": r.format,
                     "system": slugs.get(r.system_id) if r.system_id else None, "sha256": r.sha256, "size": r.size,
                     "checkpoint_seq": r.checkpoint_seq, "created_by": r.created_by, "filename": r.filename,
                     "href": f"/api/v1/reports/documents/{r.id}" if r.filename else None,
                     "created_at": r.created_at.isoformat()} for r in rows]


def _encode(model: dict[str, Any], fmt: str, template: str) -> bytes:
    if fmt == "json":
        import json

        return json.dumps(model, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    return render(template, model, fmt)
