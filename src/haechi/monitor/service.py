"""``hc.monitor``: save monitors, run them, read their results and alerts.

A run computes through :func:`runner.run_spec` with the ``monitor_results`` table as
its cache, then stores new alerts, the run record and a ledger entry in one
transaction; reactions to its ``AlertsRaised`` event (evidence, incidents) run inside it.
Webhook and e-mail delivery happen after the commit and their outcomes are recorded
on the alerts.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, HaechiError, NotFound, ValidationFailed
from haechi.domain.server_paths import redact_text
from haechi.events import AlertsRaised
from haechi.ledger import LedgerAction, append
from haechi.store.monitor_tables import Monitor, MonitorAlert, MonitorResult, MonitorRun
from haechi.store.tables import System, utcnow

from .alerts import alert_key
from .config import MonitorConfig
from .file_area import FileArea
from .problem_service import ProblemService, check_note
from .problems import attach
from .spec import MonitorSpec
from .webhook_targets import check_webhooks

if TYPE_CHECKING:
    from collections.abc import Callable

    from haechi.clock import Clock
    from haechi.events import EventBus
    from haechi.store.db import Database
    from haechi.transparency.duties import Duties

    from .generative.marks import RequiredMarks
    from .lake_service import LakeService

log = logging.getLogger(__name__)
ALERT_STATUSES = ("open", "acknowledged", "resolved")
#: the ledger entry that records an alert moving to each status
ALERT_ACTIONS = {"open": LedgerAction.ALERT_OPEN, "acknowledged": LedgerAction.ALERT_ACKNOWLEDGED,
                 "resolved": LedgerAction.ALERT_RESOLVED}
#: key of a stored spec that the operator loaded from a file: the folder it may read from
LOCAL_FOLDER = "base_dir"
#: How long a run waits for an earlier run of the same monitor (runs take turns, so the
#: second one reuses the first one's windows and stores no alert twice).
RUN_WAIT_SECONDS = 120.0
#: the most windows a preview computes before the monitor is saved
PREVIEW_WINDOWS_MAX = 10


class DbCache:
    """The runner's result cache, backed by ``monitor_results`` of one monitor."""

    def __init__(self, db: Database, org_id: int, monitor_id: int) -> None:
        self.db, self.org_id, self.monitor_id = db, org_id, monitor_id

    def load(self) -> dict[str, tuple[str, dict[str, Any]]]:
        with self.db.reader() as s:
            rows = s.execute(select(MonitorResult).where(MonitorResult.monitor_id == self.monitor_id)).scalars()
            return {r.window_start: (r.fingerprint, r.result) for r in rows}

    def save(self, rows: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        with self.db.transaction() as s:
            existing = {r.window_start: r for r in s.execute(select(MonitorResult).where(
                MonitorResult.monitor_id == self.monitor_id)).scalars()}
            for start, end, fingerprint, result in rows:
                row = existing.get(start)
                if row is None:
                    s.add(MonitorResult(org_id=self.org_id, monitor_id=self.monitor_id, window_start=start,
                                        window_end=end, fingerprint=fingerprint, result=result))
                else:
                    row.fingerprint, row.result, row.computed_at = fingerprint, result, utcnow()


def _monitor_info(monitor: Monitor, system_slug: str) -> dict[str, Any]:
    # the operator's spec folder is where the server keeps files, not part of the spec
    shown = {k: v for k, v in monitor.spec.items() if k != LOCAL_FOLDER}
    return {"id": monitor.id, "system": system_slug, "name": monitor.name, "schedule": monitor.schedule,
            "enabled": monitor.enabled, "spec": shown, "updated_at": monitor.updated_at.isoformat(),
            "last_run_at": monitor.last_run_at.isoformat() if monitor.last_run_at else None,
            "last_status": monitor.last_status, "last_error": monitor.last_error}


def alert_info(row: MonitorAlert, system_slug: str, monitor_name: str) -> dict[str, Any]:
    """An alert as the API, CLI and dashboard show it."""
    return {"id": row.id, "system": system_slug, "monitor": monitor_name, "window_start": row.window_start,
            "window_end": row.window_end, "metric": row.metric, "family": row.family, "scope": row.scope or None,
            "group": row.grp or None, "value": row.value, "threshold": row.threshold, "n": row.n,
            "status": row.status, "note": row.note, "deliveries": row.deliveries, "problem": row.problem_id,
            "created_at": row.created_at.isoformat()}


class MonitorService:
    """Monitors of the actor's organisation.

    :param db: the workspace database (monitors, results, runs, alerts, ledger).
    :param events: where a run publishes :class:`AlertsRaised` for its new alerts.
    :param lake: gives the log lake service; called only when a spec reads the lake, so a
        spec with its own log file never loads the lake's modules.
    :param config: the settings values monitoring reads.
    :param clock: the workspace clock (run times, schedules).
    :param duties: gives a system's transparency duties from its verdict (the transparency
        capability's reading), which decide the marks a generative system's outputs need;
        without it a generative monitor uses its spec's or its modality's marks.
    """

    def __init__(self, db: Database, events: EventBus, lake: Callable[[], LakeService], config: MonitorConfig,
                 clock: Clock, duties: Callable[[Actor, str], Duties] | None = None) -> None:
        self.db, self.events, self.config, self.clock = db, events, config, clock
        self._lake_service = lake
        self._duties = duties
        #: the problems the alerts are grouped into (``problem_service.py``)
        self.problems = ProblemService(db, clock)

    # --- monitors ------------------------------------------------------------------------
    def files_dir(self, actor: Actor) -> Path:
        """The organisation's monitor files: the only files a spec sent over the API may read."""
        return self.config.home / "files" / actor.org_slug / "monitor"

    def put_file(self, actor: Actor, name: str, data: bytes) -> dict[str, Any]:
        """Upload a log or reference set to the organisation's monitor files; ledgered."""
        from . import org_files

        actor.require(Permission.WRITE)
        info = org_files.put(self.files_dir(actor), name, data)
        with self.db.transaction() as s:
            append(s, actor.org_id, actor.label, LedgerAction.MONITOR_FILE_PUT, "monitor_file", info["name"], info)
        return info

    def files(self, actor: Actor) -> builtins.list[dict[str, Any]]:
        """The organisation's monitor files."""
        from . import org_files

        actor.require(Permission.READ)
        return org_files.listing(self.files_dir(actor))

    def delete_file(self, actor: Actor, name: str) -> None:
        from . import org_files

        actor.require(Permission.WRITE)
        org_files.delete(self.files_dir(actor), name)
        with self.db.transaction() as s:
            append(s, actor.org_id, actor.label, LedgerAction.MONITOR_FILE_DELETE, "monitor_file", name, {})

    def scoped(self, actor: Actor, spec: MonitorSpec) -> MonitorSpec:
        """``spec`` reading from where it may: the operator's spec folder for a spec file the
        CLI loaded, the organisation's monitor files for everything else; names that leave
        that area, and webhooks the server may not post to, are refused."""
        if not spec.is_local():
            spec = spec.in_area(FileArea.organisation(self.files_dir(actor)))
        spec.check_files()
        check_webhooks(spec.notify.webhook, self.config.webhook_policy)
        return spec

    def save(self, actor: Actor, spec: MonitorSpec) -> dict[str, Any]:
        """Create or update the monitor ``spec.name`` of ``spec.system``."""
        actor.require(Permission.WRITE)
        spec = self.scoped(actor, spec)
        with self.db.transaction() as s:
            system = self._system(s, actor, spec.system)
            monitor = self._save(s, actor, system, spec)
            return _monitor_info(monitor, system.slug)

    def _save(self, s: Session, actor: Actor, system: System, spec: MonitorSpec) -> Monitor:
        stored = _stored_spec(spec)
        monitor = s.execute(select(Monitor).where(Monitor.org_id == actor.org_id, Monitor.system_id == system.id,
                                                  Monitor.name == spec.name)).scalar_one_or_none()
        if monitor is not None and monitor.spec == stored:
            return monitor
        action = LedgerAction.MONITOR_CREATE if monitor is None else LedgerAction.MONITOR_UPDATE
        if monitor is None:
            monitor = Monitor(org_id=actor.org_id, system_id=system.id, name=spec.name, spec=stored)
            s.add(monitor)
        monitor.spec, monitor.schedule, monitor.updated_at = stored, spec.schedule, utcnow()
        s.flush()
        append(s, actor.org_id, actor.label, action, "monitor", f"{system.slug}/{spec.name}", {"spec": stored})
        return monitor

    def list(self, actor: Actor, system: str | None = None) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(Monitor, System.slug).join(System, System.id == Monitor.system_id).where(
                Monitor.org_id == actor.org_id, System.deleted_at.is_(None))
            if system:
                stmt = stmt.where(System.slug == system)
            return [_monitor_info(m, slug) for m, slug in s.execute(stmt.order_by(System.slug, Monitor.name))]

    def get(self, actor: Actor, system: str, name: str = "default") -> dict[str, Any]:
        for info in self.list(actor, system):
            if info["name"] == name:
                return info
        raise NotFound(f"system '{system}' has no monitor '{name}'",
                       key="monitor.system_has_no_monitor", values={"system": system, "name": name})

    def spec(self, actor: Actor, system: str, name: str = "default") -> MonitorSpec:
        """The stored spec of a monitor, reading from where it was saved to read."""
        monitor_id = self.get(actor, system, name)["id"]
        with self.db.reader() as s:
            stored = dict(s.get(Monitor, monitor_id).spec)  # type: ignore[union-attr]
        folder = stored.pop(LOCAL_FOLDER, None)
        spec = MonitorSpec.model_validate(stored)
        area = FileArea.local(Path(folder)) if folder else FileArea.organisation(self.files_dir(actor))
        return spec.in_area(area)

    def delete(self, actor: Actor, system: str, name: str = "default") -> None:
        actor.require(Permission.WRITE)
        info = self.get(actor, system, name)
        with self.db.transaction() as s:
            monitor = s.get(Monitor, info["id"])
            s.delete(monitor)
            append(s, actor.org_id, actor.label, LedgerAction.MONITOR_DELETE, "monitor", f"{system}/{name}", {})

    # --- running -------------------------------------------------------------------------
    def run(self, actor: Actor, target: MonitorSpec | str, *, name: str | None = None, full: bool = False,
            trigger: str = "manual", wait: float = RUN_WAIT_SECONDS) -> dict[str, Any]:
        """Run a spec (saving it as the system's monitor) or a system's stored monitor.

        Runs of one monitor take turns across threads, workers and processes: a run waits
        up to ``wait`` seconds for the one in progress, then answers 409 "already running".
        """
        actor.require(Permission.WRITE)
        # a new spec with a bad file name is refused unsaved; a stored one fails its run (recorded)
        spec = self.scoped(actor, target) if isinstance(target, MonitorSpec) else self._pick(actor, target, name)
        with self.db.transaction() as s:
            system = self._system(s, actor, spec.system)
            monitor_id = self._save(s, actor, system, spec).id
        marks = self._required_marks(actor, spec)
        if marks is not None and marks.source == "verdict":  # the stored spec keeps following the verdict
            spec = spec.model_copy(update={"generative": spec.generative_roles().model_copy(
                update={"required_marks": marks.marks})})
        lock = self.db.lock(f"monitor-run-{monitor_id}")
        if not lock.acquire(wait):
            which = f"monitor '{spec.name}' of system '{spec.system}'"
            which_ko = f"시스템 '{spec.system}'의 모니터 '{spec.name}'"
            raise Conflict(f"{which} is already running; try again when it has finished",
                           key="monitor.already_running_try_again", values={"which_ko": which_ko})
        try:
            out = self._run_locked(actor, spec, monitor_id, full, trigger)
        finally:
            lock.release()
        if marks is not None:
            out["generative"] = {**out.get("generative", {}), **marks.to_dict()}
            self._offer_coverage(actor, spec, out)
        return out

    def _required_marks(self, actor: Actor, spec: MonitorSpec) -> RequiredMarks | None:
        """A generative monitor's required marks: the spec's, else the verdict's, else the modality's."""
        if spec.task != "generative":
            return None
        from .generative.marks import RequiredMarks, marks_from_duties

        roles = spec.generative_roles()
        if roles.required_marks is not None:
            return RequiredMarks(roles.marks_required(), "spec")
        if self._duties is not None:
            try:
                return marks_from_duties(self._duties(actor, spec.system), roles.modality)
            except HaechiError:  # no verdict yet: the modality's marks, said so in the result
                pass
        return RequiredMarks(roles.marks_required(), "default")

    def _offer_coverage(self, actor: Actor, spec: MonitorSpec, out: dict[str, Any]) -> None:
        """Offer the run's label and notice coverage to compliance as evidence (one transaction)."""
        from haechi.events import EvidenceOffered

        from .generative.evidence import coverage_evidence

        thresholds = {name: t.bounds() for name, t in spec.thresholds.items()}
        offers = coverage_evidence(out, thresholds)
        if not offers:
            return
        try:
            with self.db.transaction() as s:
                for offer in offers:
                    kind, title, payload = offer.pop("kind"), offer.pop("title"), offer.pop("payload")
                    self.events.publish(EvidenceOffered(s, actor, spec.system, kind, title, payload, offer))
        except HaechiError as error:  # the run and its alerts are stored: say so instead of failing it
            out["evidence_error"] = error.message
            log.warning("coverage evidence of %s/%s not recorded: %s", spec.system, spec.name, error.message)

    def _run_locked(self, actor: Actor, spec: MonitorSpec, monitor_id: int, full: bool,
                    trigger: str) -> dict[str, Any]:
        from .runner import run_spec  # DuckDB/NumPy load only when a monitor actually runs

        started = time.perf_counter()

        def compute() -> dict[str, Any]:
            return run_spec(spec, engine=self._engine(spec), cache=DbCache(self.db, actor.org_id, monitor_id),
                            reference_dir=self._reference_dir(actor, spec), lake=self._lake(actor, spec), full=full)

        try:
            if spec.log is None:
                # an unreadable lake file is quarantined (and reported) instead of failing every run
                out, moved = self._lake_service().despite_unreadable(actor, spec.system, compute)
                out["quarantined"] = moved
            else:
                out = compute()
        except HaechiError as exc:
            self._record_failure(actor, monitor_id, trigger, exc, time.perf_counter() - started)
            raise
        new = self._store_alerts(actor, monitor_id, spec, out, trigger)
        self._deliver(actor, spec, new)
        return out

    def preview(self, actor: Actor, spec: MonitorSpec, windows: int = 3) -> dict[str, Any]:
        """The first ``windows`` windows of an unsaved spec and their alerts: nothing is stored.

        Computed like a run (same engine, same data: the system's lake or the organisation's
        monitor files) with an in-memory cache and no reference summary kept on disk.
        """
        from .runner import MemoryCache, run_spec

        actor.require(Permission.WRITE)
        spec = self.scoped(actor, spec)
        self._check_system(actor, spec.system)
        windows = max(1, min(windows, PREVIEW_WINDOWS_MAX))
        out = run_spec(spec, engine=self._engine(spec), cache=MemoryCache(), reference_dir=None,
                       lake=self._lake(actor, spec), first=windows)
        return {"system": spec.system, "task": spec.task, "reference": out["reference"], "windows": out["windows"],
                "alerts": out["alerts"], "planned_windows": out["run"]["planned_windows"]}

    def _pick(self, actor: Actor, system: str, name: str | None) -> MonitorSpec:
        names = [m["name"] for m in self.list(actor, system)]
        if name is None and len(names) == 1:
            name = names[0]
        if not names:
            self._check_system(actor, system)
            raise NotFound(f"system '{system}' has no monitor yet",
                           key="monitor.system_has_no_monitor_2", values={"system": system},
                           details={"fix": "run a spec file once: haechi monitor run monitor.yaml"})
        return self.spec(actor, system, name or "default")

    def _engine(self, spec: MonitorSpec) -> Any:
        if spec.engine == "spark":
            from .engine_spark import SparkEngine

            return SparkEngine.from_env()
        from .engine_duckdb import DuckDBEngine

        return DuckDBEngine(temp_directory=str(self.config.home / "cache" / "duckdb"))

    def _reference_dir(self, actor: Actor, spec: MonitorSpec) -> Path:
        return self.config.home / "cache" / "monitor" / actor.org_slug / spec.system / spec.name

    def _lake(self, actor: Actor, spec: MonitorSpec) -> Any:
        if spec.log is not None:  # a spec with its own file never creates the lake service (~60 ms of imports)
            return None
        return lambda: self._lake_service().source(actor, spec.system)

    def _store_alerts(self, actor: Actor, monitor_id: int, spec: MonitorSpec, out: dict[str, Any],
                      trigger: str) -> builtins.list[dict[str, Any]]:
        with self.db.transaction() as s:
            monitor = s.get(Monitor, monitor_id)
            assert monitor is not None
            known = {(a.window_start, a.metric, a.scope, a.grp): a for a in s.execute(
                select(MonitorAlert).where(MonitorAlert.monitor_id == monitor_id)).scalars()}
            new_rows: list[MonitorAlert] = []
            pairs = []
            for alert in out["alerts"]:
                key = alert_key(alert)[2:]
                row = known.get(key)
                if row is None:
                    row = known[key] = _alert_row(actor, monitor, alert)
                    s.add(row)
                    new_rows.append(row)
                pairs.append((alert, row))
            s.flush()
            attach(s, actor, monitor, spec.system, new_rows, out["alerts"], out["windows"])
            for alert, row in pairs:
                alert["id"], alert["status"], alert["new"] = row.id, row.status, row in new_rows
                alert["problem"] = row.problem_id
            new = [alert_info(r, spec.system, spec.name) for r in new_rows]
            self._finish_run(s, actor, monitor, out, trigger, len(new))
            if new:
                self._raise(s, actor, new)
            return new

    def _raise(self, s: Session, actor: Actor, new: builtins.list[dict[str, Any]]) -> None:
        """Publish the run's new alerts at once (compliance records them in one batch)."""
        self.events.publish(AlertsRaised(s, actor, new))

    def _finish_run(self, s: Session, actor: Actor, monitor: Monitor, out: dict[str, Any], trigger: str,
                    new_alerts: int) -> None:
        run = out["run"]
        now = self.clock.now()
        s.add(MonitorRun(org_id=actor.org_id, monitor_id=monitor.id, trigger=trigger, actor=actor.label,
                         started_at=now - dt.timedelta(seconds=run["seconds"]), finished_at=now, status="ok",
                         computed_windows=run["computed_windows"], cached_windows=run["cached_windows"],
                         new_alerts=new_alerts, seconds=run["seconds"]))
        monitor.last_run_at, monitor.last_status, monitor.last_error = now, "ok", None
        append(s, actor.org_id, actor.label, LedgerAction.MONITOR_RUN, "monitor", f"{out['system']}/{monitor.name}",
               {"windows": len(out["windows"]), "computed": run["computed_windows"], "new_alerts": new_alerts})

    def _record_failure(self, actor: Actor, monitor_id: int, trigger: str, exc: HaechiError, seconds: float) -> None:
        # stored and shown to every member later: never where the server keeps files
        message = redact_text(exc.message, self.config.private_roots) or ""
        with self.db.transaction() as s:
            monitor = s.get(Monitor, monitor_id)
            assert monitor is not None
            now = self.clock.now()
            s.add(MonitorRun(org_id=actor.org_id, monitor_id=monitor_id, trigger=trigger, actor=actor.label,
                             started_at=now, finished_at=now, status="error", seconds=seconds, error=message))
            monitor.last_run_at, monitor.last_status, monitor.last_error = now, "error", message

    def _deliver(self, actor: Actor, spec: MonitorSpec, new: builtins.list[dict[str, Any]]) -> None:
        from .delivery import deliver

        config = self.config
        outcomes = deliver(new, system=spec.system, monitor=spec.name, webhooks=spec.notify.webhook,
                           emails=spec.notify.email, smtp_host=config.smtp_host, smtp_port=config.smtp_port,
                           sender=config.smtp_from, policy=config.webhook_policy, smtp=config.smtp)
        if not outcomes:
            return
        with self.db.transaction() as s:
            for alert in new:
                row = s.get(MonitorAlert, alert["id"])
                if row is not None:
                    row.deliveries = [*row.deliveries, *outcomes]
                alert["deliveries"] = outcomes

    # --- reading -------------------------------------------------------------------------
    def results(self, actor: Actor, system: str, name: str = "default") -> dict[str, Any]:
        """Stored window results of a monitor, oldest first, with its thresholds."""
        info = self.get(actor, system, name)
        with self.db.reader() as s:
            rows = s.execute(select(MonitorResult).where(MonitorResult.monitor_id == info["id"])
                             .order_by(MonitorResult.window_start)).scalars()
            windows = [r.result for r in rows]
        return {"system": system, "monitor": name, "spec": info["spec"], "windows": windows,
                "thresholds": info["spec"].get("thresholds", {}), "last_run_at": info["last_run_at"]}

    def alerts(self, actor: Actor, *, system: str | None = None, status: str | None = None,
               limit: int = 100, offset: int = 0) -> dict[str, Any]:
        """Alerts of the organisation, newest window first."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = (select(MonitorAlert, System.slug, Monitor.name)
                    .join(System, System.id == MonitorAlert.system_id)
                    .join(Monitor, Monitor.id == MonitorAlert.monitor_id)
                    .where(MonitorAlert.org_id == actor.org_id))
            if system:
                stmt = stmt.where(System.slug == system)
            if status:
                stmt = stmt.where(MonitorAlert.status == status)
            total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            rows = s.execute(stmt.order_by(MonitorAlert.window_start.desc(), MonitorAlert.id.desc())
                             .limit(limit).offset(offset)).all()
            items = [alert_info(a, slug, name) for a, slug, name in rows]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def set_alert_status(self, actor: Actor, alert_id: int, status: str, note: str | None = None) -> dict[str, Any]:
        """Acknowledge or resolve an alert with a note (or reopen it).

        One window's alert; a breach that persists is worked through as its problem
        (``self.problems``), whose acknowledgement and resolution its alerts follow.
        """
        actor.require(Permission.WRITE)
        if status not in ALERT_STATUSES:
            raise ValidationFailed(f"unknown alert status '{status}'; use one of: {', '.join(ALERT_STATUSES)}",
                                   key="monitor.unknown_alert_status_use",
                                   values={"status": status, "statuses": ", ".join(ALERT_STATUSES)})
        with self.db.transaction() as s:
            row = s.get(MonitorAlert, alert_id)
            if row is None or row.org_id != actor.org_id:
                raise NotFound(f"alert {alert_id} not found", key="monitor.alert_not_found",
                               values={"alert_id": alert_id})
            if status != "open":
                note = check_note(note)
            row.status, row.note, row.updated_at = status, note or row.note, utcnow()
            slug = s.get(System, row.system_id).slug  # type: ignore[union-attr]
            monitor = s.get(Monitor, row.monitor_id)
            append(s, actor.org_id, actor.label, ALERT_ACTIONS[status], "alert", str(alert_id), {"note": note})
            return alert_info(row, slug, monitor.name if monitor else "")

    def runs(self, actor: Actor, system: str, name: str = "default", limit: int = 20) -> builtins.list[dict[str, Any]]:
        info = self.get(actor, system, name)
        with self.db.reader() as s:
            rows = s.execute(select(MonitorRun).where(MonitorRun.monitor_id == info["id"])
                             .order_by(MonitorRun.id.desc()).limit(limit)).scalars()
            return [{"id": r.id, "trigger": r.trigger, "actor": r.actor, "started_at": r.started_at.isoformat(),
                     "status": r.status, "computed_windows": r.computed_windows, "cached_windows": r.cached_windows,
                     "new_alerts": r.new_alerts, "seconds": r.seconds, "error": r.error} for r in rows]

    # --- helpers -------------------------------------------------------------------------
    def _system(self, s: Session, actor: Actor, slug: str) -> System:
        system = s.execute(select(System).where(System.org_id == actor.org_id, System.slug == slug,
                                                System.deleted_at.is_(None))).scalar_one_or_none()
        if system is None:
            raise NotFound(f"system '{slug}' not found; register it first (haechi systems add card.yaml)",
                           key="monitor.system_not_found_register", values={"slug": slug})
        return system

    def _check_system(self, actor: Actor, slug: str) -> None:
        with self.db.reader() as s:
            self._system(s, actor, slug)


def _stored_spec(spec: MonitorSpec) -> dict[str, Any]:
    # Only what the author wrote: an absent ``columns`` means "the lake's mapping", which
    # must stay absent when the spec is read back.
    stored = spec.model_dump(mode="json", exclude_unset=True)
    if spec.is_local() and spec.area is not None:
        stored[LOCAL_FOLDER] = str(spec.area.root)
    return stored


def _alert_row(actor: Actor, monitor: Monitor, alert: dict[str, Any]) -> MonitorAlert:
    return MonitorAlert(org_id=actor.org_id, monitor_id=monitor.id, system_id=monitor.system_id,
                        window_start=alert["window_start"], window_end=alert["window_end"], metric=alert["metric"],
                        family=alert["family"], scope=alert.get("scope") or "", grp=alert.get("group") or "",
                        value=float(alert["value"]), threshold=alert["threshold"], n=alert.get("n"), deliveries=[])
