"""Shared plumbing of the ESG service: lookups by slug and input checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.domain.errors import Issue, NotFound, ValidationFailed
from haechi.store.esg_tables import EsgSite
from haechi.store.tables import System

if TYPE_CHECKING:
    from haechi.events import EventBus
    from haechi.monitor.lake_service import LakeService
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database


def invalid(field: str, message: str, fix: str, message_ko: str) -> ValidationFailed:
    return ValidationFailed(message, issues=[Issue(field, message, fix)], message_ko=message_ko)


def check_range(start: dt.date, end: dt.date, what: str = "period") -> None:
    if end < start:
        raise invalid(
            "end",
            f"the {what} ends ({end}) before it starts ({start})",
            "give an end date on or after the start date",
            "종료일이 시작일보다 빠릅니다",
        )


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


class EsgBase:
    """The collaborators and the lookups every part of ``hc.esg`` needs.

    :param db: the workspace database.
    :param systems: the registry (cards of linked systems).
    :param events: where energy records are offered to compliance as evidence.
    :param lake: returns the monitoring lake (event counts per 1,000 inferences); a
        getter, so recording energy never loads the lake's libraries.
    """

    def __init__(self, db: Database, systems: SystemRegistry, events: EventBus,
                 lake: Callable[[], LakeService]) -> None:
        self.db = db
        self.systems = systems
        self.events = events
        self.lake = lake

    # --- lookups -------------------------------------------------------------
    def system_row(self, s: Session, actor: Actor, slug: str) -> System:
        row = s.execute(
            select(System).where(System.org_id == actor.org_id, System.slug == slug, System.deleted_at.is_(None))
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(f"system '{slug}' not found", key="system.not_found", values={"slug": slug})
        return row

    def site_row(self, s: Session, actor: Actor, slug: str) -> EsgSite:
        row = s.execute(
            select(EsgSite).where(EsgSite.org_id == actor.org_id, EsgSite.slug == slug)
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(
                f"site '{slug}' not found; add it with 'haechi esg site {slug} --country KR'",
                key="esg.site_not_found_add", values={"slug": slug},
            )
        return row

    def slugs(self, s: Session, actor: Actor) -> dict[int, str]:
        rows = s.execute(select(System.id, System.slug).where(System.org_id == actor.org_id))
        return {pk: slug for pk, slug in rows}

    def overlapping(self, s: Session, actor: Actor, table: Any, system: str | None,
                    frm: dt.date | None, to: dt.date | None) -> Select[Any]:
        """The organisation's rows of a dated ``table`` (``start_date``/``end_date``), of one
        system when given, that overlap ``[frm, to]`` (an open end where a bound is missing)."""
        stmt = select(table).where(table.org_id == actor.org_id)
        if system:
            stmt = stmt.where(table.system_id == self.system_row(s, actor, system).id)
        if frm:
            stmt = stmt.where(table.end_date >= frm)
        if to:
            stmt = stmt.where(table.start_date <= to)
        return stmt
