"""Classification results: the JSON contract of ``spec/system-card.md``, as pydantic models.

Field order follows the spec; fields after the spec's own are additions (Korean
reasons, natures, guidance, notes …) that scripts may ignore. ``Classification.to_json()``
is exactly what ``haechi classify --format json`` prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TriValue = Literal["yes", "no", "unknown"]
Status = Literal["applies", "may_apply", "exempt", "not_in_force", "not_applicable"]
STATUSES: tuple[str, ...] = ("applies", "may_apply", "exempt", "not_in_force", "not_applicable")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Question(_Out):
    """A card field whose value would settle an open class or obligation."""

    field: str
    affects: list[str] = Field(description="obligation ids whose status or detail depends on it")
    question: str
    question_ko: str
    affects_classes: list[str] = Field(default_factory=list)
    answer: dict[str, Any] = Field(default_factory=dict,
                                   description="kind and choices of the answer")


class ObligationResult(_Out):
    id: str
    article: str
    citation: str
    title: str
    title_ko: str
    status: Status
    effective_from: dt.date | None
    reasons: list[str]
    rules: list[str]
    penalty: dict[str, Any] | None
    reasons_ko: list[str] = Field(default_factory=list)
    in_force: bool = True
    nature: str = "mandatory"
    binds: list[str] = Field(default_factory=list)
    topic: str = ""
    description: str = ""
    description_ko: str = ""
    exemption: dict[str, Any] | None = None
    guidance: list[dict[str, Any]] = Field(default_factory=list)
    deadlines: list[dict[str, Any]] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="unknown fields behind may_apply")
    confidence: str = "primary"
    note: str | None = None
    citation_ko: str = ""


class ClassResult(_Out):
    """How one class got its value."""

    value: str
    title: str
    title_ko: str
    reasons: list[str] = Field(default_factory=list)
    reasons_ko: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class PackResult(_Out):
    pack: str
    pack_version: int
    pack_sha256: str
    in_scope: TriValue
    classes: dict[str, str]
    obligations: list[ObligationResult]
    questions: list[Question]
    pack_urn: str = ""
    pack_title: str = ""
    pack_title_ko: str = ""
    pack_kind: str = "law"
    pack_status: str = "adopted"
    pack_confidence: str = "primary"
    jurisdiction: str = ""
    scope_reasons: list[str] = Field(default_factory=list)
    scope_reasons_ko: list[str] = Field(default_factory=list)
    class_details: dict[str, ClassResult] = Field(default_factory=dict)
    notes: list[dict[str, Any]] = Field(default_factory=list)
    selection: str = ""
    selection_ko: str = ""

    def obligation(self, obligation_id: str) -> ObligationResult | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)

    def by_status(self, *statuses: str) -> list[ObligationResult]:
        return [o for o in self.obligations if o.status in statuses]


class Classification(_Out):
    """The verdict for one card at one date across the selected packs."""

    system: str
    as_of: dt.date
    results: list[PackResult]

    def to_json(self) -> dict[str, Any]:
        """The spec's JSON output (dates as ISO text)."""
        return self.model_dump(mode="json")

    def result(self, pack_id: str) -> PackResult | None:
        """The result for ``pack_id`` (``None`` when that pack was not evaluated)."""
        return next((r for r in self.results if r.pack == pack_id), None)

    def questions(self) -> list[Question]:
        """Every open question across packs, one per field; classes named ``pack:class``."""
        merged: dict[str, Question] = {}
        for result in self.results:
            for q in result.questions:
                classes = [f"{result.pack}:{c}" for c in q.affects_classes]
                old = merged.get(q.field)
                merged[q.field] = q.model_copy(update={
                    "affects": [*(old.affects if old else []), *q.affects],
                    "affects_classes": [*(old.affects_classes if old else []), *classes]})
        return list(merged.values())
