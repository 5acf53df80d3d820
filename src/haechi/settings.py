"""Settings, read from ``HAECHI_*`` environment variables (pydantic-settings).

Every field has a default so ``Haechi()`` works in an empty directory. Sections below
are grouped by capability; each capability reads only its own fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Haechi configuration. Environment variables use the prefix ``HAECHI_``."""

    model_config = SettingsConfigDict(env_prefix="HAECHI_", extra="ignore")

    # --- foundation ---------------------------------------------------------
    home: Path = Field(Path("./haechi-data"), description="data directory (database, log lake, evidence, keys)")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite file in the data directory")
    memory: bool = Field(False, description="in-memory SQLite and a temporary data directory (tests)")
    org: str | None = Field(None, description="organisation the CLI acts in when several exist")
    lang: Literal["ko", "en"] = Field("en", description="language of CLI messages and default reports")
    secret_key: str | None = Field(
        None, description="secret for signing session cookies; default: generated into the data directory")
    cookie_secure: Literal["auto", "always", "never"] = Field(
        "auto", description="Secure flag on cookies: auto = on for https (also behind a proxy)")
    session_hours: int = Field(12, ge=1, description="lifetime of a web login session")
    max_body_mb: int = Field(64, ge=1, description="largest accepted request body")
    retention_years: int = Field(5, ge=1, description="minimum retention of governance records (KR Decree Art. 27(2))")
    host: str = Field("127.0.0.1", description="host for haechi serve")
    port: int = Field(8000, description="port for haechi serve")
    public_url: str | None = Field(None, description="external base URL used in links, QR codes and passports")

    # --- law packs ----------------------------------------------------------
    packs_dir: Path | None = Field(None, description="extra directory of user law packs (YAML)")

    # --- monitoring ---------------------------------------------------------
    lake_dir: Path | None = Field(None, description="log lake location; default: <home>/lake")
    smtp_host: str | None = Field(None, description="SMTP server for alert e-mail")
    smtp_port: int = Field(25, description="SMTP port")
    smtp_from: str = Field("haechi@localhost", description="sender of alert e-mail")
    schedule_monitors: bool = Field(True, description="run monitors on their schedule inside haechi serve")
    lake_upkeep_minutes: int = Field(
        60, ge=0, description="period of log-lake compaction and retention purges in haechi serve (0 = off)")

    # --- evidence -----------------------------------------------------------
    max_evidence_mb: int = Field(100, ge=1, description="largest accepted evidence file")
    controls_dir: Path | None = Field(
        None, description="extra control-library YAML files (same format as the shipped library)")
    timezone: str = Field(
        "Asia/Seoul", description="default time zone of regulator clocks and 'today' for evidence freshness")
    evidence_warning_days: int = Field(
        30, ge=1, description="evidence expiring within this many days puts its control at risk")

    # --- transparency -------------------------------------------------------
    signing_cert: Path | None = Field(None, description="PEM certificate chain used to sign C2PA manifests")
    signing_key: Path | None = Field(None, description="PEM private key for the signing certificate")

    def resolved_database_url(self) -> str:
        """The database URL actually used (SQLite file in ``home`` when not set)."""
        if self.database_url:
            return self.database_url
        if self.memory:
            return "sqlite://"
        return f"sqlite:///{(self.home / 'haechi.db').resolve()}"

    def lake_path(self) -> Path:
        return self.lake_dir or self.home / "lake"
