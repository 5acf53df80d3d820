"""Evidence freshness and control health, as pure functions of the evidence and a date.

Evidence is judged by the period it speaks for, not the day it was uploaded:
``effective_from``/``effective_until`` bound what it proves, ``valid_until`` is when it
expires, and a control's evidence types may set a maximum age (counted from
``effective_from``). A control is *effective* — counts as meeting its obligations — only
when it is operating, every required evidence type has fresh supporting evidence, and
no negative evidence (e.g. a monitoring alert) is unresolved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from .states import Readiness

Freshness = Literal["fresh", "expiring", "stale", "expired", "not_yet_effective"]

#: Evidence expiring within this many days makes its control "at risk".
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class EvidenceFacts:
    """What freshness needs to know about one current evidence revision."""

    ref: str
    evidence_type: str
    polarity: str
    effective_from: dt.date
    effective_until: dt.date | None = None
    valid_until: dt.date | None = None
    resolved: bool = False


@dataclass(frozen=True)
class TypeRule:
    """One evidence type a control asks for."""

    type: str
    required: bool = True
    max_age_days: int | None = None


def freshness(ev: EvidenceFacts, today: dt.date, max_age_days: int | None = None,
              warn_days: int = EXPIRY_WARNING_DAYS) -> Freshness:
    """Classify one piece of evidence on ``today``."""
    if ev.valid_until is not None and today > ev.valid_until:
        return "expired"
    if ev.effective_until is not None and today > ev.effective_until:
        return "expired"
    if ev.effective_from > today:
        return "not_yet_effective"
    if max_age_days is not None and (today - ev.effective_from).days > max_age_days:
        return "stale"
    ends = [d for d in (ev.valid_until, ev.effective_until) if d is not None]
    if max_age_days is not None:
        ends.append(ev.effective_from + dt.timedelta(days=max_age_days))
    if ends and (min(ends) - today).days <= warn_days:
        return "expiring"
    return "fresh"


def expires_on(ev: EvidenceFacts, max_age_days: int | None) -> dt.date | None:
    """The last day this evidence still counts (the earliest of its limits)."""
    ends = [d for d in (ev.valid_until, ev.effective_until) if d is not None]
    if max_age_days is not None:
        ends.append(ev.effective_from + dt.timedelta(days=max_age_days))
    return min(ends) if ends else None


@dataclass
class ControlHealth:
    """The proof behind one control on one day."""

    readiness: Readiness
    effective: bool
    expiring: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    next_expiry: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"effective": self.effective, "ready": self.readiness.ready,
                "missing_types": list(self.readiness.missing_types),
                "open_negative": list(self.readiness.open_negative),
                "expiring": self.expiring, "stale": self.stale,
                "next_expiry": self.next_expiry.isoformat() if self.next_expiry else None}


def _rule_for(ev_type: str, rules: list[TypeRule]) -> TypeRule | None:
    return next((r for r in rules if r.type == ev_type), None)


def control_health(status: str, rules: list[TypeRule], evidence: list[EvidenceFacts],
                   today: dt.date, warn_days: int = EXPIRY_WARNING_DAYS) -> ControlHealth:
    """Judge a control's evidence on ``today``: what is fresh, expiring, stale or missing."""
    fresh_types: set[str] = set()
    expiring, stale = [], []
    for ev in evidence:
        if ev.polarity != "supports":
            continue
        rule = _rule_for(ev.evidence_type, rules)
        state = freshness(ev, today, rule.max_age_days if rule else None, warn_days)
        if state in ("fresh", "expiring"):
            fresh_types.add(ev.evidence_type)
            if state == "expiring":
                expiring.append(ev.ref)
        elif state in ("stale", "expired"):
            stale.append(ev.ref)
    readiness = _readiness(rules, fresh_types, evidence)
    effective = status == "operating" and readiness.ready
    return ControlHealth(readiness, effective, expiring, stale, _lapse_day(rules, evidence, today))


def _readiness(rules: list[TypeRule], fresh_types: set[str], evidence: list[EvidenceFacts]) -> Readiness:
    required = [r.type for r in rules if r.required]
    if required:
        missing = tuple(t for t in required if t not in fresh_types)
    else:
        # No type is marked required: any fresh supporting evidence of a listed type will do.
        listed = {r.type for r in rules}
        ok = bool(fresh_types & listed) if listed else bool(fresh_types)
        missing = () if ok else tuple(sorted(listed)) or ("any",)
    negative = tuple(ev.ref for ev in evidence if ev.polarity == "contradicts" and not ev.resolved)
    return Readiness(not missing and not negative, missing, negative)


def _lapse_day(rules: list[TypeRule], evidence: list[EvidenceFacts], today: dt.date) -> dt.date | None:
    """The last day the control stays provable if nothing new arrives (``None``: no end).

    Within an evidence type the latest-ending fresh item counts. With required types the
    control lapses when the first of them lapses; otherwise when the last item lapses.
    """
    per_type: dict[str, dt.date | None] = {}
    for ev in evidence:
        rule = _rule_for(ev.evidence_type, rules)
        if ev.polarity != "supports" or (rules and rule is None):
            continue
        max_age = rule.max_age_days if rule else None
        if freshness(ev, today, max_age) not in ("fresh", "expiring"):
            continue
        end = expires_on(ev, max_age)
        known = per_type.get(ev.evidence_type, dt.date.min)
        per_type[ev.evidence_type] = None if end is None or known is None else max(known, end)
    required = {r.type for r in rules if r.required}
    if required:
        if not required <= per_type.keys():
            return None  # not provable today anyway
        ends = [per_type[t] for t in required]
        return min((d for d in ends if d is not None), default=None)
    if not per_type or any(d is None for d in per_type.values()):
        return None
    return max(d for d in per_type.values() if d is not None)
