"""The law-pack format: pydantic models, exported as JSON Schema for pack authors.

A pack is one version of one law, standard or policy, written as YAML. It carries its
identity (id, URN, integer version), dates, sources and a confidence marker; its
named *rules* (conditions with citations); the *classes* the law sorts systems into;
and its *obligations*, each with article, citation, bilingual title and description,
who it binds, when it applies, its exceptions, effective dates and penalty.

Conditions are kept as raw data here and compiled by :mod:`haechi.rules.conditions`,
which checks field paths and values against the system card and names the line of
each mistake. See ``docs/packs.md`` for the authoring guide.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from haechi.domain.card import SLUG_PATTERN, Role

Confidence = Literal["primary", "secondary", "uncertain"]
Nature = Literal["mandatory", "best_effort", "optional", "voluntary", "prohibition"]
PackKind = Literal["law", "framework", "policy"]
PackStatus = Literal["adopted", "provisional"]

PackId = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([.\-_][a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1)]

#: Article format of law packs: digits, then each paragraph or point in parentheses.
LAW_ARTICLE = r"^\d+([.\-]\d+)*(\([0-9a-z]+\))*$"
#: Reference format of frameworks and policies: e.g. ``GOVERN 1.1``, ``A.6.2.4``, ``8.4``.
FRAMEWORK_ARTICLE = r"^[A-Za-z0-9][A-Za-z0-9 .()\-]*$"

CONDITION_SCHEMA: dict[str, Any] = {
    "description": "A condition: all/any/not/rule, true/false, a leaf {field, <op>: value}, "
                   "or the short text form 'PATH OP VALUE'. See docs/packs.md.",
    "anyOf": [
        {"type": "boolean"},
        {"type": "string", "pattern": r"^\S+\s+\S+\s+.+$"},
        {"type": "object", "properties": {"all": {"type": "array", "minItems": 1,
                                                  "items": {"$ref": "#/$defs/Condition"}}},
         "required": ["all"], "additionalProperties": False},
        {"type": "object", "properties": {"any": {"type": "array", "minItems": 1,
                                                  "items": {"$ref": "#/$defs/Condition"}}},
         "required": ["any"], "additionalProperties": False},
        {"type": "object", "properties": {"not": {"$ref": "#/$defs/Condition"}},
         "required": ["not"], "additionalProperties": False},
        {"type": "object", "properties": {"rule": {"type": "string"}},
         "required": ["rule"], "additionalProperties": False},
        {"type": "object", "required": ["field"],
         "properties": {"field": {"type": "string"}, "reason": {"type": "string"},
                        "reason_ko": {"type": "string"}, "reason_no": {"type": "string"},
                        "reason_no_ko": {"type": "string"}},
         "minProperties": 2},
    ],
}
_CONDITION_MARK = "x-haechi-condition"
# pydantic cannot emit a $ref to a definition it does not own, so condition fields are
# marked and the mark is replaced by the reference after generation.
ConditionData = Annotated[Any, WithJsonSchema({_CONDITION_MARK: True})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Source(_Model):
    """A document the pack is written from."""

    key: Text
    title: Text
    url: str | None = None
    mirror_url: str | None = Field(
        None, description="where the text was actually read, if not the official URL")
    note: str | None = None
    title_ko: str | None = Field(None, description="the title as Korean pages show it (default: title)")
    note_ko: str | None = Field(None, description="the note as Korean pages show it (default: note)")


class ChangeNote(_Model):
    text: Text
    text_ko: Text


class Definition(_Model):
    term: Text
    term_ko: Text
    article: Text
    text: Text
    text_ko: Text


class Rule(_Model):
    """A named condition with its legal basis; classes and obligations refer to it."""

    id: ItemId
    article: Text
    citation: Text
    title: Text
    title_ko: Text
    when: ConditionData
    confidence: Confidence = "primary"
    note: str | None = None
    facts: list[str] = Field(default_factory=list, description="ids in the reference fact base")


class Tier(_Model):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]
    rule: ItemId


class ClassDef(_Model):
    """A class of systems: yes/no/unknown from ``rule``, or an ordered list of ``tiers``.

    Tiers are tried in order; the first whose rule is yes gives the value, provided every
    earlier tier is no. An unknown earlier tier makes the class unknown; when every tier
    is no the class takes ``default``.
    """

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    title_ko: Text
    rule: ItemId | None = None
    tiers: list[Tier] | None = None
    default: str | None = None


class Exemption(_Model):
    """An exception. When its condition holds, a ``full`` exception makes the obligation
    ``exempt``; a ``partial`` one (a law that lets the methods be disapplied "in whole or in
    part") leaves the duty in place and states its narrower reach (``scope_note``)."""

    id: ItemId
    when: ConditionData
    citation: Text
    reason: Text
    reason_ko: Text
    partial: bool = Field(False, description="the exception may disapply the duty only in part "
                          "(older spelling of effect: partial)")
    effect: Literal["full", "partial"] | None = Field(
        None, description="full: the duty does not bind; partial: the duty stays with a narrower "
        "reach (default: partial when `partial: true`, else full)")
    scope_note: str | None = Field(None, description="what still applies under a partial exception")
    scope_note_ko: str | None = None
    confidence: Confidence = "primary"
    note: str | None = None

    @property
    def is_partial(self) -> bool:
        """True when the exception narrows the duty instead of lifting it."""
        return self.effect == "partial" if self.effect is not None else self.partial


class Guidance(_Model):
    """Practical detail that depends on the card (e.g. the labelling method)."""

    id: ItemId
    when: ConditionData
    text: Text
    text_ko: Text
    citation: str | None = None
    confidence: Confidence = "primary"


class EffectiveVariant(_Model):
    """A start date that depends on the system (e.g. the EU Annex I route)."""

    from_: dt.date = Field(alias="from")
    when: ConditionData
    note: str | None = None


class PenaltyStep(_Model):
    violation: Annotated[int, Field(ge=1, description="1st, 2nd, 3rd (and later) violation")]
    amount: Annotated[int | float, Field(ge=0)]


class Penalty(_Model):
    """The sanction for breaching an obligation."""

    article: Text
    citation: Text
    summary: Text
    summary_ko: Text
    currency: str | None = None
    max_amount: Annotated[int | float, Field(ge=0)] | None = None
    turnover_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    schedule: list[PenaltyStep] = Field(default_factory=list)
    confidence: Confidence = "primary"
    note: str | None = None


class Deadline(_Model):
    """A clock the obligation runs on (e.g. report within 15 days)."""

    event: Text
    event_ko: Text
    days: Annotated[int, Field(ge=0)]
    note: str | None = None


DutyKind = Literal["notice", "label", "deepfake", "explanation", "posting"]
DutyKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ClassId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class TransparencyDuty(_Model):
    """A transparency duty of this law that the transparency kit fulfils.

    ``kind`` says which action meets it: ``notice`` (tell people they deal with AI),
    ``label`` (mark generated output), ``deepfake`` (mark realistic synthetic media),
    ``explanation`` (explain a decision on request), ``posting`` (publish on the public
    page). Obligations name the duty they belong to with ``duty: <key>``.
    """

    key: DutyKey = Field(description="unique across all packs, e.g. advance_notice")
    kind: DutyKind
    citation: Text
    citation_ko: Text


class ClassValue(_Model):
    """A value of one of the pack's classes, e.g. ``{class: risk_tier, value: high}``."""

    class_: ClassId = Field(alias="class")
    value: Text = "yes"


class Presentation(_Model):
    """How the pack is shown and wired; none of it changes a verdict or the checksum."""

    order: Annotated[int, Field(ge=0)] = Field(
        1000, description="position in pack lists (lower first; equal orders by id)")
    prefix: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*$", max_length=20)] | None = Field(
        None, description="short crosswalk prefix (kr:34(1)); unique across the library")
    compare: Annotated[int, Field(ge=1)] | None = Field(
        None, description="column position in the side-by-side comparison; omit for none")
    headline_class: ClassId | None = Field(
        None, description="the class the portfolio shows as the pack's verdict headline")
    high_impact: ClassValue | None = Field(
        None, description="the class value that makes a system high-impact / high-risk "
                          "(notices, public posting)")
    generative: ClassValue | None = Field(
        None, description="the class value that makes a system generative AI")


class Obligation(_Model):
    """A duty (or prohibition, or voluntary requirement) with its article and conditions."""

    id: ItemId
    article: Text
    citation: Text
    citation_ko: str | None = Field(
        None, description="the citation as Korean pages show it, when it has words besides article "
                          "references (default: citation)")
    title: Text
    title_ko: Text
    description: Text
    description_ko: Text
    topic: str
    nature: Nature = "mandatory"
    binds: list[Role] = Field(description="roles it binds; empty = anyone in scope")
    when: ConditionData = True
    exemptions: list[Exemption] = Field(default_factory=list)
    guidance: list[Guidance] = Field(default_factory=list)
    effective_from: dt.date | None = None
    effective: list[EffectiveVariant] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    penalty: Penalty | None = None
    parent: str | None = Field(None, description="catalogue item this requirement belongs to")
    duty: DutyKey | None = Field(
        None, description="key of the pack's transparency duty this obligation belongs to")
    confidence: Confidence = "primary"
    note: str | None = None
    facts: list[str] = Field(default_factory=list)


class PackNote(_Model):
    """An advisory shown with the result when its condition holds (may read ``$as_of``)."""

    id: ItemId
    when: ConditionData
    text: Text
    text_ko: Text
    citation: str | None = None
    confidence: Confidence = "primary"


class CatalogueItem(_Model):
    """A heading of a requirement catalogue (NIST function/category, ISO clause)."""

    id: Text
    title: Text
    title_ko: Text
    parent: str | None = None
    description: str | None = None


class QuestionText(_Model):
    question: Text
    question_ko: Text


class Pack(_Model):
    """One version of a law pack."""

    id: PackId
    urn: Annotated[str, StringConstraints(pattern=r"^urn:[a-z0-9][a-z0-9-]*:\S+$")]
    version: Annotated[int, Field(ge=1)]
    kind: PackKind
    status: PackStatus = "adopted"
    title: Text
    title_ko: Text
    short_title: str | None = None
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}$")]
    market_codes: list[str] = Field(
        default_factory=list, description="card markets that select this pack by default")
    published: dt.date = Field(description="date this version's text was published or adopted")
    effective: dt.date | None = Field(
        None, description="date the law (this version) starts to apply")
    in_force_from: dt.date | None = Field(
        None, description="date from which this version's text governs (e.g. the entry into force "
                          "of an amending act published earlier); date-based selection uses it "
                          "instead of `published`")
    supersedes: int | None = None
    confidence: Confidence = "primary"
    confidence_note: str | None = None
    confidence_note_ko: str | None = Field(
        None, description="the confidence note as Korean pages show it (default: confidence_note)")
    authority: str | None = None
    sources: list[Source] = Field(min_length=1)
    changes: list[ChangeNote] = Field(
        default_factory=list, description="what changed against the previous version")
    definitions: list[Definition] = Field(default_factory=list)
    scope: ItemId = Field(description="id of the rule that decides in_scope")
    rules: list[Rule] = Field(min_length=1)
    classes: list[ClassDef] = Field(default_factory=list)
    obligations: list[Obligation] = Field(min_length=1)
    notes: list[PackNote] = Field(default_factory=list)
    catalogue: list[CatalogueItem] = Field(default_factory=list)
    questions: dict[str, QuestionText] = Field(default_factory=dict)
    presentation: Presentation = Field(default_factory=Presentation)
    duties: list[TransparencyDuty] = Field(
        default_factory=list, description="transparency duties this law sets (see Obligation.duty)")

    @property
    def markets(self) -> list[str]:
        return self.market_codes or [self.jurisdiction]

    @property
    def governs_from(self) -> dt.date:
        """The first evaluation date this version is selected for (see docs/packs.md §6)."""
        return self.in_force_from or self.published


def pack_json_schema() -> dict[str, Any]:
    """JSON Schema of the pack format (``docs/schemas/pack.schema.json``)."""
    schema = _link_conditions(Pack.model_json_schema(by_alias=True))
    schema.setdefault("$defs", {})["Condition"] = CONDITION_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://haechi.dev/schemas/pack.schema.json"
    schema["title"] = "Haechi law pack"
    return schema


def _link_conditions(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get(_CONDITION_MARK):
            linked = {k: v for k, v in node.items() if k != _CONDITION_MARK}
            return {**linked, "$ref": "#/$defs/Condition"}
        return {k: _link_conditions(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_link_conditions(v) for v in node]
    return node
