"""Transparency duties read from a law-pack verdict (pure: no I/O).

The law-pack engine returns, per pack, obligations with a ``status`` (applies,
may_apply, exempt, not_in_force). Which of them are transparency duties is pack data:
a pack declares its ``duties`` (key, kind, citation) and each obligation names the
duty it belongs to (``duty: advance_notice``). This module reads those declarations
from the pack version the verdict was made with, so a user's own pack takes part
exactly like a shipped one. The kit acts on duty *kinds* (notice, label, deepfake,
explanation, posting), never on pack ids.

A duty that ``may_apply`` (an input is unknown) is treated as applying: labelling as a
precaution costs little, while a missed notice is the one Art. 31 breach fined
directly (KR Art. 43(1)(1)). Only ``exempt`` switches a duty off, and its reasons are
kept so an auditor sees why no notice or label was used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from haechi.rules.schema import DutyKind

if TYPE_CHECKING:
    from haechi.rules.library import PackLibrary
    from haechi.rules.loader import LoadedPack

DutyKey = str
Status = Literal["applies", "may_apply", "exempt", "not_in_force", "absent"]

#: Which duty kinds each transparency action serves.
NOTICE_DUTIES: tuple[DutyKind, ...] = ("notice",)
LABEL_DUTIES: tuple[DutyKind, ...] = ("label",)
SYNTHETIC_DUTIES: tuple[DutyKind, ...] = ("deepfake",)
EXPLANATION_DUTIES: tuple[DutyKind, ...] = ("explanation",)
POSTING_DUTIES: tuple[DutyKind, ...] = ("posting",)

_STRENGTH: dict[str, int] = {"applies": 4, "may_apply": 3, "not_in_force": 2, "exempt": 1, "absent": 0}


class NoVerdict(Exception):
    """Raised by verdict sources; the service turns it into a user-facing error."""


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
    kind: DutyKind = "notice"
    #: Display order: the pack's place in the verdict, then the duty's place in the pack.
    rank: tuple[int, int] = (0, 0)

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
    """Every transparency duty of one system, plus the verdict's fingerprint.

    ``high_impact`` and ``generative_class`` come from the class values packs declare
    (``presentation.high_impact`` / ``presentation.generative``).
    """

    system: str
    verdict_digest: str
    duties: dict[DutyKey, Duty] = field(default_factory=dict)
    classes: dict[str, dict[str, str]] = field(default_factory=dict)
    high_impact: bool = False
    generative_class: bool = False

    def get(self, key: DutyKey) -> Duty | None:
        return self.duties.get(key)

    def of_kind(self, kinds: tuple[DutyKind, ...]) -> list[Duty]:
        return sorted((d for d in self.duties.values() if d.kind in kinds), key=lambda d: d.rank)

    def active(self, kinds: tuple[DutyKind, ...]) -> list[Duty]:
        return [d for d in self.of_kind(kinds) if d.active]

    def exempt(self, kinds: tuple[DutyKind, ...]) -> list[Duty]:
        return [d for d in self.of_kind(kinds) if d.status == "exempt"]

    def pending(self, kinds: tuple[DutyKind, ...]) -> list[Duty]:
        return [d for d in self.of_kind(kinds) if d.status == "not_in_force"]

    def klass(self, pack: str, name: str) -> str:
        """A class value (``yes``/``no``/``unknown``) of one pack; ``no`` when absent."""
        return self.classes.get(pack, {}).get(name, "no")

    @property
    def generative(self) -> bool:
        return self.generative_class or bool(self.active(LABEL_DUTIES))

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "verdict_digest": self.verdict_digest,
                "classes": self.classes, "duties": {k: d.to_dict() for k, d in self.duties.items()}}


def verdict_digest(verdict: dict[str, Any]) -> str:
    """SHA-256 of the verdict's canonical JSON, so a notice version names what it was built on."""
    text = json.dumps(verdict, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def duties_from_verdict(verdict: dict[str, Any], library: PackLibrary | None = None) -> Duties:
    """Read the spec-shaped classification output (``system``, ``results[]``) into duties.

    ``library`` holds the packs the verdict was made with (the shipped packs when not
    given); a pack it does not know contributes its classes but no duties.
    """
    if library is None:
        from haechi.rules.library import PackLibrary
        library = PackLibrary.shipped()
    found: dict[DutyKey, Duty] = {}
    classes: dict[str, dict[str, str]] = {}
    high_impact = generative = False
    for place, result in enumerate(verdict.get("results") or []):
        pack = str(result.get("pack", ""))
        classes[pack] = {str(k): str(v) for k, v in (result.get("classes") or {}).items()}
        loaded = _pack_of(library, pack, result.get("pack_version"))
        if loaded is None:
            continue
        high_impact |= _has(classes[pack], loaded.pack.presentation.high_impact)
        generative |= _has(classes[pack], loaded.pack.presentation.generative)
        for obligation in result.get("obligations") or []:
            duty = _duty_of(loaded, place, obligation)
            if duty is not None:
                found[duty.key] = _stronger(found.get(duty.key), duty)
    return Duties(str(verdict.get("system", "")), verdict_digest(verdict), found, classes,
                  high_impact, generative)


def _pack_of(library: PackLibrary, pack: str, version: Any) -> LoadedPack | None:
    """The pack version the verdict names (its newest version if that one is unknown)."""
    from haechi.domain.errors import NotFound

    try:
        return library.get(f"{pack}@{int(version)}")
    except (NotFound, TypeError, ValueError):
        try:
            return library.get(pack)
        except NotFound:
            return None


def _has(classes: dict[str, str], wanted: Any) -> bool:
    return wanted is not None and classes.get(wanted.class_, "no") == wanted.value


def _duty_of(loaded: LoadedPack, place: int, obligation: dict[str, Any]) -> Duty | None:
    status = str(obligation.get("status", "applies"))
    if status not in _STRENGTH or status == "absent":
        return None  # not_applicable and unknown statuses switch nothing on
    oid = str(obligation.get("id", ""))
    key = next((o.duty for o in loaded.pack.obligations if o.id == oid), None)
    declared = next(((i, d) for i, d in enumerate(loaded.pack.duties) if d.key == key), None)
    if declared is None:
        return None
    index, duty = declared
    return Duty(duty.key, loaded.id, str(obligation.get("article", "")), status,  # type: ignore[arg-type]
                duty.citation, duty.citation_ko, (oid,),
                tuple(str(r) for r in obligation.get("reasons") or []),
                tuple(str(r) for r in obligation.get("reasons_ko") or []), duty.kind, (place, index))


def _stronger(old: Duty | None, new: Duty) -> Duty:
    """Several obligations can map to one duty (e.g. the 34(1) plans → posting): keep the
    strongest status and merge ids and reasons so nothing an auditor needs is lost."""
    if old is None:
        return new
    best = new if _STRENGTH[new.status] > _STRENGTH[old.status] else old
    return Duty(best.key, best.pack, best.article, best.status, best.citation, best.citation_ko,
                _merge(old.obligation_ids, new.obligation_ids), _merge(old.reasons, new.reasons),
                _merge(old.reasons_ko, new.reasons_ko), best.kind, min(old.rank, new.rank))


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*a, *b]))
