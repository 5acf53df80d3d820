"""Reading every dated duty of one organisation into :class:`~haechi.reminders.due.DueItem`s.

One read transaction, a fixed number of queries (one per kind of record), no writes.
Who answers for an item: its own owner when the record names one (a control's or a
risk's), else the system card's owners (business, technical, oversight e-mail).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.compliance.deadlines import Clock, confirmation_clocks
from haechi.compliance.incident_clocks import incident_clocks
from haechi.store.compliance_tables import (
    ComplianceDocument,
    ComplianceSettings,
    Control,
    EvidenceItem,
    Incident,
    KrConfirmation,
    RegulatorFiling,
    Risk,
)
from haechi.store.reports_tables import PassportPublication
from haechi.store.tables import System, SystemRevision
from haechi.verdicts.notify import owner_emails

from .due import DueItem
from .workdays import rolled_reason


class Systems:
    """The organisation's live systems: slug and owners by id."""

    def __init__(self, s: Session, org_id: int) -> None:
        rows = s.execute(select(System.id, System.slug, SystemRevision.card).join(
            SystemRevision, (SystemRevision.system_id == System.id)
            & (SystemRevision.revision == System.current_revision)).where(
            System.org_id == org_id, System.deleted_at.is_(None))).all()
        self.slugs = {r.id: r.slug for r in rows}
        self.cards: dict[int, dict[str, Any]] = {r.id: dict(r.card or {}) for r in rows}
        self.owners = {r.id: tuple(owner_emails(r.card or {})) for r in rows}

    def whom(self, system_id: int | None, owner: str | None = None) -> tuple[str, ...]:
        named = (owner.strip(),) if owner and owner.strip() else ()
        return named or self.owners.get(system_id or -1, ())


def _system_link(systems: Systems, system_id: int | None, tab: str) -> str:
    slug = systems.slugs.get(system_id or -1)
    return f"/systems/{slug}{tab}" if slug else "/compliance"


def org_timezone(s: Session, org_id: int, default: str) -> str:
    """The organisation's own clock zone, else the workspace's."""
    row = s.get(ComplianceSettings, org_id)
    return row.timezone if row is not None and row.timezone else default


def collect(s: Session, org_id: int, tz: str, now: dt.datetime) -> list[DueItem]:
    """Every open dated duty of the organisation, in no particular order."""
    systems = Systems(s, org_id)
    plan_evidence = set(s.execute(select(ComplianceDocument.evidence_id).where(
        ComplianceDocument.org_id == org_id, ComplianceDocument.evidence_id.is_not(None))).scalars())
    return [*_evidence(s, org_id, tz, systems, plan_evidence), *_controls(s, org_id, tz, systems),
            *_plans(s, org_id, tz, systems), *_risks(s, org_id, tz, systems),
            *_incidents(s, org_id, systems, now), *_confirmations(s, org_id, systems, now),
            *_passports(s, org_id, tz, systems)]


def _evidence(s: Session, org_id: int, tz: str, systems: Systems, skip: set[int | None]) -> list[DueItem]:
    rows = s.execute(select(EvidenceItem).where(
        EvidenceItem.org_id == org_id, EvidenceItem.valid_until.is_not(None),
        EvidenceItem.superseded_at.is_(None), EvidenceItem.deleted_at.is_(None),
        EvidenceItem.resolved_at.is_(None))).scalars()
    return [DueItem("evidence_expiry", f"E-{r.number}", systems.slugs.get(r.system_id or -1), r.title, r.title,
                    r.valid_until, tz, systems.whom(r.system_id),
                    link=_system_link(systems, r.system_id, "/compliance"))
            for r in rows if r.id not in skip and r.valid_until is not None
            and (r.system_id is None or r.system_id in systems.slugs)]


def _controls(s: Session, org_id: int, tz: str, systems: Systems) -> list[DueItem]:
    rows = s.execute(select(Control).where(
        Control.org_id == org_id, Control.due_date.is_not(None), Control.retired_at.is_(None),
        Control.status != "operating")).scalars()
    return [DueItem("control_due", f"C-{r.number}", systems.slugs[r.system_id], r.title, r.title_ko or r.title,
                    r.due_date, tz, systems.whom(r.system_id, r.owner), link=f"/compliance/controls/C-{r.number}")
            for r in rows if r.system_id in systems.slugs and r.due_date is not None]


def _plans(s: Session, org_id: int, tz: str, systems: Systems) -> list[DueItem]:
    from haechi.compliance.forms import forms

    definitions = forms()
    rows = s.execute(select(ComplianceDocument, EvidenceItem.valid_until).join(
        EvidenceItem, EvidenceItem.id == ComplianceDocument.evidence_id).where(
        ComplianceDocument.org_id == org_id, ComplianceDocument.status == "approved",
        EvidenceItem.valid_until.is_not(None))).all()
    items = []
    for doc, review in rows:
        if doc.system_id not in systems.slugs or review is None:
            continue
        form = definitions.get(doc.kind)
        title, title_ko = (form.title, form.title_ko) if form else (doc.kind, doc.kind)
        slug = systems.slugs[doc.system_id]
        items.append(DueItem("plan_review", f"{doc.kind} v{doc.version}", slug, f"Review: {title}",
                             f"검토: {title_ko}", review, tz, systems.whom(doc.system_id),
                             citation=form.citation if form else None,
                             link=f"/systems/{slug}/compliance"))
    return items


def _risks(s: Session, org_id: int, tz: str, systems: Systems) -> list[DueItem]:
    rows = s.execute(select(Risk).where(Risk.org_id == org_id, Risk.review_date.is_not(None),
                                        Risk.status != "closed")).scalars()
    return [DueItem("risk_review", f"R-{r.number}", systems.slugs.get(r.system_id or -1), r.title, r.title,
                    r.review_date, tz, systems.whom(r.system_id, r.owner), link="/compliance/risks")
            for r in rows if r.review_date is not None and (r.system_id is None or r.system_id in systems.slugs)]


def _clock_item(kind: str, ref: str, slug: str | None, clock: Clock, whom: tuple[str, ...],
                link: str) -> DueItem:
    calendar = clock.calendar_due_date
    moved = None
    if calendar != clock.due_date:
        moved = (rolled_reason(calendar, clock.due_date, "en") or "",
                 rolled_reason(calendar, clock.due_date, "ko") or "")
    return DueItem(kind, ref, slug, clock.spec.title, clock.spec.title_ko, clock.due_date, clock.tz, whom,
                   citation=clock.spec.citation, calendar_due_date=calendar if moved else None, moved=moved,
                   link=link, extra={"clock": clock.spec.key, "party": clock.spec.party},
                   due_moment=clock.due_at if clock.spec.unit == "hours" else None)


def _incidents(s: Session, org_id: int, systems: Systems, now: dt.datetime) -> list[DueItem]:
    rows = list(s.execute(select(Incident).where(Incident.org_id == org_id, Incident.status != "closed")).scalars())
    filings: dict[int | None, list[tuple[str, dt.datetime]]] = {}
    for f in s.execute(select(RegulatorFiling).where(RegulatorFiling.org_id == org_id)).scalars():
        filings.setdefault(f.incident_id, []).append((f.clock, f.filed_at))
    items = []
    for row in rows:
        ref = f"INC-{row.number}"
        card = systems.cards.get(row.system_id or -1)
        for clock in incident_clocks(row.classification or {}, row.aware_at, row.clock_tz,
                                     filings.get(row.id, []), card, ref):
            if clock.stopped_at is None:
                items.append(_clock_item("incident_clock", ref, systems.slugs.get(row.system_id or -1), clock,
                                         systems.whom(row.system_id), f"/compliance/incidents/{ref}"))
    return items


def _confirmations(s: Session, org_id: int, systems: Systems, now: dt.datetime) -> list[DueItem]:
    rows = s.execute(select(KrConfirmation).where(KrConfirmation.org_id == org_id)).scalars()
    items = []
    for row in rows:
        slug = systems.slugs.get(row.system_id)
        if slug is None:
            continue
        for clock in confirmation_clocks(row.submitted_at, row.clock_tz, extended=row.extended_at is not None,
                                         replied_at=row.replied_at, rerequested_at=row.rerequested_at,
                                         rereplied_at=row.rereplied_at, subject=slug):
            if clock.stopped_at is None:
                items.append(_clock_item("confirmation_clock", f"KC-{row.id}", slug, clock,
                                         systems.whom(row.system_id), f"/systems/{slug}/compliance"))
    return items


def _passports(s: Session, org_id: int, tz: str, systems: Systems) -> list[DueItem]:
    newest = select(PassportPublication.system_id, func.max(PassportPublication.version).label("v")).where(
        PassportPublication.org_id == org_id).group_by(PassportPublication.system_id).subquery()
    rows = s.execute(select(PassportPublication).join(
        newest, (newest.c.system_id == PassportPublication.system_id) & (newest.c.v == PassportPublication.version))
        .where(PassportPublication.org_id == org_id, PassportPublication.withdrawn_at.is_(None))).scalars()
    from zoneinfo import ZoneInfo

    items = []
    for row in rows:
        slug = systems.slugs.get(row.system_id)
        if slug is None:
            continue
        # the last local day on which the signed document is still valid
        last = (row.expires_at.astimezone(ZoneInfo(tz)) - dt.timedelta(microseconds=1)).date()
        items.append(DueItem("passport_expiry", f"passport v{row.version}", slug, "Republish the AI passport",
                             "AI 패스포트 재게시", last, tz, systems.whom(row.system_id),
                             link=f"/systems/{slug}/documents"))
    return items
