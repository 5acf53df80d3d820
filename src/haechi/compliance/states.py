"""The control state machine: ``not_started → in_progress → operating → needs_review``.

A control is *operating* only with proof: moving to ``operating`` needs fresh supporting
evidence for every required evidence type and no unresolved negative evidence. Stale or
expired evidence, or a monitoring alert, demotes an operating control to
``needs_review``; the owner brings it back to ``operating`` with new evidence, or back to
``in_progress`` when the control itself has to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from haechi.domain.errors import Conflict

#: Allowed moves; anything else is refused with the list of allowed targets.
TRANSITIONS: dict[str, frozenset[str]] = {
    "not_started": frozenset({"in_progress"}),
    "in_progress": frozenset({"operating", "not_started"}),
    "operating": frozenset({"needs_review", "in_progress"}),
    "needs_review": frozenset({"operating", "in_progress"}),
}

_KO = {"not_started": "시작 전", "in_progress": "진행 중", "operating": "운영 중",
       "needs_review": "검토 필요"}


@dataclass(frozen=True)
class Readiness:
    """Whether a control has the proof that ``operating`` requires, and what is missing."""

    ready: bool
    missing_types: tuple[str, ...] = ()
    open_negative: tuple[str, ...] = ()

    def explain(self) -> str:
        parts = []
        if self.missing_types:
            parts.append(f"no fresh evidence of type {', '.join(self.missing_types)}")
        if self.open_negative:
            parts.append(f"unresolved negative evidence {', '.join(self.open_negative)}")
        return "; ".join(parts) or "ready"

    def explain_ko(self) -> str:
        parts = []
        if self.missing_types:
            parts.append(f"유효한 증적 없음: {', '.join(self.missing_types)}")
        if self.open_negative:
            parts.append(f"해결되지 않은 부정 증적: {', '.join(self.open_negative)}")
        return "; ".join(parts) or "준비됨"


def allowed_targets(current: str) -> list[str]:
    return sorted(TRANSITIONS.get(current, frozenset()))


def check_transition(ref: str, current: str, target: str, readiness: Readiness | None = None) -> None:
    """Raise :class:`Conflict` naming the allowed moves if ``current → target`` is forbidden."""
    if target not in TRANSITIONS:
        raise Conflict(
            f"{ref}: '{target}' is not a control status; use one of: {', '.join(TRANSITIONS)}",
            key="compliance.not_control_status_use",
            values={"statuses": ", ".join(TRANSITIONS), "ref": ref, "target": target})
    if target == current:
        raise Conflict(f"{ref} is already '{current}'", key="compliance.control_already_in_state",
                       values={"ref": ref, "current": _KO[current]})
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(allowed_targets(current))
        raise Conflict(
            f"{ref}: cannot go from '{current}' to '{target}'; from '{current}' a control can go to: {allowed}",
            key="compliance.cannot_go_from_from",
            values={"ref": ref, "current": _KO[current], "target": _KO[target],
                    "items": ", ".join(_KO[t] for t in allowed_targets(current))},
            details={"from": current, "to": target, "allowed": allowed_targets(current)})
    if target == "operating" and readiness is not None and not readiness.ready:
        raise Conflict(
            f"{ref}: cannot mark as operating: {readiness.explain()}. Attach fresh evidence first "
            f"('haechi evidence add … --control {ref}')",
            key="compliance.cannot_mark_as_operating_2", values={"ref": ref, "explain_ko": readiness.explain_ko()},
            details={"missing_types": list(readiness.missing_types),
                     "open_negative": list(readiness.open_negative)})
