"""``hc.lake``: the log lake behind the facade, with roles, tenants and the ledger.

Every method takes the acting :class:`Actor` first. A system of another organisation is
*not found*; writing needs the editor role. Retention decisions and purges are recorded
in the ledger; ingesting events is not (it would flood the chain — the Parquet files
carry their own ``ingested_at``), but file imports are, with the file's SHA-256.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa
from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.monitor_lake_tables import LakePolicy
from haechi.store.tables import utcnow

from . import lake_maintenance
from .formats import EVENT_KEYS, LABEL_KEYS, RawBatch, decode, from_table, inflate
from .ingest import IngestResult, ingest_events, ingest_labels
from .lake import Lake, LakeSource, SystemLake
from .lake_source import TimeBound

if TYPE_CHECKING:
    from haechi.clock import Clock
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database

    from .config import LakeConfig
    from .lake_import import ColumnMap, ImportReport, Progress

__all__ = ["LakeService"]

MIN_RETENTION_DAYS = 1
T = TypeVar("T")


def _object_lake(staging: Path, url: str) -> Lake:
    from .lake_object import ObjectLake  # the S3 client loads only for a lake in a bucket

    return ObjectLake(staging, url)


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class LakeService:
    """Prediction logs of the organisation's AI systems.

    The contract with the metric engine is ``docs/dev/monitoring-interfaces.md``.

    :param db: the workspace database (retention policies, ledger, organisations).
    :param systems: the registry that says whether a system is the actor's.
    :param config: the settings values the lake reads.
    :param clock: the workspace clock (retention cut-offs; lake days are UTC days).
    """

    def __init__(self, db: Database, systems: SystemRegistry, config: LakeConfig, clock: Clock) -> None:
        self.db, self.systems, self.config, self.clock = db, systems, config, clock
        self.lake = Lake(config.path) if not config.url else _object_lake(config.path, config.url)

    # --- access ---------------------------------------------------------------
    def system_lake(self, actor: Actor, system: str, permission: Permission = Permission.READ) -> SystemLake:
        """The lake of ``system`` after checking the role and that the system is the actor's."""
        actor.require(permission)
        record = self.systems.get(actor, system)  # NotFound for unknown or foreign systems
        return self.lake.system(actor.org_slug, record.slug)

    # --- ingestion -----------------------------------------------------------
    def ingest(
        self,
        actor: Actor,
        system: str,
        body: bytes,
        content_type: str | None,
        *,
        strict: bool = False,
        content_encoding: str | None = None,
    ) -> IngestResult:
        """Decode, validate and durably store a batch of events (HTTP bodies, SDK batches)."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        raw = decode(inflate(body, content_encoding, self._inflate_limit()), content_type)
        return self.ingest_raw(actor, sl, raw, strict=strict)

    def _inflate_limit(self) -> int:
        """Largest body after gzip is undone: eight times the request limit."""
        return self.config.max_body_mb * 1024 * 1024 * 8

    def ingest_table(self, actor: Actor, system: str, table: pa.Table, *, strict: bool = False) -> IngestResult:
        """Store events given as an Arrow table (columns as for Arrow bodies)."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        return self.ingest_raw(actor, sl, from_table(table, EVENT_KEYS), strict=strict)

    def ingest_raw(self, actor: Actor, sl: SystemLake, raw: RawBatch, *, strict: bool = False) -> IngestResult:
        oldest = self._oldest_allowed(actor, sl.system)
        return ingest_events(sl, raw, strict=strict, oldest=oldest)

    def ingest_labels(
        self,
        actor: Actor,
        system: str,
        body: bytes,
        content_type: str | None,
        *,
        strict: bool = False,
        content_encoding: str | None = None,
    ) -> IngestResult:
        """Store late labels ``(event_id, label)`` sent as JSON, NDJSON, Arrow or Parquet."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        raw = decode(inflate(body, content_encoding, self._inflate_limit()), content_type, labels=True)
        return ingest_labels(sl, raw, strict=strict)

    def ingest_labels_table(self, actor: Actor, system: str, table: pa.Table) -> IngestResult:
        sl = self.system_lake(actor, system, Permission.WRITE)
        return ingest_labels(sl, from_table(table, LABEL_KEYS, labels=True))

    def import_file(
        self,
        actor: Actor,
        system: str,
        path: Path,
        mapping: ColumnMap,
        *,
        labels: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import one Parquet/CSV/JSONL file, all rows or none; the import is ledgered."""
        from . import lake_import  # CSV/JSON readers: only file imports pay for them

        sl = self.system_lake(actor, system, Permission.WRITE)
        if not path.is_file():
            raise NotFound(f"{path}: no such file", key="monitor.no_such_file", values={"path": path})
        if labels:
            report = lake_import.import_labels(sl, path, mapping, progress)
        else:
            report = lake_import.import_events(
                sl, path, mapping, oldest=self._oldest_allowed(actor, sl.system), progress=progress
            )
        with self.db.transaction() as s:
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.MONITOR_IMPORT,
                "system",
                sl.system,
                {**report.to_dict(), "file": path.name},
            )
        return report

    # --- reading -------------------------------------------------------------
    def source(self, actor: Actor, system: str, start: TimeBound = None, end: TimeBound = None) -> LakeSource:
        """The DuckDB source of one system's events for the metric engine."""
        return self.system_lake(actor, system).source(start, end)

    def event_count(self, actor: Actor, system: str, start: TimeBound = None, end: TimeBound = None) -> int:
        """Inferences logged in ``[start, end)`` (e.g. ESG energy per 1,000 inferences)."""
        return self.system_lake(actor, system).event_count(start, end)

    def schema(self, actor: Actor, system: str) -> dict[str, Any]:
        sl = self.system_lake(actor, system)
        registry = sl.registry()
        return {"system": sl.system, **registry.to_json(), "mapping": registry.mapping()}

    def stats(self, actor: Actor, system: str) -> dict[str, Any]:
        """Size and span of a system's logs, and its retention policy."""
        sl = self.system_lake(actor, system)
        days, event_files, label_files = sl.inventory()
        return {
            "system": sl.system,
            "events": sl.event_count(),
            "days": len(days),
            "first_day": days[0].isoformat() if days else None,
            "last_day": days[-1].isoformat() if days else None,
            "event_files": len(event_files),
            "label_files": len(label_files),
            "bytes": sl.size_of(event_files + label_files),
            "retention": self.retention(actor, system),
        }

    # --- retention and upkeep -------------------------------------------------
    def default_retention_days(self) -> int:
        today = self._today()
        return (today - _years_ago(today, self.config.retention_years)).days

    def retention(self, actor: Actor, system: str) -> dict[str, Any]:
        """The retention policy of ``system``: explicit, or the default (5 years)."""
        sl = self.system_lake(actor, system)
        policy = self._policy(actor, sl.system)
        if policy is None:
            return {
                "days": self.default_retention_days(),
                "explicit": False,
                "basis": f"default: {self.config.retention_years} years (KR Enforcement Decree Art. 27(2))",
            }
        return policy

    def set_retention(self, actor: Actor, system: str, days: int, reason: str | None = None) -> dict[str, Any]:
        """Set how long logs are kept; shorter than the default needs a written reason."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        self._check_retention(days, reason)
        with self.db.transaction() as s:
            policy = s.execute(
                select(LakePolicy).where(LakePolicy.org_id == actor.org_id, LakePolicy.system == sl.system)
            ).scalar_one_or_none()
            if policy is None:
                policy = LakePolicy(
                    org_id=actor.org_id,
                    system=sl.system,
                    retention_days=days,
                    updated_by=actor.label,
                )
                s.add(policy)
            policy.retention_days, policy.reason = days, reason
            policy.updated_by, policy.updated_at = actor.label, utcnow()
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.MONITOR_RETENTION,
                "system",
                sl.system,
                {"retention_days": days, "reason": reason},
            )
        return self.retention(actor, system)

    def _check_retention(self, days: int, reason: str | None) -> None:
        if days < MIN_RETENTION_DAYS:
            raise ValidationFailed("retention must be at least one day", key="monitor.retention_must_at_least")
        if days < self.default_retention_days() and not (reason and reason.strip()):
            raise ValidationFailed(
                f"{days} days is shorter than the default of "
                f"{self.config.retention_years} years (KR Enforcement Decree Art. 27(2)); "
                "give the reason (e.g. not a high-impact system, data-minimisation duty)",
                key="monitor.days_shorter_than_default",
            )

    def purge_expired(self, actor: Actor, system: str) -> dict[str, Any]:
        """Delete the day partitions older than the retention period; ledgered."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        self._refuse_on_object_storage("deleting expired logs", "보존 기간이 지난 로그 삭제")
        cutoff = self._today() - dt.timedelta(days=self.retention(actor, sl.system)["days"])
        result = lake_maintenance.purge_before(sl, cutoff)
        if any(result["deleted_days"].values()) or result["deleted_quarantine"]:  # type: ignore[attr-defined]
            with self.db.transaction() as s:
                append(s, actor.org_id, actor.label, LedgerAction.MONITOR_PURGE, "system", sl.system, result)
        return result

    def compact(self, actor: Actor, system: str, min_files: int = 2) -> dict[str, Any]:
        """Merge small files per day (content unchanged; nothing to ledger)."""
        sl = self.system_lake(actor, system, Permission.WRITE)
        self._refuse_on_object_storage("compaction", "작은 파일 합치기")
        report, moved = self.despite_unreadable(
            actor, system, lambda: lake_maintenance.compact(sl, min_files=min_files).to_dict())
        return {**report, "quarantined": moved}

    def duplicate_report(self, actor: Actor, system: str) -> dict[str, Any]:
        """Event ids stored more than once anywhere in the system (expected: none)."""
        report, moved = self.despite_unreadable(actor, system, lambda: self._duplicates(actor, system))
        return {**report, "quarantined": moved}

    def _duplicates(self, actor: Actor, system: str) -> dict[str, Any]:
        src = self.source(actor, system)
        if not src.files:
            return {"system": system, "duplicate_ids": 0, "examples": []}
        rows = (
            src.scalar(
                "SELECT list(event_id) FROM (SELECT event_id FROM ({sql}) GROUP BY event_id HAVING count(*) > 1)"
            )
            or []
        )
        return {"system": system, "duplicate_ids": len(rows), "examples": sorted(rows)[:20]}

    # --- unreadable files ------------------------------------------------------
    def despite_unreadable(self, actor: Actor, system: str, work: Callable[[], T]) -> tuple[T, list[dict[str, Any]]]:
        """Run ``work``; if it fails and unreadable files are found, quarantine them and run it
        once more. Returns its result and the files moved (see ``lake_quarantine``). Moving
        files needs the editor role; a reader gets the original error."""
        import duckdb

        from .sources import UnreadableLog

        try:
            return work(), []
        except (UnreadableLog, duckdb.Error):
            moved = self.quarantine_unreadable(actor, system) if actor.can(Permission.WRITE) else []
            if not moved:
                raise
        return work(), moved

    def quarantine_unreadable(self, actor: Actor, system: str) -> list[dict[str, Any]]:
        """Move the system's unreadable files to its quarantine folder; ledgered."""
        from . import lake_quarantine

        sl = self.system_lake(actor, system, Permission.WRITE)
        if self.on_object_storage:
            return []  # nothing is moved on object storage: the read error stands as it is
        moved = lake_quarantine.quarantine(sl, lake_quarantine.find_unreadable(sl))
        if moved:
            with self.db.transaction() as s:
                append(s, actor.org_id, actor.label, LedgerAction.MONITOR_QUARANTINE, "system", sl.system,
                       {"files": moved})
        return moved

    def quarantined(self, actor: Actor, system: str) -> list[dict[str, Any]]:
        """Files of the system moved to quarantine so far (paths relative to its lake folder)."""
        from . import lake_quarantine

        return lake_quarantine.quarantined(self.system_lake(actor, system))

    @property
    def on_object_storage(self) -> bool:
        """Whether the lake is in a bucket (``HAECHI_LAKE_URL``): upkeep that moves or deletes
        files (compaction, purges, quarantine) is then not done."""
        return bool(self.config.url)

    def _refuse_on_object_storage(self, what: str, what_ko: str) -> None:
        if self.on_object_storage:
            from .lake_object import local_only

            raise local_only(what, what_ko)

    def _policy(self, actor: Actor, system: str) -> dict[str, Any] | None:
        with self.db.reader() as s:
            row = s.execute(
                select(LakePolicy).where(LakePolicy.org_id == actor.org_id, LakePolicy.system == system)
            ).scalar_one_or_none()
            if row is None:
                return None
            return {
                "days": row.retention_days,
                "explicit": True,
                "reason": row.reason,
                "updated_by": row.updated_by,
                "updated_at": row.updated_at.isoformat(),
            }

    def _oldest_allowed(self, actor: Actor, system: str) -> dt.datetime:
        days = self.retention(actor, system)["days"]
        start = self.clock.now() - dt.timedelta(days=days)
        return start.replace(hour=0, minute=0, second=0, microsecond=0)

    def _today(self) -> dt.date:
        # the lake partitions logs by UTC day, so retention counts UTC days too
        return self.clock.now().astimezone(dt.UTC).date()
