"""``/api/v1`` law-pack endpoints: classify, verdicts and their history, questions and
answers, comparison, packs and their diffs, crosswalks, the obligation catalogue.

Bodies are the same JSON the CLI prints (``classify`` follows spec/system-card.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from haechi.auth.roles import Actor, Permission
from haechi.core import Haechi
from haechi.domain.errors import BadRequest, Issue, ValidationFailed
from haechi.rules import as_card, load_pack_text, obligation_catalogue
from haechi.rules.api import pack_summary

from ..deps import current_actor, get_hc
from ..models import returns
from ..models.rules import (
    RulesAnswers,
    RulesClassify,
    RulesCompareSystem,
    RulesCrosswalk,
    RulesObligations,
    RulesPack,
    RulesPackDiff,
    RulesPacks,
    RulesQuestions,
    RulesRefresh,
    RulesValidatePack,
    RulesVerdictHistory,
)

router = APIRouter(prefix="/api/v1", tags=["rules"])


class ClassifyRequest(BaseModel):
    """Either a card (not necessarily registered) or the id of a registered system."""

    card: dict[str, Any] | None = Field(None, description="a system card (spec/system-card.md)")
    system: str | None = Field(None, description="id of a registered system")
    as_of: dt.date | None = None
    packs: list[str] | None = Field(None, description="pack ids or id@version; default: by markets")
    include_all: bool = False
    provisional: bool = False


class AnswersRequest(BaseModel):
    answers: dict[str, Any] = Field(description="card path → answer (true/false, number, date, list)")
    expected_revision: int | None = Field(None, description="refuse if the card changed meanwhile")


def _card_issues(error: ValidationFailed) -> ValidationFailed:
    """Card problems located under ``card`` in the request body."""
    issues = [Issue(f"card.{i.location}" if i.location else "card", i.message, i.fix, i.line)
              for i in error.issues]
    return ValidationFailed(error.message, issues=issues, message_ko=error.message_ko)


@router.post("/classify", summary="Classify a card or a registered system (spec JSON)", **returns(RulesClassify))
def classify(body: ClassifyRequest, actor: Actor = Depends(current_actor),
             hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    if (body.card is None) == (body.system is None):
        raise BadRequest("send exactly one of 'card' or 'system'",
                         key="api.send_exactly_one_card")
    if body.system is not None:
        return hc.rules.classify(actor, body.system, as_of=body.as_of, packs=body.packs,
                                 include_all=body.include_all, provisional=body.provisional).to_json()
    try:
        card = as_card(body.card or {})
    except ValidationFailed as error:
        raise _card_issues(error) from None
    return hc.rules.classify_card(actor, card, as_of=body.as_of, packs=body.packs,
                                  include_all=body.include_all, provisional=body.provisional).to_json()


@router.get("/systems/{system_id}/verdict", summary="A registered system's verdict (spec JSON)",
            **returns(RulesClassify))
def verdict(system_id: str, as_of: dt.date | None = None,
            pack: list[str] | None = Query(None, description="pack id or id@version (repeatable)"),
            include_all: bool = Query(False, alias="all"), provisional: bool = False,
            actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    card = hc.systems.get(actor, system_id).card
    return hc.rules.classify_card(actor, card, as_of=as_of, packs=pack, include_all=include_all,
                                  provisional=provisional).to_json()


@router.get("/systems/{system_id}/verdict/history", summary="When and why the verdict changed",
            **returns(RulesVerdictHistory))
def verdict_history(system_id: str, pack: str | None = None, actor: Actor = Depends(current_actor),
                    hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.rules.history(actor, system_id, pack)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/systems/{system_id}/questions", summary="Open questions that would settle the verdict",
            **returns(RulesQuestions))
def questions(system_id: str, actor: Actor = Depends(current_actor),
              hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = [q.model_dump(mode="json") for q in hc.rules.verdict(actor, system_id).questions()]
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.post("/systems/{system_id}/answers", summary="Answer open questions (stores a new card revision)",
             **returns(RulesAnswers))
def answers(system_id: str, body: AnswersRequest, actor: Actor = Depends(current_actor),
            hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    record = hc.rules.answer(actor, system_id, body.answers, body.expected_revision)
    return {"system": system_id, "revision": record.revision,
            "verdict": hc.rules.verdict(actor, system_id).to_json()}


#: How many packs one comparison may name besides the defaults (there are far fewer packs).
_MAX_NAMED_PACKS = 20


@router.get("/systems/{system_id}/compare", summary="What the laws of the system's markets require, side by side",
            **returns(RulesCompareSystem))
def compare_system(system_id: str, as_of: dt.date | None = None, provisional: bool = False,
                   include_all: bool = Query(False, alias="all",
                                             description="every pack with a comparison column, not only the "
                                                         "laws of the system's markets"),
                   pack: list[str] = Query([], max_length=_MAX_NAMED_PACKS,
                                           description="also show these packs (e.g. a framework)"),
                   actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return _dated(hc.rules.compare(actor, system_id, as_of, provisional=provisional, include_all=include_all,
                                   packs=pack))


@router.post("/compare", summary="Compare regimes for a card", **returns(RulesCompareSystem))
def compare_card(card: dict[str, Any] = Body(..., embed=True), as_of: dt.date | None = Body(None, embed=True),
                 include_all: bool = Body(False, embed=True, alias="all"),
                 pack: list[str] = Body([], embed=True, max_length=_MAX_NAMED_PACKS),
                 actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    try:
        the_card = as_card(card)
    except ValidationFailed as error:
        raise _card_issues(error) from None
    return _dated(hc.rules.compare(actor, the_card, as_of, include_all=include_all, packs=pack))


@router.get("/packs", summary="Every pack version", **returns(RulesPacks))
def packs(actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.rules.packs(actor)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/packs/{ref}", summary="One pack version (id or id@version) with its content", **returns(RulesPack))
def pack(ref: str, actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    loaded = hc.rules.pack(actor, ref)
    return {**pack_summary(loaded), "pack": loaded.pack.model_dump(mode="json", by_alias=True)}


@router.get("/packs/{pack_id}/diff", summary="Differences between two versions and the systems affected",
            **returns(RulesPackDiff))
def pack_diff(pack_id: str, from_: int = Query(..., alias="from", ge=1), to: int = Query(..., ge=1),
              as_of: dt.date | None = None, actor: Actor = Depends(current_actor),
              hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    return hc.rules.diff(actor, f"{pack_id}@{from_}", f"{pack_id}@{to}", as_of)


@router.post("/packs/validate", summary="Check a pack file (YAML or JSON text in the body)",
             **returns(RulesValidatePack))
async def validate_pack(request: Request, actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    actor.require(Permission.READ)
    body = await request.body()
    name = "pack.json" if "json" in request.headers.get("content-type", "") else "pack.yaml"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{name}: not UTF-8 text (byte {exc.start})", key="api.not_utf_text_byte",
            values={"byte": exc.start, "name": name},
            issues=[Issue("body", f"invalid UTF-8 at byte {exc.start}", "save the pack as UTF-8 and send it again")],
        ) from None
    # Parsing and compiling a pack is CPU work: off the event loop, so other requests go on.
    return {"valid": True, **pack_summary(await run_in_threadpool(load_pack_text, text, name))}


@router.get("/crosswalk", summary="Counterparts of an article in the other packs", **returns(RulesCrosswalk))
def crosswalk(article: str = Query(..., description="PACK:ARTICLE, e.g. kr:34(1) or eu:50(2)"),
              actor: Actor = Depends(current_actor), hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    items = hc.rules.crosswalk(actor, article)
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


@router.get("/obligations", summary="The obligation catalogue of every pack", **returns(RulesObligations))
def obligations(pack: str | None = None, actor: Actor = Depends(current_actor),
                hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    actor.require(Permission.READ)
    items = [r for r in obligation_catalogue(hc.rules.library) if pack in (None, r["pack"])]
    return {"items": _dated(items), "total": len(items), "limit": len(items), "offset": 0}


@router.post("/rules/refresh", summary="Re-evaluate every system; store verdicts that changed", **returns(RulesRefresh))
def refresh(as_of: dt.date | None = Body(None, embed=True), actor: Actor = Depends(current_actor),
            hc: Haechi = Depends(get_hc)) -> dict[str, Any]:
    changed = hc.rules.refresh(actor, as_of)
    return {"items": changed, "total": len(changed), "limit": len(changed), "offset": 0}


def _dated(value: Any) -> Any:
    """Dates as ISO text (FastAPI would do it too; explicit keeps the shape identical to the CLI)."""
    if isinstance(value, dict):
        return {k: _dated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value
