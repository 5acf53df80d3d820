"""Review of evidence: submitted evidence is accepted or rejected, with a note, by a reviewer.

Who reviews (the organisation's *review policy*, ``haechi evidence policy``):

* ``high_impact`` (the default): evidence for a **high-impact** system — its latest Korean
  verdict has ``high_impact: yes`` or its latest EU verdict ``risk_tier: high`` — waits as
  *pending* until someone **other than the submitter** accepts it (four eyes). Evidence for
  other systems (and organisation-wide evidence) is accepted on submission, recorded as
  decided by the submitter (mode ``submitter``).
* ``all``: every piece of human-submitted evidence needs a second reviewer.

There is no setting that removes four eyes where the law makes a system high-impact.
The same rule governs marking a control ``operating``: under four eyes the move is a
request (``controls.transition``) that a second person approves or refuses
(``controls.decide``), with a note, after the proof is checked again.

Machine evidence (``kind: auto`` — monitor runs, coverage, verdicts, delivery checks) is
accepted automatically and marked so (mode ``automatic``, reviewer ``haechi``): it is
produced and hashed by the product itself, so a person reviewing it adds no assurance;
the monitoring alerts it stands for have their own acknowledge/resolve workflow.

Only accepted evidence counts towards a control. Contradicting evidence counts while it is
pending (a reported problem blocks a control until it is rejected or resolved); a rejected
item never counts. Every decision is a ledger entry (``evidence.review``) and an event in
the history of each control the item is attached to.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, PermissionDenied, ValidationFailed
from haechi.ledger import LedgerAction, append
from haechi.store.compliance_tables import ComplianceSettings, Control, ControlEvent, EvidenceItem, EvidenceLink
from haechi.store.rules_tables import RulesVerdict

from . import evidence_reads
from .common import ref, system_row

if TYPE_CHECKING:
    from haechi.store.db import Database

    from .evidence import EvidenceService
    from .workspace import OrgClock

POLICIES = ("high_impact", "all")
DEFAULT_POLICY = "high_impact"
MACHINE_REVIEWER = "haechi"
MAX_NOTE = 4000


def counted() -> ColumnElement[bool]:
    """The condition for evidence that counts towards a control: accepted, or contradicting
    and not rejected (a reported problem blocks until a reviewer rejects it)."""
    return or_(EvidenceItem.review_status == "accepted",
               and_(EvidenceItem.polarity == "contradicts", EvidenceItem.review_status == "pending"))


def policy_of(s: Session, org_id: int) -> str:
    row = s.get(ComplianceSettings, org_id)
    return (row.review_policy if row is not None and row.review_policy else None) or DEFAULT_POLICY


def high_impact(s: Session, system_id: int) -> bool:
    """True when the system's latest stored Korean or EU verdict makes it high-impact."""
    latest: dict[str, RulesVerdict] = {}
    for row in s.execute(select(RulesVerdict).where(RulesVerdict.system_id == system_id)
                         .order_by(RulesVerdict.id)).scalars():
        latest[row.pack] = row
    for row in latest.values():
        classes = (row.result or {}).get("classes") or {}
        if classes.get("high_impact") == "yes" or classes.get("risk_tier") == "high":
            return True
    return False


def four_eyes(s: Session, org_id: int, system_id: int | None) -> bool:
    """Whether evidence of this system needs a reviewer other than its submitter."""
    if policy_of(s, org_id) == "all":
        return True
    return system_id is not None and high_impact(s, system_id)


def stamp_machine(row: EvidenceItem, now: Any) -> None:
    """Machine evidence is accepted automatically, and marked so."""
    row.review_status, row.review_mode, row.reviewed_by, row.reviewed_at = (
        "accepted", "automatic", MACHINE_REVIEWER, now)
    row.review_note = "machine evidence produced by Haechi; accepted automatically"


def stamp_new(s: Session, row: EvidenceItem, actor_label: str, now: Any) -> None:
    """Set the review state of a freshly built item (see the module text)."""
    if row.kind == "auto":
        stamp_machine(row, now)
    elif four_eyes(s, row.org_id, row.system_id):
        row.review_status, row.review_mode = "pending", "four_eyes"
    else:
        row.review_status, row.review_mode, row.reviewed_by, row.reviewed_at = (
            "accepted", "submitter", actor_label, now)
        row.review_note = "no second reviewer required for this system under the organisation's review policy"


def review_note(note: str | None) -> str:
    text = (note or "").strip()
    if not text:
        raise ValidationFailed("a review decision needs a note: say what you checked (--note)",
                               key="compliance.review_decision_needs_note",
                               details={"field": "note"})
    if len(text) > MAX_NOTE:
        raise ValidationFailed(f"the note is longer than {MAX_NOTE} characters; shorten it",
                               key="compliance.note_longer_than_characters", values={"max_note": MAX_NOTE})
    return text


class EvidenceReview:
    """Pending evidence, review decisions and the organisation's review policy."""

    def __init__(self, db: Database, clock: OrgClock, evidence: EvidenceService) -> None:
        """:param evidence: finds (and locks) the item decided on."""
        self.db, self.clock, self.evidence = db, clock, evidence

    def policy(self, actor: Actor) -> dict[str, Any]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return {"policy": policy_of(s, actor.org_id), "choices": list(POLICIES)}

    def set_policy(self, actor: Actor, policy: str) -> dict[str, Any]:
        """Set who needs a second reviewer (administrators)."""
        actor.require(Permission.ADMIN)
        if policy not in POLICIES:
            raise ValidationFailed(f"unknown review policy '{policy}'; choose one of {', '.join(POLICIES)}",
                                   key="compliance.unknown_review_policy_choose",
                                   values={"policy": policy, "policies": ", ".join(POLICIES)})
        with self.db.transaction() as s:
            row = s.get(ComplianceSettings, actor.org_id) or ComplianceSettings(org_id=actor.org_id)
            row.review_policy, row.updated_at, row.updated_by = policy, self.clock.now(), actor.label
            s.add(row)
            append(s, actor.org_id, actor.label, LedgerAction.COMPLIANCE_REVIEW_POLICY, "organisation",
                   actor.org_slug, {"policy": policy})
        return {"policy": policy, "choices": list(POLICIES)}

    def pending(self, actor: Actor, system: str | None = None) -> builtins.list[dict[str, Any]]:
        """Current evidence waiting for review, oldest first, each saying whether ``actor`` may decide."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = select(EvidenceItem).where(
                EvidenceItem.org_id == actor.org_id, EvidenceItem.review_status == "pending",
                EvidenceItem.superseded_at.is_(None), EvidenceItem.deleted_at.is_(None)).order_by(EvidenceItem.number)
            if system:
                stmt = stmt.where(EvidenceItem.system_id == system_row(s, actor, system).id)
            return [evidence_reads.describe(s, r) | {"can_review": r.added_by != actor.label}
                    for r in s.execute(stmt).scalars()]

    def decide(self, actor: Actor, evidence: str | int, accept: bool, note: str | None) -> dict[str, Any]:
        """Accept or reject pending evidence; the submitter may not decide on their own item."""
        actor.require(Permission.WRITE)
        text = review_note(note)
        with self.db.transaction() as s:
            row = self.evidence.row(s, actor, evidence, lock=True)
            label = ref("evidence", row.number)
            if row.review_status != "pending":
                raise Conflict(f"{label} is not waiting for review: it was {row.review_status} by "
                               f"{row.reviewed_by or 'nobody'}", key="compliance.not_waiting_review_was",
                               values={"label": label})
            if row.superseded_at is not None or row.deleted_at is not None:
                raise Conflict(f"{label} is not the current revision; review the newest one",
                               key="compliance.not_current_revision_review", values={"label": label})
            if row.added_by == actor.label:
                raise PermissionDenied(
                    f"{label} was submitted by you ({actor.label}); four-eyes review needs another reviewer "
                    "to accept or reject it",
                    key="compliance.was_submitted_by_you", values={"label": label})
            row.review_status = "accepted" if accept else "rejected"
            row.reviewed_by, row.reviewed_at, row.review_note = actor.label, self.clock.now(), text
            linked = self._log_on_controls(s, actor, row, text)
            append(s, actor.org_id, actor.label, LedgerAction.EVIDENCE_REVIEW, "evidence", label,
                   {"decision": row.review_status, "note": text, "submitted_by": row.added_by,
                    "controls": [ref("control", c.number) for c in linked]})
            # Pending evidence never made a control operating (only contradicting evidence
            # counts while pending, and rejecting it only lifts a block), so no demotion here.
            return evidence_reads.describe(s, row)

    def _log_on_controls(self, s: Session, actor: Actor, row: EvidenceItem, note: str) -> builtins.list[Control]:
        controls = list(s.execute(select(Control).join(EvidenceLink, EvidenceLink.control_id == Control.id).where(
            EvidenceLink.evidence_id == row.id).order_by(Control.number)).scalars())
        label = ref("evidence", row.number)
        for c in controls:
            s.add(ControlEvent(org_id=c.org_id, control_id=c.id, at=self.clock.now(), actor=actor.label,
                               kind="evidence_review", from_status=None, to_status=None,
                               detail=f"{label} {row.review_status}: {note}"))
        return controls
