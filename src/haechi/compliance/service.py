"""The compliance service (``hc.compliance``): one entry point for the whole loop.

Sub-services share one clock, one evidence store and one control library:

* ``controls``   — controls proposed from applicable obligations, their state machine;
* ``evidence``   — files, links, records and automatic evidence with a lifecycle;
* ``reviews``    — evidence waiting for review, accept/reject decisions, the review policy;
* ``documents``  — versioned plans and assessments from guided forms;
* ``risks``      — the risk register and heat map;
* ``incidents``  — incidents with regulator clocks and draft reports;
* ``confirmations`` — Korean Art. 33 confirmation requests and their clocks.

Time is the workspace clock's (the verdicts use the same one): tests set
``hc.compliance.clock`` to move time forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.store.compliance_tables import ComplianceSettings

from .blobs import BlobStore
from .catalog import ControlLibrary, load_library
from .confirmations import ConfirmationService
from .control_sync import ControlSync
from .controls import ControlService
from .deadlines import zone
from .documents import DocumentService
from .evidence import EvidenceService
from .incidents import IncidentService
from .retention import delete_evidence, verify_files
from .review import EvidenceReview
from .risks import RiskService
from .status import StatusService
from .workspace import EvidencePolicy, OrgClock

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.clock import Clock
    from haechi.events import EventBus
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database
    from haechi.verdicts.service import VerdictService



class ComplianceService:
    """Controls, evidence, plans, risks, incidents and status of the actor's organisation.

    :param db: the workspace database.
    :param clock: the workspace clock (shared with the verdicts).
    :param verdicts: gives the workspace's verdict service when a control sync needs a
        verdict or evidence names articles by pack prefix; a callable so that creating
        compliance (every monitor run does) never loads the law engine.
    :param evidence_dir: where evidence files are stored, by content hash.
    :param controls_dir: extra control-library files beside the shipped library.
    :param policy: the evidence rules (size limit, expiry warning, retention).
    :param systems: the system registry (cards for incident report drafts).
    :param accounts: the organisations (for incident report drafts).
    :param sign_due_checkpoints: signs the ledger heads that are due; the periodic upkeep
        calls it after demoting lapsed controls.
    :param events: where compliance tells monitoring what a run's alerts fed
        (:class:`~haechi.events.AlertsHandled`).
    """

    def __init__(self, db: Database, clock: Clock, verdicts: Callable[[], VerdictService], *,
                 evidence_dir: Path, controls_dir: Path | None, policy: EvidencePolicy,
                 systems: SystemRegistry, accounts: Accounts,
                 sign_due_checkpoints: Callable[[], list[dict[str, Any]]], events: EventBus | None = None) -> None:
        self.db = db
        self.events = events
        self._clock = clock
        self._verdicts = verdicts
        self.org_clock = OrgClock(clock)
        self.policy = policy
        self.blobs = BlobStore(evidence_dir)
        self.library: Callable[[], ControlLibrary] = partial(load_library, controls_dir)
        self.sign_due_checkpoints = sign_due_checkpoints
        when = self.org_clock
        self.controls = ControlService(db, when, self.library, policy.warning_days)
        self.control_sync = ControlSync(db, when, self.library, verdicts, self.controls)
        self.evidence = EvidenceService(db, when, self.library, self.blobs, policy, self.controls,
                                        self.pack_prefixes)
        self.reviews = EvidenceReview(db, when, self.evidence)
        self.documents = DocumentService(db, when, self.library, self.evidence, self.controls)
        self.incidents = IncidentService(db, when, self.evidence, systems, accounts)
        self.risks = RiskService(db, when, self.controls, self.incidents)
        self.confirmations = ConfirmationService(db, when)
        self.status_service = StatusService(db, when, self.controls, self.incidents, self.confirmations, self.risks)

    # --- time ------------------------------------------------------------------------
    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The source of the workspace clock (replace it to move time in tests)."""
        return self._clock.source

    @clock.setter
    def clock(self, source: Callable[[], dt.datetime]) -> None:
        self._clock.source = source

    def pack_prefixes(self) -> dict[str, str]:
        """Short pack prefixes (``kr`` → its pack id) of the workspace's packs."""
        return self._verdicts().library.prefixes()

    def now(self) -> dt.datetime:
        """The current moment (UTC), from the workspace clock."""
        return self.org_clock.now()

    def timezone(self, s: Session | None = None, org_id: int | None = None) -> str:
        """The organisation's clock time zone, else the workspace's."""
        return self.org_clock.timezone(s, org_id)

    def today(self, tz: str | None = None) -> dt.date:
        """Today's date in ``tz`` (default: the workspace's time zone)."""
        return self.org_clock.today(tz)

    @property
    def max_evidence_bytes(self) -> int:
        return self.policy.max_bytes

    def set_timezone(self, actor: Actor, name: str) -> str:
        """Set the organisation's clock time zone (administrators)."""
        from haechi.auth.roles import Permission
        from haechi.ledger import LedgerAction, append

        actor.require(Permission.ADMIN)
        zone(name)
        with self.db.transaction() as s:
            row = s.get(ComplianceSettings, actor.org_id) or ComplianceSettings(org_id=actor.org_id)
            row.timezone, row.updated_at, row.updated_by = name, self.now(), actor.label
            s.add(row)
            append(s, actor.org_id, actor.label, LedgerAction.COMPLIANCE_TIMEZONE, "organisation", actor.org_slug,
                   {"timezone": name})
        return name

    # --- the small API other capabilities use ---------------------------------------
    def record_auto_evidence(self, actor: Actor, system: str, kind: str | None = None,
                             title: str | None = None, payload: dict[str, Any] | None = None,
                             session: Session | None = None, **options: Any) -> dict[str, Any]:
        """Store automatic evidence (monitoring result, notice delivery, label check, …).

        ``kind`` is an evidence type (``monitoring_result``, ``notice_delivery``,
        ``label_check``, ``classification_run``, ``energy_record``, …). The record is
        attached to every control of ``system`` that asks for that type. Identical
        payloads are stored once. Pass ``session`` to write inside your own transaction.
        Options: ``polarity`` ("supports"/"contradicts"), ``source`` (e.g.
        ``transparency.deliveries``; also picks ``kind`` when it is omitted), ``source_ref``,
        ``effective_from``, ``effective_until``, ``valid_until``, ``controls`` (refs, instead
        of the automatic choice), ``articles`` (e.g. ``["kr:31(1)", "eu:50(2)"]``: also attach
        to the controls serving those obligations), ``alert_family``. ``summary`` and
        ``data`` are accepted for ``title`` and ``payload``.
        """
        return self.evidence.record_auto(actor, system, kind, title, payload, session=session, **options)

    def status(self, actor: Actor, system: str | None = None) -> dict[str, Any]:
        """Compliance status of one system or of the whole organisation."""
        if system:
            return self.status_service.system(actor, system)
        return self.status_service.organisation(actor)

    def home_summary(self, actor: Actor) -> dict[str, Any]:
        """The compact status the dashboard home page shows (same data as ``haechi status``)."""
        return self.status_service.home(actor)

    def delete_evidence(self, actor: Actor, evidence: str | int, reason: str) -> dict[str, Any]:
        """Delete evidence whose retention period is over (administrators; see ``retention``)."""
        return delete_evidence(self.evidence, actor, evidence, reason)

    def verify_files(self, actor: Actor) -> dict[str, Any]:
        """Re-hash every stored evidence file of the organisation."""
        return verify_files(self.evidence, actor)

    def review(self, actor: Actor) -> dict[str, Any]:
        """Demote operating controls whose evidence went stale or expired, now."""
        return self.controls.review(actor)
