"""Transparency pages: a tab per system (notice, label settings, deliveries, decisions,
review requests) and the public posting page per organisation (no login; Decree Art. 27(1)).

Each page builds one ``data`` dict (its JSON twin with ``?format=json``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor, Permission
from haechi.transparency import records
from haechi.transparency.notice_render import render_html
from haechi.transparency.notices import NoticeContent, build_content

from ..views import check_csrf, local_title, page_actor, redirect, render, translator
from .systems import system_header

router = APIRouter()


def _notice_state(request: Request, actor: Actor, system_id: str) -> dict[str, Any]:
    """The stored notice and whether the card or verdict has moved on (no writes on GET)."""
    hc = get_hc(request)
    record = hc.systems.get(actor, system_id)
    with hc.db.reader() as s:
        latest = records.latest_notice_data(s, actor.org_id, system_id)
    stored = NoticeContent.from_dict(latest[0]) if latest else None
    try:
        duties = hc.transparency.duties(actor, system_id)
        fresh = build_content(record.effective_card, duties, hc.transparency._org_names(actor))
        problem = None
    except Exception as error:  # no verdict yet or an incomplete card: say so on the page
        fresh, duties, problem = None, None, getattr(error, "message", str(error))
    outdated = bool(fresh and (latest is None or latest[1] != fresh.digest()))
    return {"stored": stored, "fresh": fresh, "duties": duties, "outdated": outdated, "problem": problem}


@router.get("/systems/{system_id}/transparency")
def system_tab(system_id: str, request: Request, actor: Actor = Depends(page_actor)) -> Response:
    hc = get_hc(request)
    lang = translator(request).lang
    state = _notice_state(request, actor, system_id)
    shown = state["stored"] or state["fresh"]
    data = {
        **system_header(request, actor, system_id),
        "notice": shown.to_dict() if shown else None,
        "notice_outdated": state["outdated"], "problem": state["problem"],
        "duties": state["duties"].to_dict()["duties"] if state["duties"] else {},
        "versions": hc.transparency.notice_versions(actor, system_id),
        "label_settings": hc.transparency.label_settings(actor, system_id).model_dump(),
        "deliveries": hc.transparency.delivery_counts(actor, system_id),
        "decisions": [_shown_decision(d, translator(request))
                      for d in hc.transparency.decisions(actor, system_id)[:50]],
        "reviews": hc.transparency.receipts.requests(actor, slug=system_id),
    }
    preview = Markup(render_html(shown, lang, "screen")) if shown else None  # type: ignore[arg-type]
    return render(request, "transparency/tab.html", {**data, "preview": preview}
                  if request.query_params.get("format") != "json" else data,
                  title=local_title(request, data.get("system", {})) or system_id)


@router.post("/systems/{system_id}/transparency/notice")
def publish_notice(system_id: str, request: Request, csrf_token: str = Form(""),
                   actor: Actor = Depends(page_actor)) -> Response:
    """Store the current notice as a new version (when card or verdict changed)."""
    check_csrf(request, csrf_token)
    actor.require(Permission.WRITE)
    get_hc(request).transparency.current_notice(actor, system_id)
    return redirect(f"/systems/{system_id}/transparency")


@router.get("/public/{org}/ai")
def public_posting(org: str, request: Request) -> Response:
    """The organisation's public AI page — no login (KR Decree Art. 27(1))."""
    data = get_hc(request).transparency.posting.public(org)
    return render(request, "transparency/public.html", data)


def _shown_decision(decision: dict[str, Any], t: Any) -> dict[str, Any]:
    """A recorded decision with its kind, sentence and reasons in the page's language."""
    from haechi.transparency.labelling import DECISION_TEXT_KEYS

    def shown(text: str) -> str:
        key = DECISION_TEXT_KEYS.get(text)
        return t(f"transparency.decision_text.{key}") if key else text

    kind_key = f"transparency.decision_kind.{decision.get('kind')}"
    return {**decision, "kind_shown": t(kind_key) if t.has(kind_key) else decision.get("kind"),
            "decision_shown": shown(decision.get("decision") or ""),
            "reasons_shown": [shown(r) for r in decision.get("reasons") or []]}
