"""Reading evidence back: an item as the API shows it, and a control's current evidence.

Plain functions over a session, so the control service can show a control's evidence
without depending on the evidence service (which depends on it for demotions).
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.store.compliance_tables import Control, EvidenceItem, EvidenceLink

from .catalog import ControlLibrary
from .common import ref, system_slugs
from .evidence_meta import evidence_dict
from .freshness import EvidenceFacts, expires_on, freshness


def linked_numbers(s: Session, evidence_id: int) -> builtins.list[int]:
    """Numbers of the controls an item is attached to."""
    return list(s.execute(select(Control.number).join(EvidenceLink, EvidenceLink.control_id == Control.id)
                          .where(EvidenceLink.evidence_id == evidence_id).order_by(Control.number)).scalars())


def describe(s: Session, row: EvidenceItem, with_record: bool = False) -> dict[str, Any]:
    """One item as a dict, with its system and the controls it is attached to."""
    system = system_slugs(s, row.org_id).get(row.system_id) if row.system_id else None
    controls = [ref("control", n) for n in linked_numbers(s, row.id)]
    return evidence_dict(row, system, controls, row.lineage, with_record)


def of_control(s: Session, control: Control, library: ControlLibrary, today: dt.date,
               warning_days: int) -> builtins.list[dict[str, Any]]:
    """Current evidence of a control with its freshness under that control's rules."""
    definition = library.get(control.key)
    rules = {r.type: r for r in (definition.rules() if definition else [])}
    rows = s.execute(select(EvidenceItem).join(EvidenceLink, EvidenceLink.evidence_id == EvidenceItem.id).where(
        EvidenceLink.control_id == control.id, EvidenceItem.superseded_at.is_(None),
        EvidenceItem.deleted_at.is_(None)).order_by(EvidenceItem.number)).scalars()
    out = []
    for ev in rows:
        rule = rules.get(ev.evidence_type)
        max_age = rule.max_age_days if rule else None
        facts = EvidenceFacts(ref("evidence", ev.number), ev.evidence_type, ev.polarity, ev.effective_from,
                              ev.effective_until, ev.valid_until, ev.resolved_at is not None)
        state = freshness(facts, today, max_age, warning_days)
        end = expires_on(facts, max_age)
        out.append(describe(s, ev) | {"freshness": state, "counts_until": end.isoformat() if end else None})
    return out
