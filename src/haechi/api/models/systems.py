"""Response bodies of the systems operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class SystemsListSystemsItem(Open):
    card: dict[str, Any] | None = None
    revision: int | None = None
    updated_at: str | None = None
    deleted: bool | None = None


class SystemsListSystems(Page):
    items: list[SystemsListSystemsItem] | None = None


class SystemsUpdateSystem(Open):
    id: str | None = None
    name: str | None = None
    domains: list[Any] | None = None
    compute: dict[str, Any] | None = None
    markets: list[Any] | None = None
    deployed_at: str | None = None


class SystemsGetSystem(SystemsUpdateSystem):
    name_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    status: str | None = None
    tags: list[Any] | None = None
    operator: dict[str, Any] | None = None
    roles: list[Any] | None = None
    internal_use_only: bool | None = None
    defence_or_security_only: bool | None = None
    significant_impact: bool | None = None
    human_final_decision: bool | None = None
    profiling: bool | None = None
    eu_derogation: str | None = None
    generative: dict[str, Any] | None = None
    interacts_with_people: bool | None = None
    gpai: bool | None = None
    eu_practices: list[Any] | None = None
    eu_annex_i_safety_component: bool | None = None
    model: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    owners: dict[str, Any] | None = None


class SystemsDeleteSystem(Open):
    id: str | None = None
    revision: int | None = None
    deleted: bool | None = None


class SystemsSystemHistoryItem(Open):
    revision: int | None = None
    action: str | None = None
    actor: str | None = None
    created_at: str | None = None
    changes: list[Any] | None = None
    note: str | None = None


class SystemsSystemHistory(Page):
    items: list[SystemsSystemHistoryItem] | None = None
