"""Response bodies of the rules operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class RulesClassify(Open):
    system: str | None = None
    as_of: str | None = None
    results: list[Any] | None = None


class RulesVerdictHistoryItem(Open):
    id: int | float | None = None
    at: str | None = None
    revision: int | None = None
    pack: str | None = None
    pack_version: int | float | None = None
    pack_sha256: str | None = None
    as_of: str | None = None
    cause: str | None = None
    digest: str | None = None
    actor: str | None = None
    in_scope: str | None = None
    classes: dict[str, Any] | None = None
    status_counts: dict[str, Any] | None = None
    changes: dict[str, Any] | None = None


class RulesVerdictHistory(Page):
    items: list[RulesVerdictHistoryItem] | None = None


class RulesQuestionsItem(Open):
    field: str | None = None
    affects: list[Any] | None = None
    question: str | None = None
    question_ko: str | None = None
    affects_classes: list[Any] | None = None
    answer: dict[str, Any] | None = None


class RulesQuestions(Page):
    items: list[RulesQuestionsItem] | None = None


class RulesAnswers(Open):
    system: str | None = None
    revision: int | None = None
    verdict: dict[str, Any] | None = None


class RulesCompareSystem(Open):
    system: str | None = None
    as_of: str | None = None
    all: bool | None = None
    columns: list[Any] | None = None
    rows: list[Any] | None = None
    left_out: list[str] | None = None


class RulesPacksItem(Open):
    id: str | None = None
    version: int | None = None
    ref: str | None = None
    urn: str | None = None
    kind: str | None = None
    status: str | None = None
    title: str | None = None
    title_ko: str | None = None
    short_title: str | None = None
    jurisdiction: str | None = None
    published: str | None = None
    effective: str | None = None
    confidence: str | None = None
    sha256: str | None = None
    origin: str | None = None
    source: str | None = None
    obligations: int | float | None = None
    classes: list[Any] | None = None


class RulesPacks(Page):
    items: list[RulesPacksItem] | None = None


class RulesPack(RulesPacksItem):
    pack: dict[str, Any] | None = None


class RulesPackDiff(Open):
    to: dict[str, Any] | None = None
    metadata: list[Any] | None = None
    changes_noted: list[Any] | None = None
    obligations: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    classes: dict[str, Any] | None = None
    as_of: str | None = None
    affected_systems: list[Any] | None = None


class RulesValidatePack(RulesPacksItem):
    # a pack being validated need not have a short title or an effective date yet
    short_title: Any = None
    effective: Any = None
    valid: bool | None = None


class RulesCrosswalkItem(Open):
    entry: str | None = None
    crosswalk: str | None = None
    direction: str | None = None
    topic: str | None = None
    title: str | None = None
    title_ko: str | None = None
    links: list[Any] | None = None
    gap: str | None = None
    gap_ko: str | None = None
    facts: list[Any] | None = None
    confidence: str | None = None


class RulesCrosswalk(Page):
    items: list[RulesCrosswalkItem] | None = None


class RulesObligationsItem(Open):
    pack: str | None = None
    pack_version: int | float | None = None
    id: str | None = None
    article: str | None = None
    citation: str | None = None
    title: str | None = None
    title_ko: str | None = None
    topic: str | None = None
    nature: str | None = None
    binds: list[Any] | None = None
    effective_from: str | None = None
    confidence: str | None = None


class RulesObligations(Page):
    items: list[RulesObligationsItem] | None = None


class RulesRefresh(Page):
    pass
