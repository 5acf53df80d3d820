"""``/notifications``: my reminder channels and language, the webhooks and the delivery log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import RowId, get_hc
from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import HaechiError, NotFound
from haechi.reminders.webhooks import FORMATS

from ..views import check_csrf, page_actor, render, translator

router = APIRouter()


def home_panel(hc: Any, actor: Actor) -> dict[str, Any]:
    """The home page's "this week" panel data (declared in the capability)."""
    from haechi.reminders.panel import panel_data

    return panel_data(hc.reminders, actor)


def _page(request: Request, actor: Actor, *, error: str | None = None, saved: bool = False,
          status: int = 200, done: str | None = None, secret: str | None = None) -> Response:
    hc = get_hc(request)
    data = {"preferences": hc.reminders.preferences(actor), "webhooks": hc.reminders.webhooks(actor),
            "deliveries": hc.reminders.deliveries(actor, 50, 0), "is_admin": actor.can(Permission.ADMIN),
            "timezone": hc.reminders.timezone(actor), "error": error, "saved": saved,
            "formats": list(FORMATS), "done": done, "new_secret": secret}
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
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor, saved=True)


def _message(request: Request, error: HaechiError) -> str:
    lang = translator(request).lang
    return error.message_ko if lang == "ko" and error.message_ko else error.message


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    return {key: str(value) for key, value in form.items()}


@router.post("/notifications/webhooks")
async def add_webhook(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Register an endpoint (admins); its secret is shown on the answer page only."""
    form = await _form(request)
    try:
        added = get_hc(request).reminders.add_webhook(actor, name=form.get("name", ""), url=form.get("url", ""),
                                                      fmt=form.get("format", "standard"), lang=form.get("lang", "ko"),
                                                      conversation_id=form.get("conversation_id") or None,
                                                      app_key=form.get("app_key") or None)
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    return _page(request, actor, done="webhook_added", secret=added["secret"])


@router.post("/notifications/webhooks/{endpoint_id}/{action}")
async def manage_webhook(request: Request, endpoint_id: RowId, action: str,
                         actor: Actor = Depends(page_actor)) -> Response:
    """Send a test, issue a new secret (shown once) or remove one endpoint (admins)."""
    await _form(request)
    reminders = get_hc(request).reminders
    try:
        if action == "test":
            reminders.test_webhook(actor, endpoint_id)
            return _page(request, actor, done="webhook_tested")
        if action == "rotate":
            return _page(request, actor, done="webhook_rotated",
                         secret=reminders.rotate_webhook_secret(actor, endpoint_id)["secret"])
        if action == "remove":
            reminders.remove_webhook(actor, endpoint_id)
            return _page(request, actor, done="webhook_removed")
    except HaechiError as error:
        return _page(request, actor, error=_message(request, error), status=error.status)
    raise NotFound(f"no webhook action '{action}'", key="web.no_webhook_action", values={"action": action})
