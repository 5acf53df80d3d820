"""Records every committed ledger write and checkpoint in the checkpoint log.

Session events of the facade's database: ``after_flush`` notes the entries a transaction
appends, ``before_commit`` looks up the organisations' slugs (the session can still
query), and ``after_commit`` appends the lines. Writing only after the commit means a
rolled-back transaction never leaves a line behind. The price is a window: if the
process dies between the database commit and the log write, the log misses that head
and ``audit verify`` reports the entries as not recorded in the log (see
docs/compliance.md, "Trust model").
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from haechi.store.tables import LedgerEntry, Organisation

if TYPE_CHECKING:
    from pathlib import Path

    from haechi.store.db import Database

    from .log import LogWriter

logger = logging.getLogger(__name__)

#: session.info keys: org_id -> [from_seq, from_hash, seq, hash]; pending checkpoints.
HEADS = "haechi_ledger_heads"
CHECKPOINTS = "haechi_ledger_checkpoints"


def note_checkpoint(session: Session, org_slug: str, checkpoint: dict[str, Any]) -> None:
    """Queue a checkpoint made in ``session`` for the log (written once committed)."""
    session.info.setdefault(CHECKPOINTS, []).append((org_slug, checkpoint))


class Recorder:
    """Keeps the checkpoint logs in the data directory ``home`` in step with ``db``."""

    def __init__(self, db: Database, home: Path) -> None:
        self.home = home
        self._writer: LogWriter | None = None
        self._slugs: dict[int, str] = {}
        db.listen("after_flush", self._after_flush)
        db.listen("before_commit", self._before_commit)
        db.listen("after_commit", self._after_commit)
        db.listen("after_rollback", self._forget)

    @property
    def writer(self) -> LogWriter:
        """The log writer, made on the first write (it loads the signing key and its library)."""
        if self._writer is None:
            from .keys import load_or_create_signer
            from .log import LogWriter

            signer = load_or_create_signer(self.home)
            self._writer = LogWriter(self.home, lambda: signer)
        return self._writer

    def _after_flush(self, session: Session, _context: Any) -> None:
        heads: dict[int, list[Any]] = session.info.setdefault(HEADS, {})
        for obj in session.new:
            if isinstance(obj, LedgerEntry):
                span = heads.setdefault(obj.org_id, [obj.seq - 1, obj.prev_hash, obj.seq, obj.hash])
                if obj.seq - 1 < span[0]:
                    span[0], span[1] = obj.seq - 1, obj.prev_hash
                if obj.seq > span[2]:
                    span[2], span[3] = obj.seq, obj.hash

    def _before_commit(self, session: Session) -> None:
        missing = [o for o in session.info.get(HEADS, {}) if o not in self._slugs]
        for org_id in missing:
            org = session.get(Organisation, org_id)
            if org is not None:
                self._slugs[org_id] = org.slug

    def _after_commit(self, session: Session) -> None:
        if HEADS not in session.info and CHECKPOINTS not in session.info:
            return
        from .log import checkpoint_record, head_record

        records: dict[str, list[dict[str, Any]]] = {}
        for org_id, span in session.info.pop(HEADS, {}).items():
            if org_id in self._slugs:
                records.setdefault(self._slugs[org_id], []).append(head_record(*span))
        for org_slug, cp in session.info.pop(CHECKPOINTS, []):
            records.setdefault(org_slug, []).append(checkpoint_record(cp))
        for org_slug, lines in records.items():
            try:
                self.writer.append(org_slug, lines)
            except Exception as exc:  # any failure: the change is committed already
                # Failing the caller now would not undo the change; verify reports the
                # entries missing from the log instead, and this line says why.
                logger.error("could not write the checkpoint log of %s: %s", org_slug, exc)

    def _forget(self, session: Session) -> None:
        session.info.pop(HEADS, None)
        session.info.pop(CHECKPOINTS, None)
