"""Helpers for automatic evidence: the call forms other capabilities use, its content hash,
and choosing the controls a record belongs to (by the evidence types and alert families
they take, or by the articles of the obligations they serve)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.domain.errors import ValidationFailed
from haechi.ledger import canonical_json
from haechi.store.compliance_tables import Control

from .common import ref

if TYPE_CHECKING:
    from .catalog import ControlLibrary

#: Evidence type of automatic evidence by the source's prefix, when the caller gives none.
SOURCE_KINDS = {"transparency": "notice_delivery", "monitor": "monitoring_result",
                "classification": "classification_run", "esg": "energy_record", "incident": "incident_record"}


def normalise_auto(kind: str | None, title: str | None, payload: dict[str, Any] | None,
                    options: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """Accept ``summary``/``data``/``obligation_articles`` as aliases; infer ``kind`` from ``source``."""
    title = title or options.pop("summary", None)
    payload = payload if payload is not None else options.pop("data", None)
    if "obligation_articles" in options:
        options["articles"] = options.pop("obligation_articles")
    if kind is None:
        source = str(options.get("source") or "")
        kind = next((k for prefix, k in SOURCE_KINDS.items() if source.startswith(prefix)), None)
    if kind is None or not title or not isinstance(payload, dict):
        raise ValidationFailed("automatic evidence needs a kind (evidence type), a title and a payload object",
                               key="compliance.automatic_evidence_needs_kind")
    return kind, str(title), payload


def auto_digest(kind: str, system_slug: str, payload: dict[str, Any]) -> str:
    """Content hash of an automatic record; per system, as two systems reporting the same
    numbers are two pieces of evidence."""
    return hashlib.sha256(canonical_json({"kind": kind, "system": system_slug, "payload": payload})
                          .encode()).hexdigest()


def auto_meta(kind: str, title: str, options: dict[str, Any]) -> dict[str, Any]:
    """The lifecycle metadata of an automatic record (``options`` without the target choice)."""
    return {"evidence_type": kind, "title": title, "source": options.pop("source", "api"), **options}


def choose_targets(s: Session, lib: ControlLibrary, system_id: int, kind: str, options: dict[str, Any],
                   cache: dict[Any, list[str]] | None = None,
                   prefixes: Callable[[], Mapping[str, str]] = dict) -> list[str]:
    """Refs of the controls a record goes to; pops ``controls``, ``alert_family`` and ``articles``.

    ``controls`` if given, else the live controls asking for ``kind`` (or taking alerts of
    ``alert_family``) and those serving ``articles``. ``cache`` lets a batch of records ask
    the database once per distinct choice. ``prefixes`` gives the packs' short
    prefixes (``kr`` → its pack id), asked for only when ``articles`` are given.
    """
    targets = options.pop("controls", None)
    family = options.pop("alert_family", None)
    articles = options.pop("articles", None)
    if targets is not None:
        return list(targets)
    key = (kind, family, tuple(articles or ()))
    if cache is not None and key in cache:
        return list(cache[key])
    targets = kind_targets(s, lib, system_id, kind, family)
    if articles:
        targets = sorted(set(targets) | set(article_targets(s, system_id, articles, prefixes())),
                         key=lambda r: int(r.split("-")[1]))
    if cache is not None:
        cache[key] = targets
    return list(targets)


def kind_targets(s: Session, lib: ControlLibrary, system_id: int, kind: str, family: str | None) -> list[str]:
    """Live controls of the system that ask for ``kind`` (or take alerts of ``family``)."""
    # Key and number only: whole Control rows cost ~4 ms each time.
    rows = s.execute(select(Control.key, Control.number).where(
        Control.system_id == system_id, Control.retired_at.is_(None)).order_by(Control.number))
    out = []
    for key, number in rows:
        definition = lib.get(key)
        if definition is None:
            continue
        wanted = family in definition.alerts if family else any(e.type == kind for e in definition.evidence)
        if wanted:
            out.append(ref("control", number))
    return out


def article_targets(s: Session, system_id: int, articles: list[str], prefixes: Mapping[str, str]) -> list[str]:
    """Controls serving obligations cited as ``kr:31(1)``, ``eu:50(2)`` … (sub-points match)."""
    from .obligations import live_obligations

    wanted = []
    for text in articles:
        prefix, _, article = str(text).partition(":")
        wanted.append((prefixes.get(prefix, prefix), article))
    ids = {o.obligation_id for o in live_obligations(s, system_id)
           if any(o.pack == pack and o.article and (o.article == art or o.article.startswith(art + "("))
                  for pack, art in wanted)}
    rows = s.execute(select(Control).where(Control.system_id == system_id, Control.retired_at.is_(None))).scalars()
    return [ref("control", c.number) for c in rows if ids & set(c.obligations)]
