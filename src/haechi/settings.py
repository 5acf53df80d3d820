"""Settings, read from ``HAECHI_*`` environment variables.

Every field has a default so ``Haechi()`` works in an empty directory. Sections below
are grouped by capability; each capability reads only its own fields.

A plain pydantic model reads the environment itself: every field is a scalar that
pydantic parses from text (``HAECHI_PORT=8080``, ``HAECHI_MEMORY=true``), and
pydantic-settings cost every command ~40 ms of imports for nothing more. Keyword
arguments win over the environment; names are case-insensitive.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from haechi.domain.errors import Issue, ValidationFailed

ENV_PREFIX = "HAECHI_"


class Settings(BaseModel):
    """Haechi configuration. Environment variables use the prefix ``HAECHI_``."""

    model_config = ConfigDict(extra="ignore")

    def __init__(self, **values: Any) -> None:
        environment = environment_values()
        try:
            super().__init__(**{**environment, **values})
        except ValidationError as exc:
            raise _settings_error(exc, environment, values) from None

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
    public_url: str | None = Field(None, description="external base URL used in links, QR codes and signed passports "
                                   "(never taken from the request Host header)")

    metrics_token: str | None = Field(
        None, description="bearer token for Prometheus scraping /metrics across all organisations "
        "(an organisation's admin or auditor token sees its own organisation)")

    # --- law packs ----------------------------------------------------------
    packs_dir: Path | None = Field(None, description="extra directory of user law packs (YAML)")

    # --- monitoring ---------------------------------------------------------
    lake_dir: Path | None = Field(None, description="log lake location; default: <home>/lake")
    lake_url: str | None = Field(
        None, description="log lake on S3-compatible object storage, s3://bucket/prefix (endpoint, region and "
        "keys: HAECHI_S3_ENDPOINT, HAECHI_S3_REGION, HAECHI_S3_ACCESS_KEY_ID/_SECRET_ACCESS_KEY or the AWS chain); "
        "the local lake_dir then holds only write locks and staged files")
    smtp_host: str | None = Field(None, description="SMTP server for alert e-mail")
    smtp_port: int = Field(25, description="SMTP port")
    smtp_from: str = Field("haechi@localhost", description="sender of alert e-mail")
    smtp_security: Literal["none", "starttls", "ssl"] = Field(
        "none", description="SMTP transport security: none, starttls (port 587) or ssl (implicit TLS, port 465)")
    smtp_username: str | None = Field(None, description="SMTP login name (needs starttls or ssl)")
    smtp_password: str | None = Field(
        None, description="SMTP password (or HAECHI_SMTP_PASSWORD_FILE naming a file that holds it)")
    smtp_verify: bool = Field(True, description="verify the SMTP server's TLS certificate and host name")
    smtp_ca_file: Path | None = Field(
        None, description="PEM file of certificate authorities to trust for the SMTP server (a private CA)")
    webhook_allow_private: bool = Field(
        False, description="let alert webhooks reach private, loopback and link-local addresses (off: internet only)")
    webhook_allowed_networks: str = Field(
        "", description="comma-separated networks (CIDR) alert webhooks may reach although not public")
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

    # --- reminders ----------------------------------------------------------
    reminder_digest_hour: int = Field(
        8, ge=0, le=23, description="local hour (organisation's time zone) from which the daily digest is sent")

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


def environment_values(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``HAECHI_*`` variables that name a setting, keyed by the setting.

    ``HAECHI_<NAME>_FILE=/path`` reads the setting from that file instead (its content,
    without the final line break): secrets such as ``HAECHI_SECRET_KEY`` or a database
    URL with a password can then come from mounted files (Docker/Kubernetes secrets)
    rather than from the environment. Setting both is refused as ambiguous.
    """
    environ = dict(os.environ) if environ is None else environ
    fields = Settings.model_fields
    out: dict[str, str] = {}
    files: dict[str, str] = {}
    for key, value in environ.items():
        if not key.upper().startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name in fields:
            out[name] = value
        elif name.endswith("_file") and name[:-5] in fields:
            files[name[:-5]] = value
    for name, path in files.items():
        out[name] = _read_setting_file(name, path, both=name in out)
    return out


def _read_setting_file(name: str, path: str, *, both: bool) -> str:
    variable = f"{ENV_PREFIX}{name.upper()}"
    if both:
        raise ValidationFailed(f"both {variable} and {variable}_FILE are set",
                               issues=[Issue(f"{variable}_FILE", "set together with " + variable, "unset one of them")],
                               key="settings.both_file_are_set", values={"variable": variable})
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"cannot read {variable}_FILE {path}: {exc.__class__.__name__}",
                               issues=[Issue(f"{variable}_FILE", str(exc), "mount the file there, readable by "
                                             "the user that runs Haechi")],
                               key="settings.cannot_read_file", values={"variable": variable, "path": path}) from None


def _settings_error(exc: ValidationError, environment: dict[str, str], given: dict[str, Any]) -> ValidationFailed:
    """Name the variable (or argument) at fault, with the value that was refused."""
    issues = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        source = name if name in given else ENV_PREFIX + name.upper()
        value = given.get(name, environment.get(name))
        issues.append(Issue(source, f"{value!r}: {error['msg']}", "fix or unset it"))
    names = ", ".join(i.location for i in issues)
    return ValidationFailed(f"invalid setting {names}", issues=issues, key="settings.invalid_setting",
                            values={"names": names})
