"""Webhooks signed in the Standard Webhooks style, in the message formats of team messengers.

Signing (https://www.standardwebhooks.com): each endpoint has its own secret
``whsec_<base64 key>``; every request carries ``webhook-id`` (the message id, the same
on every retry so receivers can drop duplicates), ``webhook-timestamp`` (Unix seconds)
and ``webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>``.

Formats: ``standard`` (``{"type", "timestamp", "data"}``), ``slack`` (Slack-compatible
incoming webhooks: ``{"text", "blocks"}``; Mattermost and others accept it) and
``dooray`` (NHN Dooray! incoming webhook: ``{"botName", "text", "attachments"}``) and
``kakaowork``: KakaoWork has no incoming webhook; its documented Bot API
``messages.send`` takes ``{"conversation_id", "text", "blocks"}`` with the bot's app key as
a bearer token and answers ``{"success": …}``, so such an endpoint also holds the chat
room and the app key. Naver Works documents no incoming webhook either (its bot API needs
OAuth tokens that expire), so no format is invented for it (docs/reminders.md).

Addresses are checked by :mod:`haechi.monitor.webhook_targets` (no private or loopback
targets unless the administrator allows them) at save time and again at every attempt,
without following redirects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

from haechi.monitor.webhook_targets import TargetPolicy, TargetRefused, resolve

FORMATS = ("standard", "slack", "dooray", "kakaowork")
#: The KakaoWork Bot API method that posts a message to a chat room.
KAKAOWORK_URL = "https://api.kakaowork.com/v1/messages.send"
TIMEOUT_SECONDS = 10.0
log = logging.getLogger("haechi.reminders.webhooks")


def new_secret() -> str:
    """A fresh endpoint secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: ``v1,<base64 HMAC-SHA256>``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Check a received request's signature (what a receiver does; used by the tests and docs)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    expected = sign(secret, lowered["webhook-id"], int(lowered["webhook-timestamp"]), body)
    return any(hmac.compare_digest(expected, candidate) for candidate in lowered["webhook-signature"].split())


def body_for(fmt: str, event: str, timestamp: str, title: str, lines: list[str], data: dict[str, Any],
             conversation_id: str | None = None) -> bytes:
    """The request body in one of :data:`FORMATS` (UTF-8 JSON, Korean kept as is);
    ``conversation_id`` is the KakaoWork chat room."""
    text = "\n".join(lines)
    if fmt == "slack":
        payload: dict[str, Any] = {"text": f"{title}\n{text}", "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900] or "—"}}]}
    elif fmt == "kakaowork":
        # text blocks and a divider: the plain block types of KakaoWork's Block Kit
        payload = {"conversation_id": conversation_id, "text": title, "blocks": [
            {"type": "text", "text": title, "markdown": False}, {"type": "divider"},
            {"type": "text", "text": text[:2000] or "—", "markdown": False}]}
    elif fmt == "dooray":
        payload = {"botName": "Haechi", "text": title,
                   "attachments": [{"title": title, "text": text[:4000] or "—", "color": "orange"}]}
    else:
        payload = {"type": event, "timestamp": timestamp, "data": data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def post(url: str, body: bytes, secret: str, message_id: str, timestamp: int,
         policy: TargetPolicy, bearer: str | None = None) -> dict[str, Any]:
    """One signed POST; ``{ok, status_code, detail}``, never raises. With ``bearer`` (a
    KakaoWork app key) the request carries it and the answer's ``success`` decides."""
    import httpx

    try:
        target = resolve(url, policy)
    except TargetRefused as exc:
        log.warning("webhook %s refused: %s", url, exc)
        return {"ok": False, "status_code": None, "detail": "address not allowed"}
    headers = {"Host": target.host_header, "Content-Type": "application/json; charset=utf-8",
               "webhook-id": message_id, "webhook-timestamp": str(timestamp),
               "webhook-signature": sign(secret, message_id, timestamp, body), "User-Agent": "Haechi-Webhooks/1"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    extensions = {"sni_hostname": target.server_name} if target.url.startswith("https") else {}
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client:
            response = client.post(target.url, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as exc:
        log.warning("webhook %s failed: %s", url, exc.__class__.__name__)
        return {"ok": False, "status_code": None, "detail": "not delivered"}
    ok = 200 <= response.status_code < 300
    if ok and bearer and not _succeeded(response):
        return {"ok": False, "status_code": response.status_code, "detail": "the bot API answered success: false"}
    return {"ok": ok, "status_code": response.status_code, "detail": f"HTTP {response.status_code}"}


def _succeeded(response: Any) -> bool:
    """KakaoWork answers ``{"success": true|false, …}``; anything else is not a success."""
    try:
        return response.json().get("success") is True
    except (ValueError, AttributeError):
        return False
