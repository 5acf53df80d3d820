"""``/api/v1/org/facts``: the organisation's operator facts, entered once for every system."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.card import Operator

from ..deps import current_actor, get_hc
from ..models import returns
from ..models.org import OrgFactsHistory, OrgGetFacts, OrgSystemOperator

router = APIRouter(prefix="/api/v1", tags=["org"])


class FactsChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: Operator = Field(description="the complete facts: a field left out becomes unknown")
    note: str | None = Field(None, max_length=2000, description="why they changed")
    expected_revision: int | None = Field(
        None, ge=0, description="refuse if the current revision differs (0: none entered yet)")


@router.get("/org/facts", summary="The organisation's operator facts", **returns(OrgGetFacts))
def get_facts(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.org_facts.current(actor).to_dict()


@router.put("/org/facts", summary="Change the organisation's operator facts (admins; every system is "
            "classified again)", **returns(OrgGetFacts))
def put_facts(body: FactsChange, actor: Actor = Depends(current_actor),
              hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.org_facts.set(actor, body.facts, expected_revision=body.expected_revision, note=body.note).to_dict()


@router.get("/org/facts/history", summary="Every revision of the organisation's operator facts, newest first",
            **returns(OrgFactsHistory))
def facts_history(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = [revision.to_dict() for revision in hc.org_facts.history(actor)]
    return {"items": items, "total": len(items)}


@router.get("/systems/{system_id}/operator", summary="The operator a system is classified under, and whether "
            "each value comes from the organisation or the system", **returns(OrgSystemOperator))
def system_operator(system_id: str, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    record = hc.systems.get(actor, system_id)
    operator = record.effective_card.operator
    return {"system": record.slug, "operator": operator.model_dump(mode="json", exclude_none=True) if operator else {},
            "sources": record.operator_sources}
