"""The risk register: hazards, harms and affected people rated on the organisation's matrix.

A risk carries an inherent rating, treatments (mitigate / avoid / transfer / accept) and
a residual rating. Accepting a residual risk records the approver; at or above the
matrix's ``approval_level`` only an administrator may accept. Risks link to the
controls that treat them and the incidents in which they materialised.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, PermissionDenied, ValidationFailed
from haechi.ledger import LedgerAction, append, lock_head
from haechi.store.compliance_tables import ComplianceSettings, Control, Incident, Risk, RiskLink

from .common import as_date, iso, next_number, not_found, parse_ref, ref, require_text, system_row, system_slugs
from .riskmatrix import RiskMatrix, default_matrix, parse_matrix

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .controls import ControlService
    from .incidents import IncidentService
    from .workspace import OrgClock

TREATMENT_TYPES = ("mitigate", "avoid", "transfer", "accept")


class RiskService:
    """Risks of the actor's organisation."""

    def __init__(self, db: Database, clock: OrgClock, controls: ControlService,
                 incidents: IncidentService) -> None:
        """:param controls: and ``incidents``: where the controls and incidents a risk links to are found."""
        self.db, self.clock, self.controls, self.incidents = db, clock, controls, incidents

    # --- the matrix ---------------------------------------------------------------
    def matrix(self, actor: Actor) -> RiskMatrix:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return self._matrix(s, actor.org_id)

    def _matrix(self, s: Session, org_id: int) -> RiskMatrix:
        row = s.get(ComplianceSettings, org_id)
        return parse_matrix(row.risk_matrix) if row is not None and row.risk_matrix else default_matrix()

    def set_matrix(self, actor: Actor, data: Any, doc: Any = None) -> RiskMatrix:
        """Replace the organisation's matrix; refused if existing ratings fall off its scales."""
        actor.require(Permission.ADMIN)
        matrix = parse_matrix(data, doc)
        with self.db.transaction() as s:
            outside = [ref("risk", r.number) for r in s.execute(select(Risk).where(Risk.org_id == actor.org_id))
                       .scalars() if not _fits(matrix, r)]
            if outside:
                raise Conflict(f"risks {', '.join(outside)} are rated outside the new scales; re-rate them first",
                               key="compliance.risks_are_rated_outside", values={"outside": ", ".join(outside)})
            row = s.get(ComplianceSettings, actor.org_id) or ComplianceSettings(org_id=actor.org_id)
            row.risk_matrix, row.updated_at, row.updated_by = matrix.model_dump(), self.clock.now(), actor.label
            s.add(row)
            append(s, actor.org_id, actor.label, LedgerAction.RISK_MATRIX, "organisation", actor.org_slug,
                   matrix.model_dump())
        return matrix

    # --- writes ------------------------------------------------------------------------
    def add(self, actor: Actor, *, title: str, likelihood: int, severity: int, system: str | None = None,
            hazard: str | None = None, harm: str | None = None, affected: builtins.list[str] | None = None,
            owner: str | None = None, treatments: builtins.list[dict[str, Any]] | None = None,
            review_date: Any = None, controls: builtins.list[str] | None = None) -> dict[str, Any]:
        """Register a risk with its inherent rating."""
        actor.require(Permission.WRITE)
        title = require_text(title, "title", "제목")
        with self.db.transaction() as s:
            matrix = self._matrix(s, actor.org_id)
            matrix.check(likelihood, severity)
            risk = Risk(org_id=actor.org_id, number=next_number(s, actor.org_id, "risk"),
                        system_id=system_row(s, actor, system).id if system else None, title=title,
                        hazard=hazard, harm=harm, affected=list(affected or []), likelihood=likelihood,
                        severity=severity, treatments=[_treatment(t, i) for i, t in enumerate(treatments or [])],
                        owner=owner, status="open", review_date=as_date(review_date, "review_date"),
                        created_by=actor.label, created_at=self.clock.now(), updated_at=self.clock.now())
            s.add(risk)
            s.flush()
            for control in controls or []:
                self._link(s, actor, risk, "control", control)
            append(s, actor.org_id, actor.label, LedgerAction.RISK_ADD, "risk", ref("risk", risk.number),
                   {"title": title, "likelihood": likelihood, "severity": severity, "system": system})
            return self._dict(s, risk, matrix)

    def update(self, actor: Actor, risk: str | int, **changes: Any) -> dict[str, Any]:
        """Change ratings, treatments, owner, review date or text fields of a risk."""
        actor.require(Permission.WRITE)
        allowed = {"title", "hazard", "harm", "affected", "likelihood", "severity", "residual_likelihood",
                   "residual_severity", "owner", "treatments", "review_date"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValidationFailed(f"cannot change {', '.join(unknown)}; changeable: {', '.join(sorted(allowed))}",
                                   key="compliance.cannot_change_changeable",
                                   values={"unknown": ", ".join(unknown), "changeable": ", ".join(sorted(allowed))})
        with self.db.transaction() as s:
            row = self.row(s, actor, risk, lock=True)
            matrix = self._matrix(s, actor.org_id)
            self._apply(row, matrix, changes)
            if row.status == "accepted" and ({"residual_likelihood", "residual_severity"} & set(changes)):
                row.status, row.accepted_by, row.accepted_at = "treating", None, None  # re-rated: accept again
            row.updated_at = self.clock.now()
            append(s, actor.org_id, actor.label, LedgerAction.RISK_UPDATE, "risk", ref("risk", row.number),
                   {k: (iso(v) if isinstance(v, dt.date) else v) for k, v in changes.items()})
            return self._dict(s, row, matrix)

    def _apply(self, row: Risk, matrix: RiskMatrix, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            if key == "treatments":
                row.treatments = [_treatment(t, i) for i, t in enumerate(value or [])]
                if row.treatments and row.status == "open":
                    row.status = "treating"
            elif key == "review_date":
                row.review_date = as_date(value, "review_date")
            else:
                setattr(row, key, value)
        matrix.check(row.likelihood, row.severity)
        if (row.residual_likelihood is None) != (row.residual_severity is None):
            raise ValidationFailed("give both residual_likelihood and residual_severity",
                                   key="compliance.give_both_residual_likelihood")
        if row.residual_likelihood is not None and row.residual_severity is not None:
            matrix.check(row.residual_likelihood, row.residual_severity, "residual ")

    def accept(self, actor: Actor, risk: str | int, note: str) -> dict[str, Any]:
        """Accept the residual risk; at or above the approval level only an administrator may."""
        actor.require(Permission.WRITE)
        note = require_text(note, "note (why the residual risk is acceptable)", "수용 사유")
        with self.db.transaction() as s:
            row = self.row(s, actor, risk, lock=True)
            matrix = self._matrix(s, actor.org_id)
            if row.residual_likelihood is None or row.residual_severity is None:
                raise Conflict(f"{ref('risk', row.number)} has no residual rating; rate it after treatment first",
                               key="compliance.has_no_residual_rating", values={"label": ref("risk", row.number)})
            if matrix.needs_approval(row.residual_likelihood, row.residual_severity) and actor.role != "admin":
                level = matrix.band(row.residual_likelihood, row.residual_severity)
                raise PermissionDenied(f"a residual risk rated '{level.id}' can only be accepted by an administrator",
                                       key="compliance.residual_risk_rated_can", values={"label_ko": level.label_ko})
            row.status, row.accepted_by, row.accepted_at = "accepted", actor.label, self.clock.now()
            row.acceptance_note = note
            append(s, actor.org_id, actor.label, LedgerAction.RISK_ACCEPT, "risk", ref("risk", row.number),
                   {"note": note, "residual": [row.residual_likelihood, row.residual_severity]})
            return self._dict(s, row, matrix)

    def close(self, actor: Actor, risk: str | int, note: str) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        note = require_text(note, "note", "사유")
        with self.db.transaction() as s:
            row = self.row(s, actor, risk, lock=True)
            row.status, row.closed_at, row.updated_at = "closed", self.clock.now(), self.clock.now()
            append(s, actor.org_id, actor.label, LedgerAction.RISK_CLOSE, "risk", ref("risk", row.number),
                   {"note": note})
            return self._dict(s, row, self._matrix(s, actor.org_id))

    def link(self, actor: Actor, risk: str | int, *, control: str | None = None,
             incident: str | None = None) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        with self.db.transaction() as s:
            row = self.row(s, actor, risk)
            if control:
                self._link(s, actor, row, "control", control)
            if incident:
                self._link(s, actor, row, "incident", incident)
            return self._dict(s, row, self._matrix(s, actor.org_id))

    def link_in(self, s: Session, actor: Actor, risk: Risk, target_type: str, target: str) -> None:
        self._link(s, actor, risk, target_type, target)

    def _link(self, s: Session, actor: Actor, risk: Risk, target_type: str, target: str) -> None:
        if target_type == "control":
            target_id = self.controls.row(s, actor, target).id
        else:
            target_id = self.incidents.row(s, actor, target).id
        exists = s.execute(select(RiskLink).where(RiskLink.risk_id == risk.id, RiskLink.target_type == target_type,
                                                  RiskLink.target_id == target_id)).scalar_one_or_none()
        if exists is None:
            s.add(RiskLink(org_id=actor.org_id, risk_id=risk.id, target_type=target_type, target_id=target_id))
            append(s, actor.org_id, actor.label, LedgerAction.RISK_LINK, "risk", ref("risk", risk.number),
                   {target_type: target})
        s.flush()

    # --- reads -----------------------------------------------------------------------------
    def row(self, s: Session, actor: Actor, risk: str | int, lock: bool = False) -> Risk:
        number = parse_ref("risk", risk)
        stmt = select(Risk).where(Risk.org_id == actor.org_id, Risk.number == number)
        if lock:
            lock_head(s, actor.org_id)  # before the row: one lock order for every writer
        found = s.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if found is None:
            raise not_found("risk", risk)
        return found

    def list(self, actor: Actor, system: str | None = None,
             include_closed: bool = False) -> builtins.list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(Risk).where(Risk.org_id == actor.org_id).order_by(Risk.number)
            if system:
                stmt = stmt.where(Risk.system_id == system_row(s, actor, system).id)
            if not include_closed:
                stmt = stmt.where(Risk.status != "closed")
            matrix = self._matrix(s, actor.org_id)
            return [self._dict(s, r, matrix) for r in s.execute(stmt).scalars()]

    def get(self, actor: Actor, risk: str | int) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return self._dict(s, self.row(s, actor, risk), self._matrix(s, actor.org_id))

    def heatmap(self, actor: Actor, system: str | None = None, residual: bool = False) -> dict[str, Any]:
        """Counts of open risks per likelihood × severity cell (inherent or residual)."""
        risks = self.list(actor, system)
        matrix = self.matrix(actor)
        points = []
        for r in risks:
            rating = r["residual"] if residual else r["inherent"]
            if rating is not None:
                points.append((rating["likelihood"], rating["severity"], r["ref"]))
        return matrix.heatmap(points) | {"residual": residual, "system": system, "unrated": len(risks) - len(points)}

    def _dict(self, s: Session, r: Risk, matrix: RiskMatrix) -> dict[str, Any]:
        links = list(s.execute(select(RiskLink).where(RiskLink.risk_id == r.id)).scalars())
        control_ids = [lk.target_id for lk in links if lk.target_type == "control"]
        incident_ids = [lk.target_id for lk in links if lk.target_type == "incident"]
        controls = list(s.execute(select(Control.number).where(Control.id.in_(control_ids))).scalars())
        incidents = list(s.execute(select(Incident.number).where(Incident.id.in_(incident_ids))).scalars())
        residual = (matrix.rating(r.residual_likelihood, r.residual_severity)
                    if r.residual_likelihood is not None and r.residual_severity is not None
                    and _fits(matrix, r) else None)
        return {
            "ref": ref("risk", r.number), "system": system_slugs(s, r.org_id).get(r.system_id) if r.system_id else None,
            "title": r.title, "hazard": r.hazard, "harm": r.harm, "affected": r.affected, "owner": r.owner,
            "status": r.status, "inherent": matrix.rating(r.likelihood, r.severity) if _fits(matrix, r) else None,
            "residual": residual, "treatments": r.treatments, "review_date": iso(r.review_date),
            "review_overdue": r.review_date is not None and r.review_date < self.clock.today() and r.status != "closed",
            "accepted_by": r.accepted_by, "accepted_at": iso(r.accepted_at), "acceptance_note": r.acceptance_note,
            "controls": [ref("control", n) for n in controls], "incidents": [ref("incident", n) for n in incidents],
            "created_by": r.created_by, "created_at": iso(r.created_at), "closed_at": iso(r.closed_at)}


def _fits(matrix: RiskMatrix, r: Risk) -> bool:
    ok = 1 <= r.likelihood <= len(matrix.likelihood) and 1 <= r.severity <= len(matrix.severity)
    if r.residual_likelihood is not None and r.residual_severity is not None:
        ok = ok and 1 <= r.residual_likelihood <= len(matrix.likelihood) and \
            1 <= r.residual_severity <= len(matrix.severity)
    return ok


def _treatment(data: Any, index: int) -> dict[str, Any]:
    """One treatment: {action, type, owner, due, status}; errors name the list position."""
    where = f"treatments[{index}]"
    if isinstance(data, str):
        data = {"action": data}
    if not isinstance(data, dict) or not str(data.get("action") or "").strip():
        raise ValidationFailed(f"{where}: each treatment needs an 'action'",
                               key="compliance.each_treatment_needs_action", values={"where": where})
    kind = data.get("type") or "mitigate"
    if kind not in TREATMENT_TYPES:
        raise ValidationFailed(f"{where}.type: '{kind}' is not one of {', '.join(TREATMENT_TYPES)}",
                               key="compliance.type_not_one",
                               values={"kind": kind, "types": ", ".join(TREATMENT_TYPES), "where": where})
    status = data.get("status") or "planned"
    if status not in ("planned", "in_progress", "done"):
        raise ValidationFailed(f"{where}.status: use planned, in_progress or done",
                               key="compliance.status_use_planned_progress", values={"where": where})
    due = as_date(data.get("due"), f"{where}.due")
    return {"action": str(data["action"]).strip(), "type": kind, "owner": data.get("owner"),
            "due": iso(due), "status": status}
