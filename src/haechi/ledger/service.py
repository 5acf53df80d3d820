"""Ledger service (``hc.ledger``): verify, checkpoint and export an organisation's chain.

Verification, checkpoints and exports need the AUDIT permission (auditors and admins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import BadRequest
from haechi.ledger.actions import LedgerAction
from haechi.ledger.chain import append, chain_rows
from haechi.store.compliance_tables import LedgerKey
from haechi.store.tables import LedgerHead, Organisation

from .checkpoints import CheckpointPolicy, checkpoint_due, create_checkpoint, list_checkpoints
from .crosscheck import Witness, cross_verify
from .export import build_export, write_json_atomic
from .keys import PUBLIC_KEY_FILE, Signer, ensure_ledger_key, key_dir, key_id, load_or_create_signer
from .log import LogContents, read_log
from .verify import VerifyReport, verify_ledger
from .witness_files import read_witness

if TYPE_CHECKING:
    from haechi.store.db import Database


class LedgerService:
    """Checks and signs the trust ledger of the actor's organisation.

    :param db: the workspace database.
    :param home: the data directory (key pair, checkpoint logs).
    :param passport_key: an organisation's passport public key, by slug, for checking
        the signatures of passports handed in as witnesses.
    """

    def __init__(self, db: Database, home: Path, passport_key: Callable[[str], Ed25519PublicKey]) -> None:
        self.db = db
        self.home = home
        self.passport_key = passport_key
        self.policy = CheckpointPolicy()
        self._signer: Signer | None = None

    def prepare_key(self) -> Path:
        """``haechi init``: the checkpoint key pair in the data directory, registered in the database."""
        return ensure_ledger_key(self.db, self.home)

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = load_or_create_signer(self.home)
        return self._signer

    def public_key_path(self) -> Path:
        """Where the public key file is (created with the key pair if missing)."""
        _ = self.signer
        return key_dir(self.home) / PUBLIC_KEY_FILE

    # --- verify ----------------------------------------------------------------
    def verify(
        self, actor: Actor, extra_keys: list[Ed25519PublicKey] | None = None,
        witnesses: list[Path] | None = None,
    ) -> VerifyReport:
        """Recompute the chain and check it against every checkpoint and record found.

        Sources: the database (head, checkpoints), the checkpoint log in the data
        directory, and ``witnesses`` (exports, dossiers, reports, passports handed out
        earlier). Checkpoints are trusted only when signed by this instance's key (the
        file in the data directory) or one of ``extra_keys``; keys listed in the database
        are not trusted, since whoever can alter the database could add one.
        """
        actor.require(Permission.AUDIT)
        trusted = {key_id(k): k for k in [self.signer.public_key, *(extra_keys or [])]}
        found = [self._witness(actor, path) for path in witnesses or []]
        log = read_log(self.home, actor.org_slug, trusted)  # before the database: see check_log
        with self.db.reader() as s:
            return verify_session(s, actor.org_id, actor.org_slug, trusted, log=log, witnesses=found,
                                  reread=lambda: read_log(self.home, actor.org_slug, trusted))

    def _witness(self, actor: Actor, path: Path) -> Witness:
        """Read a witness file, refusing one of another organisation (exit 2, not tampering)."""
        org, witness = read_witness(path, lambda: [self.passport_key(actor.org_slug)])
        if org is not None and org != actor.org_slug:
            raise BadRequest(
                f"witness file {path.name} belongs to organisation '{org}', not '{actor.org_slug}'",
                key="ledger.witness_file_belongs_organisation",
                values={"name": path.name, "org_slug": actor.org_slug, "org": org})
        return witness

    # --- checkpoints -----------------------------------------------------------
    def checkpoint(self, actor: Actor, reason: str = "manual") -> dict[str, Any]:
        """Sign the current head now."""
        actor.require(Permission.AUDIT)
        with self.db.transaction() as s:
            return create_checkpoint(s, actor.org_id, actor.org_slug, self.signer,
                                     actor=actor.label, reason=reason)

    def checkpoint_if_due(self, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """Sign the head of every organisation whose last checkpoint is old (scheduler use)."""
        made = []
        with self.db.transaction() as s:
            for org in s.execute(select(Organisation)).scalars():
                if checkpoint_due(s, org.id, self.policy, now):
                    cp = create_checkpoint(s, org.id, org.slug, self.signer,
                                           actor="haechi:scheduler", reason="interval")
                    made.append(cp | {"org": org.slug})
        return made

    def checkpoints(self, actor: Actor) -> list[dict[str, Any]]:
        actor.require(Permission.AUDIT)
        with self.db.reader() as s:
            return list_checkpoints(s, actor.org_id)

    # --- export ----------------------------------------------------------------
    def export(self, actor: Actor, path: Path | None = None) -> dict[str, Any]:
        """Sign the head, then return (and optionally write) chain + checkpoints + public keys.

        The file is written inside the transaction: if writing fails, the checkpoint and
        the ledger entry recording the export are rolled back too.
        """
        actor.require(Permission.AUDIT)
        with self.db.transaction() as s:
            cp = create_checkpoint(s, actor.org_id, actor.org_slug, self.signer,
                                   actor=actor.label, reason="export")
            entries = [e for e in chain_rows(s, actor.org_id) if e["seq"] <= cp["seq"]]
            org = s.get(Organisation, actor.org_id)
            assert org is not None
            doc = build_export({"slug": org.slug, "name": org.name, "name_ko": org.name_ko},
                               entries, list_checkpoints(s, actor.org_id), _keys(s),
                               exported_at=cp["at"], exported_by=actor.label)
            append(s, actor.org_id, actor.label, LedgerAction.LEDGER_EXPORT, "ledger", org.slug,
                   {"through_seq": cp["seq"], "head_hash": cp["head_hash"],
                    "file": str(path) if path else None})
            if path is not None:
                write_json_atomic(path, doc)
        return doc


def _keys(s: Session) -> list[dict[str, str]]:
    return [
        {"key_id": k.key_id, "public_key": k.public_key}
        for k in s.execute(select(LedgerKey).order_by(LedgerKey.created_at)).scalars()
    ]


def verify_session(
    s: Session, org_id: int, org_slug: str, trusted: dict[str, Ed25519PublicKey], *,
    log: LogContents | None = None, witnesses: list[Witness] | None = None,
    reread: Callable[[], LogContents] | None = None,
) -> VerifyReport:
    """Verify one organisation's ledger as seen through ``s`` (may hold uncommitted changes).

    With ``log`` (read before ``s`` saw the database) the chain is also checked against the
    checkpoint log, re-read through ``reread`` for what was committed since; ``witnesses``
    add checkpoints from documents.
    """
    head_row = s.get(LedgerHead, org_id)
    head = (head_row.seq, head_row.hash) if head_row else None
    rows, checkpoints = chain_rows(s, org_id), list_checkpoints(s, org_id)
    report = verify_ledger(org_slug, rows, head, checkpoints, trusted)
    if log is not None:
        cross_verify(report, rows, checkpoints, trusted, log, reread or (lambda: log), witnesses or [])
    return report

