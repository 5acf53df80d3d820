"""The condition language of law packs: a small, safe, declarative tree (no ``eval``).

A condition is written in YAML as one of::

    all: [cond, ...]             # every one holds (Kleene AND)
    any: [cond, ...]             # at least one holds (Kleene OR)
                                 # (both may carry reason / reason_no texts that replace
                                 #  their parts' reasons, e.g. "no domain is listed")
    not: cond                    # negation
    rule: kr.high-impact         # the value of another named rule of the same pack
    true / false                 # constants
    {field: PATH, OP: VALUE, reason: "...", reason_ko: "...", reason_no: ..., reason_no_ko: ...}
    "PATH OP VALUE"              # the same leaf, short form, e.g. "compute.training_flops >= 1e26"

Leaf operators: ``eq`` (alias ``is``) ``ne`` ``gt`` ``gte`` ``lt`` ``lte`` (numbers and
dates), ``in`` ``not_in`` (value among a list), ``contains`` ``contains_any``
``contains_all`` ``empty`` (list fields). Paths are card fields (see
:mod:`haechi.rules.fields`); values are checked against the field's type and
vocabulary when the pack is loaded, so a typo is refused with the line and a suggestion.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from dataclasses import dataclass
from typing import Any

from haechi.domain.errors import IssueCollector
from haechi.domain.yamlio import Document, PathKey, loads_yaml

from .fields import AS_OF, CardField, card_fields

OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in",
       "contains", "contains_any", "contains_all", "empty")
_ALIASES = {"is": "eq"}
_SHORT_OPS = {"==": "eq", "!=": "ne", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
_TEXT_KEYS = ("reason", "reason_ko", "reason_no", "reason_no_ko")
_PLACEHOLDERS = {"field", "value", "match", "actual"}
_SHORT_FORM = re.compile(r"^\s*(\S+)\s+(==|!=|>=|<=|>|<|[a-z_]+)\s+(.+?)\s*$")


@dataclass(frozen=True)
class Leaf:
    """A comparison of one card field with a constant."""

    field: str
    op: str
    value: Any
    reason: str | None = None
    reason_ko: str | None = None
    reason_no: str | None = None
    reason_no_ko: str | None = None


@dataclass(frozen=True)
class AllOf:
    children: tuple[Condition, ...]
    texts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]
    texts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Not:
    child: Condition


@dataclass(frozen=True)
class RuleRef:
    rule: str


@dataclass(frozen=True)
class Const:
    value: bool


Condition = Leaf | AllOf | AnyOf | Not | RuleRef | Const


def fields_read(cond: Condition) -> set[str]:
    """Card paths this condition reads directly (rule references not followed)."""
    if isinstance(cond, Leaf):
        return {cond.field}
    if isinstance(cond, AllOf | AnyOf):
        return set().union(set(), *(fields_read(c) for c in cond.children))
    if isinstance(cond, Not):
        return fields_read(cond.child)
    return set()


def rules_referenced(cond: Condition) -> set[str]:
    """Rule ids this condition refers to directly."""
    if isinstance(cond, RuleRef):
        return {cond.rule}
    if isinstance(cond, AllOf | AnyOf):
        return set().union(set(), *(rules_referenced(c) for c in cond.children))
    if isinstance(cond, Not):
        return rules_referenced(cond.child)
    return set()


class Compiler:
    """Turns raw YAML data into a :data:`Condition`, collecting issues with their lines."""

    def __init__(self, issues: IssueCollector, doc: Document | None = None) -> None:
        self.issues = issues
        self.doc = doc

    def compile(self, raw: Any, loc: PathKey) -> Condition:
        """Compile ``raw`` found at ``loc`` of the document; never raises (issues are kept)."""
        if isinstance(raw, bool):
            return Const(raw)
        if isinstance(raw, str):
            return self._short(raw, loc)
        if not isinstance(raw, dict):
            self._issue(loc, "a condition must be a mapping, a 'PATH OP VALUE' text, or true/false",
                        "write e.g. {field: significant_impact, eq: true} or all: [...]")
            return Const(False)
        if "field" in raw:
            return self._leaf(raw, loc)
        return self._combinator(raw, loc)

    def _combinator(self, raw: dict[str, Any], loc: PathKey) -> Condition:
        keys = [k for k in raw if k not in _TEXT_KEYS]
        if len(keys) != 1 or keys[0] not in ("all", "any", "not", "rule"):
            self._issue(loc, f"unknown condition keys {keys}",
                        "use exactly one of all, any, not, rule — or a leaf with 'field'")
            return Const(False)
        key, value = keys[0], raw[keys[0]]
        texts = tuple((k, raw[k]) for k in _TEXT_KEYS if k in raw)
        if texts and key not in ("all", "any"):
            self._issue((*loc, texts[0][0]), f"'{key}' cannot carry a reason",
                        "put the reason on the leaves or on an all/any")
        for name, text in texts:
            self._check_template(text, (*loc, name), allowed=set())
        if key == "rule":
            if not isinstance(value, str):
                self._issue((*loc, key), "a rule reference must be a rule id", "write rule: <id>")
            return RuleRef(str(value))
        if key == "not":
            return Not(self.compile(value, (*loc, key)))
        if not isinstance(value, list) or not value:
            self._issue((*loc, key), f"'{key}' needs a non-empty list of conditions",
                        f"write {key}: [cond, cond] or one '- cond' per line")
            return Const(False)
        children = tuple(self.compile(v, (*loc, key, i)) for i, v in enumerate(value))
        return AllOf(children, texts) if key == "all" else AnyOf(children, texts)

    def _short(self, text: str, loc: PathKey) -> Condition:
        match = _SHORT_FORM.match(text)
        if match is None:
            self._issue(loc, f"cannot read condition {text!r}",
                        "write 'PATH OP VALUE', e.g. 'compute.training_flops >= 1e26'")
            return Const(False)
        path, op, value_text = match.groups()
        try:
            value = loads_yaml(value_text).data
        except Exception:  # the value is reported as unreadable below
            value = value_text
        return self._leaf({"field": path, _SHORT_OPS.get(op, op): value}, loc)

    def _leaf(self, raw: dict[str, Any], loc: PathKey) -> Condition:
        path = raw.get("field")
        ops = [k for k in raw if k not in ("field", *_TEXT_KEYS)]
        if len(ops) != 1:
            self._issue(loc, f"a leaf needs exactly one operator, found {ops or 'none'}",
                        f"use one of: {', '.join(OPS)}")
            return Const(False)
        op = _ALIASES.get(ops[0], ops[0])
        if op not in OPS:
            self._issue((*loc, ops[0]), f"unknown operator '{ops[0]}'", _suggest(ops[0], OPS))
            return Const(False)
        info = self._field(path, (*loc, "field"))
        if info is None:
            return Const(False)
        value = _coerce(raw[ops[0]], info)
        self._check_value(info, op, value, (*loc, ops[0]))
        texts = {k: raw.get(k) for k in _TEXT_KEYS}
        for key, text in texts.items():
            if text is not None:
                self._check_template(text, (*loc, key))
        return Leaf(str(path), op, value, **texts)

    def _field(self, path: Any, loc: PathKey) -> CardField | None:
        fields = card_fields()
        if isinstance(path, str) and path in fields:
            return fields[path]
        self._issue(loc, f"unknown card field {path!r}", _suggest(str(path), list(fields)))
        return None

    def _check_value(self, info: CardField, op: str, value: Any, loc: PathKey) -> None:
        problem = _value_problem(info, op, value)
        if problem:
            self._issue(loc, problem[0], problem[1])

    def _check_template(self, text: Any, loc: PathKey, allowed: set[str] | None = None) -> None:
        allowed = _PLACEHOLDERS if allowed is None else allowed
        if not isinstance(text, str):
            self._issue(loc, "a reason must be text", "quote the text")
            return
        try:
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n}
        except ValueError:
            self._issue(loc, "unbalanced { or } in the reason", "write {{ and }} for literal braces")
            return
        unknown = names - allowed
        if unknown:
            fix = f"use only {{{'}, {'.join(sorted(allowed))}}}" if allowed else "write plain text here"
            self._issue(loc, f"unknown placeholder(s) {sorted(unknown)}", fix)

    def _issue(self, loc: PathKey, message: str, fix: str | None) -> None:
        line = self.doc.line_of(loc) if self.doc else None
        self.issues.add(_format(loc), message, fix, line)


def _coerce(value: Any, info: CardField) -> Any:
    """Dates written as text in a short form become dates; ``1e26`` text becomes a number."""
    if info.kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if info.kind == "number" and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _value_problem(info: CardField, op: str, value: Any) -> tuple[str, str] | None:
    """Why ``value`` cannot be compared with ``info`` by ``op`` (message, fix), if it cannot."""
    list_ops = ("contains", "contains_any", "contains_all", "empty")
    if info.is_list != (op in list_ops):
        wanted = "contains, contains_any, contains_all or empty" if info.is_list else \
            "eq, ne, gt, gte, lt, lte, in or not_in"
        return f"operator '{op}' does not suit field '{info.path}' ({info.kind})", f"use {wanted}"
    if op == "empty":
        ok = isinstance(value, bool)
        return None if ok else ("'empty' takes true or false", "write empty: true")
    if op in ("gt", "gte", "lt", "lte") and info.kind not in ("number", "date"):
        return f"'{op}' needs a number or date field; '{info.path}' is {info.kind}", "use eq or in"
    many = op in ("in", "not_in", "contains_any", "contains_all")
    if many and (not isinstance(value, list) or not value):
        return f"'{op}' takes a non-empty list", f"write {op}: [a, b]"
    for item in value if many else [value]:
        problem = _item_problem(info, item)
        if problem:
            return problem
    return None


def _item_problem(info: CardField, item: Any) -> tuple[str, str] | None:
    if info.choices and item not in info.choices:
        return f"{item!r} is not a value of '{info.path}'", _suggest(str(item), info.choices)
    expected: dict[str, Any] = {"bool": bool, "number": (int, float), "date": dt.date,
                                "text": str, "texts": str, "choice": str, "choices": str}
    kind_type = expected[info.kind]
    if isinstance(item, bool) and info.kind == "number":
        return "a number is expected, not true/false", "write a number, e.g. 1.0e+26"
    if not isinstance(item, kind_type):
        return (f"{item!r} does not match field '{info.path}' ({info.kind})",
                f"write a {info.kind} value")
    return None


def _suggest(word: str, options: Any) -> str:
    options = [o for o in options if o != AS_OF or word.startswith("$")]
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(options)}"


def _format(loc: PathKey) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
