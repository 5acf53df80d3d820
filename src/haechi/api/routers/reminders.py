"""``/api/v1/reminders``: the due list, each person's notification choices, signed webhooks and
the delivery log (attempts, status codes, next retry)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor
from haechi.core import Haechi

from ..deps import RowId, current_actor, get_hc
from ..models import returns
from ..models.reminders import (
    Delivery,
    DeliveryList,
    ReminderPreferences,
    RemindersDue,
    WebhookEndpointList,
    WebhookEndpointOut,
)

router = APIRouter(prefix="/api/v1/reminders", tags=["reminders"])


class PreferencesBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lang: Literal["ko", "en"]
    channels: list[Literal["email", "none"]] = Field(default=["email"], max_length=4)
    digest: bool = True


class WebhookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    url: str = Field("", max_length=2000, description="where to post (kakaowork: defaults to the Bot API's "
                     "messages.send)")
    format: Literal["standard", "slack", "dooray", "kakaowork"] = "standard"
    lang: Literal["ko", "en"] = "ko"
    conversation_id: str | None = Field(None, max_length=64, description="kakaowork: the chat room id")
    app_key: str | None = Field(None, max_length=200, description="kakaowork: the bot's app key (stored, "
                                "never shown again)")


@router.get("/due", summary="What is due within N days (and overdue), for which system, for whom",
            **returns(RemindersDue))
def due(days: int = Query(7, ge=0, le=366), system: str | None = Query(None, max_length=64),
        person: str | None = Query(None, max_length=320), hc: Haechi = Depends(get_hc),
        actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    if system:
        hc.systems.get(actor, system)
    return hc.reminders.due(actor, days, system=system, person=person)


@router.get("/preferences", summary="My reminder channels and language", **returns(ReminderPreferences))
def get_preferences(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.preferences(actor)


@router.put("/preferences", summary="Choose my reminder channels, language and daily digest",
            **returns(ReminderPreferences))
def put_preferences(body: PreferencesBody, hc: Haechi = Depends(get_hc),
                    actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.set_preferences(actor, lang=body.lang, channels=list(body.channels), digest=body.digest)


@router.get("/webhooks", summary="Webhook endpoints (secrets are not shown again)", **returns(WebhookEndpointList))
def list_webhooks(hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    items = hc.reminders.webhooks(actor)
    return {"items": items, "total": len(items)}


@router.post("/webhooks", status_code=201, summary="Register a signed webhook endpoint (answers its secret once)",
             **returns(WebhookEndpointOut))
def add_webhook(body: WebhookBody, hc: Haechi = Depends(get_hc),
                actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.add_webhook(actor, name=body.name, url=body.url, fmt=body.format, lang=body.lang,
                                    conversation_id=body.conversation_id, app_key=body.app_key)


@router.delete("/webhooks/{endpoint_id}", summary="Remove a webhook endpoint (waiting messages are not sent; "
               "the delivery log is kept)", **returns(WebhookEndpointOut))
def remove_webhook(endpoint_id: RowId, hc: Haechi = Depends(get_hc),
                   actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.remove_webhook(actor, endpoint_id)


@router.post("/webhooks/{endpoint_id}/rotate", summary="Give a webhook endpoint a new signing secret "
             "(answered once)", **returns(WebhookEndpointOut))
def rotate_webhook_secret(endpoint_id: RowId, hc: Haechi = Depends(get_hc),
                          actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.rotate_webhook_secret(actor, endpoint_id)


@router.post("/webhooks/{endpoint_id}/test", summary="Send a signed test message (retried on failure)",
             **returns(Delivery))
def test_webhook(endpoint_id: RowId, hc: Haechi = Depends(get_hc),
                 actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.test_webhook(actor, endpoint_id)


@router.get("/deliveries", summary="Delivery log: every message, its attempts, status codes and next retry",
            **returns(DeliveryList))
def deliveries(limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0), hc: Haechi = Depends(get_hc),
               actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.deliveries(actor, limit, offset)


@router.get("/deliveries/{delivery_id}", summary="One delivery with its attempts", **returns(Delivery))
def delivery(delivery_id: RowId, hc: Haechi = Depends(get_hc), actor: Actor = Depends(current_actor)) -> dict[str, Any]:
    return hc.reminders.delivery(actor, delivery_id)
