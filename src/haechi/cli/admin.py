"""Workspace administration: ``haechi init``, ``orgs``, ``users`` and ``tokens``."""

from __future__ import annotations

import sys

import typer

from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, print_json, success
from .language import tr, vocabulary

orgs_app = typer.Typer(help="Organisations (tenants).", no_args_is_help=True)
users_app = typer.Typer(help="Users and roles (admin, editor, viewer, auditor).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (shown once, stored only as a hash).", no_args_is_help=True)


def init(org: str | None = typer.Option(None, "--org", help="create this organisation (id)"),
         name: str | None = typer.Option(None, help="organisation name"),
         name_ko: str | None = typer.Option(None, help="organisation name in Korean")) -> None:
    """Create the data directory, migrate the database and prepare keys."""
    hc = open_haechi()
    existing = {o.slug for o in hc.accounts.list_orgs()}
    slug = org or ("default" if not existing else None)
    if slug and slug not in existing:
        hc.accounts.create_org(slug, name or slug, name_ko)
        success(tr("init.org_created", "created organisation '{org}'", org=slug))
    for prepare in hc.hooks.workspace_init:
        prepare(hc)
    success(tr("init.ready", "workspace ready in {home} ({dialect})", home=hc.home.resolve(), dialect=hc.db.dialect))


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise typer.BadParameter(tr("users.no_password", "no password on standard input"))
    return password


@orgs_app.command("create")
def orgs_create(slug: str, name: str = typer.Option(..., help="organisation name"),
                name_ko: str | None = typer.Option(None, help="name in Korean"), fmt: Format = FormatOption) -> None:
    """Create an organisation."""
    hc = open_haechi()
    org = hc.accounts.create_org(slug, name, name_ko)
    emit(org.to_dict(), fmt, table=lambda _: success(tr("init.org_created", "created organisation '{org}'",
                                                        org=org.slug)))


@orgs_app.command("list")
def orgs_list(fmt: Format = FormatOption) -> None:
    """List organisations."""
    hc = open_haechi()
    emit([o.to_dict() for o in hc.accounts.list_orgs()], fmt.value, columns=("slug", "name", "name_ko"))


@users_app.command("create")
def users_create(email: str, org: str | None = OrgOption,
                 role: str = typer.Option(..., help="admin, editor, viewer or auditor"),
                 name: str | None = typer.Option(None, help="display name"),
                 password_stdin: bool = typer.Option(False, "--password-stdin",
                                                     help="read the password from standard input"),
                 fmt: Format = FormatOption) -> None:
    """Create a user in an organisation."""
    password = _password_from_stdin() if password_stdin else None
    hc = open_haechi()
    user = hc.accounts.create_user(cli_actor(hc, org), email, role, password, name)
    emit(user.to_dict(), fmt, table=lambda _: success(tr("users.created", "created {email} ({role}) in {org}",
                                                         email=user.email, role=user.role, org=user.org)))


@users_app.command("list")
def users_list(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """List the users of an organisation."""
    hc = open_haechi()
    users = hc.accounts.list_users(cli_actor(hc, org))
    rows = [u.to_dict() for u in users]
    if fmt is Format.table:  # JSON keeps the role codes that --role takes
        rows = [r | {"role": vocabulary("roles", r["role"])} for r in rows]
    emit(rows, fmt.value, columns=("email", "name", "role", "active", "last_login_at"))


@users_app.command("set-password")
def users_set_password(email: str, org: str | None = OrgOption) -> None:
    """Set a user's password, read from standard input."""
    password = _password_from_stdin()
    hc = open_haechi()
    hc.accounts.set_password(cli_actor(hc, org or hc.accounts.org_of_user(email)), email, password)
    success(tr("users.password_set", "password set for {email}", email=email))


@tokens_app.command("create")
def tokens_create(email: str, name: str | None = typer.Option(None, help="what the token is for"),
                  expires_days: int | None = typer.Option(None, help="expire after this many days"),
                  ingest: list[str] = typer.Option([], "--ingest", metavar="SYSTEM",
                                                   help="ingestion-only token: it may log events and labels for "
                                                   "this system and nothing else (repeatable)"),
                  fmt: Format = FormatOption) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash.

    With --ingest the token is for embedding in a model service: it can only send
    prediction events and labels of the named systems (403 on everything else).
    """
    hc = open_haechi()
    actor = cli_actor(hc, hc.accounts.org_of_user(email))
    token = hc.accounts.create_token(actor, email, name, expires_days, ingest or None)
    if fmt == Format.json:
        print_json({"token": token})
    else:
        typer.echo(token)
        success(tr("tokens.shown_once", "store it now: it cannot be shown again"))


@tokens_app.command("list")
def tokens_list(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """List the organisation's API tokens (never the secret)."""
    hc = open_haechi()
    tokens = hc.accounts.list_tokens(cli_actor(hc, org))
    emit(tokens, fmt.value, columns=("id", "prefix", "name", "user", "ingest_systems", "expires_at", "last_used_at",
                                     "revoked"))


@tokens_app.command("revoke")
def tokens_revoke(token_id: int = typer.Argument(..., min=1, max=2**31 - 1), org: str | None = OrgOption) -> None:
    """Revoke an API token by its id (see 'haechi tokens list')."""
    hc = open_haechi()
    hc.accounts.revoke_token(cli_actor(hc, org), token_id)
    success(tr("tokens.revoked", "token {id} revoked", id=token_id))


def register(root: typer.Typer) -> None:
    root.command("init")(init)
    root.add_typer(orgs_app, name="orgs")
    root.add_typer(users_app, name="users")
    root.add_typer(tokens_app, name="tokens")
