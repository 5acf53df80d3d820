"""``/api/v1/me``, ``/api/v1/users`` and ``/api/v1/tokens``: people and access."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi

from ..deps import RowId, current_actor, get_hc
from ..models import returns
from ..models.accounts import (
    AccountsCreateToken,
    AccountsCreateUser,
    AccountsListTokens,
    AccountsListUsers,
    AccountsMe,
    AccountsRevokeToken,
)

router = APIRouter(prefix="/api/v1", tags=["accounts"])
Role = Literal["admin", "editor", "viewer", "auditor"]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(description="login e-mail, unique across the instance")
    role: Role
    name: str | None = None
    password: str | None = Field(None, max_length=1024, description="at least 12 characters, not a common "
                                 "password, not containing the e-mail name; omit for token-only accounts")


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    active: bool | None = None
    name: str | None = None


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str | None = Field(None, description="whose token (admins only; default: yourself)")
    name: str | None = Field(None, description="what the token is for")
    expires_days: int | None = Field(None, ge=1, le=3650)
    ingest_systems: list[str] | None = Field(
        None, max_length=100, description="make an ingestion-only token (admins): it may log prediction events "
        "and labels for these system ids and call nothing else")


@router.get("/me", summary="Who am I", **returns(AccountsMe))
def me(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    org = hc.accounts.get_org(actor.org_slug)
    return {"user": actor.label, "role": actor.role, "organisation": org.to_dict()}


@router.get("/users", summary="Users of the organisation", **returns(AccountsListUsers))
def list_users(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    users = [u.to_dict() for u in hc.accounts.list_users(actor)]
    return {"items": users, "total": len(users), "limit": len(users), "offset": 0}


@router.post("/users", status_code=status.HTTP_201_CREATED, summary="Create a user (admins)",
             **returns(AccountsCreateUser))
def create_user(body: NewUser, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.accounts.create_user(actor, body.email, body.role, body.password, body.name).to_dict()


@router.patch("/users/{email}", summary="Change a user's role, name or active flag (admins)",
              **returns(AccountsCreateUser))
def update_user(email: str, body: UserChange, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.accounts.update_user(actor, email, role=body.role, active=body.active, name=body.name).to_dict()


@router.get("/tokens", summary="API tokens (yours; all of the organisation for admins)", **returns(AccountsListTokens))
def list_tokens(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    tokens = hc.accounts.list_tokens(actor)
    return {"items": tokens, "total": len(tokens), "limit": len(tokens), "offset": 0}


@router.post("/tokens", status_code=status.HTTP_201_CREATED, summary="Create an API token (shown once)",
             **returns(AccountsCreateToken))
def create_token(body: NewToken, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, str]:
    token = hc.accounts.create_token(actor, body.email or actor.label, body.name, body.expires_days,
                                     body.ingest_systems)
    return {"token": token}


@router.delete("/tokens/{token_id}", summary="Revoke an API token", **returns(AccountsRevokeToken))
def revoke_token(token_id: RowId, actor: Actor = Depends(current_actor),
                 hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    hc.accounts.revoke_token(actor, token_id)
    return {"id": token_id, "revoked": True}
