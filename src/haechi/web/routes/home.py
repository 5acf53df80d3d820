"""The home page: the organisation at a glance and what to do next."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor
from haechi.registry.service import SystemRecord

from ..home import home_panels
from ..views import page_actor, render, translator

router = APIRouter()


def _portfolio(records: list[SystemRecord]) -> dict[str, Any]:
    stages = Counter(r.card.lifecycle_stage for r in records if r.card.lifecycle_stage)
    generative = sum(1 for r in records if r.card.generative and r.card.generative.modalities)
    return {"systems": len(records), "generative": generative, "industrial": sum(stages.values()),
            "by_stage": dict(stages)}


@router.get("/")
def home(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    records = hc.systems.all(actor)
    org = hc.accounts.get_org(actor.org_slug)
    recent = sorted(records, key=lambda r: r.updated_at, reverse=True)[:8]
    data: dict[str, Any] = {
        "organisation": org.to_dict(),
        "portfolio": _portfolio(records),
        "recent": [r.summary() for r in recent],
        "panels": {},
    }
    for panel in home_panels():
        data["panels"][panel.key] = panel.build(hc, actor)
    return render(request, "home.html", data, title=translator(request)("nav.home"))
