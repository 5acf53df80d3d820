"""Helpers for automatic evidence: the call forms other capabilities use, and choosing the
controls a record belongs to by the articles of the obligations they serve."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.domain.errors import ValidationFailed
from haechi.store.compliance_tables import Control

from .common import ref

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
                               message_ko="자동 증적에는 유형, 제목, 내용(객체)이 필요합니다")
    return kind, str(title), payload


def article_targets(s: Session, system_id: int, articles: list[str]) -> list[str]:
    """Controls serving obligations cited as ``kr:31(1)``, ``eu:50(2)`` … (sub-points match)."""
    from haechi.rules.crosswalk import PREFIXES

    from .obligations import live_obligations

    wanted = []
    for text in articles:
        prefix, _, article = str(text).partition(":")
        wanted.append((PREFIXES.get(prefix, prefix), article))
    ids = {o.obligation_id for o in live_obligations(s, system_id)
           if any(o.pack == pack and o.article and (o.article == art or o.article.startswith(art + "("))
                  for pack, art in wanted)}
    rows = s.execute(select(Control).where(Control.system_id == system_id, Control.retired_at.is_(None))).scalars()
    return [ref("control", c.number) for c in rows if ids & set(c.obligations)]
