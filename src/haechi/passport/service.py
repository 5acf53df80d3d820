"""The passport service (``hc.passport``): opt-in settings, signed publications, public reads.

* Settings and publishing need WRITE; the public reads (:meth:`public`, :meth:`keys`)
  need no actor at all and answer every refusal — unknown organisation, unknown system,
  system not opted in, passport withdrawn — with the *same* :class:`NotFound`, so a
  request reveals nothing about what exists.
* Each organisation signs with its own Ed25519 key, kept in the data directory
  (``keys/orgs/<org>/passport-ed25519.pem``, mode 0600); its public half is published at
  ``/.well-known/haechi/<org>/passport-keys.json``. The key is made by the first
  publication (an authorised write), never by a public read: until then the key list is
  the same refusal as for an unknown organisation.
* Addresses inside a signed passport come from configuration (``HAECHI_PUBLIC_URL``, else
  ``http://<HAECHI_HOST>:<HAECHI_PORT>``), never from the request's ``Host`` or
  ``X-Forwarded-Host`` header, which a client chooses freely.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Issue, NotFound, ValidationFailed
from haechi.ledger import append, canonical_json
from haechi.ledger.actions import LedgerAction
from haechi.ledger.keys import Signer
from haechi.settings import Settings
from haechi.store.reports_tables import PassportPublication, PassportSetting
from haechi.store.tables import Organisation, System

from .content import DEFAULT_FIELDS, FIELDS, claims
from .document import FORMAT_VERSION, TYPE, sign

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.store.db import Database

#: ``collect(actor, slug)``: what the other capabilities hold about a system (a read).
Collect = Callable[[Actor, str], dict[str, Any]]
#: ``checkpoint(actor, reason)``: sign the organisation's ledger head now.
Checkpoint = Callable[[Actor, str], dict[str, Any]]

KEY_FILE = "passport-ed25519.pem"


def refused() -> NotFound:
    """The one answer to any passport that cannot be shown (never says why)."""
    return NotFound("no public passport at this address", key="passport.no_public_passport_at")


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)


@dataclass(frozen=True)
class PublicSite:
    """Where visitors reach this instance, from configuration (``HAECHI_PUBLIC_URL``, host, port)."""

    public_url: str | None
    host: str
    port: int

    def base(self) -> str:
        """The external base URL for signed documents and links (checked when used)."""
        return site_base(self.public_url, self.host, self.port)


def public_base(settings: Settings) -> str:
    """The external base URL for signed documents and links, from configuration only."""
    return site_base(settings.public_url, settings.host, settings.port)


def site_base(public_url: str | None, host: str, port: int) -> str:
    """``public_url`` checked as a base URL, else ``http://<host>:<port>`` (a wildcard host → loopback)."""
    configured = (public_url or "").strip()
    if not configured:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        return f"http://{shown}:{port}"
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValidationFailed(f"HAECHI_PUBLIC_URL {configured!r} is not a base URL", issues=[Issue(
            "HAECHI_PUBLIC_URL", "not an http(s) URL with a host (and no query or fragment)",
            "set it to the address visitors use, e.g. https://ai.example.com")],
            key="passport.haechi_public_url_not", values={"configured": configured})
    return configured.rstrip("/")


class PassportService:
    """Trust passports of the actor's organisation, and the public view of every organisation.

    :param db: the store.
    :param accounts: organisations (the issuer's names).
    :param keys_dir: where each organisation's key folder lives (``<home>/keys/orgs``).
    :param site: the configured public address (links inside signed passports).
    :param collect: what the other capabilities hold about a system (reports' collector).
    :param checkpoint: signs the ledger head for a passport that shows the ledger field.
    """

    def __init__(self, db: Database, accounts: Accounts, keys_dir: Path, site: PublicSite,
                 collect: Collect, checkpoint: Checkpoint) -> None:
        self.db, self.accounts, self.keys_dir, self.site = db, accounts, keys_dir, site
        self._collect, self._checkpoint = collect, checkpoint

    # --- keys --------------------------------------------------------------------------
    def key_path(self, org_slug: str) -> Path:
        return self.keys_dir / org_slug / KEY_FILE

    def signer(self, org_slug: str) -> Signer:
        """The organisation's passport key, created on first use (call only from a write)."""
        existing = self._stored_signer(org_slug)
        if existing is not None:
            return existing
        path = self.key_path(org_slug)
        signer = Signer(Ed25519PrivateKey.generate())
        write_private(path, signer.private_key.private_bytes(serialization.Encoding.PEM,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
        return signer

    def _stored_signer(self, org_slug: str) -> Signer | None:
        """The organisation's key if it has one; never creates one (public reads use this)."""
        path = self.key_path(org_slug)
        if not path.exists():
            return None
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey), f"{path} is not an Ed25519 key"
        return Signer(key)

    def keys(self, org_slug: str) -> dict[str, Any]:
        """The published key list of an organisation (public; read only).

        Refused alike for an unknown organisation and for one that never published a
        passport (so has no key yet): a public read neither creates a key nor tells them apart.
        """
        with self.db.reader() as s:
            if s.execute(select(Organisation.id).where(Organisation.slug == org_slug)).scalar_one_or_none() is None:
                raise refused()
        signer = self._stored_signer(org_slug)
        if signer is None:
            raise refused()
        return {"org": org_slug, "keys": [{"key_id": signer.key_id, "alg": "Ed25519",
                                           "public_key": signer.public_pem()}]}

    # --- settings ----------------------------------------------------------------------------
    def settings(self, actor: Actor, slug: str) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            system = self._system(s, actor, slug)
            return _settings_dict(slug, self._setting(s, system.id), self._latest(s, system.id))

    def configure(self, actor: Actor, slug: str, *, enabled: bool, fields: list[str] | None = None,
                  valid_days: int = 30) -> dict[str, Any]:
        """Opt a system in or out and choose its public fields (identity is always shown)."""
        actor.require(Permission.WRITE)
        chosen = _check_fields(fields if fields is not None else DEFAULT_FIELDS, valid_days)
        with self.db.transaction() as s:
            system = self._system(s, actor, slug)
            row = self._setting(s, system.id) or PassportSetting(org_id=actor.org_id, system_id=system.id)
            row.enabled, row.fields, row.valid_days = enabled, chosen, valid_days
            row.updated_by, row.updated_at = actor.label, dt.datetime.now(dt.UTC)
            s.add(row)
            if not enabled:
                live = select(PassportPublication).where(PassportPublication.system_id == system.id,
                                                         PassportPublication.withdrawn_at.is_(None))
                for pub in s.execute(live).scalars():
                    pub.withdrawn_at = dt.datetime.now(dt.UTC)
            append(s, actor.org_id, actor.label, LedgerAction.PASSPORT_CONFIGURE, "system", slug,
                   {"enabled": enabled, "fields": chosen, "valid_days": valid_days})
            s.flush()
            return _settings_dict(slug, row, self._latest(s, system.id))

    # --- publishing -------------------------------------------------------------------------
    def publish(self, actor: Actor, slug: str, *, base_url: str | None = None) -> dict[str, Any]:
        """Sign a new passport from the current records and make it the public one."""
        actor.require(Permission.WRITE)
        with self.db.reader() as s:
            row = self._setting(s, self._system(s, actor, slug).id)
            enabled, fields, valid_days = bool(row and row.enabled), list(row.fields) if row else [], \
                row.valid_days if row else 0
        if not enabled:
            raise ValidationFailed(f"system '{slug}' has no passport enabled", issues=[Issue(
                "enabled", "the passport is off", f"enable it first: haechi passport enable {slug}")],
                key="passport.system_has_no_passport", values={"slug": slug})
        data = self._collect(actor, slug)
        checkpoint = self._checkpoint(actor, "passport") if "ledger" in fields else None
        envelope = self._envelope(actor, slug, data, fields, valid_days, checkpoint, base_url)
        return self._store(actor, slug, envelope)

    def _envelope(self, actor: Actor, slug: str, data: dict[str, Any], fields: list[str], valid_days: int,
                  checkpoint: dict[str, Any] | None, base_url: str | None) -> dict[str, Any]:
        org = self.accounts.get_org(actor.org_slug)
        signer = self.signer(actor.org_slug)
        base = base_url.rstrip("/") if base_url else self.site.base()
        issued = dt.datetime.now(dt.UTC).replace(microsecond=0)
        payload = {
            "type": TYPE, "format_version": FORMAT_VERSION,
            "issuer": {"org": org.slug, "name": org.name, "name_ko": org.name_ko, "key_id": signer.key_id,
                       "public_key": signer.public_pem(),
                       "public_key_url": f"{base}/.well-known/haechi/{org.slug}/passport-keys.json"},
            "subject": {"system": slug, "url": f"{base}/p/{org.slug}/{slug}"},
            "issued_at": issued.isoformat(), "expires_at": (issued + dt.timedelta(days=valid_days)).isoformat(),
            "fields": ["identity", *[f for f in fields if f != "identity"]],
            "claims": claims(data, fields, checkpoint),
        }
        return sign(payload, signer)

    def _store(self, actor: Actor, slug: str, envelope: dict[str, Any]) -> dict[str, Any]:
        payload = envelope["passport"]
        digest = hashlib.sha256(canonical_json(envelope).encode()).hexdigest()
        with self.db.transaction() as s:
            system = self._system(s, actor, slug)
            version = (self._latest(s, system.id, include_withdrawn=True) or _Zero()).version + 1
            payload_version = version
            s.add(PassportPublication(
                org_id=actor.org_id, system_id=system.id, version=payload_version, document=envelope, sha256=digest,
                key_id=envelope["signature"]["key_id"], issued_at=dt.datetime.fromisoformat(payload["issued_at"]),
                expires_at=dt.datetime.fromisoformat(payload["expires_at"]), created_by=actor.label))
            append(s, actor.org_id, actor.label, LedgerAction.PASSPORT_PUBLISH, "system", slug,
                   {"version": version, "sha256": digest, "fields": payload["fields"],
                    "expires_at": payload["expires_at"]})
        return {"system": slug, "version": version, "sha256": digest, "document": envelope}

    # --- public reads ---------------------------------------------------------------------------
    def public(self, org_slug: str, slug: str) -> dict[str, Any]:
        """The current signed passport of ``org_slug``/``slug``, or the one refusal."""
        with self.db.reader() as s:
            org_id = s.execute(select(Organisation.id).where(Organisation.slug == org_slug)).scalar_one_or_none()
            system = None if org_id is None else s.execute(select(System).where(
                System.org_id == org_id, System.slug == slug, System.deleted_at.is_(None))).scalar_one_or_none()
            setting = self._setting(s, system.id) if system else None
            latest = self._latest(s, system.id) if system and setting and setting.enabled else None
            if latest is None:
                raise refused()
            return {"version": latest.version, "sha256": latest.sha256, "document": latest.document}

    def history(self, actor: Actor, slug: str) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            system = self._system(s, actor, slug)
            rows = s.execute(select(PassportPublication).where(PassportPublication.system_id == system.id)
                             .order_by(PassportPublication.version.desc())).scalars()
            return [_publication(r) for r in rows]

    def enabled_systems(self, actor: Actor) -> dict[str, dict[str, Any]]:
        """``{system: settings}`` of the systems with a passport switched on."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            rows = s.execute(select(PassportSetting, System.slug)
                             .join(System, System.id == PassportSetting.system_id)
                             .where(PassportSetting.org_id == actor.org_id)).all()
            return {slug: _settings_dict(slug, row, self._latest(s, row.system_id)) for row, slug in rows}

    # --- helpers -------------------------------------------------------------------------------
    def _system(self, s: Session, actor: Actor, slug: str) -> System:
        system = s.execute(select(System).where(System.org_id == actor.org_id, System.slug == slug,
                                                System.deleted_at.is_(None))).scalar_one_or_none()
        if system is None:
            raise NotFound(f"system '{slug}' not found", key="system.not_found", values={"slug": slug})
        return system

    def _setting(self, s: Session, system_id: int) -> PassportSetting | None:
        return s.execute(select(PassportSetting).where(PassportSetting.system_id == system_id)).scalar_one_or_none()

    def _latest(self, s: Session, system_id: int, include_withdrawn: bool = False) -> PassportPublication | None:
        stmt = select(PassportPublication).where(PassportPublication.system_id == system_id)
        if not include_withdrawn:
            stmt = stmt.where(PassportPublication.withdrawn_at.is_(None))
        return s.execute(stmt.order_by(PassportPublication.version.desc()).limit(1)).scalar_one_or_none()


class _Zero:
    version = 0


def _check_fields(fields: list[str], valid_days: int) -> list[str]:
    issues = [Issue(f"fields[{i}]", f"unknown field '{f}'", f"use some of: {', '.join(FIELDS)}")
              for i, f in enumerate(fields) if f not in FIELDS]
    if not 1 <= valid_days <= 366:
        issues.append(Issue("valid_days", f"{valid_days} days is outside 1–366", "a passport is valid 1 to 366 days"))
    if issues:
        raise ValidationFailed("invalid passport settings", issues=issues,
                               key="passport.invalid_passport_settings")
    return ["identity", *[f for f in FIELDS if f in fields and f != "identity"]]


def _publication(r: PassportPublication) -> dict[str, Any]:
    return {"version": r.version, "sha256": r.sha256, "key_id": r.key_id, "issued_at": r.issued_at.isoformat(),
            "expires_at": r.expires_at.isoformat(), "withdrawn_at": r.withdrawn_at.isoformat() if r.withdrawn_at
            else None, "created_by": r.created_by}


def _settings_dict(slug: str, row: PassportSetting | None, latest: PassportPublication | None) -> dict[str, Any]:
    return {"system": slug, "enabled": bool(row and row.enabled),
            "fields": list(row.fields) if row else list(DEFAULT_FIELDS), "valid_days": row.valid_days if row else 30,
            "updated_by": row.updated_by if row else None,
            "updated_at": row.updated_at.isoformat() if row else None,
            "current": _publication(latest) if latest else None,
            "available_fields": [{"key": k, "en": en, "ko": ko} for k, (en, ko) in FIELDS.items()]}
