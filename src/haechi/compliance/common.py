"""Helpers shared by the compliance services: references, numbering, system lookup, dates.

Controls, evidence, risks and incidents are numbered per organisation and shown as
``C-3``, ``E-12``, ``R-2`` and ``INC-4``; every service accepts the reference with or
without its prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.domain.dates import check_date
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.ledger import lock_head
from haechi.store.compliance_tables import ComplianceCounter
from haechi.store.tables import System

PREFIXES = {"control": "C", "evidence": "E", "risk": "R", "incident": "INC"}
_KO = {"control": "통제", "evidence": "증적", "risk": "위험", "incident": "사고"}


def ref(kind: str, number: int) -> str:
    """The human reference of a numbered item, e.g. ``ref("control", 3) == "C-3"``."""
    return f"{PREFIXES[kind]}-{number}"


def parse_ref(kind: str, text: str | int) -> int:
    """The number in ``C-3`` / ``c3`` / ``3``; a clear error otherwise."""
    if isinstance(text, int):
        return text
    prefix = PREFIXES[kind]
    match = re.fullmatch(rf"(?:{prefix}-?)?(\d+)", str(text).strip(), flags=re.IGNORECASE)
    if not match:
        raise ValidationFailed(f"'{text}' is not a {kind} reference; write it like {prefix}-3",
                               key="compliance.not_reference_write_like",
                               values={"text": text, "kind": _KO[kind], "prefix": prefix})
    return int(match.group(1))


def not_found(kind: str, text: str | int) -> NotFound:
    shown = text if isinstance(text, str) and not str(text).isdigit() else ref(kind, int(text))
    return NotFound(f"{kind} {shown} not found", key="compliance.not_found", values={"kind": _KO[kind], "shown": shown})


def next_number(s: Session, org_id: int, kind: str) -> int:
    """The next per-organisation number of ``kind`` (row-locked, so concurrent writers differ)."""
    return next_numbers(s, org_id, kind, 1)[0]


def next_numbers(s: Session, org_id: int, kind: str, count: int) -> range:
    """``count`` consecutive numbers of ``kind``, reserved in one bump of the locked counter."""
    lock_head(s, org_id)  # the ledger head first, as every writer does: one lock order
    stmt = select(ComplianceCounter).where(ComplianceCounter.org_id == org_id,
                                           ComplianceCounter.kind == kind).with_for_update()
    counter = s.execute(stmt).scalar_one_or_none()
    if counter is None:
        try:  # two first writers may race to create the row; the loser re-reads the winner's
            with s.begin_nested():
                s.add(ComplianceCounter(org_id=org_id, kind=kind, last=0))
        except IntegrityError:
            pass
        counter = s.execute(stmt).scalar_one()
    first = counter.last + 1
    counter.last += count
    s.flush()
    return range(first, counter.last + 1)


def lock_numbers(s: Session, org_id: int, kind: str) -> None:
    """Take the row lock of ``kind``'s counter until the transaction ends.

    Called before a "stored already?" check: concurrent writers of the same content then
    take turns, and the second one's check sees the first one's row (PostgreSQL reads
    committed rows afresh in each statement), so identical content is stored once.
    """
    next_numbers(s, org_id, kind, 0)


def system_row(s: Session, actor: Actor, slug: str, include_deleted: bool = False) -> System:
    """The actor's system ``slug`` (another organisation's is *not found*)."""
    row = s.execute(select(System).where(System.org_id == actor.org_id, System.slug == slug)).scalar_one_or_none()
    if row is None or (row.deleted_at is not None and not include_deleted):
        raise NotFound(f"system '{slug}' not found", key="system.not_found", values={"slug": slug})
    return row


def system_slugs(s: Session, org_id: int) -> dict[int, str]:
    rows = s.execute(select(System.id, System.slug).where(System.org_id == org_id))
    return {row[0]: row[1] for row in rows}


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def as_date(value: Any, field: str) -> dt.date | None:
    """A date from a date, datetime or ``YYYY-MM-DD`` text; a clear error naming ``field``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return check_date(value.date(), field)
    if isinstance(value, dt.date):
        return check_date(value, field)
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"{field}: '{value}' is not a date; write YYYY-MM-DD",
                               key="compliance.not_date_write_yyyy", values={"field": field, "value": value}) from None
    return check_date(day, field)


def as_datetime(value: Any, field: str, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """A UTC datetime from a datetime or ISO text (a naive one is read in ``default_tz``)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0))
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed(
                f"{field}: '{value}' is not a date-time; write e.g. 2026-03-01T14:30+09:00",
                key="compliance.not_date_time_write", values={"field": field, "value": value}) from None
    check_date(moment, field)  # before the time-zone shift, which overflows at the ends of the calendar
    return (moment if moment.tzinfo else moment.replace(tzinfo=default_tz)).astimezone(dt.UTC)


def require_text(value: str | None, field: str, field_ko: str) -> str:
    if value is None or not str(value).strip():
        raise ValidationFailed(f"{field} is required", key="compliance.required_require_text",
                               values={"field_ko": field_ko})
    return str(value).strip()
