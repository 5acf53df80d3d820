"""The Haechi facade: one object that owns settings, the store and every capability.

The CLI, the REST API, the dashboard, reports and the tests all go through it;
nothing else opens the database. ``Haechi(memory=True)`` gives a complete, migrated,
throw-away instance for tests.

Capability services are created on first use (``hc.monitor``, ``hc.esg``, …), so a
command imports only what it needs and starts quickly. Services that react to other
capabilities register hooks in their constructors; they are all created the first time
any hook list is read, so a reaction can never be missed because its service was not
yet loaded.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor
from haechi.clock import Clock
from haechi.ledger.recorder import Recorder
from haechi.settings import Settings
from haechi.store.db import Database

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.compliance.service import ComplianceService
    from haechi.esg.service import EsgService
    from haechi.events import EventBus
    from haechi.exports.service import ExportService
    from haechi.integrations.metrics import MetricsService
    from haechi.integrations.mlflow_sync import MlflowImport
    from haechi.integrations.traces import TraceReceiver
    from haechi.ledger.service import LedgerService
    from haechi.monitor.lake_service import LakeService
    from haechi.monitor.service import MonitorService
    from haechi.passport.service import PassportService
    from haechi.registry.orgfacts import OrgFactsService
    from haechi.registry.service import SystemRegistry
    from haechi.reminders.service import RemindersService
    from haechi.reports.service import ReportsService
    from haechi.scheduler import Scheduler
    from haechi.transparency.service import TransparencyService
    from haechi.verdicts.service import VerdictService

__all__ = ["HOOK_PROVIDERS", "SERVICES", "Haechi", "Hooks"]

def _build_accounts(hc: Haechi) -> Accounts:
    from haechi.auth.service import Accounts

    return Accounts(hc.db, session_hours=hc.settings.session_hours)


def _build_systems(hc: Haechi) -> SystemRegistry:
    from haechi.registry.service import SystemRegistry

    return SystemRegistry(hc.db, hc.events)


def _build_org_facts(hc: Haechi) -> OrgFactsService:
    from haechi.registry.orgfacts import OrgFactsService

    service = OrgFactsService(hc.db, hc.events, hc.systems)
    # 'haechi init' on a workspace whose cards each repeat the operator lifts the shared values once.
    hc.hooks.register("workspace_init", lambda _hc: service.lift_everywhere(_hc.accounts))
    return service


def _build_ledger(hc: Haechi) -> LedgerService:
    from haechi.ledger.service import LedgerService

    ledger = LedgerService(hc.db, hc.home, lambda org: hc.passport.signer(org).public_key)
    # 'haechi init' / 'haechi demo' make the checkpoint key pair and register it.
    hc.hooks.register("workspace_init", lambda _hc: ledger.prepare_key())
    return ledger


def _build_esg(hc: Haechi) -> EsgService:
    from haechi.esg.service import EsgService

    # the lake is handed over as a getter: recording energy never loads it
    return EsgService(hc.db, hc.systems, hc.events, lambda: hc.lake)


def _build_reports(hc: Haechi) -> ReportsService:
    from haechi.reports.collect import Sources
    from haechi.reports.service import ReportsService

    # getters: a document creates only the services whose sections it reads
    sources = Sources(hc.systems, verdicts=lambda: hc.rules, compliance=lambda: hc.compliance,
                      monitor=lambda: hc.monitor, transparency=lambda: hc.transparency, esg=lambda: hc.esg)
    return ReportsService(hc.db, hc.accounts, sources, lambda: hc.ledger, hc.home / "documents")


def _build_exports(hc: Haechi) -> ExportService:
    from haechi.exports.service import ExportService

    return ExportService(hc.db, hc.accounts, hc.systems, hc.reports, verdicts=lambda: hc.rules,
                         compliance=lambda: hc.compliance)


def _build_verdicts(hc: Haechi) -> VerdictService:
    from haechi.reminders.mail import SmtpConfig
    from haechi.verdicts.notify import smtp_mailer
    from haechi.verdicts.packstore import PackStore
    from haechi.verdicts.service import VerdictService

    settings = hc.settings
    return VerdictService(hc.db, hc.systems, settings.packs_dir, hc.events, hc.clock,
                          store=PackStore(hc.home / "packs"), controls_for=_controls_for(settings.controls_dir),
                          mailer=smtp_mailer(settings.smtp_host, settings.smtp_port,
                                             SmtpConfig.from_settings(settings)), sender=settings.smtp_from)


def _controls_for(controls_dir: Path | None) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    """The control library's controls serving some obligations (for law-change records)."""
    def controls_for(obligations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from haechi.compliance.catalog import load_library

        library = load_library(controls_dir)
        out = []
        for control_id, served in library.for_obligations(obligations).items():
            control = library.get(control_id)
            out.append({"id": control_id, "title": control.title if control else control_id,
                        "title_ko": control.title_ko if control else control_id,
                        "obligations": [o["id"] for o in served]})
        return out

    return controls_for


def _build_lake(hc: Haechi) -> LakeService:
    from haechi.monitor.config import LakeConfig
    from haechi.monitor.lake_service import LakeService

    return LakeService(hc.db, hc.systems, LakeConfig.from_settings(hc.settings), hc.clock)


def _build_monitor(hc: Haechi) -> MonitorService:
    from haechi.monitor.config import MonitorConfig
    from haechi.monitor.service import MonitorService

    # the lake is handed over as a getter: a spec with its own log file never loads it
    # transparency is asked (through a getter) only when a generative monitor runs
    return MonitorService(hc.db, hc.events, lambda: hc.lake, MonitorConfig.from_settings(hc.settings), hc.clock,
                          duties=lambda actor, slug: hc.transparency.duties(actor, slug))  # noqa: PLW0108


def _build_compliance(hc: Haechi) -> ComplianceService:
    from haechi.compliance.service import ComplianceService
    from haechi.compliance.workspace import EvidencePolicy

    settings = hc.settings
    policy = EvidencePolicy(max_bytes=settings.max_evidence_mb * (1 << 20),
                            warning_days=settings.evidence_warning_days, retention_years=settings.retention_years)
    return ComplianceService(
        hc.db, hc.clock, lambda: hc.rules, evidence_dir=hc.home / "evidence", controls_dir=settings.controls_dir,
        policy=policy, systems=hc.systems, accounts=hc.accounts, events=hc.events,
        # read at each tick: the ledger service is created when upkeep first runs, not with compliance
        sign_due_checkpoints=lambda: hc.ledger.checkpoint_if_due())  # noqa: PLW0108


def _build_transparency(hc: Haechi) -> TransparencyService:
    from haechi.transparency.certs import CertStore
    from haechi.transparency.service import TransparencyService

    settings = hc.settings
    certs = CertStore(hc.home, settings.signing_cert, settings.signing_key, hc.accounts)
    service = TransparencyService(hc.db, hc.systems, hc.accounts, lambda: hc.rules, hc.events, hc.clock, certs,
                                  lambda: hc.accounts.throttle)
    # 'haechi init' / 'haechi demo' make each organisation's local test signing certificate.
    hc.hooks.register("workspace_init", lambda _hc: certs.prepare_all())
    return service


def _build_passport(hc: Haechi) -> PassportService:
    from haechi.passport.service import PassportService, PublicSite

    settings = hc.settings
    # read through the reports service when a passport is signed, not when it is built
    return PassportService(hc.db, hc.accounts, hc.home / "keys" / "orgs",
                           PublicSite(settings.public_url, settings.host, settings.port),
                           lambda actor, slug: hc.reports.collect_system(actor, slug),  # noqa: PLW0108
                           lambda actor, reason: hc.reports.checkpoint(actor, reason))  # noqa: PLW0108


def _build_reminders(hc: Haechi) -> RemindersService:
    from haechi.monitor.webhook_targets import TargetPolicy
    from haechi.reminders.mail import SmtpConfig
    from haechi.reminders.service import RemindersService

    settings = hc.settings
    return RemindersService(hc.db, hc.clock, SmtpConfig.from_settings(settings), settings.public_url,
                            TargetPolicy.from_settings(settings), settings.reminder_digest_hour)


def _build_scheduler(hc: Haechi) -> Scheduler:
    """One scheduler with every capability's periodic jobs that its settings turn on."""
    from haechi.capability import capabilities, resolve
    from haechi.scheduler import Job, Scheduler

    jobs = []
    for capability in capabilities():
        for declared in capability.jobs:
            service = getattr(hc, declared.service)
            every = declared.every if isinstance(declared.every, (int, float)) else resolve(declared.every)(service)
            if every is None:
                continue
            jobs.append(Job(declared.name, partial(resolve(declared.run), service), float(every), declared.first_after))
    return Scheduler(jobs)


#: Facade attribute → the builder in this module that creates the capability service
#: behind it, handing it exactly the collaborators it uses.
def _build_events(hc: Haechi) -> EventBus:
    from haechi.events import EventBus

    return EventBus(lambda name: getattr(hc, name))


def _build_metrics(hc: Haechi) -> MetricsService:
    from haechi.integrations.metrics import MetricsService

    return MetricsService(hc.db, hc.clock)


def _build_traces(hc: Haechi) -> TraceReceiver:
    from haechi.integrations.traces import TraceReceiver

    return TraceReceiver(lambda: hc.lake, lambda: hc.metrics.ingested, hc.settings.max_body_mb * 1024 * 1024 * 8)


def _build_mlflow(hc: Haechi) -> MlflowImport:
    from haechi.integrations.mlflow_sync import MlflowImport

    return MlflowImport(hc.systems)


SERVICES: dict[str, Callable[[Haechi], Any]] = {
    "events": _build_events,
    "accounts": _build_accounts,
    "systems": _build_systems,
    "org_facts": _build_org_facts,
    "rules": _build_verdicts,
    "ledger": _build_ledger,
    "compliance": _build_compliance,
    "esg": _build_esg,
    "transparency": _build_transparency,
    "lake": _build_lake,
    "monitor": _build_monitor,
    "reports": _build_reports,
    "passport": _build_passport,
    "exports": _build_exports,
    "reminders": _build_reminders,
    "scheduler": _build_scheduler,
    "metrics": _build_metrics,
    "traces": _build_traces,
    "mlflow": _build_mlflow,
}
#: Services that register hooks in their constructors → the hook lists they register in.
#: Reading a hook list first creates the providers of that list (in this order), so a
#: command only imports the capabilities that react to what it does. A test checks this
#: map against what each constructor really registers.
HOOK_PROVIDERS: dict[str, tuple[str, ...]] = {
    "ledger": ("workspace_init",),
    "transparency": ("workspace_init",),
    "org_facts": ("workspace_init",),
}

HOOK_NAMES: dict[str, str] = {
    "workspace_init": "fn(hc) run by 'haechi init' and 'haechi demo' (keys, certificates, ...)",
}



class Hooks:
    """Reactions between capabilities, called inside the triggering transaction.

    Each name in :data:`HOOK_NAMES` is a list of callables. Reading a list first makes
    sure every service that registers in it exists (``before_read(name)``).
    """

    def __init__(self, before_read: Callable[[str], None] | None = None) -> None:
        self._lists: dict[str, list[Callable[..., Any]]] = {name: [] for name in HOOK_NAMES}
        self._before_read = before_read

    def register(self, name: str, reaction: Callable[..., Any], *, first: bool = False) -> None:
        """Add a reaction to a hook list without creating the list's other providers.

        Constructors register through this: reading ``hooks.<name>`` would create every
        provider of that list (the rules service, say, when compliance registers for card
        changes), so a monitor run would import capabilities it never calls.
        """
        if name not in self._lists:
            raise AttributeError(name)
        self._lists[name].insert(0, reaction) if first else self._lists[name].append(reaction)

    def __getattr__(self, name: str) -> list[Callable[..., Any]]:
        lists = self.__dict__.get("_lists", {})
        if name not in lists:
            raise AttributeError(name)
        before = self.__dict__.get("_before_read")
        if before is not None:
            before(name)
        return lists[name]


class Haechi:
    """Everything Haechi does, behind one object.

    :param settings: configuration; defaults to :class:`Settings` read from ``HAECHI_*``.
    :param memory: use in-memory SQLite and a temporary data directory (for tests).
    :param migrate: bring the schema up to date on start (default ``True``).
    """

    if TYPE_CHECKING:  # created lazily by __getattr__ from SERVICES
        events: EventBus
        accounts: Accounts
        systems: SystemRegistry
        org_facts: OrgFactsService
        rules: VerdictService
        ledger: LedgerService
        compliance: ComplianceService
        esg: EsgService
        transparency: TransparencyService
        lake: LakeService
        monitor: MonitorService
        reports: ReportsService
        passport: PassportService
        exports: ExportService
        reminders: RemindersService
        scheduler: Scheduler
        metrics: MetricsService
        traces: TraceReceiver
        mlflow: MlflowImport

    def __init__(self, settings: Settings | None = None, *, memory: bool = False, migrate: bool = True) -> None:
        settings = settings or Settings()
        self._tempdir: str | None = None
        if memory or settings.memory:
            self._tempdir = tempfile.mkdtemp(prefix="haechi-")
            settings = settings.model_copy(update={"memory": True, "home": Path(self._tempdir)})
        self.settings = settings
        self.home.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.resolved_database_url())
        if migrate:
            self.db.migrate()
        self.ledger_log = Recorder(self.db, self.home)  # every ledger write is also logged beside the database
        self._creating: set[str] = set()
        self._hooks_ready: set[str] = set()
        self._lock = threading.RLock()
        self.hooks = Hooks(before_read=self._create_hook_providers)
        self.clock = Clock(settings.timezone)
        self._extensions: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        """Create a capability service on first use (see :data:`SERVICES`).

        Server threads may ask for the same service at once: one creates it while the
        others wait on the (re-entrant: creating one service may create others) lock.
        """
        build = SERVICES.get(name)
        if build is None or name.startswith("_") or "_lock" not in self.__dict__:
            raise AttributeError(f"'Haechi' object has no attribute '{name}'")
        with self._lock:
            if name in self.__dict__:  # another thread created it while we waited
                return self.__dict__[name]
            if name in self._creating:
                raise RuntimeError(f"service '{name}' was used while it was being created")
            self._creating.add(name)
            try:
                service = build(self)
            finally:
                self._creating.discard(name)
            setattr(self, name, service)  # later reads find the attribute directly
            return service

    def _create_hook_providers(self, hook: str) -> None:
        # Under the lock even when already marked ready: another thread may still be
        # creating this list's providers, and reading the list now would miss them.
        with self._lock:
            if hook in self._hooks_ready:
                return
            self._hooks_ready.add(hook)  # before creating: their constructors read hook lists
            for name, hooks in HOOK_PROVIDERS.items():
                if hook in hooks and name not in self.__dict__ and name not in self._creating:
                    getattr(self, name)

    @property
    def home(self) -> Path:
        return self.settings.home

    def local_actor(self, org: str | None = None) -> Actor:
        """An administrator actor for local (CLI) use in ``org`` or the only organisation."""
        return self.accounts.local_actor(org or self.settings.org)

    def secret_key(self) -> str:
        """The instance secret for signing cookies: from settings, else generated once."""
        if self.settings.secret_key:
            return self.settings.secret_key
        path = self.home / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def close(self) -> None:
        """Release the database and remove the temporary directory of a memory instance."""
        self.db.dispose()
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)

    def __enter__(self) -> Haechi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
