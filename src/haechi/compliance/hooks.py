"""Compliance's reactions to other capabilities' events, run inside their transactions.

* :class:`~haechi.events.VerdictChanged`: the verdict service classified a new card
  revision or re-evaluated a system (new pack version, a start date passed); controls are
  proposed or retired from the verdict it hands over, with an explanation, and the
  classification run is kept as evidence. Compliance never classifies on its own.
* :class:`~haechi.events.CardRevised` with ``delete``: a removed system's controls are retired.
* :class:`~haechi.events.EvidenceOffered`: a record of another capability (a notice
  delivered, a label checked, energy metered) is stored as automatic evidence.
* :class:`~haechi.events.AlertsRaised`: each new monitoring alert of a run becomes negative evidence on the
  controls that take alerts of its family (e.g. a fairness breach on the risk-management
  and monitoring controls), which demotes them if they were operating; fairness and
  performance alerts also open an incident (one per monitor and alert family while it is
  open; later alerts are added to its timeline). The incident's awareness time is the
  alert's, so any regulator clock counts from it. A run's alerts are handled as one batch
  (``on_alerts``), with the outcome of handling them one by one (``on_alert``). What each alert
  fed (its evidence, the controls it reached, the incident) goes back in one
  :class:`~haechi.events.AlertsHandled` event, so monitoring can show it on the alert's problem.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.ledger import LedgerBatch
from haechi.store.compliance_tables import Incident
from haechi.store.tables import System

from .common import ref
from .messages import message, render, say
from .obligations import obligations_of

if TYPE_CHECKING:
    from haechi.events import AlertsRaised, CardRevised, EvidenceOffered, VerdictChanged
    from haechi.rules.results import Classification

    from .incidents import IncidentService
    from .service import ComplianceService

log = logging.getLogger(__name__)
INCIDENT_FAMILIES = ("fairness", "performance")


def on_card_revised(svc: ComplianceService, event: CardRevised) -> None:
    """A removed system's controls are retired (new revisions arrive as verdicts)."""
    if event.action != "delete":
        return
    system = event.session.get(System, event.record.pk)
    assert system is not None
    svc.control_sync.retire_all(event.session, event.actor, system,
                               f"system removed (card revision {event.record.revision})")


def on_verdict_changed(svc: ComplianceService, event: VerdictChanged) -> None:
    """Bring the controls in line with the verdict the verdict service stored."""
    s, actor = event.session, event.actor
    system = s.execute(select(System).where(System.org_id == actor.org_id,
                                            System.slug == event.system)).scalar_one_or_none()
    if system is None or system.deleted_at is not None:
        return
    sync_system(svc, s, actor, system, event.card, event.verdict, event.reason)


def on_alerts_raised(svc: ComplianceService, event: AlertsRaised) -> None:
    on_alerts(svc, event.session, event.actor, event.alerts)


def on_evidence_offered(svc: ComplianceService, event: EvidenceOffered) -> None:
    svc.evidence.record_auto(event.actor, event.system, event.kind, event.title, event.payload,
                             session=event.session, **event.options)


def sync_system(svc: ComplianceService, s: Session, actor: Actor, system: System, card: dict[str, Any],
                verdict: Classification, reason: str) -> None:
    """Sync the controls of ``system`` from ``verdict`` and keep the classification run as evidence."""
    obligations, packs = obligations_of(verdict)
    summary = svc.control_sync.sync_in(s, actor, system, obligations, f"{reason}; packs {packs or 'none'}",
                                       card=card)
    if obligations:
        payload = {"system": system.slug, "as_of": verdict.as_of.isoformat(), "revision": system.current_revision,
                   "packs": packs, "obligations": sorted(f"{o['pack']}:{o['id']}:{o['status']}" for o in obligations)}
        title, _ = say("evidence.classification", revision=system.current_revision, packs=packs)
        svc.evidence.record_auto(actor, system.slug, "classification_run", title, payload,
                                 session=s, source="classification", source_ref=f"revision:{system.current_revision}")
    log.debug("controls synced for %s: %s", system.slug, summary)


def on_alert(svc: ComplianceService, s: Session, actor: Actor, alert: dict[str, Any]) -> None:
    """One alert on its own (a monitor run hands its alerts to ``on_alerts`` together)."""
    spec = _alert_evidence(alert)
    evidence = svc.evidence.record_auto(actor, alert["system"], session=s, **spec)
    incident = None
    if spec["alert_family"] in INCIDENT_FAMILIES:
        ledger = LedgerBatch(s, actor.org_id, actor.label)
        incident = _AlertIncidents(svc.incidents, s, actor, alert["system"], ledger).record(
            alert, _alert_title(alert), evidence["ref"])
        ledger.write()
    _handled(svc, s, actor, {alert.get("id"): _fed(evidence, incident)})


def on_alerts(svc: ComplianceService, s: Session, actor: Actor, alerts: list[dict[str, Any]]) -> None:
    """A run's new alerts at once: what ``on_alert`` for each in turn does, in the same order.

    The same evidence, demotions, incidents, timeline notes and ledger entries, with a
    fixed number of queries per system instead of a dozen per alert (a run raising a
    hundred alerts spent half a second here).
    """
    by_system: dict[str, list[dict[str, Any]]] = {}
    for alert in alerts:  # one system per run; grouped anyway so a mixed list still works
        by_system.setdefault(alert["system"], []).append(alert)
    links: dict[Any, dict[str, Any]] = {}
    for slug, group in by_system.items():
        ledger = LedgerBatch(s, actor.org_id, actor.label)
        specs = [_alert_evidence(alert) for alert in group]
        incidents = _AlertIncidents(svc.incidents, s, actor, slug, ledger)

        def after(i: int, evidence: dict[str, Any], group: list[dict[str, Any]] = group,
                  specs: list[dict[str, Any]] = specs, incidents: _AlertIncidents = incidents) -> None:
            incident = None
            if specs[i]["alert_family"] in INCIDENT_FAMILIES:
                incident = incidents.record(group[i], _alert_title(group[i]), evidence["ref"])
            links[group[i].get("id")] = _fed(evidence, incident)

        svc.evidence.record_auto_many(actor, slug, specs, session=s, ledger=ledger, on_item=after)
    _handled(svc, s, actor, links)


def _fed(evidence: dict[str, Any], incident: str | None) -> dict[str, Any]:
    return {"evidence": evidence.get("ref"), "controls": list(evidence.get("controls") or []), "incident": incident}


def _handled(svc: ComplianceService, s: Session, actor: Actor, links: dict[Any, dict[str, Any]]) -> None:
    """Tell monitoring what the alerts fed (alerts without an id are left out)."""
    from haechi.events import AlertsHandled

    known = {k: v for k, v in links.items() if isinstance(k, int)}
    if known and svc.events is not None:
        svc.events.publish(AlertsHandled(s, actor, known))


def _alert_evidence(alert: dict[str, Any]) -> dict[str, Any]:
    """The automatic evidence of an alert, as ``record_auto`` arguments."""
    family = alert.get("family") or "performance"
    title = render(_alert_title(alert), "en")
    payload = {k: alert.get(k) for k in ("id", "monitor", "window_start", "window_end", "metric", "family",
                                         "scope", "group", "value", "threshold", "n")}
    return {"kind": "monitoring_result", "title": title, "payload": payload, "polarity": "contradicts",
            "alert_family": family, "source": "monitoring", "source_ref": f"alert:{alert.get('id')}",
            "collected_at": alert.get("created_at")}


def _alert_title(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert's title as a message: incidents keep it to show it in the reader's language."""
    where = "/".join(str(x) for x in (alert.get("scope"), alert.get("group")) if x)
    return message("alert.title", metric=alert["metric"], where=where, value=alert.get("value"),
                   threshold=alert.get("threshold"), window=alert.get("window_start"))


class _AlertIncidents:
    """One open incident per monitor and alert family; later alerts join its timeline.

    The system's open alert incidents are read once per batch."""

    def __init__(self, incidents: IncidentService, s: Session, actor: Actor, slug: str, ledger: LedgerBatch) -> None:
        self.incidents, self.s, self.actor, self.slug, self.ledger = incidents, s, actor, slug, ledger
        self.open: dict[str, Incident] | None = None  # key → incident, read at the first alert that needs it

    def record(self, alert: dict[str, Any], title: dict[str, Any], evidence_ref: str) -> str:
        """``title`` is the alert's title message (see :mod:`.messages`); returns the incident's ref."""
        key = _incident_key(alert)
        same = self._open().get(key)
        if same is not None:
            text, stored = say("incident.another_alert", title=title)
            self.incidents.note_in(self.s, self.actor, same, text, {
                "alert": alert.get("id"), "evidence": evidence_ref, "message": stored}, ledger=self.ledger)
            return ref("incident", same.number)
        self.ledger.write()  # open_in appends its own entries: keep the order
        opened = _open_incident(self.incidents, self.s, self.actor, alert, title, evidence_ref)
        self._open()[key] = self.incidents.row(self.s, self.actor, opened["ref"])
        return str(opened["ref"])

    def _open(self) -> dict[str, Incident]:
        if self.open is None:
            system = self.s.execute(select(System).where(System.org_id == self.actor.org_id,
                                                         System.slug == self.slug)).scalar_one()
            self.open = {}
            for row in self.s.execute(select(Incident).where(
                    Incident.system_id == system.id, Incident.source == "alert", Incident.status != "closed")
                    .order_by(Incident.id)).scalars():
                self.open.setdefault(str((row.source_ref or {}).get("key")), row)
        return self.open


def _incident_key(alert: dict[str, Any]) -> str:
    return f"{alert.get('monitor')}:{alert.get('family')}"


def _open_incident(incidents: IncidentService, s: Session, actor: Actor, alert: dict[str, Any],
                   title: dict[str, Any], evidence_ref: str) -> dict[str, Any]:
    severity = "high" if alert.get("family") == "fairness" else "medium"
    description, described = say("alert.description", monitor=alert.get("monitor"), evidence=evidence_ref)
    return incidents.open_in(s, actor, render(title, "en"), alert["system"], {
        "source": "alert", "severity": severity, "aware_at": alert.get("created_at"), "description": description,
        "source_ref": {"key": _incident_key(alert), "alert": alert.get("id"), "evidence": evidence_ref,
                       "messages": {"title": title, "description": described}}})
