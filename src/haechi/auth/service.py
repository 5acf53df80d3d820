"""Accounts: organisations, users, API tokens and login sessions."""

from __future__ import annotations

import datetime as dt
import getpass
import re
import secrets
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.domain.card import SLUG_PATTERN
from haechi.domain.errors import Conflict, Issue, NotFound, PermissionDenied, Unauthorized, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.tables import ApiToken, Organisation, System, User, WebSession, utcnow

from .roles import ROLES, Actor, Permission
from .secrets import hash_password, new_session_id, new_token, token_hash, verify_password

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .throttle import Throttle

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Systems one ingestion-only token may name (a model service logs for a handful).
MAX_INGEST_SYSTEMS = 100


@dataclass(frozen=True)
class OrgInfo:
    id: int
    slug: str
    name: str
    name_ko: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "name": self.name, "name_ko": self.name_ko}


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    name: str | None
    role: str
    org: str
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "role": self.role, "org": self.org,
                "active": self.active, "created_at": self.created_at.isoformat(),
                "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None}


def _user_info(user: User, org_slug: str) -> UserInfo:
    return UserInfo(user.id, user.email, user.name, user.role, org_slug, user.active,
                    user.created_at, user.last_login_at)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationFailed(f"unknown role '{role}'; use one of: {', '.join(ROLES)}",
                               key="auth.unknown_role_use_one", values={"role": role, "roles": ", ".join(ROLES)})


def _check_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise ValidationFailed(f"'{email}' is not an e-mail address",
                               key="auth.not_e_mail_address", values={"email": email})
    return email


class Accounts:
    """Organisations, users, tokens and sessions.

    :param db: the workspace database.
    :param session_hours: how long a dashboard login session lives.
    """

    def __init__(self, db: Database, *, session_hours: int) -> None:
        self.db = db
        self.session_hours = session_hours

    @cached_property
    def throttle(self) -> Throttle:
        """Failed-login and review-request counters (made on first use: most commands never log in)."""
        from .throttle import Throttle

        return Throttle(self.db)

    # --- organisations -----------------------------------------------------
    def create_org(self, slug: str, name: str, name_ko: str | None = None, actor_label: str | None = None) -> OrgInfo:
        """Create an organisation (an instance-level action of the local operator)."""
        if not re.match(SLUG_PATTERN, slug):
            raise ValidationFailed(f"'{slug}' is not a valid organisation id: "
                                   "use 2–64 lowercase letters, digits and hyphens",
                                   key="auth.not_valid_organisation_id", values={"slug": slug})
        with self.db.transaction() as s:
            if s.execute(select(Organisation).where(Organisation.slug == slug)).scalar_one_or_none():
                raise Conflict(f"organisation '{slug}' already exists", key="auth.organisation_already_exists",
                               values={"slug": slug})
            org = Organisation(slug=slug, name=name, name_ko=name_ko)
            s.add(org)
            s.flush()
            append(s, org.id, actor_label or local_label(), LedgerAction.ORG_CREATE, "organisation", slug,
                   {"name": name, "name_ko": name_ko})
            return OrgInfo(org.id, org.slug, org.name, org.name_ko)

    def list_orgs(self) -> list[OrgInfo]:
        with self.db.reader() as s:
            rows = s.execute(select(Organisation).order_by(Organisation.slug)).scalars()
            return [OrgInfo(o.id, o.slug, o.name, o.name_ko) for o in rows]

    def get_org(self, slug: str) -> OrgInfo:
        with self.db.reader() as s:
            org = s.execute(select(Organisation).where(Organisation.slug == slug)).scalar_one_or_none()
            if org is None:
                raise NotFound(f"organisation '{slug}' not found", key="auth.organisation_not_found",
                               values={"slug": slug})
            return OrgInfo(org.id, org.slug, org.name, org.name_ko)

    def org_of_user(self, email: str) -> str:
        """Slug of the organisation a user belongs to (for CLI commands keyed by e-mail)."""
        with self.db.reader() as s:
            user = s.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()
            if user is None:
                raise NotFound(f"user {email} not found", key="auth.user_not_found", values={"email": email})
            org = s.get(Organisation, user.org_id)
            assert org is not None
            return org.slug

    def local_actor(self, org_slug: str | None = None) -> Actor:
        """The CLI's actor: an administrator of ``org_slug`` (or of the only organisation)."""
        org = self.get_org(org_slug) if org_slug else self._only_org()
        return Actor(org_id=org.id, org_slug=org.slug, role="admin", label=local_label())

    def _only_org(self) -> OrgInfo:
        orgs = self.list_orgs()
        if len(orgs) == 1:
            return orgs[0]
        if not orgs:
            raise NotFound("no organisation yet: run 'haechi init' first",
                           key="auth.no_organisation_yet_run")
        names = ", ".join(o.slug for o in orgs)
        raise ValidationFailed(f"several organisations exist ({names}): pass --org or set HAECHI_ORG",
                               key="auth.several_organisations_exist_pass", values={"names": names})

    # --- users -------------------------------------------------------------
    def create_user(self, actor: Actor, email: str, role: str, password: str | None = None,
                    name: str | None = None) -> UserInfo:
        """Create a user in the actor's organisation (admins only)."""
        actor.require(Permission.ADMIN)
        _check_role(role)
        email = _check_email(email)
        if password is not None:
            _check_policy(password, email, name)
        with self.db.transaction() as s:
            if s.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none():
                raise Conflict(f"a user with e-mail {email} already exists",
                               key="auth.user_with_e_mail", values={"email": email})
            user = User(org_id=actor.org_id, email=email, name=name, role=role,
                        password_hash=hash_password(password) if password else None)
            s.add(user)
            s.flush()
            append(s, actor.org_id, actor.label, LedgerAction.USER_CREATE, "user", email,
                   {"role": role, "name": name, "password_set": password is not None})
            return _user_info(user, actor.org_slug)

    def list_users(self, actor: Actor) -> list[UserInfo]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            rows = s.execute(select(User).where(User.org_id == actor.org_id).order_by(User.email)).scalars()
            return [_user_info(u, actor.org_slug) for u in rows]

    def set_password(self, actor: Actor, email: str, password: str) -> None:
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            user = self._user_in_org(s, actor, email)
            _check_policy(password, user.email, user.name)
            user.password_hash = hash_password(password)
            append(s, actor.org_id, actor.label, LedgerAction.USER_PASSWORD, "user", user.email, {"password_set": True})

    def update_user(self, actor: Actor, email: str, *, role: str | None = None, active: bool | None = None,
                    name: str | None = None) -> UserInfo:
        """Change a user's role, name or active flag (admins only; never lock out the last admin)."""
        actor.require(Permission.ADMIN)
        if role is not None:
            _check_role(role)
        with self.db.transaction() as s:
            user = self._user_in_org(s, actor, email)
            demoting = user.role == "admin" and (role not in (None, "admin") or active is False)
            if demoting and self._admin_count(s, actor.org_id) <= 1:
                raise Conflict("this is the organisation's last administrator; make someone else admin first",
                               key="auth.this_organisation_last_administrator")
            changes = {k: v for k, v in {"role": role, "active": active, "name": name}.items() if v is not None}
            for key, value in changes.items():
                setattr(user, key, value)
            append(s, actor.org_id, actor.label, LedgerAction.USER_UPDATE, "user", user.email, changes)
            if active is False:  # sign the user out everywhere
                for session_row in s.execute(select(WebSession).where(WebSession.user_id == user.id)).scalars():
                    s.delete(session_row)
            return _user_info(user, actor.org_slug)

    def _admin_count(self, s: Session, org_id: int) -> int:
        return len(s.execute(select(User.id).where(User.org_id == org_id, User.role == "admin",
                                                   User.active.is_(True))).all())

    def list_tokens(self, actor: Actor) -> list[dict[str, Any]]:
        """Tokens of the organisation (admins) or of the actor (others); never the secret."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id).where(
                ApiToken.org_id == actor.org_id).order_by(ApiToken.created_at.desc())
            if not actor.can(Permission.ADMIN):
                stmt = stmt.where(ApiToken.user_id == actor.user_id)
            return [{"id": t.id, "prefix": t.prefix, "name": t.name, "user": email,
                     "created_at": t.created_at.isoformat(),
                     "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                     "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                     "ingest_systems": t.ingest_systems,
                     "revoked": t.revoked_at is not None} for t, email in s.execute(stmt)]

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        """Revoke a token: its owner or an admin may; other organisations' tokens are not found."""
        actor.require(Permission.READ)
        with self.db.transaction() as s:
            token = s.get(ApiToken, token_id)
            if token is None or token.org_id != actor.org_id or (
                    token.user_id != actor.user_id and not actor.can(Permission.ADMIN)):
                raise NotFound(f"token {token_id} not found", key="auth.token_not_found", values={"token_id": token_id})
            token.revoked_at = utcnow()
            append(s, actor.org_id, actor.label, LedgerAction.TOKEN_REVOKE, "token", str(token.id),
                   {"prefix": token.prefix})

    def _user_in_org(self, s: Session, actor: Actor, email: str) -> User:
        user = s.execute(select(User).where(func.lower(User.email) == email.strip().lower(),
                                            User.org_id == actor.org_id)).scalar_one_or_none()
        if user is None:
            raise NotFound(f"user {email} not found", key="auth.user_not_found", values={"email": email})
        return user

    def _actor_of(self, s: Session, user: User) -> Actor:
        org = s.get(Organisation, user.org_id)
        assert org is not None
        return Actor(org_id=org.id, org_slug=org.slug, role=user.role, label=user.email, user_id=user.id)

    # --- authentication ----------------------------------------------------
    def authenticate(self, email: str, password: str, client: str | None = None) -> Actor:
        """Check a password; the same error for unknown users and wrong passwords.

        Failures are throttled per account (known or not) and per ``client`` address;
        while either is locked the password is not even checked (:class:`TooManyRequests`).
        """
        from .throttle import LOGIN_ACCOUNT, LOGIN_CLIENT

        account = LOGIN_ACCOUNT.key(email)
        keys = [account, LOGIN_CLIENT.key(client)] if client else [account]
        self.throttle.check(keys, "too many failed logins: wait {seconds} seconds, then try again",
                            "로그인 실패가 너무 많습니다: {seconds}초 후에 다시 시도하세요")
        try:
            actor = self._check_password(email, password)
        except Unauthorized:
            self.throttle.record(LOGIN_ACCOUNT, account)
            if client:
                self.throttle.record(LOGIN_CLIENT, keys[1])
            raise
        self.throttle.clear(account)
        return actor

    def _check_password(self, email: str, password: str) -> Actor:
        with self.db.transaction() as s:
            user = s.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()
            ok = verify_password(user.password_hash if user else None, password)
            if not (ok and user is not None and user.active):
                raise Unauthorized("wrong e-mail or password", key="auth.wrong_e_mail_password")
            user.last_login_at = utcnow()
            return self._actor_of(s, user)

    def create_token(self, actor: Actor, email: str, name: str | None = None,
                     expires_days: int | None = None, ingest_systems: list[str] | None = None) -> str:
        """Issue an API token for a user of the actor's organisation; returned once.

        With ``ingest_systems`` the token is ingestion-only: it may log prediction events
        and labels for those systems of the organisation and nothing else (admins issue
        these, for embedding in model services; the user must be allowed to write).
        """
        if actor.ingest_systems is not None:
            raise PermissionDenied("an ingestion-only token cannot issue tokens",
                                   key="auth.ingestion_only_token_cannot")
        if ingest_systems is not None or email.strip().lower() != actor.label.lower():
            actor.require(Permission.ADMIN)
        token = new_token()
        with self.db.transaction() as s:
            user = self._user_in_org(s, actor, email)
            scope = self._ingest_scope(s, actor, user, ingest_systems) if ingest_systems is not None else None
            expires = utcnow() + dt.timedelta(days=expires_days) if expires_days else None
            s.add(ApiToken(org_id=actor.org_id, user_id=user.id, token_hash=token_hash(token),
                           prefix=token[:10], name=name, expires_at=expires, ingest_systems=scope))
            payload: dict[str, Any] = {"prefix": token[:10], "name": name, "expires_at": expires}
            action = LedgerAction.TOKEN_CREATE
            if scope is not None:
                payload["ingest_systems"], action = scope, LedgerAction.TOKEN_CREATE_INGEST
            append(s, actor.org_id, actor.label, action, "user", user.email, payload)
        return token

    def _ingest_scope(self, s: Session, actor: Actor, user: User, systems: list[str]) -> list[str]:
        """The checked, sorted system ids of an ingestion-only token."""
        wanted = sorted({str(x).strip() for x in systems if str(x).strip()})
        if not wanted:
            raise ValidationFailed("an ingestion-only token needs at least one system",
                                   issues=[Issue("systems", "empty", "name the system ids it may log for")],
                                   key="auth.ingestion_only_token_needs")
        if len(wanted) > MAX_INGEST_SYSTEMS:
            raise ValidationFailed(f"at most {MAX_INGEST_SYSTEMS} systems per token",
                                   key="auth.at_most_systems_per", values={"max_ingest_systems": MAX_INGEST_SYSTEMS})
        found = set(s.execute(select(System.slug).where(System.org_id == actor.org_id, System.slug.in_(wanted),
                                                        System.deleted_at.is_(None))).scalars())
        missing = [slug for slug in wanted if slug not in found]
        if missing:
            raise NotFound(f"system(s) not found: {', '.join(missing)}",
                           key="auth.system_not_found", values={"missing": ", ".join(missing)})
        if not ROLES.get(user.role, frozenset()) >= {Permission.WRITE}:
            raise ValidationFailed(f"{user.email} is a {user.role}: an ingestion token's user must be an editor "
                                   "or admin (logging events is a write)",
                                   key="auth.ingestion_token_user_must",
                                   values={"email": user.email, "role": user.role})
        return wanted

    def actor_for_token(self, token: str) -> Actor:
        """The actor a bearer token stands for; :class:`Unauthorized` if bad or revoked."""
        with self.db.transaction() as s:
            row = s.execute(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).scalar_one_or_none()
            now = utcnow()
            if row is None or row.revoked_at or (row.expires_at and row.expires_at < now):
                raise _bad_token()
            user = s.get(User, row.user_id)
            if user is None or not user.active:
                raise _bad_token()
            row.last_used_at = now
            actor = self._actor_of(s, user)
            if row.ingest_systems is not None:
                actor = replace(actor, ingest_systems=frozenset(row.ingest_systems))
            return actor

    # --- web sessions ------------------------------------------------------
    def start_session(self, actor: Actor) -> tuple[str, str]:
        """Create a login session; returns (session id for the cookie, CSRF token)."""
        session_id, csrf = new_session_id(), secrets.token_urlsafe(24)
        expires = utcnow() + dt.timedelta(hours=self.session_hours)
        with self.db.transaction() as s:
            assert actor.user_id is not None
            s.add(WebSession(id_hash=token_hash(session_id), user_id=actor.user_id, csrf_token=csrf,
                             expires_at=expires))
        return session_id, csrf

    def session_actor(self, session_id: str) -> tuple[Actor, str] | None:
        """(actor, csrf token) of a live session, or ``None``."""
        with self.db.reader() as s:
            row = s.get(WebSession, token_hash(session_id))
            if row is None or row.expires_at < utcnow():
                return None
            user = s.get(User, row.user_id)
            if user is None or not user.active:
                return None
            return self._actor_of(s, user), row.csrf_token

    def end_session(self, session_id: str) -> None:
        with self.db.transaction() as s:
            row = s.get(WebSession, token_hash(session_id))
            if row is not None:
                s.delete(row)


def _bad_token() -> Unauthorized:
    return Unauthorized("invalid or expired API token", key="auth.invalid_expired_api_token")


def local_label() -> str:
    """Ledger label of the local operator running the CLI."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:local"


def _check_policy(password: str, email: str | None, name: str | None) -> None:
    """The password policy, imported when a password is set (its word list is not needed otherwise)."""
    from .passwords import check_password

    check_password(password, email, name)
