"""Reactions to other capabilities, run inside their transactions.

* ``system_changed``: a new card revision is classified; controls are proposed or
  retired with an explanation, and the classification run is kept as evidence. A removed
  system's controls are retired.
* ``alert_raised``: a monitoring alert becomes negative evidence on the controls that take
  alerts of its family (e.g. a fairness breach on the risk-management and monitoring
  controls), which demotes them if they were operating; fairness and performance alerts
  also open an incident (one per monitor, metric and scope while it is open). The
  incident's awareness time is the alert's, so any regulator clock counts from it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError
from haechi.ledger import append
from haechi.store.compliance_tables import Incident
from haechi.store.tables import System

from .obligations import classify_card

if TYPE_CHECKING:
    from .service import ComplianceService

log = logging.getLogger(__name__)
INCIDENT_FAMILIES = ("fairness", "performance")


def register_hooks(svc: ComplianceService) -> None:
    hooks = svc.hc.hooks
    hooks.system_changed.append(lambda s, actor, record, action: on_system_changed(svc, s, actor, record, action))
    if hasattr(hooks, "alert_raised"):
        hooks.alert_raised.append(lambda s, actor, alert: on_alert(svc, s, actor, alert))


def on_system_changed(svc: ComplianceService, s: Session, actor: Actor, record: Any, action: str) -> None:
    system = s.get(System, record.pk)
    assert system is not None
    if action == "delete":
        svc.controls.retire_all(s, actor, system, f"system removed (card revision {record.revision})")
        return
    card = record.card.to_json()
    today = svc.today(svc.timezone(s, actor.org_id))
    try:
        obligations, packs = classify_card(card, today)
    except HaechiError as exc:  # a broken user pack must not block editing cards
        log.warning("classification of %s failed: %s", system.slug, exc.message)
        append(s, actor.org_id, actor.label, "controls.sync_failed", "system", system.slug,
               {"revision": record.revision, "error": exc.message})
        return
    context = f"card revision {record.revision} ({action}); packs {packs or 'none'}"
    summary = svc.controls.sync_in(s, actor, system, obligations, context, card=card)
    if obligations:
        payload = {"as_of": today.isoformat(), "revision": record.revision, "packs": packs,
                   "obligations": sorted(f"{o['pack']}:{o['id']}:{o['status']}" for o in obligations)}
        svc.evidence.record_auto(actor, system.slug, "classification_run",
                                 f"Classification of card revision {record.revision} ({packs})", payload,
                                 session=s, source="classification",
                                 source_ref=f"revision:{record.revision}")
    log.debug("controls synced for %s: %s", system.slug, summary)


def on_alert(svc: ComplianceService, s: Session, actor: Actor, alert: dict[str, Any]) -> None:
    family = alert.get("family") or "performance"
    where = "/".join(str(x) for x in (alert.get("scope"), alert.get("group")) if x)
    title = (f"Monitoring alert: {alert['metric']}{' ' + where if where else ''} = {_num(alert.get('value'))} "
             f"breaches {alert.get('threshold')} in window {alert.get('window_start')}")
    payload = {k: alert.get(k) for k in ("id", "monitor", "window_start", "window_end", "metric", "family",
                                         "scope", "group", "value", "threshold", "n")}
    evidence = svc.evidence.record_auto(
        actor, alert["system"], "monitoring_result", title, payload, session=s, polarity="contradicts",
        alert_family=family, source="monitoring", source_ref=f"alert:{alert.get('id')}",
        collected_at=alert.get("created_at"))
    if family in INCIDENT_FAMILIES:
        _incident_for(svc, s, actor, alert, title, evidence["ref"])


def _incident_for(svc: ComplianceService, s: Session, actor: Actor, alert: dict[str, Any], title: str,
                  evidence_ref: str) -> None:
    key = f"{alert.get('monitor')}:{alert['metric']}:{alert.get('scope') or ''}"
    system = s.execute(select(System).where(System.org_id == actor.org_id, System.slug == alert["system"])
                       ).scalar_one()
    open_ones = s.execute(select(Incident).where(Incident.system_id == system.id, Incident.source == "alert",
                                                 Incident.status != "closed")).scalars()
    if any((i.source_ref or {}).get("key") == key for i in open_ones):
        return
    severity = "high" if alert.get("family") == "fairness" else "medium"
    svc.incidents.open_in(s, actor, title, system.slug, {
        "source": "alert", "severity": severity, "aware_at": alert.get("created_at"),
        "description": (f"Raised by monitor '{alert.get('monitor')}'. Negative evidence {evidence_ref} was attached "
                        "to the controls it concerns. Assess whether this is a serious incident (EU AI Act "
                        "Art. 3(49)) and classify it: the reporting clock counts from the alert."),
        "source_ref": {"key": key, "alert": alert.get("id"), "evidence": evidence_ref}})


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
