"""The operator a system is classified under: the organisation's facts, overlaid by the card.

Who runs a system (name, country, Korean office, revenue, users, fines, public body) is
a fact about the organisation, entered once. A card states its own ``operator`` values
only where the system belongs to another legal entity; each value it states overrides
the organisation's for that system alone, and says so (``source`` ``"system"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from .card import Operator, SystemCard

#: Every operator fact, in the order forms and tables show them.
OPERATOR_FIELDS: tuple[str, ...] = tuple(Operator.model_fields)

#: The note of the revisions that hand shared operator values over to the organisation
#: (pages show its Korean, :data:`LIFT_NOTE_KO`, on Korean pages).
LIFT_NOTE = "operator facts shared by every card moved to the organisation's facts"
LIFT_NOTE_KO = "모든 카드에 공통인 사업자 정보를 회사 정보로 옮김"

#: Where an effective operator value comes from.
Source = Literal["org", "system"]


def effective_operator(org: Operator | None, own: Operator | None) -> Operator | None:
    """The organisation's facts with every value the card states put over them."""
    merged = {**_stated(org), **_stated(own)}
    return Operator.model_validate(merged) if merged else None


def operator_sources(org: Operator | None, own: Operator | None) -> dict[str, Source]:
    """Field → where its effective value comes from (fields known nowhere are left out)."""
    sources: dict[str, Source] = dict.fromkeys(_stated(org), "org")
    sources.update(dict.fromkeys(_stated(own), "system"))
    return {name: sources[name] for name in OPERATOR_FIELDS if name in sources}


def effective_card(card: SystemCard, org: Operator | None) -> SystemCard:
    """The card the law packs read: its operator is the effective one."""
    operator = effective_operator(org, card.operator)
    if operator == card.operator:
        return card
    return card.model_copy(update={"operator": operator})


def without_operator_values(card: SystemCard, names: Iterable[str]) -> SystemCard:
    """The card with the named operator values removed (they now come from the organisation)."""
    rest = {k: v for k, v in _stated(card.operator).items() if k not in set(names)}
    return card.model_copy(update={"operator": Operator.model_validate(rest) if rest else None})


def shared_facts(cards: Iterable[SystemCard]) -> dict[str, Any]:
    """The operator values every card states identically (a value any card lacks or
    states differently is not shared: it stays on the cards that state it)."""
    stated = [_stated(card.operator) for card in cards]
    if not stated:
        return {}
    first, *rest = stated
    return {name: value for name, value in first.items() if all(other.get(name, _MISSING) == value for other in rest)}


_MISSING = object()


def _stated(operator: Operator | None) -> dict[str, Any]:
    return operator.model_dump(mode="json", exclude_none=True) if operator is not None else {}
