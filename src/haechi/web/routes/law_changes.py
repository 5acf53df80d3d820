"""The law-changes page: what pack updates and dates meant for each system, newest first.

One record per system and pack: duties gained, lost or moved (status or start date),
with articles, before/after and the controls affected. Paged (``?page=``), filterable
by system (``?system=``); the JSON twin carries the same records.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor

from ..views import page_actor, render, translator

router = APIRouter()
PAGE_SIZE = 20


def _page(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return max(1, min(int(text), 10_000)) if text.isdigit() else 1


@router.get("/law-changes")
def law_changes_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Law-change records of the organisation (or one system), newest first."""
    hc = get_hc(request)
    page = _page(request)
    system = (request.query_params.get("system") or "").strip()[:64] or None
    listed = hc.rules.law_changes(actor, system, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    data: dict[str, Any] = {**listed, "page": page, "pages": max(1, -(-listed["total"] // PAGE_SIZE)),
                            "system": system, "systems": [r.slug for r in hc.systems.all(actor)]}
    return render(request, "rules/law_changes.html", data, title=translator(request)("lawchanges.nav"))


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """Home page: the newest law changes (what the last pack update or date meant)."""
    listed = hc.rules.law_changes(actor, limit=3)
    return {"total": listed["total"], "records": [
        {k: item[k] for k in ("id", "system", "pack", "old_version", "new_version", "effective")}
        | {"gained": len(item["gained"]), "lost": len(item["lost"]), "moved": len(item["moved"])}
        for item in listed["items"]]}
