"""Three-valued (Kleene) truth values for the rules engine.

A card field that is missing or ``null`` is *unknown*, never false. Kleene's strong
logic keeps that honest: ``no AND unknown`` is ``no`` (one failing condition settles
it), ``yes OR unknown`` is ``yes``, and everything else that touches an unknown stays
unknown. Because every operator is monotone, filling in a missing field can settle an
unknown value but never flip a settled one — a property the tests check.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Tri(StrEnum):
    """A truth value: ``yes``, ``no`` or ``unknown`` (serialised as those words)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> Tri:
        """``True`` → yes, ``False`` → no, ``None`` → unknown."""
        if value is None:
            return cls.UNKNOWN
        return cls.YES if value else cls.NO

    @property
    def settled(self) -> bool:
        return self is not Tri.UNKNOWN

    def negate(self) -> Tri:
        if self is Tri.YES:
            return Tri.NO
        if self is Tri.NO:
            return Tri.YES
        return Tri.UNKNOWN


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: no if any is no, yes if all are yes, else unknown."""
    seen_unknown = False
    for value in values:
        if value is Tri.NO:
            return Tri.NO
        if value is Tri.UNKNOWN:
            seen_unknown = True
    return Tri.UNKNOWN if seen_unknown else Tri.YES


def any_of(values: Iterable[Tri]) -> Tri:
    """Kleene disjunction: yes if any is yes, no if all are no, else unknown."""
    seen_unknown = False
    for value in values:
        if value is Tri.YES:
            return Tri.YES
        if value is Tri.UNKNOWN:
            seen_unknown = True
    return Tri.UNKNOWN if seen_unknown else Tri.NO
