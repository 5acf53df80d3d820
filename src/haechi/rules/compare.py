"""Side-by-side comparison of what several laws (Korea, the EU, Japan, …) ask of one system.

By default the columns are the laws of the system's own markets — the card's ``markets``
and the operator's home country, whose law may reach conduct abroad (KR Art. 4(1)) — plus
any pack asked for by name (a voluntary framework such as ``nist-ai-rmf``); with
``include_all`` every pack with a comparison column is shown. Each regime is evaluated
*as if the system were offered in its market* (the card's ``markets`` gains the pack's
jurisdiction), so the table shows what each law would require, not only the laws that bind
today; ``offered`` says which ones do. Rows are the shared topics of
:mod:`haechi.rules.topics`, so a duty in one law lines up with its nearest counterparts in
the others — and an empty cell shows a gap.
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


def market_regimes(card: SystemCard, library: PackLibrary) -> list[str]:
    """The compared laws of the card's markets and of the operator's home country, in column order.

    Frameworks are voluntary, so no market selects them; an unknown ``markets`` selects every law.
    """
    home = card.operator.country if card.operator else None
    chosen = set(library.for_markets(card.markets, home))
    return [pack_id for pack_id in library.compared() if pack_id in chosen]


def default_regimes(card: SystemCard, library: PackLibrary, include_all: bool = False,
                    extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The columns of the table: every compared pack with ``include_all``, else the market
    laws plus the packs named in ``extra`` (each once, in column order, extras without a
    column last)."""
    chosen = library.compared() if include_all else market_regimes(card, library)
    named = [library.get(ref).id for ref in extra]
    order = {pack_id: i for i, pack_id in enumerate(library.compared())}
    wanted = set(chosen) | set(named)
    return sorted(wanted, key=lambda p: (order.get(p, len(order)), p))


def compare(card: SystemCard, library: PackLibrary, as_of: dt.date | None = None,
            regimes: tuple[str, ...] | list[str] | None = None,
            provisional: bool = False, include_all: bool = False,
            extra: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The comparison table as JSON-ready data (``columns`` and ``rows`` by topic).

    Without ``regimes`` the columns are :func:`default_regimes` (the laws of the card's
    markets, or every pack with ``presentation.compare`` when ``include_all``, and the
    packs named in ``extra``); ``left_out`` lists the compared packs not shown.
    """
    day = as_of or dt.date.today()
    shown = default_regimes(card, library, include_all, extra) if regimes is None else list(regimes)
    columns, results = [], []
    for ref in shown:
        chosen = library.select(ref, day, provisional).pack
        result = evaluate_pack(chosen, _as_offered(card, chosen.pack.markets), day,
                               selection="evaluated as if offered in this market",
                               selection_ko="이 시장에 제공한다고 가정하고 평가함")
        offered = card.markets is not None and bool(set(card.markets) & set(chosen.pack.markets))
        results.append(result)
        columns.append({"pack": result.pack, "pack_version": result.pack_version,
                        "title": chosen.pack.short_title or chosen.pack.title,
                        "kind": chosen.pack.kind,
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
    present = {c["pack"] for c in columns}
    left_out = [pack_id for pack_id in library.compared() if pack_id not in present]
    return {"system": card.id, "as_of": day, "all": include_all, "columns": columns, "rows": rows,
            "left_out": left_out}
