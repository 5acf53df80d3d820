"""Receipts and review requests in the store (``hc.transparency.receipts``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.auth.throttle import HOUR, MINUTE, Policy
from haechi.domain.errors import Issue, NotFound, ValidationFailed
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import ExplanationReceipt, ReviewRequest

from . import contributions as contrib
from .receipts import REVIEW_KINDS, build_receipt, render_receipt_html, render_receipt_text, review_due

if TYPE_CHECKING:
    from haechi.auth.throttle import Throttle
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database

    from .verdict import VerdictDuties

ReceiptFormat = Literal["json", "text", "html", "pdf"]
STATUSES = ("open", "in_review", "upheld", "changed", "closed")

#: The ledger entry of each kind of request a person sends.
REVIEW_LEDGER_ACTIONS: dict[str, LedgerAction] = {
    "review": LedgerAction.REVIEW_REVIEW,
    "objection": LedgerAction.REVIEW_OBJECTION,
    "question": LedgerAction.REVIEW_QUESTION,
}

#: Review requests need no login, so they are throttled: per client address (a person
#: asks a few times, a script thousands) and per system (a flood from many addresses
#: must not bury the overseers' task list). Unknown tokens count for the client too.
REVIEW_CLIENT = Policy("review:client", 10, HOUR, 10 * MINUTE, HOUR)
REVIEW_SYSTEM = Policy("review:system", 100, HOUR, 5 * MINUTE, HOUR)


def _not_found() -> NotFound:
    return NotFound("receipt not found", key="transparency.receipt_not_found")


class ReceiptBook:
    """Explanation receipts and the review requests people send about them.

    ``throttle`` is a zero-argument callable returning the workspace's request throttle,
    asked for only when a review request arrives.
    """

    def __init__(self, db: Database, systems: SystemRegistry, duties: VerdictDuties,
                 throttle: Callable[[], Throttle]) -> None:
        self.db, self.systems, self.duties, self._throttle_of = db, systems, duties, throttle

    def create(
        self,
        actor: Actor,
        slug: str,
        event: dict[str, Any],
        *,
        model: Any = None,
        background: Any = None,
        feature_names: list[str] | None = None,
        top: int = 5,
    ) -> dict[str, Any]:
        """Explain one logged decision; contributions from the event, else computed from ``model``."""
        actor.require(Permission.WRITE)
        _check_event(event)
        record = self.systems.get(actor, slug)
        duties = self.duties.of(actor, record)
        found = self._contributions(event, model, background, feature_names)
        content = build_receipt(record.effective_card, duties, event, found, top)
        token = secrets.token_urlsafe(18)
        with self.db.transaction() as s:
            row = ExplanationReceipt(
                org_id=actor.org_id,
                token=token,
                system=slug,
                decision_id=str(event["decision_id"])[:200],
                content=content,
                actor=actor.label,
            )
            s.add(row)
            s.flush()
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.RECEIPT_CREATE,
                "system",
                slug,
                {"receipt_id": row.id, "decision_id": content["decision_id"], "required": content["required"]},
            )
        return {"token": token, **content}

    def _contributions(
        self, event: dict[str, Any], model: Any, background: Any, names: list[str] | None
    ) -> contrib.Contributions | None:
        if event.get("contributions"):
            return contrib.supplied(event["contributions"], event.get("score"))
        if model is not None:
            return contrib.compute(model, event.get("features") or {}, names, background, event.get("target_class"))
        return None

    def get(self, actor: Actor | None, token: str) -> dict[str, Any]:
        """A receipt by token: an actor sees only its organisation's; ``None`` = the person's link."""
        with self.db.reader() as s:
            row = s.execute(select(ExplanationReceipt).where(ExplanationReceipt.token == token)).scalar_one_or_none()
            if row is None or (actor is not None and row.org_id != actor.org_id):
                raise _not_found()
            if actor is not None:
                actor.require(Permission.READ)
            return {"token": row.token, "created_at": row.created_at.isoformat(), **row.content}

    def render(
        self, actor: Actor | None, token: str, fmt: ReceiptFormat, lang: str, review_url: str | None = None
    ) -> str | bytes | dict[str, Any]:
        content = self.get(actor, token)
        if fmt == "json":
            return content
        if fmt == "text":
            return render_receipt_text(content, lang, review_url)
        page = render_receipt_html(content, lang, review_url)
        if fmt == "html":
            return page
        from haechi.reports.pdf import write_pdf

        return write_pdf(page, "PDF receipts")

    def request_review(self, token: str, kind: str, message: str, contact: str | None = None,
                       client: str | None = None) -> dict[str, Any]:
        """Record a person's request (no login: the receipt token is the authority).

        Throttled per ``client`` address and per system (:class:`TooManyRequests` with
        the seconds to wait); a refused request is not recorded.
        """
        if kind not in REVIEW_KINDS:
            raise ValidationFailed(
                f"unknown request kind '{kind}'", key="review.unknown_kind",
                values={"kind": kind, "kinds": ", ".join(REVIEW_KINDS)},
                issues=[Issue("kind", "unknown", f"use one of {', '.join(REVIEW_KINDS)}")],
            )
        if not message.strip() or len(message) > 5000:
            raise ValidationFailed(
                "the request needs a message of 1-5000 characters",
                key="transparency.request_needs_message_characters",
                issues=[Issue("message", "empty or too long", "describe what should be reviewed")],
            )
        self._throttle(REVIEW_CLIENT, client)
        with self.db.reader() as s:
            owner = s.execute(select(ExplanationReceipt.org_id, ExplanationReceipt.system)
                              .where(ExplanationReceipt.token == token)).first()
        if owner is None:
            raise _not_found()
        self._throttle(REVIEW_SYSTEM, f"{owner.org_id}/{owner.system}" if client else None)
        with self.db.transaction() as s:
            receipt = s.execute(
                select(ExplanationReceipt).where(ExplanationReceipt.token == token)
            ).scalar_one_or_none()
            if receipt is None:
                raise _not_found()
            overseer = (receipt.content.get("oversight") or {}).get("email")
            now = utcnow()
            row = ReviewRequest(
                org_id=receipt.org_id,
                receipt_id=receipt.id,
                system=receipt.system,
                kind=kind,
                message=message.strip(),
                contact=(contact or None),
                status="open",
                assignee=overseer,
                due_at=review_due(now),
                created_at=now,
            )
            s.add(row)
            s.flush()
            append(
                s,
                receipt.org_id,
                "public:receipt",
                REVIEW_LEDGER_ACTIONS[kind],
                "system",
                receipt.system,
                {
                    "request_id": row.id,
                    "receipt_id": receipt.id,
                    "decision_id": receipt.decision_id,
                    "assignee": overseer,
                    "due_at": row.due_at,
                },
            )
            return _request_dict(row, receipt.decision_id)

    def _throttle(self, policy: Policy, subject: str | None) -> None:
        """Refuse while ``subject`` is locked, else count this request against it."""
        if subject is None:
            return
        key = policy.key(subject)
        throttle = self._throttle_of()
        throttle.check([key], "too many review requests: wait {seconds} seconds, then send it again "
                       "(this one was not recorded)",
                       "검토 요청이 너무 많습니다: {seconds}초 후에 다시 보내세요 (이번 요청은 접수되지 않았습니다)")
        throttle.record(policy, key)

    def requests(self, actor: Actor, status: str | None = None, slug: str | None = None) -> list[dict[str, Any]]:
        """Review requests of the organisation: the overseers' task list."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            stmt = (
                select(ReviewRequest, ExplanationReceipt.decision_id)
                .join(ExplanationReceipt, ExplanationReceipt.id == ReviewRequest.receipt_id)
                .where(ReviewRequest.org_id == actor.org_id)
                .order_by(ReviewRequest.created_at.desc())
            )
            if status:
                stmt = stmt.where(ReviewRequest.status == status)
            if slug:
                stmt = stmt.where(ReviewRequest.system == slug)
            return [_request_dict(row, decision) for row, decision in s.execute(stmt)]

    def resolve(self, actor: Actor, request_id: int, status: str, resolution: str) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        if status not in STATUSES:
            raise ValidationFailed(
                f"unknown status '{status}'", key="review.unknown_status",
                values={"status": status, "statuses": ", ".join(STATUSES)},
                issues=[Issue("status", "unknown", f"use one of {', '.join(STATUSES)}")],
            )
        with self.db.transaction() as s:
            row = s.get(ReviewRequest, request_id)
            if row is None or row.org_id != actor.org_id:
                raise NotFound(f"review request {request_id} not found", key="review.not_found",
                               values={"id": request_id})
            row.status, row.resolution = status, resolution
            row.resolved_at = utcnow() if status in ("upheld", "changed", "closed") else None
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.REVIEW_RESOLVE,
                "system",
                row.system,
                {"request_id": row.id, "status": status, "resolution": resolution},
            )
            receipt = s.get(ExplanationReceipt, row.receipt_id)
            return _request_dict(row, receipt.decision_id if receipt else "")


def _check_event(event: dict[str, Any]) -> None:
    missing = [k for k in ("decision_id", "result") if not event.get(k)]
    if missing:
        raise ValidationFailed(
            f"the decision event lacks {', '.join(missing)}",
            key="transparency.decision_event_lacks", values={"missing": ", ".join(missing)},
            issues=[Issue(f"event.{k}", "required", "log the decision id and its final result") for k in missing],
        )


def _request_dict(row: ReviewRequest, decision_id: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "system": row.system,
        "decision_id": decision_id,
        "kind": row.kind,
        "message": row.message,
        "contact": row.contact,
        "status": row.status,
        "assignee": row.assignee,
        "due_at": row.due_at.isoformat() if row.due_at else None,
        "resolution": row.resolution,
        "created_at": row.created_at.isoformat(),
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
    }
