"""Transparency duties read from a law-pack verdict (pure: no I/O).

The law-pack engine returns, per pack, obligations with an ``article`` such as
``31(2)`` and a ``status`` (applies, may_apply, exempt, not_in_force). This module
maps those obligations onto the transparency duties this kit fulfils, matching on the
pack id and the article (``34(1)(2)`` is a kind of ``34(1)``) rather than on
obligation ids, because articles are the stable part of the public contract.

A duty that ``may_apply`` (an input is unknown) is treated as applying: labelling as a
precaution costs little, while a missed notice is the one Art. 31 breach fined
directly (KR Art. 43(1)(1)). Only ``exempt`` switches a duty off, and its reasons are
kept so an auditor sees why no notice or label was used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

DutyKey = Literal[
    "advance_notice", "output_label", "synthetic_mark", "explanation", "posting",
    "interaction_disclosure", "machine_marking", "deepfake_disclosure", "deployer_inform",
    "right_to_explanation",
]
Status = Literal["applies", "may_apply", "exempt", "not_in_force", "absent"]

KR_PACK = "kr-ai-basic-act"
EU_PACK = "eu-ai-act"

#: (pack, article prefix) → duty, with the citation shown to people.
DUTY_ARTICLES: tuple[tuple[str, str, DutyKey, str, str], ...] = (
    (KR_PACK, "31(1)", "advance_notice", "KR AI Basic Act Art. 31(1); Decree Art. 23(1)",
     "AI기본법 제31조제1항, 시행령 제23조제1항"),
    (KR_PACK, "31(2)", "output_label", "KR AI Basic Act Art. 31(2); Decree Art. 23(2)",
     "AI기본법 제31조제2항, 시행령 제23조제2항"),
    (KR_PACK, "31(3)", "synthetic_mark", "KR AI Basic Act Art. 31(3); Decree Art. 23(3)",
     "AI기본법 제31조제3항, 시행령 제23조제3항"),
    (KR_PACK, "34(1)(2)", "explanation", "KR AI Basic Act Art. 34(1)(2), Art. 3(2)",
     "AI기본법 제34조제1항제2호, 제3조제2항"),
    (KR_PACK, "34(1)", "posting", "KR AI Basic Act Art. 34(1); Decree Art. 27(1)",
     "AI기본법 제34조제1항, 시행령 제27조제1항"),
    (EU_PACK, "50(1)", "interaction_disclosure", "EU AI Act Art. 50(1)", "EU AI법 제50조제1항"),
    (EU_PACK, "50(2)", "machine_marking", "EU AI Act Art. 50(2)", "EU AI법 제50조제2항"),
    (EU_PACK, "50(4)", "deepfake_disclosure", "EU AI Act Art. 50(4)", "EU AI법 제50조제4항"),
    (EU_PACK, "26(11)", "deployer_inform", "EU AI Act Art. 26(11)", "EU AI법 제26조제11항"),
    (EU_PACK, "86", "right_to_explanation", "EU AI Act Art. 86", "EU AI법 제86조"),
)

#: Which duties each transparency action serves.
NOTICE_DUTIES: tuple[DutyKey, ...] = ("advance_notice", "interaction_disclosure", "deployer_inform")
LABEL_DUTIES: tuple[DutyKey, ...] = ("output_label", "machine_marking")
SYNTHETIC_DUTIES: tuple[DutyKey, ...] = ("synthetic_mark", "deepfake_disclosure")
EXPLANATION_DUTIES: tuple[DutyKey, ...] = ("explanation", "right_to_explanation")

_STRENGTH: dict[str, int] = {"applies": 4, "may_apply": 3, "not_in_force": 2, "exempt": 1, "absent": 0}


class NoVerdict(Exception):
    """Raised by verdict sources; the service turns it into a user-facing error."""


def article_matches(article: str, prefix: str) -> bool:
    """``34(1)(2)`` matches ``34(1)`` and ``34(1)(2)`` but not ``34(10)`` or ``3``."""
    return article == prefix or article.startswith(prefix + "(")


@dataclass(frozen=True)
class Duty:
    """One transparency duty of one law, as the verdict states it."""

    key: DutyKey
    pack: str
    article: str
    status: Status
    citation: str
    citation_ko: str
    obligation_ids: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    reasons_ko: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """True when the duty must be met now (or may have to be: precaution)."""
        return self.status in ("applies", "may_apply")

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "pack": self.pack, "article": self.article, "status": self.status,
                "citation": self.citation, "citation_ko": self.citation_ko,
                "obligation_ids": list(self.obligation_ids), "reasons": list(self.reasons),
                "reasons_ko": list(self.reasons_ko)}


@dataclass(frozen=True)
class Duties:
    """Every transparency duty of one system, plus the verdict's fingerprint."""

    system: str
    verdict_digest: str
    duties: dict[DutyKey, Duty] = field(default_factory=dict)
    classes: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, key: DutyKey) -> Duty | None:
        return self.duties.get(key)

    def active(self, keys: tuple[DutyKey, ...]) -> list[Duty]:
        return [d for k in keys if (d := self.duties.get(k)) and d.active]

    def exempt(self, keys: tuple[DutyKey, ...]) -> list[Duty]:
        return [d for k in keys if (d := self.duties.get(k)) and d.status == "exempt"]

    def pending(self, keys: tuple[DutyKey, ...]) -> list[Duty]:
        return [d for k in keys if (d := self.duties.get(k)) and d.status == "not_in_force"]

    def klass(self, pack: str, name: str) -> str:
        """A class value (``yes``/``no``/``unknown``) of one pack; ``no`` when absent."""
        return self.classes.get(pack, {}).get(name, "no")

    @property
    def high_impact(self) -> bool:
        return self.klass(KR_PACK, "high_impact") == "yes" or self.klass(EU_PACK, "risk_tier") == "high"

    @property
    def generative(self) -> bool:
        return self.klass(KR_PACK, "generative") == "yes" or bool(self.active(LABEL_DUTIES))

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "verdict_digest": self.verdict_digest,
                "classes": self.classes, "duties": {k: d.to_dict() for k, d in self.duties.items()}}


def verdict_digest(verdict: dict[str, Any]) -> str:
    """SHA-256 of the verdict's canonical JSON, so a notice version names what it was built on."""
    text = json.dumps(verdict, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def duties_from_verdict(verdict: dict[str, Any]) -> Duties:
    """Read the spec-shaped classification output (``system``, ``results[]``) into duties."""
    found: dict[DutyKey, Duty] = {}
    classes: dict[str, dict[str, str]] = {}
    for result in verdict.get("results") or []:
        pack = str(result.get("pack", ""))
        classes[pack] = {str(k): str(v) for k, v in (result.get("classes") or {}).items()}
        for obligation in result.get("obligations") or []:
            for duty in _duties_of(pack, obligation):
                found[duty.key] = _stronger(found.get(duty.key), duty)
    return Duties(str(verdict.get("system", "")), verdict_digest(verdict), found, classes)


def _duties_of(pack: str, obligation: dict[str, Any]) -> list[Duty]:
    article = str(obligation.get("article", ""))
    status = str(obligation.get("status", "applies"))
    if status not in _STRENGTH or status == "absent":
        return []  # not_applicable and unknown statuses switch nothing on
    out = []
    for duty_pack, prefix, key, citation, citation_ko in DUTY_ARTICLES:
        if duty_pack == pack and article_matches(article, prefix):
            out.append(Duty(key, pack, article, status, citation, citation_ko,  # type: ignore[arg-type]
                            (str(obligation.get("id", "")),),
                            tuple(str(r) for r in obligation.get("reasons") or []),
                            tuple(str(r) for r in obligation.get("reasons_ko") or [])))
    return out


def _stronger(old: Duty | None, new: Duty) -> Duty:
    """Several obligations can map to one duty (e.g. 34(1)(1)–(3) → posting): keep the
    strongest status and merge ids and reasons so nothing an auditor needs is lost."""
    if old is None:
        return new
    best = new if _STRENGTH[new.status] > _STRENGTH[old.status] else old
    return Duty(best.key, best.pack, best.article, best.status, best.citation, best.citation_ko,
                _merge(old.obligation_ids, new.obligation_ids), _merge(old.reasons, new.reasons),
                _merge(old.reasons_ko, new.reasons_ko))


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*a, *b]))
