"""Incidents: from an alert, a complaint, a user report or by hand, with regulator clocks.

An incident has a severity, a classification (EU Art. 3(49) serious-incident categories,
widespread infringement, jurisdictions, and what it is under the Cyber Resilience Act), a
timeline of events, a root cause, corrective actions and a closure. The regulator clocks
start when the organisation became aware (:mod:`.incident_clocks`).
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, ValidationFailed
from haechi.ledger import LedgerAction, LedgerBatch, append, lock_head
from haechi.store.compliance_tables import Incident, IncidentEvent, RegulatorFiling

from .common import as_date, as_datetime, iso, next_number, not_found, parse_ref, ref, require_text, system_row
from .deadlines import Clock, zone
from .incident_clocks import incident_clocks
from .messages import localized, say
from .obligations import card_of
from .vocab import CRA_INCIDENT_KINDS, INCIDENT_SOURCES, INCIDENT_STATUSES, SERIOUS_CATEGORIES, SEVERITIES

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database

    from .evidence import EvidenceService
    from .workspace import OrgClock

#: The ledger entry of each kind of change to an open incident.
INCIDENT_LEDGER_ACTIONS: dict[str, LedgerAction] = {
    "classified": LedgerAction.INCIDENT_CLASSIFIED,
    "note": LedgerAction.INCIDENT_NOTE,
    "status": LedgerAction.INCIDENT_STATUS,
    "root_cause": LedgerAction.INCIDENT_ROOT_CAUSE,
    "action": LedgerAction.INCIDENT_ACTION,
    "action_done": LedgerAction.INCIDENT_ACTION_DONE,
    "report_filed": LedgerAction.INCIDENT_REPORT_FILED,
    "closed": LedgerAction.INCIDENT_CLOSED,
}


class IncidentService:
    """Incidents of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock, evidence: EvidenceService, systems: SystemRegistry,
                 accounts: Accounts) -> None:
        """:param evidence: keeps a closed incident's handling as evidence.
        :param systems: and ``accounts``: the card and the organisation a draft report describes.
        """
        self.db, self.clock, self.evidence = db, clock, evidence
        self.systems, self.accounts = systems, accounts

    # --- opening -------------------------------------------------------------------
    def open(self, actor: Actor, *, title: str, system: str | None = None, session: Session | None = None,
             **fields: Any) -> dict[str, Any]:
        """Open an incident; the regulator clocks that apply start from ``aware_at`` (default now)."""
        actor.require(Permission.WRITE)
        if session is not None:
            return self.open_in(session, actor, title, system, fields)
        with self.db.transaction() as s:
            return self.open_in(s, actor, title, system, fields)

    def open_in(self, s: Session, actor: Actor, title: str, system: str | None, f: dict[str, Any]) -> dict[str, Any]:
        title = require_text(title, "title", "제목")
        source, severity = f.get("source") or "manual", f.get("severity") or "medium"
        _check_choice("source", source, INCIDENT_SOURCES)
        _check_choice("severity", severity, SEVERITIES)
        sys_row = system_row(s, actor, system) if system else None
        tz = f.get("clock_tz") or self.clock.timezone(s, actor.org_id)
        zone(tz, "clock_tz")
        markets = (card_of(s, sys_row).get("markets") or []) if sys_row else []
        now = self.clock.now()
        classification = _classification(f, markets, zone(tz), now)
        aware = as_datetime(f.get("aware_at"), "aware_at", zone(tz)) or now
        if aware > now + dt.timedelta(minutes=5):
            raise ValidationFailed("aware_at is in the future", key="compliance.aware_at_future")
        row = Incident(org_id=actor.org_id, number=next_number(s, actor.org_id, "incident"),
                       system_id=sys_row.id if sys_row else None, title=title, description=f.get("description"),
                       source=source, source_ref=f.get("source_ref"), severity=severity,
                       classification=classification, clock_tz=tz,
                       occurred_at=as_datetime(f.get("occurred_at"), "occurred_at", zone(tz)), aware_at=aware,
                       status="open", affected=dict(f.get("affected") or {}), created_by=actor.label,
                       created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        title_message = _messages(row).get("title") or title
        opened, stored = say("incident.opened", source=source, title=title_message)
        self._event(s, actor, row, "opened", opened, {"severity": severity, "message": stored})
        append(s, actor.org_id, actor.label, LedgerAction.INCIDENT_OPEN, "incident", ref("incident", row.number),
               {"title": title, "system": system, "source": source, "severity": severity,
                "classification": classification, "aware_at": aware})
        return self._dict(s, row)

    # --- updates ------------------------------------------------------------------------
    def classify(self, actor: Actor, incident: str | int, *, categories: builtins.list[str] | None = None,
                 widespread_infringement: bool | None = None, jurisdictions: builtins.list[str] | None = None,
                 severity: str | None = None, cra: str | None = None,
                 cra_fix_available_at: Any = None) -> dict[str, Any]:
        """Change the classification; the clocks follow (e.g. a death shortens the EU clock to 10 days).

        :param cra: ``exploited_vulnerability`` or ``severe_incident`` (Cyber Resilience Act
            Art. 14), ``none`` to clear it; ``None`` keeps it.
        :param cra_fix_available_at: when a corrective or mitigating measure for the exploited
            vulnerability became available (starts the 14-day final report clock).
        """
        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            current = dict(row.classification)
            merged = {"categories": categories if categories is not None else current.get("categories", []),
                      "widespread_infringement": widespread_infringement if widespread_infringement is not None
                      else current.get("widespread_infringement", False),
                      "jurisdictions": jurisdictions if jurisdictions is not None else current.get("jurisdictions", []),
                      "cra": current.get("cra") if cra is None else (None if cra == "none" else cra),
                      "cra_fix_available_at": cra_fix_available_at if cra_fix_available_at is not None
                      else current.get("cra_fix_available_at")}
            row.classification = _classification(merged, [], zone(row.clock_tz), self.clock.now())
            if severity is not None:
                _check_choice("severity", severity, SEVERITIES)
                row.severity = severity
            c = row.classification
            return say("incident.classified", categories=c["categories"], widespread=c["widespread_infringement"],
                       jurisdictions=c["jurisdictions"], severity=row.severity, cra=c.get("cra"))
        return self._update(actor, incident, "classified", change)

    def note(self, actor: Actor, incident: str | int, text: str) -> dict[str, Any]:
        text = require_text(text, "text", "내용")
        return self._update(actor, incident, "note", lambda s, row: text)

    def set_status(self, actor: Actor, incident: str | int, status: str, note: str | None = None) -> dict[str, Any]:
        _check_choice("status", status, dict.fromkeys(INCIDENT_STATUSES))
        if status == "closed":
            raise ValidationFailed("use close (with a root cause and a summary) to close an incident",
                                   key="compliance.use_close_with_root")

        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            previous, row.status = row.status, status
            if previous == "closed":
                row.closed_at, row.closed_by = None, None
            return say("incident.status", old=previous, new=status, note=note or "")
        return self._update(actor, incident, "status", change)

    def set_root_cause(self, actor: Actor, incident: str | int, text: str) -> dict[str, Any]:
        text = require_text(text, "root cause", "근본 원인")

        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            row.root_cause = text
            return say("incident.root_cause", text=text)
        return self._update(actor, incident, "root_cause", change)

    def add_action(self, actor: Actor, incident: str | int, action: str, owner: str | None = None,
                   due: Any = None) -> dict[str, Any]:
        action = require_text(action, "action", "시정 조치")
        due_date = as_date(due, "due")

        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            row.corrective_actions = [*row.corrective_actions, {
                "id": len(row.corrective_actions) + 1, "action": action, "owner": owner, "due": iso(due_date),
                "status": "open"}]
            return say("incident.action", text=action)
        return self._update(actor, incident, "action", change)

    def complete_action(self, actor: Actor, incident: str | int, action_id: int) -> dict[str, Any]:
        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            actions = [dict(a) for a in row.corrective_actions]
            target = next((a for a in actions if a["id"] == action_id), None)
            if target is None:
                raise ValidationFailed(f"no corrective action #{action_id}", key="compliance.no_corrective_action",
                                       values={"action_id": action_id})
            target["status"], target["done_at"] = "done", self.clock.now().isoformat()
            row.corrective_actions = actions
            return say("incident.action_done", n=action_id)
        return self._update(actor, incident, "action_done", change)

    def file_report(self, actor: Actor, incident: str | int, *, clock: str | None = None, filed_at: Any = None,
                    reference: str | None = None, note: str | None = None) -> dict[str, Any]:
        """Record a report filed with a regulator; it stops the matching clock."""
        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            clocks = {c.spec.key: c for c in self.clocks_of(s, row)}
            running = sorted((c for c in clocks.values() if c.stopped_at is None), key=lambda c: c.due_at)
            key = clock or (running[0].spec.key if running else next(iter(clocks), None))
            if key is None or key not in clocks:
                raise ValidationFailed(f"no running regulator clock '{clock or ''}' on this incident; "
                                       f"clocks: {', '.join(clocks) or 'none'}",
                                       key="compliance.no_running_regulator_clock",
                                       values={"clock": clock or "", "clocks": ", ".join(clocks) or "-"})
            when = as_datetime(filed_at, "filed_at", zone(row.clock_tz)) or self.clock.now()
            s.add(RegulatorFiling(org_id=row.org_id, incident_id=row.id, clock=key, filed_at=when,
                                  reference=reference, note=note, filed_by=actor.label, created_at=self.clock.now()))
            return say("incident.filed", clock=key, at=when.isoformat(), reference=reference or "")
        return self._update(actor, incident, "report_filed", change)

    def close(self, actor: Actor, incident: str | int, summary: str) -> dict[str, Any]:
        """Close with a summary; needs a root cause. Records the incident as evidence of handling."""
        summary = require_text(summary, "summary", "종결 요약")

        def change(s: Session, row: Incident) -> tuple[str, dict[str, Any]]:
            if not row.root_cause:
                raise Conflict("record the root cause before closing ('haechi incidents root-cause')",
                               key="compliance.record_root_cause_before")
            row.status, row.closed_at, row.closed_by = "closed", self.clock.now(), actor.label
            row.closure_summary = summary
            if row.system_id is not None:
                slug = system_row_by_id(s, row)
                title, _ = say("evidence.incident", incident=ref("incident", row.number), title=row.title)
                self.evidence.record_auto(actor, slug, "incident_record", title, {
                    "incident": ref("incident", row.number), "title": _messages(row).get("title") or row.title,
                    "root_cause": row.root_cause, "summary": summary, "actions": row.corrective_actions},
                    session=s, source="incident")
            return say("incident.closed", text=summary)
        return self._update(actor, incident, "closed", change)

    def note_in(self, s: Session, actor: Actor, row: Incident, text: str, data: dict[str, Any] | None = None,
                ledger: LedgerBatch | None = None) -> None:
        """Add a timeline line inside the caller's transaction (e.g. a repeated alert).

        With ``ledger`` the entry joins that batch (written by its owner) instead of being
        appended at once.
        """
        row.updated_at = self.clock.now()
        self._event(s, actor, row, "note", text, data)
        entry = (LedgerAction.INCIDENT_NOTE, "incident", ref("incident", row.number), {"text": text})
        if ledger is not None:
            ledger.add(*entry)
        else:
            append(s, actor.org_id, actor.label, *entry)

    def _update(self, actor: Actor, incident: str | int, kind: str, change: Any) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = self.row(s, actor, incident, lock=True)
            text, stored = _with_message(change(s, row))
            row.updated_at = self.clock.now()
            self._event(s, actor, row, kind, text, {"message": stored} if stored else None)
            append(s, actor.org_id, actor.label, INCIDENT_LEDGER_ACTIONS[kind], "incident",
                   ref("incident", row.number), {"text": text})
            return self._dict(s, row)

    def draft_report(self, actor: Actor, incident: str | int, regulator: str = "eu",
                     lang: str = "en") -> dict[str, Any]:
        """A draft report in the regulator's expected structure (``eu`` or ``kr``; ``en``/``ko``)."""
        from .reportdraft import draft_report

        if regulator not in ("eu", "kr") or lang not in ("en", "ko"):
            raise ValidationFailed("regulator is eu or kr; lang is en or ko",
                                   key="compliance.regulator_eu_kr_lang")
        data = self.get(actor, incident)
        system = None
        if data["system"]:
            record = self.systems.get(actor, data["system"], include_deleted=True)
            system = {"card": record.effective_card.to_json()}
        org = self.accounts.get_org(actor.org_slug).to_dict()
        return draft_report(data, system, org, regulator, lang)

    # --- reads -----------------------------------------------------------------------------
    def row(self, s: Session, actor: Actor, incident: str | int, lock: bool = False) -> Incident:
        number = parse_ref("incident", incident)
        stmt = select(Incident).where(Incident.org_id == actor.org_id, Incident.number == number)
        if lock:
            lock_head(s, actor.org_id)  # before the row: one lock order for every writer
        found = s.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if found is None:
            raise not_found("incident", incident)
        return found

    def list(self, actor: Actor, system: str | None = None,
             include_closed: bool = True) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(Incident).where(Incident.org_id == actor.org_id).order_by(Incident.number.desc())
            if system:
                stmt = stmt.where(Incident.system_id == system_row(s, actor, system, include_deleted=True).id)
            if not include_closed:
                stmt = stmt.where(Incident.status != "closed")
            return [self._dict(s, r, timeline=False) for r in s.execute(stmt).scalars()]

    def get(self, actor: Actor, incident: str | int) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return self._dict(s, self.row(s, actor, incident))

    def clocks_of(self, s: Session, row: Incident) -> builtins.list[Clock]:
        """The incident's regulator clocks (AI Act Art. 73, CRA Art. 14), stopped by filings."""
        filings = [(f.clock, f.filed_at) for f in s.execute(
            select(RegulatorFiling).where(RegulatorFiling.incident_id == row.id)).scalars()]
        card = None
        if row.system_id is not None and row.classification.get("cra"):
            from haechi.store.tables import System

            system = s.get(System, row.system_id)
            card = card_of(s, system) if system is not None else None
        return incident_clocks(row.classification, row.aware_at, row.clock_tz, filings, card,
                               ref("incident", row.number))

    def _dict(self, s: Session, row: Incident, timeline: bool = True) -> dict[str, Any]:
        now = self.clock.now()
        system = system_row_by_id(s, row) if row.system_id else None
        texts = _messages(row)
        clocks = self.clocks_of(s, row)
        out = {"ref": ref("incident", row.number), "system": system, "title": row.title,
               "title_ko": localized(row.title, texts.get("title"), "ko"), "title_message": texts.get("title"),
               "description": row.description, "description_message": texts.get("description"),
               "description_ko": localized(row.description, texts.get("description"), "ko"),
               "source": row.source, "source_ref": row.source_ref,
               "severity": row.severity, "classification": row.classification, "status": row.status,
               "clock_tz": row.clock_tz, "occurred_at": iso(row.occurred_at), "aware_at": iso(row.aware_at),
               "root_cause": row.root_cause, "corrective_actions": row.corrective_actions,
               "affected": row.affected, "closed_at": iso(row.closed_at), "closed_by": row.closed_by,
               "closure_summary": row.closure_summary, "created_by": row.created_by,
               "created_at": iso(row.created_at), "clocks": [c.to_dict(now) for c in clocks],
               "cra_clocks": any(c.spec.key.startswith("cra.") for c in clocks),
               "no_statutory_clock_kr": "KR" in row.classification.get("jurisdictions", [])}
        out["filings"] = [{"clock": f.clock, "filed_at": iso(f.filed_at), "reference": f.reference,
                           "note": f.note, "filed_by": f.filed_by} for f in s.execute(
            select(RegulatorFiling).where(RegulatorFiling.incident_id == row.id)
            .order_by(RegulatorFiling.filed_at)).scalars()]
        if timeline:
            out["timeline"] = [{"at": iso(e.at), "actor": e.actor, "kind": e.kind, "text": e.text, "data": e.data,
                                "text_ko": localized(e.text, (e.data or {}).get("message"), "ko")}
                               for e in s.execute(select(IncidentEvent).where(IncidentEvent.incident_id == row.id)
                                                  .order_by(IncidentEvent.at, IncidentEvent.id)).scalars()]
        return out

    def _event(self, s: Session, actor: Actor, row: Incident, kind: str, text: str | None,
               data: dict[str, Any] | None) -> None:
        s.add(IncidentEvent(org_id=row.org_id, incident_id=row.id, at=self.clock.now(), actor=actor.label,
                            kind=kind, text=text, data=data))


def system_row_by_id(s: Session, row: Incident) -> str:
    from haechi.store.tables import System

    system = s.get(System, row.system_id)
    return system.slug if system else "?"


def _messages(row: Incident) -> dict[str, Any]:
    """The title and description messages an incident opened by the product keeps in ``source_ref``."""
    found = (row.source_ref or {}).get("messages")
    return found if isinstance(found, dict) else {}


def _with_message(result: str | tuple[str, dict[str, Any]]) -> tuple[str, dict[str, Any] | None]:
    """A timeline change's English line and, for generated lines, its message."""
    return result if isinstance(result, tuple) else (result, None)


def _check_choice(field: str, value: str, allowed: dict[str, Any]) -> None:
    if value not in allowed:
        raise ValidationFailed(f"{field}: '{value}' is not allowed; use one of: {', '.join(allowed)}",
                               key="compliance.not_allowed_use_one",
                               values={"field": field, "value": value, "allowed": ", ".join(allowed)})


def _classification(f: dict[str, Any], markets: builtins.list[str], tz: Any, now: dt.datetime) -> dict[str, Any]:
    """Validated classification; jurisdictions default to the system's EU/KR markets."""
    categories = list(f.get("categories") or [])
    for cat in categories:
        _check_choice("categories", cat, SERIOUS_CATEGORIES)
    jurisdictions = f.get("jurisdictions")
    if jurisdictions is None:
        jurisdictions = [m for m in markets if m in ("EU", "KR")]
    for j in jurisdictions:
        if j not in ("EU", "KR"):
            raise ValidationFailed(f"jurisdictions: '{j}' is not supported; use EU and/or KR",
                                   key="compliance.jurisdictions_not_supported_use", values={"j": j})
    cra = None if f.get("cra") in (None, "", "none") else f.get("cra")
    if cra is not None:
        _check_choice("cra", cra, CRA_INCIDENT_KINDS)
    fix = as_datetime(f.get("cra_fix_available_at"), "cra_fix_available_at", tz)
    if fix is not None and fix > now + dt.timedelta(minutes=5):
        raise ValidationFailed("cra_fix_available_at is in the future",
                               key="compliance.cra_fix_available_at")
    return {"categories": categories, "widespread_infringement": bool(f.get("widespread_infringement")),
            "jurisdictions": sorted(set(jurisdictions)), "serious": bool(categories), "cra": cra,
            "cra_fix_available_at": fix.astimezone(dt.UTC).isoformat() if fix else None}
