"""Kleene evaluation of pack conditions against a card, with reasons and missing fields.

Every evaluation returns an :class:`Outcome`: the three-valued answer, the reasons that
explain it (English and Korean), the rules that fired, and — when the answer is
unknown — the card fields whose values would settle it. Those fields become the
``questions`` of a classification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .conditions import AllOf, AnyOf, Condition, Const, Leaf, Not, RuleRef
from .fields import AS_OF
from .labels import field_label, value_label, word
from .tri import Tri, all_of, any_of


@dataclass(frozen=True)
class Reason:
    """One explanation, in English and Korean."""

    en: str
    ko: str


@dataclass(frozen=True)
class Outcome:
    """The value of a condition and everything needed to explain it."""

    value: Tri
    reasons: tuple[Reason, ...] = ()
    rules: tuple[str, ...] = ()
    missing: frozenset[str] = field(default_factory=frozenset)


T = TypeVar("T")


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def read_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path``; ``None`` when it or any parent is missing."""
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
        if current is None:
            return None
    return current


class Evaluator:
    """Evaluates conditions over one card (as plain data) at one date.

    ``rule_lookup`` returns the condition of a named rule; rule outcomes are memoised,
    so a rule used by several obligations is evaluated once.
    """

    def __init__(self, card: Mapping[str, Any], as_of: dt.date,
                 rule_lookup: Callable[[str], Condition]) -> None:
        self.card = card
        self.as_of = as_of
        self._rule_lookup = rule_lookup
        self._memo: dict[str, Outcome] = {}

    def rule(self, rule_id: str) -> Outcome:
        """The outcome of the named rule; a fired rule lists itself in ``rules``."""
        if rule_id not in self._memo:
            inner = self.eval(self._rule_lookup(rule_id))
            fired = (*inner.rules, rule_id) if inner.value is Tri.YES else inner.rules
            self._memo[rule_id] = Outcome(inner.value, inner.reasons, _unique(fired), inner.missing)
        return self._memo[rule_id]

    def eval(self, cond: Condition) -> Outcome:
        """Evaluate ``cond`` (three-valued)."""
        if isinstance(cond, Const):
            return Outcome(Tri.of(cond.value))
        if isinstance(cond, RuleRef):
            return self.rule(cond.rule)
        if isinstance(cond, Not):
            inner = self.eval(cond.child)
            return Outcome(inner.value.negate(), inner.reasons, (), inner.missing)
        if isinstance(cond, AllOf):
            out = self._combine([self.eval(c) for c in cond.children], all_of, Tri.NO)
            return _own_words(out, dict(cond.texts))
        if isinstance(cond, AnyOf):
            out = self._combine([self.eval(c) for c in cond.children], any_of, Tri.YES)
            return _own_words(out, dict(cond.texts))
        return self._leaf(cond)

    @staticmethod
    def _combine(parts: list[Outcome], op: Callable[[Iterable[Tri]], Tri],
                 decisive: Tri) -> Outcome:
        """Reasons follow the parts that decided the value; ``missing`` those left open."""
        value = op(p.value for p in parts)
        if value is decisive:
            chosen = [p for p in parts if p.value is decisive]
        elif value is Tri.UNKNOWN:
            # What is known to hold explains something, and so do the open parts' own settled
            # reasons (e.g. "not a named example of Art. 2(4)(g), but the list is open" while
            # the deciding answer is missing); what is known not to hold explains nothing.
            chosen = [p for p in parts if p.value is not Tri.NO]
        else:
            chosen = parts
        missing = frozenset().union(*(p.missing for p in parts if p.value is Tri.UNKNOWN)) \
            if value is Tri.UNKNOWN else frozenset()
        reasons = _unique(r for p in chosen for r in p.reasons)
        rules = _unique(r for p in chosen for r in p.rules) if value is not Tri.UNKNOWN else ()
        return Outcome(value, reasons, rules, missing)

    def _leaf(self, leaf: Leaf) -> Outcome:
        actual = self.as_of if leaf.field == AS_OF else read_path(self.card, leaf.field)
        if actual is None:
            return Outcome(Tri.UNKNOWN, missing=frozenset({leaf.field}))
        holds, match = compare(leaf.op, actual, leaf.value)
        return Outcome(Tri.of(holds), (explain(leaf, holds, actual, match),))


_SCALAR: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, e: bool(a == e),
    "ne": lambda a, e: bool(a != e),
    "gt": lambda a, e: bool(a > e),
    "gte": lambda a, e: bool(a >= e),
    "lt": lambda a, e: bool(a < e),
    "lte": lambda a, e: bool(a <= e),
    "in": lambda a, e: a in e,
    "not_in": lambda a, e: a not in e,
    "empty": lambda a, e: (len(a) == 0) == e,
}


def _own_words(out: Outcome, texts: dict[str, str]) -> Outcome:
    """A combinator's own reason (if the pack gives one) replaces its parts' reasons."""
    key = {Tri.YES: "reason", Tri.NO: "reason_no"}.get(out.value)
    if key is None or key not in texts:
        return out
    reason = Reason(texts[key], texts.get(f"{key}_ko") or texts[key])
    return Outcome(out.value, (reason,), out.rules, out.missing)


def compare(op: str, actual: Any, expected: Any) -> tuple[bool, Any]:
    """Apply ``op``; returns whether it holds and the matching item(s) for reasons."""
    if isinstance(actual, dt.datetime):
        actual = actual.date()
    if op in _SCALAR:
        return _SCALAR[op](actual, expected), actual
    if op == "contains":
        return expected in actual, expected
    matches = [v for v in expected if v in actual]
    if op == "contains_any":
        return bool(matches), matches
    return len(matches) == len(expected), [v for v in expected if v not in actual]


def show(value: Any, quote: bool = True) -> str:
    """Compact rendering of values inside reasons (``1e+26``, ``'employment'``, dates)."""
    if isinstance(value, list | tuple):
        return ", ".join(show(v, quote) for v in value) if value else "none"
    if isinstance(value, str):
        return f"'{value}'" if quote else value
    return _show_scalar(value)


def show_ko(path: str, value: Any, quote: bool = True) -> str:
    """Korean rendering of a value of ``path`` inside a reason: vocabulary names, 예/아니요, 없음."""
    if isinstance(value, list | tuple):
        return ", ".join(show_ko(path, v, quote) for v in value) if value else word("none", "ko")
    if isinstance(value, bool):
        return word("true" if value else "false", "ko")
    if isinstance(value, str):
        text = value_label(path, value, "ko")
        return f"'{text}'" if quote else text
    return _show_scalar(value)


def _show_scalar(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float) and (abs(value) >= 1e7 or 0 < abs(value) < 1e-3):
        text = f"{value:.3g}"
    elif isinstance(value, float) and value.is_integer():
        text = f"{int(value)}"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text


_DEFAULT_YES = {
    "eq": ("{field} is {value}", "{field} 값이 {value}임"),
    "ne": ("{field} is {actual}, not {value}", "{field} 값이 {value}이(가) 아닌 {actual}임"),
    "gt": ("{field} is {actual}, above {value}", "{field} 값 {actual}이(가) {value} 초과"),
    "gte": ("{field} is {actual}, at least {value}", "{field} 값 {actual}이(가) {value} 이상"),
    "lt": ("{field} is {actual}, below {value}", "{field} 값 {actual}이(가) {value} 미만"),
    "lte": ("{field} is {actual}, at most {value}", "{field} 값 {actual}이(가) {value} 이하"),
    "in": ("{field} is {actual}", "{field} 값이 {actual}임"),
    "not_in": ("{field} is {actual}, not one of {value}",
               "{field} 값 {actual}은(는) {value}에 해당하지 않음"),
    "contains": ("{field} include {value}", "{field}에 {value} 포함"),
    "contains_any": ("{field} include {match}", "{field}에 {match} 포함"),
    "contains_all": ("{field} include all of {value}", "{field}에 {value} 모두 포함"),
    "empty": ("{field} is {actual}", "{field}: {actual}"),
}
_DEFAULT_NO = {
    "eq": ("{field} is {actual}, not {value}", "{field} 값이 {value}이(가) 아닌 {actual}임"),
    "ne": ("{field} is {value}", "{field} 값이 {value}임"),
    "gt": ("{field} is {actual}, not above {value}", "{field} 값 {actual}이(가) {value} 이하"),
    "gte": ("{field} is {actual}, below {value}", "{field} 값 {actual}이(가) {value} 미만"),
    "lt": ("{field} is {actual}, not below {value}", "{field} 값 {actual}이(가) {value} 이상"),
    "lte": ("{field} is {actual}, above {value}", "{field} 값 {actual}이(가) {value} 초과"),
    "in": ("{field} is {actual}, not one of {value}",
           "{field} 값 {actual}은(는) {value}에 해당하지 않음"),
    "not_in": ("{field} is {actual}", "{field} 값이 {actual}임"),
    "contains": ("{field} do not include {value}", "{field}에 {value} 없음"),
    "contains_any": ("{field} include none of {value}", "{field}에 {value} 중 어느 것도 없음"),
    "contains_all": ("{field} lack {match}", "{field}에 {match} 없음"),
    "empty": ("{field} is {actual}", "{field}: {actual}"),
}


def explain(leaf: Leaf, holds: bool, actual: Any, match: Any) -> Reason:
    """The reason a leaf holds (or not): the pack's own wording if given, else a default."""
    if holds:
        en, ko = leaf.reason, leaf.reason_ko
        default = _DEFAULT_YES[leaf.op]
    else:
        en, ko = leaf.reason_no, leaf.reason_no_ko
        default = _DEFAULT_NO[leaf.op]
    if leaf.op == "eq" and isinstance(leaf.value, bool):
        default = ("{field} is {value}", "{field}: {value}") if holds else ("{field} is {actual}", "{field}: {actual}")
    # Default texts quote values themselves; a pack's own wording places its own quotes.
    quote = (en if holds else leaf.reason_no) is None
    values = {"field": leaf.field if leaf.field != AS_OF else "the evaluation date",
              "value": show(leaf.value, quote), "actual": show(actual, quote),
              "match": show(match, quote)}
    values_ko = {"field": field_label(leaf.field, "ko"), "value": show_ko(leaf.field, leaf.value, quote),
                 "actual": show_ko(leaf.field, actual, quote), "match": show_ko(leaf.field, match, quote)}
    en_text = (en or default[0]).format_map(values)
    ko_text = (ko or (default[1] if en is None else en)).format_map(values_ko)
    return Reason(en_text, ko_text)
