"""Law-pack pages: the verdict tab of each system (per jurisdiction, with reasons,
citations, open questions as a short guided form, the comparison of the laws of its markets and the
verdict history), the packs page with versions and diffs, and crosswalk lookup.

Each page builds one ``data`` dict (its JSON twin with ``?format=json``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError, Issue, ValidationFailed
from haechi.rules.api import pack_summary
from haechi.rules.topics import topics

from ..views import check_csrf, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()



def _at(request: Request) -> dt.date | None:
    text = request.query_params.get("at")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("at must be a date (YYYY-MM-DD)",
                               issues=[Issue("at", "not a date", "write YYYY-MM-DD")],
                               key="web.at_must_date_yyyy") from None


def _verdict_data(request: Request, actor: Actor, system_id: str) -> dict[str, Any]:
    hc = get_hc(request)
    as_of = _at(request)
    show_all = request.query_params.get("all", "") in ("1", "true", "yes")
    card = hc.systems.get(actor, system_id).effective_card
    verdict = hc.rules.classify_card(actor, card, as_of=as_of)
    questions = [q.model_dump(mode="json") for q in verdict.questions()]
    return {
        **system_header(request, actor, system_id),
        "as_of": verdict.as_of.isoformat(),
        "as_of_param": as_of.isoformat() if as_of else "",
        "verdict": verdict.to_json(),
        # operator facts belong to the organisation: those questions are answered on its facts page
        "questions": [q for q in questions if not q["field"].startswith("operator.")],
        "operator_questions": [q for q in questions if q["field"].startswith("operator.")],
        "comparison": hc.rules.compare(actor, card, as_of, include_all=show_all),
        "history": hc.rules.history(actor, system_id)[:30],
        "timeline": hc.rules.timeline(actor, system_id, as_of),
        "topics": topics(),
    }


@router.get("/systems/{system_id}/verdict")
def verdict_tab(system_id: str, request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """The verdict per jurisdiction with reasons and citations, questions, comparison, history."""
    data = _verdict_data(request, actor, system_id)
    return render(request, "rules/verdict.html", data, title=translator(request)("rules.tab"))


@router.post("/systems/{system_id}/verdict/answers")
async def answer_questions(system_id: str, request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Store the answers as a new card revision; the verdict follows."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    answers: dict[str, Any] = {}
    for key in form:
        if not key.startswith("q:"):
            continue
        field = key[2:].removesuffix("[]")
        values = [str(v) for v in form.getlist(key) if str(v).strip()]
        if key.endswith("[]"):  # several choices; "__none__" answers "none of these"
            chosen = [v for v in values if v != "__none__"]
            if chosen or "__none__" in values:
                answers[field] = chosen
        elif values:
            answers[field] = values[0]
    expected = str(form.get("revision") or "")
    if not answers:
        return redirect(f"/systems/{system_id}/verdict")
    hc = get_hc(request)
    try:
        hc.rules.answer(actor, system_id, answers, int(expected) if expected.isdigit() else None)
    except HaechiError as error:
        data = _verdict_data(request, actor, system_id)
        data["error"] = {"message": error.message_ko if translator(request).lang == "ko" and error.message_ko
                         else error.message, "issues": [i.to_dict() for i in error.issues]}
        return render(request, "rules/verdict.html", data, status=error.status)
    return redirect(f"/systems/{system_id}/verdict?answered=1")


@router.get("/packs")
def packs_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Every pack with its versions."""
    hc = get_hc(request)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in hc.rules.packs(actor):
        grouped.setdefault(item["id"], []).append(item)
    data = {"packs": [{"id": k, "versions": v, "latest": v[-1]} for k, v in grouped.items()],
            "prefixes": hc.rules.library.prefixes()}
    return render(request, "rules/packs.html", data, title=translator(request)("rules.nav"))


@router.get("/packs/{ref}")
def pack_page(ref: str, request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """One pack version: identity, sources, changes, classes, obligations, notes."""
    hc = get_hc(request)
    loaded = hc.rules.pack(actor, ref)
    versions = [p.version for p in hc.rules.library.versions(loaded.id)]
    data = {**pack_summary(loaded), "pack": loaded.pack.model_dump(mode="json", by_alias=True),
            "versions": versions, "topics": topics()}
    return render(request, "rules/pack.html", data, title=f"{loaded.ref}")


@router.get("/packs/{pack_id}/diff")
def pack_diff_page(pack_id: str, request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Obligations added, removed and changed between two versions; systems affected."""
    hc = get_hc(request)
    versions = [p.version for p in hc.rules.library.versions(pack_id)]
    old = int(request.query_params.get("from") or versions[0])
    new = int(request.query_params.get("to") or versions[-1])
    data = {**hc.rules.diff(actor, f"{pack_id}@{old}", f"{pack_id}@{new}", _at(request)),
            "pack_id": pack_id, "versions": versions}
    return render(request, "rules/diff.html", data, title=f"{pack_id} {old} → {new}")


@router.get("/crosswalk")
def crosswalk_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Counterparts of an article (``?article=kr:34(1)``)."""
    article = request.query_params.get("article", "").strip()
    prefixes = get_hc(request).rules.library.prefixes()
    data: dict[str, Any] = {"article": article, "entries": [], "prefixes": prefixes, "error": None}
    if article:
        try:
            data["entries"] = get_hc(request).rules.crosswalk(actor, article)
        except ValidationFailed as error:
            data["error"] = error.message_ko if translator(request).lang == "ko" else error.message
    return render(request, "rules/crosswalk.html", data, title=translator(request)("rules.crosswalk"))
