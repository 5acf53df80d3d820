"""Response bodies of the organisation operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any, Literal

from .base import Open, Page


class OrgOperatorFacts(Open):
    name: str | None = None
    country: str | None = None
    korean_office: bool | None = None
    annual_revenue_krw: int | None = None
    ai_revenue_krw: int | None = None
    avg_daily_users_kr: int | None = None
    fined_for_order_noncompliance: bool | None = None
    public_body: bool | None = None


class OrgFactsChange(Open):
    field: str | None = None
    old: Any = None
    new: Any = None


class OrgGetFacts(Open):
    """The organisation's operator facts; revision 0 means none entered yet."""

    facts: OrgOperatorFacts | None = None
    revision: int | None = None
    actor: str | None = None
    created_at: str | None = None
    changes: list[OrgFactsChange] | None = None
    note: str | None = None


class OrgFactsHistory(Page):
    """Every revision, newest first (the whole history: no paging)."""

    items: list[OrgGetFacts] | None = None


class OrgSystemOperator(Open):
    """The operator a system is classified under, and where each value comes from."""

    system: str | None = None
    operator: OrgOperatorFacts | None = None
    sources: dict[str, Literal["org", "system"]] | None = None
