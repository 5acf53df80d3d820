"""Crosswalks: how a requirement of one pack relates to requirements of others.

A crosswalk file (``kind: crosswalk``) lists entries; each starts from articles of a
source pack and links to references in target packs with a relationship and a
rationale. The relationship reads from the source to the target:

* ``equal`` — same substance and scope;
* ``subset`` — everything the source asks, the target asks too (the target is wider);
* ``superset`` — the source asks more than the target;
* ``intersect`` — they overlap, and each asks something the other does not;
* ``none`` — the source has no counterpart at all (e.g. Korea has no list of
  prohibited practices, so nothing maps to EU Art. 5).

Lookups work both ways: asking for a target reference returns the entry with the
relationship inverted (``subset`` ↔ ``superset``). A reference matches its own
sub-points: ``kr:34(1)`` finds ``34(1)(1)``; ``nist:GOVERN 1`` finds ``GOVERN 1.1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from haechi.domain.errors import Issue, ValidationFailed
from haechi.domain.validation import parse_model
from haechi.domain.yamlio import Document

Relationship = Literal["equal", "subset", "superset", "intersect", "none"]
INVERSE: dict[str, str] = {"equal": "equal", "subset": "superset", "superset": "subset",
                           "intersect": "intersect", "none": "none"}
Text = Annotated[str, StringConstraints(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Side(_Model):
    refs: list[Text] = Field(min_length=1)
    citation: Text
    citation_ko: str | None = Field(
        None, description="the citation as Korean pages show it, when it has words besides article numbers")
    obligations: list[str] = Field(default_factory=list,
                                   description="obligation ids in the source pack")


class Link(_Model):
    pack: Text
    refs: list[Text] = Field(min_length=1)
    relationship: Relationship
    rationale: Text
    rationale_ko: Text
    obligations: list[str] = Field(default_factory=list,
                                   description="obligation ids in the target pack")


class Entry(_Model):
    id: Text
    topic: Text
    title: Text
    title_ko: Text
    source: Side = Field(alias="from")
    links: list[Link] = Field(min_length=1)
    gap: str | None = None
    gap_ko: str | None = None
    facts: list[str] = Field(default_factory=list)


class Crosswalk(_Model):
    kind: Literal["crosswalk"]
    id: Text
    version: Annotated[int, Field(ge=1)]
    title: Text
    title_ko: Text
    source_pack: Text
    confidence: Literal["primary", "secondary", "uncertain"] = "secondary"
    note: str | None = None
    note_ko: str | None = None
    entries: list[Entry] = Field(min_length=1)


def load_crosswalk_document(doc: Document) -> Crosswalk:
    """Validate a parsed crosswalk file (errors name file, line and field)."""
    crosswalk = parse_model(Crosswalk, doc.data, doc, "crosswalk", "매핑표")
    seen: set[str] = set()
    for i, entry in enumerate(crosswalk.entries):
        if entry.id in seen:
            raise ValidationFailed(f"{doc.source}: duplicate crosswalk entry '{entry.id}'",
                                   key="crosswalk.duplicate_entry",
                                   values={"source": doc.source, "id": entry.id}, issues=[
                Issue(f"entries[{i}].id", "duplicate id", "give every entry its own id",
                      doc.line_of(("entries", i, "id")), doc.source)])
        seen.add(entry.id)
    return crosswalk


def ref_matches(ref: str, query: str) -> bool:
    """``ref`` is ``query`` or one of its sub-points (``34(1)(1)`` under ``34(1)``)."""
    ref, query = _norm(ref), _norm(query)
    return ref == query or ref.startswith(query + "(") or ref.startswith(query + ".")


def _norm(text: str) -> str:
    return " ".join(text.replace("Art.", "").replace("Art ", "").split()).upper()


def parse_query(text: str, prefixes: Mapping[str, str]) -> tuple[str, str]:
    """``"kr:34(1)"`` → ``("kr-ai-basic-act", "34(1)")``; a full pack id works as prefix too.

    ``prefixes`` maps each pack's short prefix to its id (``PackLibrary.prefixes()``).
    """
    prefix, sep, ref = text.partition(":")
    if not sep or not ref.strip():
        raise ValidationFailed(f"cannot read {text!r} as PACK:ARTICLE", issues=[
            Issue("article", f"{text!r} has no 'pack:' prefix",
                  f"write e.g. kr:34(1); prefixes: {', '.join(prefixes)}")],
            key="rules.cannot_read_as_pack", values={"text": text})
    return prefixes.get(prefix.strip().lower(), prefix.strip()), ref.strip()


def lookup(crosswalks: list[Crosswalk], pack: str, ref: str) -> list[dict[str, Any]]:
    """Entries that start from, or link to, ``pack`` ``ref`` — with the direction shown."""
    out: list[dict[str, Any]] = []
    for cw in crosswalks:
        for entry in cw.entries:
            if cw.source_pack == pack and any(ref_matches(r, ref) for r in entry.source.refs):
                out.append(_forward(cw, entry))
            else:
                hits = [link for link in entry.links
                        if link.pack == pack and any(ref_matches(r, ref) for r in link.refs)]
                if hits:
                    out.append(_reverse(cw, entry, hits))
    return out


def _forward(cw: Crosswalk, entry: Entry) -> dict[str, Any]:
    return {"entry": entry.id, "crosswalk": cw.id, "direction": "forward", "topic": entry.topic,
            "title": entry.title, "title_ko": entry.title_ko,
            "from": {"pack": cw.source_pack, **entry.source.model_dump(exclude_none=True)},
            "links": [link.model_dump() for link in entry.links],
            "gap": entry.gap, "gap_ko": entry.gap_ko, "facts": entry.facts,
            "confidence": cw.confidence}


def _reverse(cw: Crosswalk, entry: Entry, hits: list[Link]) -> dict[str, Any]:
    """Seen from the target: the source becomes a link with the inverse relationship."""
    first = hits[0]
    back = {"pack": cw.source_pack, "refs": entry.source.refs,
            "relationship": INVERSE[first.relationship], "rationale": first.rationale,
            "rationale_ko": first.rationale_ko, "obligations": entry.source.obligations}
    others = [link.model_dump() for link in entry.links if link not in hits]
    return {"entry": entry.id, "crosswalk": cw.id, "direction": "reverse", "topic": entry.topic,
            "title": entry.title, "title_ko": entry.title_ko,
            "from": {"pack": first.pack, "refs": [r for h in hits for r in h.refs],
                     "citation": "; ".join(r for h in hits for r in h.refs),
                     "obligations": [o for h in hits for o in h.obligations]},
            "links": [back, *others], "gap": entry.gap, "gap_ko": entry.gap_ko,
            "facts": entry.facts, "confidence": cw.confidence}
