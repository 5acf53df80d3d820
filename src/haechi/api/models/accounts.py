"""Response bodies of the accounts operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class AccountsMe(Open):
    user: str | None = None
    role: str | None = None
    organisation: dict[str, Any] | None = None


class AccountsListUsersItem(Open):
    email: str | None = None
    name: str | None = None
    role: str | None = None
    org: str | None = None
    active: bool | None = None
    created_at: str | None = None
    last_login_at: str | None = None


class AccountsListUsers(Page):
    items: list[AccountsListUsersItem] | None = None


class AccountsCreateUser(Open):
    email: str | None = None
    name: Any = None
    role: str | None = None
    org: str | None = None
    active: bool | None = None
    created_at: str | None = None
    last_login_at: Any = None


class AccountsListTokensItem(Open):
    id: int | float | None = None
    prefix: str | None = None
    name: str | None = None
    user: str | None = None
    created_at: str | None = None
    last_used_at: str | None = None
    expires_at: Any = None
    revoked: bool | None = None


class AccountsListTokens(Page):
    items: list[AccountsListTokensItem] | None = None


class AccountsCreateToken(Open):
    token: str | None = None


class AccountsRevokeToken(Open):
    id: int | float | None = None
    revoked: bool | None = None
