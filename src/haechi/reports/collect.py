"""Gather what the other capabilities hold about one system (or the organisation).

Every section is ``{"available": True, ...}`` with the capability's own data; the
capabilities are named in :class:`Sources` (built by the facade), never looked up on it.

Reads only: nothing here changes what is stored (the transparency notice is read with
a read-only view of the actor, so no notice version is created by a report).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor
from haechi.domain.errors import NotFound, ValidationFailed

if TYPE_CHECKING:
    from haechi.compliance.service import ComplianceService
    from haechi.esg.service import EsgService
    from haechi.ledger.keys import Signer
    from haechi.monitor.service import MonitorService
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database
    from haechi.transparency.service import TransparencyService
    from haechi.verdicts.service import VerdictService

Section = dict[str, Any]


@dataclass(frozen=True)
class Sources:
    """The capabilities a dossier or report reads.

    All but the registry are getters: a service is created (and its libraries imported)
    only when a document reads its section.
    """

    systems: SystemRegistry
    verdicts: Callable[[], VerdictService]
    compliance: Callable[[], ComplianceService]
    monitor: Callable[[], MonitorService]
    transparency: Callable[[], TransparencyService]
    esg: Callable[[], EsgService]


def section(build: Callable[[], Section]) -> Section:
    """A section filled by ``build()``, marked available."""
    return {"available": True, **build()}


def reader(actor: Actor) -> Actor:
    """The same person with read rights only, so collecting never writes."""
    return dataclasses.replace(actor, role="auditor" if actor.role in ("admin", "auditor") else "viewer")


# --- per system -----------------------------------------------------------------------
def collect_system(src: Sources, actor: Actor, slug: str) -> dict[str, Any]:
    """Everything a dossier shows about ``slug``, section by section."""
    record = src.systems.get(actor, slug)
    return {
        "system": record.summary(),
        "card": record.effective_card.to_json(),
        "history": [r.to_dict() for r in src.systems.history(actor, slug)],
        "verdicts": verdicts(src.verdicts(), actor, slug),
        "compliance": section(lambda: _compliance(src.compliance(), actor, slug)),
        "monitoring": section(lambda: _monitoring(src.monitor(), actor, slug)),
        "transparency": section(lambda: _transparency(src.transparency(), actor, slug)),
        "esg": section(lambda: _esg(src.esg(), actor, slug)),
    }


def verdicts(rules: VerdictService, actor: Actor, slug: str) -> Section:
    """Verdicts per jurisdiction, from the workspace's verdict service, with their history."""
    result, history = rules.verdict(actor, slug), rules.history(actor, slug)
    source = "hc.rules (stored verdict of the current revision)"
    data = result.to_json()
    return {"available": True, "source": source, "as_of": data.get("as_of"), "results": data.get("results", []),
            "questions": _questions(data), "history": history, "timeline": rules.timeline(actor, slug)}


def _questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for result in data.get("results", []):
        for q in result.get("questions", []):
            item = seen.setdefault(q.get("field", ""), {**q, "packs": []})
            item["packs"].append(result.get("pack"))
    return list(seen.values())


def _compliance(svc: Any, actor: Actor, slug: str) -> Section:
    status = svc.status(actor, slug)
    return {
        "status": status,
        "evidence": svc.evidence.list(actor, system=slug),
        "documents": [svc.documents.get(actor, slug, d["kind"]) for d in svc.documents.list(actor, slug)],
        "risks": svc.risks.list(actor, slug, include_closed=True),
        "incidents": svc.incidents.list(actor, slug),
    }


def _monitoring(svc: Any, actor: Actor, slug: str) -> Section:
    monitors = []
    for info in svc.list(actor, system=slug):
        name = info.get("name", "default")
        try:
            results = svc.results(actor, slug, name)
        except NotFound:
            continue
        monitors.append({"name": name, "spec": results.get("spec", {}), "windows": results.get("windows", []),
                         "thresholds": results.get("thresholds", {}), "last_run_at": results.get("last_run_at")})
    alerts = svc.alerts(actor, system=slug, limit=200)
    return {"monitors": monitors, "alerts": alerts.get("items", []), "alerts_total": alerts.get("total", 0)}


def _transparency(svc: Any, actor: Actor, slug: str) -> Section:
    viewer = reader(actor)
    duties = svc.duties(viewer, slug)
    notices = {}
    for lang in ("ko", "en"):
        result = svc.notice(viewer, slug, lang=lang, channel="screen", fmt="text")
        notices[lang] = {"text": str(result.output), "draft": result.draft, **result.meta()}
    return {
        "duties": duties.to_dict() if hasattr(duties, "to_dict") else {},
        "notices": notices,
        "notice_versions": svc.notice_versions(viewer, slug),
        "label_settings": _dump(svc.label_settings(viewer, slug)),
        "deliveries": svc.delivery_counts(viewer, slug),
        "decisions": svc.decisions(viewer, slug),
    }


def _dump(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _esg(svc: Any, actor: Actor, slug: str) -> Section:
    records = svc.energy_records(actor, system=slug)
    totals = {key: round(sum(float(r.get(key) or 0) for r in records), 6)
              for key in ("kwh", "facility_kwh", "emissions_location_tco2e")}
    links = svc.links(actor, slug)
    return {"records": records, "totals": totals, "links": links, "effects": _effects(svc, actor, slug, links)}


def _effects(svc: Any, actor: Actor, slug: str, links: list[dict[str, Any]]) -> dict[str, Any] | None:
    # Effects need a link to a production line; without one there is nothing to compare.
    if not links:
        return None
    try:
        effects: dict[str, Any] = svc.effect(actor, slug)
    except ValidationFailed as error:
        # e.g. no deployment date yet: the dossier says why instead of failing as a whole
        return {"links": [{**link, "effects": [], "error": error.message, "error_ko": error.message_ko}
                          for link in links]}
    return effects


# --- organisation ------------------------------------------------------------------------
def collect_checkpoint(db: Database, signer: Signer, actor: Actor, reason: str) -> dict[str, Any]:
    """Sign the ledger head now, so the document names the exact state it was made from.

    Any reader may trigger this: a checkpoint discloses only a sequence number and a hash.
    ``reason`` is a short word (the column holds 16 characters): dossier, report, passport.
    """
    from haechi.ledger.checkpoints import create_checkpoint

    with db.transaction() as s:
        cp = create_checkpoint(s, actor.org_id, actor.org_slug, signer, actor=actor.label, reason=reason)
    return {k: cp[k] for k in ("number", "seq", "head_hash", "at", "key_id", "signature")} | {
        "public_key": signer.public_pem(), "org": actor.org_slug}


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
