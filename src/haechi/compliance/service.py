"""The compliance service (``hc.compliance``): one entry point for the whole loop.

Sub-services share one clock, one evidence store and one control library:

* ``controls``   — controls proposed from applicable obligations, their state machine;
* ``evidence``   — files, links, records and automatic evidence with a lifecycle;
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
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.store.compliance_tables import ComplianceSettings

from .blobs import BlobStore
from .catalog import ControlLibrary, load_library
from .confirmations import ConfirmationService
from .controls import ControlService
from .deadlines import zone
from .documents import DocumentService
from .evidence import EvidenceService
from .incidents import IncidentService
from .retention import delete_evidence, verify_files
from .risks import RiskService
from .scheduler import start_upkeep, stop_upkeep
from .status import StatusService

if TYPE_CHECKING:
    from haechi.core import Haechi
    from haechi.verdicts.service import VerdictService


class ComplianceService:
    """Controls, evidence, plans, risks, incidents and status of the actor's organisation."""

    def __init__(self, hc: Haechi) -> None:
        self.hc = hc
        self._clock = hc.clock
        self.blobs = BlobStore(hc.home / "evidence")
        self.controls = ControlService(self)
        self.evidence = EvidenceService(self)
        self.documents = DocumentService(self)
        self.risks = RiskService(self)
        self.incidents = IncidentService(self)
        self.confirmations = ConfirmationService(self)
        self.status_service = StatusService(self)
        hc.hooks.register("server_start", start_upkeep)
        hc.hooks.register("server_stop", stop_upkeep)

    # --- time and settings -------------------------------------------------------
    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The source of the workspace clock (replace it to move time in tests)."""
        return self._clock.source

    @clock.setter
    def clock(self, source: Callable[[], dt.datetime]) -> None:
        self._clock.source = source

    @property
    def verdicts(self) -> VerdictService:
        """The workspace's verdicts (the only classifier)."""
        return self.hc.rules

    def pack_prefixes(self) -> dict[str, str]:
        """Short pack prefixes (``kr`` → its pack id) of the workspace's packs."""
        return self.verdicts.library.prefixes()

    def now(self) -> dt.datetime:
        """The current moment (UTC), from the workspace clock."""
        return self._clock.now()

    def timezone(self, s: Session | None = None, org_id: int | None = None) -> str:
        """The organisation's clock time zone, else ``settings.timezone``."""
        if s is not None and org_id is not None:
            row = s.get(ComplianceSettings, org_id)
            if row is not None and row.timezone:
                return row.timezone
        return self.hc.settings.timezone

    def today(self, tz: str | None = None) -> dt.date:
        """Today's date in ``tz`` (default: the configured time zone)."""
        return self._clock.today(tz)

    def library(self) -> ControlLibrary:
        return load_library(self.hc.settings.controls_dir)

    @property
    def max_evidence_bytes(self) -> int:
        return self.hc.settings.max_evidence_mb * (1 << 20)

    def set_timezone(self, actor: Actor, name: str) -> str:
        """Set the organisation's clock time zone (administrators)."""
        from haechi.auth.roles import Permission
        from haechi.ledger import append

        actor.require(Permission.ADMIN)
        zone(name)
        with self.hc.db.transaction() as s:
            row = s.get(ComplianceSettings, actor.org_id) or ComplianceSettings(org_id=actor.org_id)
            row.timezone, row.updated_at, row.updated_by = name, self.now(), actor.label
            s.add(row)
            append(s, actor.org_id, actor.label, "compliance.timezone", "organisation", actor.org_slug,
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
        return delete_evidence(self, actor, evidence, reason)

    def verify_files(self, actor: Actor) -> dict[str, Any]:
        """Re-hash every stored evidence file of the organisation."""
        return verify_files(self, actor)

    def review(self, actor: Actor) -> dict[str, Any]:
        """Demote operating controls whose evidence went stale or expired, now."""
        return self.controls.review(actor)
