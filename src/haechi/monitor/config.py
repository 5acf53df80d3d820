"""The settings the monitoring services read, as plain values.

The composition root (``haechi.core``) builds these from :class:`haechi.settings.Settings`
once, so a service names exactly which settings it depends on and a test can hand it
other values without building a whole workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haechi.domain.server_paths import server_roots
from haechi.reminders.mail import SmtpConfig

from .webhook_targets import TargetPolicy


@dataclass(frozen=True)
class MonitorConfig:
    """What :class:`~haechi.monitor.service.MonitorService` reads from the settings."""

    home: Path
    #: run monitors on their schedule inside ``haechi serve`` (never for in-memory
    #: instances: their one shared SQLite connection cannot serve a second thread)
    scheduled: bool
    webhook_policy: TargetPolicy
    smtp_host: str | None
    smtp_port: int
    smtp_from: str
    #: folders whose paths must not reach users in stored error messages
    private_roots: tuple[str, ...]
    #: the mail transport with TLS and login (HAECHI_SMTP_SECURITY/USERNAME/PASSWORD …)
    smtp: SmtpConfig | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> MonitorConfig:
        return cls(home=settings.home, scheduled=bool(settings.schedule_monitors and not settings.memory),
                   webhook_policy=TargetPolicy.from_settings(settings), smtp_host=settings.smtp_host,
                   smtp_port=settings.smtp_port, smtp_from=settings.smtp_from,
                   private_roots=server_roots(settings), smtp=SmtpConfig.from_settings(settings))


@dataclass(frozen=True)
class LakeConfig:
    """What :class:`~haechi.monitor.lake_service.LakeService` reads from the settings."""

    path: Path
    #: the request limit; a gzip body may inflate to eight times this
    max_body_mb: int
    #: the default retention of logs (KR Enforcement Decree Art. 27(2))
    retention_years: int
    #: minutes between compaction/retention passes in ``haechi serve`` (0: never)
    upkeep_minutes: int
    #: the lake on object storage (``s3://bucket/prefix``); ``path`` then stages writes only
    url: str | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> LakeConfig:
        return cls(path=settings.lake_path(), max_body_mb=settings.max_body_mb,
                   retention_years=settings.retention_years, upkeep_minutes=settings.lake_upkeep_minutes,
                   url=getattr(settings, "lake_url", None) or None)
