"""Compliance status with honest coverage, per system and for the organisation.

An obligation is

* **met** when every control serving it is operating with fresh supporting evidence, no
  unresolved negative evidence, and nothing expiring within the warning window;
* **at risk** when its controls were implemented but one is not currently effective
  (needs review, stale or expiring evidence, a monitoring alert);
* **unmet** when a control serving it was never made operating;
* **unknown** when the classifier could not decide (``may_apply``) or no control in the
  library covers it — Haechi does not guess.

A control that merely exists, or a template that was filled in, never counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.store.compliance_tables import Control, Incident, KrConfirmation, SystemObligation
from haechi.store.tables import System

from .common import ref, system_row
from .nextactions import next_actions
from .obligations import live_obligations, obligation_dict

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .confirmations import ConfirmationService
    from .controls import ControlService
    from .incidents import IncidentService
    from .risks import RiskService
    from .workspace import OrgClock

STATES = ("met", "at_risk", "unmet", "unknown")


#: Why an obligation has its state, by key: the English text here, every language's in the web
#: catalogue (``compliance.why_state.<key>``); ``{refs}`` lists the controls concerned.
WHY = {
    "may_apply": "may apply: the classifier needs an answer on the system card",
    "no_control": "no control in the library covers this obligation",
    "proven": "every control is operating with fresh evidence",
    "not_operating": "not yet operating: {refs}",
    "not_proven": "implemented but not currently proven: {refs}",
}


def obligation_reason(ob: dict[str, Any], controls: list[dict[str, Any]]) -> tuple[str, str, list[str]]:
    """(state, why key, control refs concerned) of one obligation given the controls that serve it."""
    if ob["status"] == "may_apply":
        return "unknown", "may_apply", []
    if not controls:
        return "unknown", "no_control", []
    if all(c["effective"] and not c["health"]["expiring"] for c in controls):
        return "met", "proven", []
    never = [c["ref"] for c in controls if c["status"] in ("not_started", "in_progress")]
    if never:
        return "unmet", "not_operating", never
    weak = [c["ref"] for c in controls if not c["effective"] or c["health"]["expiring"]]
    return "at_risk", "not_proven", weak


def obligation_state(ob: dict[str, Any], controls: list[dict[str, Any]]) -> tuple[str, str]:
    """(state, why) of one obligation given the controls that serve it."""
    state, key, refs = obligation_reason(ob, controls)
    return state, WHY[key].format(refs=", ".join(refs))


class StatusService:
    """Computes status from the obligation snapshot, controls, evidence and clocks."""

    def __init__(self, db: Database, clock: OrgClock, controls: ControlService, incidents: IncidentService,
                 confirmations: ConfirmationService, risks: RiskService) -> None:
        self.db, self.clock, self.controls = db, clock, controls
        self.incidents, self.confirmations, self.risks = incidents, confirmations, risks

    def system(self, actor: Actor, slug: str) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = system_row(s, actor, slug)
            out = self._system(s, actor, row)
            out["clocks"] = [c for c in self._clocks(s, actor) if c.get("system") == slug]
        out["next_actions"] = next_actions([out], out["clocks"], self._risks(actor, slug))
        return out

    def organisation(self, actor: Actor) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            systems = [self._system(s, actor, r) for r in s.execute(select(System).where(
                System.org_id == actor.org_id, System.deleted_at.is_(None)).order_by(System.slug)).scalars()]
            clocks = self._clocks(s, actor)
        risks = self._risks(actor, None)
        totals = {state: sum(x["counts"][state] for x in systems) for state in STATES}
        in_force = sum(totals.values())
        controls = sum(x["controls"]["total"] for x in systems)
        effective = sum(x["controls"]["effective"] for x in systems)
        return {
            "org": actor.org_slug, "as_of": self.clock.now().isoformat(), "today": self.clock.today().isoformat(),
            "totals": totals, "obligations": in_force,
            "coverage": round(totals["met"] / in_force, 4) if in_force else None,
            "controls": {"total": controls, "effective": effective,
                         "coverage": round(effective / controls, 4) if controls else None},
            "systems": [_row(x) for x in systems], "clocks": clocks,
            "risks": _risk_summary(risks),
            "next_actions": next_actions(systems, clocks, risks)[:20],
        }

    def home(self, actor: Actor) -> dict[str, Any]:
        """The compact form for the dashboard home page."""
        full = self.organisation(actor)
        running = [c for c in full["clocks"] if c["state"] in ("running", "due_soon", "overdue")]
        return {k: full[k] for k in ("org", "today", "totals", "obligations", "coverage", "controls", "systems",
                                     "risks")} | {"clocks": running[:10], "next_actions": full["next_actions"][:5]}

    # --- pieces ------------------------------------------------------------------------
    def _system(self, s: Session, actor: Actor, system: System) -> dict[str, Any]:
        controls = self.controls.describe(s, actor.org_id, list(s.execute(select(Control).where(
            Control.system_id == system.id, Control.retired_at.is_(None)).order_by(Control.number)).scalars()))
        by_obligation: dict[str, list[dict[str, Any]]] = {}
        for c in controls:
            for ob_id in c["obligations"]:
                by_obligation.setdefault(ob_id, []).append(c)
        obligations: list[dict[str, Any]] = []
        upcoming: list[dict[str, Any]] = []
        for ob in map(obligation_dict, live_obligations(s, system.id)):
            serving = by_obligation.get(ob["id"], [])
            state, why_key, why_refs = obligation_reason(ob, serving)
            item = ob | {"state": state, "why": WHY[why_key].format(refs=", ".join(why_refs)), "why_key": why_key,
                         "why_refs": why_refs, "controls": [c["ref"] for c in serving]}
            (upcoming if ob["status"] == "not_in_force" else obligations).append(item)
        counts = {state: len([o for o in obligations if o["state"] == state]) for state in STATES}
        effective = sum(1 for c in controls if c["effective"])
        synced = s.execute(select(SystemObligation.synced_at).where(SystemObligation.system_id == system.id)
                           .order_by(SystemObligation.synced_at.desc()).limit(1)).scalar_one_or_none()
        return {"system": system.slug, "name": system.name, "counts": counts,
                "coverage": round(counts["met"] / len(obligations), 4) if obligations else None,
                "obligations": obligations, "upcoming": upcoming, "controls_detail": controls,
                "controls": {"total": len(controls), "effective": effective,
                             "overdue": [c["ref"] for c in controls if c["overdue"]],
                             "needs_review": [c["ref"] for c in controls if c["status"] == "needs_review"],
                             "by_status": _by_status(controls)},
                "classified_at": synced.isoformat() if synced else None}

    def _clocks(self, s: Session, actor: Actor) -> list[dict[str, Any]]:
        now = self.clock.now()
        out = []
        incidents = s.execute(select(Incident).where(Incident.org_id == actor.org_id, Incident.status != "closed"))
        for inc in incidents.scalars():
            system = s.get(System, inc.system_id) if inc.system_id else None
            for clock in self.incidents.clocks_of(s, inc):
                out.append(clock.to_dict(now) | {"incident": ref("incident", inc.number),
                                                 "system": system.slug if system else None})
        for item in s.execute(select(KrConfirmation).where(KrConfirmation.org_id == actor.org_id)).scalars():
            system = s.get(System, item.system_id)
            slug = system.slug if system else "?"
            for clock in self.confirmations.clocks(item, slug):
                out.append(clock.to_dict(now) | {"confirmation": item.id, "system": slug})
        return sorted(out, key=lambda c: (c["stopped_at"] is not None, c["due_at"]))

    def _risks(self, actor: Actor, system: str | None) -> list[dict[str, Any]]:
        return self.risks.list(actor, system)



def _by_status(controls: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in controls:
        out[c["status"]] = out.get(c["status"], 0) + 1
    return out


def _row(x: dict[str, Any]) -> dict[str, Any]:
    return {k: x[k] for k in ("system", "name", "counts", "coverage", "controls", "classified_at")}


def _risk_summary(risks: list[dict[str, Any]]) -> dict[str, Any]:
    levels: dict[str, int] = {}
    for r in risks:
        rating = r["residual"] or r["inherent"]
        if rating:
            levels[rating["level"]] = levels.get(rating["level"], 0) + 1
    return {"open": len(risks), "by_level": levels,
            "unaccepted_high": [r["ref"] for r in risks if r["status"] != "accepted"
                                and (r["residual"] or r["inherent"] or {}).get("level") in ("high", "critical")]}
