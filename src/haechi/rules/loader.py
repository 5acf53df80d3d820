"""Loading law packs: parse, validate, compile conditions, checksum.

A pack is refused as a whole when anything in it is wrong, with every problem listed
by file, line and field (pydantic checks the shape; the condition compiler checks
field paths and values against the card; the checks below catch dangling rule
references, cycles, duplicate ids, malformed articles and unknown topics).

The checksum is the SHA-256 of the pack's *content*: the parsed YAML written as
canonical JSON (sorted keys, no spaces, UTF-8, dates as ISO text). Reformatting or
editing comments does not change it; any change to what the pack says does. How the
pack is shown (``presentation``, transparency ``duties`` and each obligation's
``duty``) is left out: it changes no verdict, so it must not make verdicts look stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from haechi.domain.errors import IssueCollector
from haechi.domain.validation import parse_model
from haechi.domain.yamlio import Document, PathKey, load_file, loads

from .conditions import Compiler, Condition, fields_read, rules_referenced
from .fields import AS_OF
from .schema import FRAMEWORK_ARTICLE, LAW_ARTICLE, Obligation, Pack
from .topics import topic_ids

#: where a pack comes from: shipped with Haechi, installed from a signed bundle, or ``packs_dir``
Origin = Literal["shipped", "installed", "user"]
CondKey = tuple[str, ...]


def canonical_json(data: Any) -> str:
    """Deterministic JSON text of parsed YAML (the input of the checksum)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot checksum a {type(value).__name__}")


def content_sha256(data: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``data``."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


#: Pack fields about presentation and wiring, not about what the law says.
PRESENTATION_FIELDS = ("presentation", "duties")


def pack_sha256(data: Any) -> str:
    """The checksum of a parsed pack: its legal content, without presentation fields."""
    if not isinstance(data, dict):
        return content_sha256(data)
    legal = {k: v for k, v in data.items() if k not in PRESENTATION_FIELDS}
    if isinstance(legal.get("obligations"), list):
        legal["obligations"] = [{k: v for k, v in ob.items() if k != "duty"} if isinstance(ob, dict) else ob
                                for ob in legal["obligations"]]
    return content_sha256(legal)


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack version with its compiled conditions and checksum."""

    pack: Pack
    sha256: str
    source: str
    origin: Origin
    conditions: Mapping[CondKey, Condition] = field(repr=False)
    #: for an installed pack: the bundle's publisher and the receipt of its installation
    receipt: Mapping[str, Any] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def version(self) -> int:
        return self.pack.version

    @property
    def ref(self) -> str:
        """``id@version``, the way commands name a pack version."""
        return f"{self.pack.id}@{self.pack.version}"

    def rule(self, rule_id: str) -> Condition:
        return self.conditions[("rule", rule_id)]

    def cond(self, *key: str) -> Condition:
        return self.conditions[key]

    def obligation(self, obligation_id: str) -> Obligation:
        for item in self.pack.obligations:
            if item.id == obligation_id:
                return item
        raise KeyError(obligation_id)


def load_pack_file(path: str | Path, origin: Origin = "user") -> LoadedPack:
    """Read, validate and compile one pack file; raises ``ValidationFailed`` on any problem."""
    doc = load_file(path)
    return load_pack_document(doc, origin)


def load_pack_text(text: str, source: str = "pack.yaml", origin: Origin = "user") -> LoadedPack:
    """Like :func:`load_pack_file` for text already in memory (API uploads, tests)."""
    from .fastyaml import with_lines_on_error

    if source.endswith(".json"):
        return load_pack_document(loads(text, source), origin)
    return with_lines_on_error(text, source, lambda doc: load_pack_document(doc, origin))


def load_pack_document(doc: Document, origin: Origin = "user") -> LoadedPack:
    """Validate a parsed document as a pack."""
    pack = parse_model(Pack, doc.data, doc, "law pack", "법령 팩")
    issues = IssueCollector(file=doc.source)
    conditions = _compile_all(pack, doc.data, Compiler(issues, doc))
    _check_semantics(pack, conditions, issues, doc)
    source = doc.source or "<memory>"
    issues.raise_if_any(f"{source}: invalid law pack ({len(issues.issues)} problem"
                        f"{'s' if len(issues.issues) != 1 else ''})",
                        f"{source}: 법령 팩 검증 실패 ({len(issues.issues)}건)")
    return LoadedPack(pack, pack_sha256(doc.data), source, origin, conditions)


def _compile_all(pack: Pack, raw: dict[str, Any], compiler: Compiler) -> dict[CondKey, Condition]:
    out: dict[CondKey, Condition] = {}
    for i, rule in enumerate(pack.rules):
        out[("rule", rule.id)] = compiler.compile(raw["rules"][i]["when"], ("rules", i, "when"))
    for i, ob in enumerate(pack.obligations):
        raw_ob = raw["obligations"][i]
        base: PathKey = ("obligations", i)
        out[("ob", ob.id)] = compiler.compile(raw_ob.get("when", True), (*base, "when"))
        for j, ex in enumerate(ob.exemptions):
            out[("ex", ob.id, ex.id)] = compiler.compile(
                raw_ob["exemptions"][j]["when"], (*base, "exemptions", j, "when"))
        for j, guide in enumerate(ob.guidance):
            out[("guide", ob.id, guide.id)] = compiler.compile(
                raw_ob["guidance"][j]["when"], (*base, "guidance", j, "when"))
        for j, _variant in enumerate(ob.effective):
            out[("eff", ob.id, str(j))] = compiler.compile(
                raw_ob["effective"][j]["when"], (*base, "effective", j, "when"))
    for i, note in enumerate(pack.notes):
        out[("note", note.id)] = compiler.compile(raw["notes"][i]["when"], ("notes", i, "when"))
    return out


def _check_semantics(pack: Pack, conditions: Mapping[CondKey, Condition],
                     issues: IssueCollector, doc: Document) -> None:
    def add(loc: PathKey, message: str, fix: str) -> None:
        issues.add(_loc(loc), message, fix, doc.line_of(loc))

    rule_ids = _unique_ids([r.id for r in pack.rules], "rules", add)
    _unique_ids([o.id for o in pack.obligations], "obligations", add)
    _unique_ids([c.id for c in pack.classes], "classes", add)
    _check_references(pack, conditions, rule_ids, add)
    _check_cycles(pack, conditions, add)
    _check_date_reads(pack, conditions, add)
    _check_obligations(pack, add)
    _check_classes(pack, rule_ids, add)
    _check_presentation(pack, add)


def _unique_ids(ids: list[str], where: str, add: Any) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            add((where, i, "id"), f"duplicate id '{item}'", "give every item its own id")
        seen.add(item)
    return seen


def _check_references(pack: Pack, conditions: Mapping[CondKey, Condition], rule_ids: set[str],
                      add: Any) -> None:
    if pack.scope not in rule_ids:
        add(("scope",), f"scope rule '{pack.scope}' is not defined", "add it under rules:")
    for key, cond in conditions.items():
        for ref in sorted(rules_referenced(cond) - rule_ids):
            add(_key_loc(pack, key), f"refers to undefined rule '{ref}'",
                f"define a rule with id '{ref}' or fix the reference")


def _check_cycles(pack: Pack, conditions: Mapping[CondKey, Condition], add: Any) -> None:
    graph = {r.id: rules_referenced(conditions[("rule", r.id)]) for r in pack.rules}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = " → ".join([*trail[trail.index(nxt):], nxt]) if nxt in trail else nxt
                add(_key_loc(pack, ("rule", node)),
                    f"rules refer to each other in a cycle: {cycle}",
                    "break the cycle; a rule cannot depend on itself")
            elif nxt in graph and state.get(nxt) is None:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for rule in pack.rules:
        if state.get(rule.id) is None:
            visit(rule.id, [rule.id])


def _check_date_reads(pack: Pack, conditions: Mapping[CondKey, Condition], add: Any) -> None:
    """Classes and obligations must not depend on the evaluation date (only notes may)."""
    for key, cond in conditions.items():
        if key[0] != "note" and AS_OF in fields_read(cond):
            add(_key_loc(pack, key), f"'{AS_OF}' may only be read in notes",
                "use effective_from / effective for dates of obligations")


def _check_obligations(pack: Pack, add: Any) -> None:
    pattern = re.compile(LAW_ARTICLE if pack.kind == "law" else FRAMEWORK_ARTICLE)
    topics = topic_ids()
    catalogue = {c.id for c in pack.catalogue}
    for i, ob in enumerate(pack.obligations):
        if not pattern.match(ob.article):
            fix = ("write digits then each paragraph or point in parentheses, e.g. 34(1) or 5(1)(c)"
                   if pack.kind == "law" else "write the reference, e.g. GOVERN 1.1 or A.6.2.4")
            add(("obligations", i, "article"),
                f"article {ob.article!r} is not in the expected form", fix)
        if ob.topic not in topics:
            add(("obligations", i, "topic"), f"unknown topic '{ob.topic}'",
                f"use one of: {', '.join(sorted(topics))}")
        if ob.parent is not None and ob.parent not in catalogue:
            add(("obligations", i, "parent"), f"parent '{ob.parent}' is not in the catalogue",
                "add it under catalogue: or fix the id")
        _unique_ids([e.id for e in ob.exemptions], f"obligations[{i}].exemptions", add)


def _check_classes(pack: Pack, rule_ids: set[str], add: Any) -> None:
    for i, cls in enumerate(pack.classes):
        if (cls.rule is None) == (cls.tiers is None):
            add(("classes", i), f"class '{cls.id}' needs either rule or tiers (not both)",
                "write rule: <id> for yes/no classes or tiers: [...] for ordered values")
        refs = [cls.rule] if cls.rule else [t.rule for t in cls.tiers or []]
        for ref in refs:
            if ref not in rule_ids:
                add(("classes", i), f"class '{cls.id}' refers to undefined rule '{ref}'",
                    "define the rule under rules:")
        if cls.tiers is not None and cls.default is None:
            add(("classes", i, "default"), f"class '{cls.id}' has tiers but no default",
                "add default: <value used when every tier is no>")


def _check_presentation(pack: Pack, add: Any) -> None:
    """Presentation names classes and duties of this pack: they must exist."""
    classes = {c.id for c in pack.classes}
    shown = pack.presentation
    named = [("headline_class", shown.headline_class),
             ("high_impact", shown.high_impact.class_ if shown.high_impact else None),
             ("generative", shown.generative.class_ if shown.generative else None)]
    for where, class_id in named:
        if class_id is not None and class_id not in classes:
            add(("presentation", where), f"class '{class_id}' is not defined",
                f"use one of the pack's classes: {', '.join(sorted(classes)) or '(none)'}")
    duty_keys = _unique_keys([d.key for d in pack.duties], add)
    for i, ob in enumerate(pack.obligations):
        if ob.duty is not None and ob.duty not in duty_keys:
            add(("obligations", i, "duty"), f"duty '{ob.duty}' is not declared",
                "declare it under duties: (key, kind, citation, citation_ko) or fix the key")


def _unique_keys(keys: list[str], add: Any) -> set[str]:
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            add(("duties", i, "key"), f"duplicate duty key '{key}'", "give every duty its own key")
        seen.add(key)
    return seen


def _key_loc(pack: Pack, key: CondKey) -> PathKey:
    """The document path of the condition stored under ``key``."""
    kind = key[0]
    if kind == "rule":
        return ("rules", next(i for i, r in enumerate(pack.rules) if r.id == key[1]), "when")
    if kind == "note":
        return ("notes", next(i for i, n in enumerate(pack.notes) if n.id == key[1]), "when")
    index = next(i for i, o in enumerate(pack.obligations) if o.id == key[1])
    ob = pack.obligations[index]
    if kind == "ex":
        return ("obligations", index, "exemptions",
                next(j for j, e in enumerate(ob.exemptions) if e.id == key[2]), "when")
    if kind == "guide":
        return ("obligations", index, "guidance",
                next(j for j, g in enumerate(ob.guidance) if g.id == key[2]), "when")
    if kind == "eff":
        return ("obligations", index, "effective", int(key[2]), "when")
    return ("obligations", index, "when")


def _loc(loc: PathKey) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
