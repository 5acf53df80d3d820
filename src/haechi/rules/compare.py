"""Side-by-side comparison of what several laws (Korea, the EU, Japan, …) ask of one system.

Each regime is evaluated *as if the system were offered in its market* (the card's
``markets`` gains the pack's jurisdiction), so the table shows what each law would
require, not only the laws that bind today; ``offered`` says which ones do. Rows are
the shared topics of :mod:`haechi.rules.topics`, so a duty in one law lines up with its
nearest counterparts in the others — and an empty cell shows a gap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haechi.domain.card import SystemCard

from .engine import evaluate_pack
from .library import PackLibrary
from .results import PackResult
from .topics import topics


def _as_offered(card: SystemCard, markets: list[str]) -> dict[str, Any]:
    data = card.model_dump(mode="python")
    known = list(card.markets or [])
    data["markets"] = known + [m for m in markets[:1] if m not in known]
    return data


def _cell(result: PackResult, topic: str) -> list[dict[str, Any]]:
    return [{"id": o.id, "article": o.article, "title": o.title, "title_ko": o.title_ko,
             "status": o.status, "nature": o.nature, "effective_from": o.effective_from}
            for o in result.obligations if o.topic == topic]


def compare(card: SystemCard, library: PackLibrary, as_of: dt.date | None = None,
            regimes: tuple[str, ...] | list[str] | None = None,
            provisional: bool = False) -> dict[str, Any]:
    """The comparison table as JSON-ready data (``columns`` and ``rows`` by topic).

    Without ``regimes`` the columns are the packs that declare ``presentation.compare``.
    """
    day = as_of or dt.date.today()
    columns, results = [], []
    for ref in library.compared() if regimes is None else regimes:
        chosen = library.select(ref, day, provisional).pack
        result = evaluate_pack(chosen, _as_offered(card, chosen.pack.markets), day,
                               selection="evaluated as if offered in this market",
                               selection_ko="이 시장에 제공한다고 가정하고 평가함")
        offered = card.markets is not None and bool(set(card.markets) & set(chosen.pack.markets))
        results.append(result)
        columns.append({"pack": result.pack, "pack_version": result.pack_version,
                        "title": chosen.pack.short_title or chosen.pack.title,
                        "jurisdiction": chosen.pack.jurisdiction, "offered": offered,
                        "in_scope": result.in_scope, "classes": result.classes,
                        "open_questions": len(result.questions)})
    rows = []
    for topic_id, topic in topics().items():
        cells = {r.pack: _cell(r, topic_id) for r in results}
        if not any(cells.values()):
            continue
        gap = [r.pack for r in results if not cells[r.pack]]
        rows.append({"topic": topic_id, "title": topic["title"], "title_ko": topic["title_ko"],
                     "cells": cells, "missing_in": gap})
    return {"system": card.id, "as_of": day, "columns": columns, "rows": rows}
