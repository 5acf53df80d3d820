"""The public entry points of the law-pack engine (re-exported by :mod:`haechi.rules`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from haechi.domain.card import SystemCard
from haechi.domain.validation import parse_model

from .engine import evaluate_pack
from .library import PackLibrary
from .loader import LoadedPack
from .results import Classification


def shipped_library() -> PackLibrary:
    """The packs shipped with Haechi (a workspace's own packs come from its verdict service)."""
    return PackLibrary.shipped()


def shipped_citation_ko(pack: str, version: int | None, obligation_id: str) -> str | None:
    """The Korean citation a shipped pack gives an obligation (``None`` when it has none or
    the pack is not shipped), for pages that show a stored snapshot of the obligation."""
    library = shipped_library()
    if pack not in library.ids() or version is None or version not in {v.pack.version for v in library.versions(pack)}:
        return None
    return next((o.citation_ko for o in library.get(f"{pack}@{version}").pack.obligations
                 if o.id == obligation_id), None)


def load_packs(packs_dir: str | Path | None = None, include_shipped: bool = True,
               installed_dir: str | Path | None = None) -> PackLibrary:
    """A fresh library: shipped packs (unless excluded), packs installed from signed bundles
    in ``installed_dir``, and every pack file in ``packs_dir``."""
    return PackLibrary.load(packs_dir, include_shipped, installed_dir)


def as_card(card: SystemCard | dict[str, Any]) -> SystemCard:
    """A card object from a card or its plain data (validated, errors name the fields)."""
    if isinstance(card, SystemCard):
        return card
    return parse_model(SystemCard, card, None, "system card", "시스템 카드")


def classify(card: SystemCard | dict[str, Any], as_of: dt.date | None = None,
             packs: list[str] | None = None, include_all: bool = False, *,
             library: PackLibrary | None = None, provisional: bool = False) -> Classification:
    """Classify a system card under the law packs.

    :param as_of: the date the law is read at (default today): picks the pack version and
        marks obligations that start later ``not_in_force``.
    :param packs: pack ids or ``id@version``; default: every law pack whose jurisdiction
        is among the card's ``markets`` or is the operator's country (all law packs while
        ``markets`` is unknown).
    :param include_all: also list obligations that do not apply (``not_applicable``).
    :param provisional: let date-based selection use provisional versions.
    """
    the_card = as_card(card)
    day = as_of or dt.date.today()
    lib = library or shipped_library()
    home = the_card.operator.country if the_card.operator else None
    refs = packs if packs else lib.for_markets(the_card.markets, home)
    data = the_card.model_dump(mode="python")
    results = []
    for ref in refs:
        chosen = lib.select(ref, day, provisional)
        results.append(evaluate_pack(chosen.pack, data, day, include_all, chosen.note, chosen.note_ko))
    return Classification(system=the_card.id, as_of=day, results=results)


def obligation_ids(pack: str | None = None, library: PackLibrary | None = None) -> list[str]:
    """Obligation ids of the newest adopted version of ``pack`` (or of every pack)."""
    lib = library or shipped_library()
    ids = [pack] if pack else lib.ids()
    return [ob.id for pid in ids for ob in lib.latest(pid).pack.obligations]


def obligation_catalogue(library: PackLibrary | None = None,
                         provisional: bool = False) -> list[dict[str, Any]]:
    """Every obligation of every pack's newest version, with article, title, topic, nature."""
    lib = library or shipped_library()
    rows = []
    for pack_id in lib.ids():
        loaded: LoadedPack = lib.latest(pack_id, provisional)
        for ob in loaded.pack.obligations:
            rows.append({"pack": pack_id, "pack_version": loaded.version, "id": ob.id,
                         "article": ob.article, "citation": ob.citation, "title": ob.title,
                         "title_ko": ob.title_ko, "topic": ob.topic, "nature": ob.nature,
                         "binds": list(ob.binds), "effective_from": ob.effective_from,
                         "confidence": ob.confidence})
    return rows


def pack_summary(loaded: LoadedPack) -> dict[str, Any]:
    """One pack version as lists show it."""
    p = loaded.pack
    return {"id": p.id, "version": p.version, "ref": loaded.ref, "urn": p.urn, "kind": p.kind,
            "status": p.status, "title": p.title, "title_ko": p.title_ko,
            "short_title": p.short_title, "jurisdiction": p.jurisdiction,
            "published": p.published.isoformat(),
            "effective": p.effective.isoformat() if p.effective else None,
            "in_force_from": p.in_force_from.isoformat() if p.in_force_from else None,
            "confidence": p.confidence, "sha256": loaded.sha256, "origin": loaded.origin,
            "source": loaded.source, "obligations": len(p.obligations),
            "classes": [c.id for c in p.classes], "publisher": (publisher := _publisher(loaded)),
            "provenance": _provenance(loaded.origin, publisher)}


def _provenance(origin: str, publisher: dict[str, Any] | None) -> str:
    """Where a version comes from, for people: shipped, installed (publisher) or packs_dir."""
    if origin == "installed":
        return f"installed ({publisher.get('name') if publisher else '?'})"
    return "packs_dir" if origin == "user" else origin


def _publisher(loaded: LoadedPack) -> dict[str, Any] | None:
    """Who signed an installed pack, and when and by whom it was installed (``None`` otherwise)."""
    receipt = loaded.receipt
    if loaded.origin != "installed" or receipt is None:
        return None
    return {k: receipt.get(k) for k in ("name", "key_id", "bundle_sha256", "installed_at", "installed_by")}
