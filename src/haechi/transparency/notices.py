"""Advance notices: what a user is told before using an AI system.

KR Art. 31(1) requires operators of high-impact or generative AI to tell users
beforehand that the product or service runs on such AI; Decree Art. 23(1) allows the
notice in the terms or contract, on the screen or device, posted at the place of
service, or another method MSIT accepts. EU Art. 50(1) asks that people know they
are dealing with an AI system, and Art. 26(11) that persons subject to Annex III
decisions are informed. One :class:`NoticeContent` is built from the system card and
its verdict; :mod:`.notice_render` turns it into each channel and format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from haechi.domain.card import SystemCard
from haechi.domain.errors import Issue, ValidationFailed

from .duties import NOTICE_DUTIES, Duties

Channel = Literal["terms", "screen", "place", "voice"]
CHANNELS: tuple[Channel, ...] = ("terms", "screen", "place", "voice")
Lang = Literal["ko", "en"]

#: Decree Art. 23(1) item that each channel uses, shown in the notice's legal line.
CHANNEL_BASIS: dict[Channel, tuple[str, str]] = {
    "terms": ("Decree Art. 23(1)(1): in the terms of use", "시행령 제23조제1항제1호: 이용약관에 기재"),
    "screen": ("Decree Art. 23(1)(2): on the user's screen", "시행령 제23조제1항제2호: 이용자 화면에 표시"),
    "place": ("Decree Art. 23(1)(3): posted at the place of service", "시행령 제23조제1항제3호: 제공 장소에 게시"),
    "voice": ("Decree Art. 23(1)(4): another method (spoken notice) — check MSIT acceptance",
              "시행령 제23조제1항제4호: 그 밖의 방법(음성 안내) — 과기정통부 인정 여부 확인 필요"),
}


@dataclass(frozen=True)
class Contact:
    name: str | None
    email: str | None
    phone: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NoticeContent:
    """Everything a notice says, in both languages; rendering adds only layout."""

    system_id: str
    name: dict[str, str]
    operator: dict[str, str]
    purpose: dict[str, str]
    generative: bool
    high_impact: bool
    modalities: tuple[str, ...]
    contact: Contact
    citations: dict[str, list[str]]
    required: bool
    exemptions: list[dict[str, Any]]
    model: str | None
    version: int = 0
    effective: str | None = None
    verdict_digest: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["modalities"] = list(self.modalities)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoticeContent:
        values = dict(data)
        values["contact"] = Contact(**values["contact"])
        values["modalities"] = tuple(values.get("modalities") or ())
        return cls(**values)

    def digest(self) -> str:
        """Hash of the wording-relevant content (not version or date): a change means a new version."""
        body = {k: v for k, v in self.to_dict().items() if k not in ("version", "effective")}
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def with_version(self, version: int, effective: dt.date) -> NoticeContent:
        values = self.to_dict()
        values.update(version=version, effective=effective.isoformat())
        return NoticeContent.from_dict(values)


def _missing(field_path: str, what: str, fix: str, what_ko: str) -> Issue:
    return Issue(field_path, what, fix)


def build_content(card: SystemCard, duties: Duties, org_name: dict[str, str]) -> NoticeContent:
    """The notice content for ``card`` under ``duties``; names every card field that is missing."""
    issues: list[Issue] = []
    warnings: list[str] = []
    contact = _contact(card, issues)
    if not card.description:
        issues.append(Issue("description", "the notice must say what the AI is used for",
                            "add 'description' (and 'description_ko') to the system card"))
    if issues:
        raise ValidationFailed(
            f"cannot write a notice for '{card.id}': the system card lacks what users must be told",
            key="transparency.cannot_write_notice_system", values={"id": card.id},
            issues=issues)
    if not card.description_ko:
        warnings.append("description_ko missing: the Korean notice uses the English purpose text")
    if not card.name_ko:
        warnings.append("name_ko missing: the Korean notice uses the English name")
    active = duties.active(NOTICE_DUTIES)
    return NoticeContent(
        system_id=card.id,
        name={"en": card.name, "ko": card.name_ko or card.name},
        operator=_operator(card, org_name),
        purpose={"en": card.description or "", "ko": card.description_ko or card.description or ""},
        generative=duties.generative or bool(card.generative and card.generative.modalities),
        high_impact=duties.high_impact,
        modalities=tuple(card.generative.modalities or ()) if card.generative else (),
        contact=contact,
        citations={"en": [d.citation for d in active], "ko": [d.citation_ko for d in active]},
        required=bool(active),
        exemptions=[d.to_dict() for d in duties.exempt(NOTICE_DUTIES)],
        model=_model(card),
        verdict_digest=duties.verdict_digest,
        warnings=warnings,
    )


def _contact(card: SystemCard, issues: list[Issue]) -> Contact:
    owners = card.owners
    oversight = owners.oversight if owners else None
    if oversight and (oversight.email or oversight.phone):
        return Contact(oversight.name, oversight.email, oversight.phone)
    if owners and owners.business:
        return Contact(None, owners.business, None)
    issues.append(Issue("owners.oversight.email", "the notice must say where users can ask or object",
                        "add owners.oversight (name, email, phone) or owners.business to the card"))
    return Contact(None, None, None)


def _operator(card: SystemCard, org_name: dict[str, str]) -> dict[str, str]:
    name = card.operator.name if card.operator and card.operator.name else None
    return {"en": name or org_name.get("en", ""), "ko": org_name.get("ko") or name or org_name.get("en", "")}


def _model(card: SystemCard) -> str | None:
    if not card.model or not card.model.name:
        return None
    return f"{card.model.name} {card.model.version}".strip() if card.model.version else card.model.name
