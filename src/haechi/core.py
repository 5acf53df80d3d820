"""The Haechi facade: one object that owns settings, the store and every capability.

The CLI, the REST API, the dashboard, reports and the tests all go through it;
nothing else opens the database. ``Haechi(memory=True)`` gives a complete, migrated,
throw-away instance for tests.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haechi.auth.roles import Actor
from haechi.auth.service import Accounts
from haechi.compliance.service import ComplianceService
from haechi.esg.service import EsgService
from haechi.exports.service import ExportService
from haechi.ledger.service import LedgerService
from haechi.monitor.lake_service import LakeService
from haechi.monitor.service import MonitorService
from haechi.passport.service import PassportService
from haechi.registry.service import SystemRegistry
from haechi.reports.service import ReportsService
from haechi.rules.service import RulesService
from haechi.settings import Settings
from haechi.store.db import Database
from haechi.transparency.service import TransparencyService

__all__ = ["Haechi", "Hooks"]


@dataclass
class Hooks:
    """Reactions between capabilities, called inside the triggering transaction.

    ``system_changed(session, actor, record, action)`` runs after a system card is
    created, updated, deleted or restored (e.g. to classify the new revision).
    """

    system_changed: list[Callable[..., None]] = field(default_factory=list)
    #: ``fn(hc)`` run by ``haechi init`` and ``haechi demo`` (keys, certificates, ...).
    workspace_init: list[Callable[..., None]] = field(default_factory=list)
    #: ``fn(hc)`` run when ``haechi serve`` starts / stops (schedulers, buffers).
    server_start: list[Callable[..., None]] = field(default_factory=list)
    server_stop: list[Callable[..., None]] = field(default_factory=list)
    #: ``fn(session, actor, alert)`` for each new monitoring alert (a dict as the API shows it).
    alert_raised: list[Callable[..., None]] = field(default_factory=list)
    #: ``fn(session, actor, slug, changes, result)`` when a stored law-pack verdict changes.
    verdict_changed: list[Callable[..., None]] = field(default_factory=list)


class Haechi:
    """Everything Haechi does, behind one object.

    :param settings: configuration; defaults to :class:`Settings` read from ``HAECHI_*``.
    :param memory: use in-memory SQLite and a temporary data directory (for tests).
    :param migrate: bring the schema up to date on start (default ``True``).
    """

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
        self.hooks = Hooks()
        self.accounts = Accounts(self)
        self.systems = SystemRegistry(self)
        self.rules = RulesService(self)
        self.ledger = LedgerService(self)
        self.compliance = ComplianceService(self)
        self.esg = EsgService(self)
        self.transparency = TransparencyService(self)
        self.lake = LakeService(self)
        self.monitor = MonitorService(self)
        self.reports = ReportsService(self)
        self.passport = PassportService(self)
        self.exports = ExportService(self)
        self._extensions: dict[str, Any] = {}

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
