"""``/notifications``: my reminder channels and language, the webhooks and the delivery log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import HaechiError

from ..views import check_csrf, page_actor, render, translator

router = APIRouter()


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """The home page's "this week" panel data (declared in the capability)."""
    from haechi.reminders.panel import panel_data

    return panel_data(hc.reminders, actor)


def _page(request: Request, actor: Actor, *, error: str | None = None, saved: bool = False,
          status: int = 200) -> Response:
    hc = get_hc(request)
    data = {"preferences": hc.reminders.preferences(actor), "webhooks": hc.reminders.webhooks(actor),
            "deliveries": hc.reminders.deliveries(actor, 50, 0), "is_admin": actor.can(Permission.ADMIN),
            "timezone": hc.reminders.timezone(actor), "error": error, "saved": saved}
    return render(request, "reminders/notifications.html", data, status=status,
                  title=translator(request)("reminders.page_title"))


@router.get("/notifications")
def notifications_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    return _page(request, actor)


@router.post("/notifications")
async def save_preferences(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        get_hc(request).reminders.set_preferences(actor, lang=str(form.get("lang") or ""),
                                                  channels=[str(form.get("channel") or "email")],
                                                  digest=form.get("digest") == "yes")
    except HaechiError as error:
        lang = translator(request).lang
        message = error.message_ko if lang == "ko" and error.message_ko else error.message
        return _page(request, actor, error=message, status=error.status)
    return _page(request, actor, saved=True)
