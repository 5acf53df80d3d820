"""Store helpers for the kit: notice versions, decisions, deliveries (used inside
transactions opened by the service; every write also appends to the ledger)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import Delivery, NoticeVersion, TransparencyDecision

from .duties import Duty
from .notices import NoticeContent

DELIVERY_KINDS = ("notice", "label", "machine_notice")

#: The ledger entry of each kind of transparency decision.
DECISION_LEDGER_ACTIONS: dict[str, LedgerAction] = {
    "exception": LedgerAction.TRANSPARENCY_EXCEPTION,
    "voluntary": LedgerAction.TRANSPARENCY_VOLUNTARY,
    "mark_choice": LedgerAction.TRANSPARENCY_MARK_CHOICE,
}


def latest_notice(s: Session, org_id: int, system: str) -> NoticeVersion | None:
    return s.execute(select(NoticeVersion).where(NoticeVersion.org_id == org_id, NoticeVersion.system == system)
                     .order_by(NoticeVersion.version.desc()).limit(1)).scalar_one_or_none()


def latest_notice_data(s: Session, org_id: int, system: str) -> tuple[dict[str, Any], str, int] | None:
    """(content, sha256, version) of the newest notice, read while the session is open."""
    row = latest_notice(s, org_id, system)
    return (dict(row.content), row.content_sha256, row.version) if row else None


def store_notice(s: Session, actor: Actor, content: NoticeContent, card_revision: int) -> NoticeContent:
    """Keep the latest version when the content is unchanged, else add version n+1."""
    latest = latest_notice(s, actor.org_id, content.system_id)
    digest = content.digest()
    if latest is not None and latest.content_sha256 == digest:
        return NoticeContent.from_dict(latest.content)
    now = utcnow()
    version = content.with_version((latest.version if latest else 0) + 1, now.date())
    s.add(NoticeVersion(org_id=actor.org_id, system=content.system_id, version=version.version,
                        content=version.to_dict(), content_sha256=digest,
                        verdict_digest=content.verdict_digest, card_revision=card_revision,
                        effective=now, created_by=actor.label))
    append(s, actor.org_id, actor.label, LedgerAction.NOTICE_VERSION, "system", content.system_id,
           {"version": version.version, "sha256": digest, "verdict_digest": content.verdict_digest,
            "card_revision": card_revision, "required": content.required})
    s.flush()
    return version


def record_decision(s: Session, actor: Actor, system: str, kind: str, duty: str, decision: str,
                    reasons: list[str], citation: str | None, verdict_digest: str) -> bool:
    """Record why a notice/label was or was not used; identical decisions are kept once."""
    body = json.dumps([system, kind, duty, decision, reasons, citation, verdict_digest], ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()
    exists = s.execute(select(TransparencyDecision.id).where(
        TransparencyDecision.org_id == actor.org_id, TransparencyDecision.digest == digest)).first()
    if exists:
        return False
    s.add(TransparencyDecision(org_id=actor.org_id, system=system, kind=kind, duty=duty, decision=decision,
                               reasons=reasons, citation=citation, verdict_digest=verdict_digest,
                               digest=digest, actor=actor.label))
    append(s, actor.org_id, actor.label, DECISION_LEDGER_ACTIONS[kind], "system", system,
           {"duty": duty, "decision": decision, "reasons": reasons, "citation": citation,
            "verdict_digest": verdict_digest})
    return True


def record_exceptions(s: Session, actor: Actor, system: str, duties: list[Duty], what: str,
                      verdict_digest: str) -> list[dict[str, Any]]:
    """Record each exempt duty as an exception (``what`` = what was not done)."""
    out = []
    for duty in duties:
        reasons = list(duty.reasons) or ["the verdict marks this duty as exempt"]
        record_decision(s, actor, system, "exception", duty.key, what, reasons, duty.citation, verdict_digest)
        out.append({"duty": duty.key, "article": duty.article, "pack": duty.pack, "citation": duty.citation,
                    "reasons": reasons, "reasons_ko": list(duty.reasons_ko), "not_done": what})
    return out


def decisions(s: Session, org_id: int, system: str | None) -> list[dict[str, Any]]:
    stmt = select(TransparencyDecision).where(TransparencyDecision.org_id == org_id)
    if system:
        stmt = stmt.where(TransparencyDecision.system == system)
    rows = s.execute(stmt.order_by(TransparencyDecision.created_at.desc(), TransparencyDecision.id.desc())).scalars()
    return [{"system": r.system, "kind": r.kind, "duty": r.duty, "decision": r.decision, "reasons": r.reasons,
             "citation": r.citation, "verdict_digest": r.verdict_digest, "actor": r.actor,
             "created_at": r.created_at.isoformat()} for r in rows]


def add_deliveries(s: Session, org_id: int, items: list[dict[str, Any]]) -> int:
    """Insert delivery records (already validated) in one go."""
    rows = [Delivery(org_id=org_id, system=i["system"], kind=i["kind"], channel=i["channel"],
                     notice_version=i.get("notice_version"), session_hash=i.get("session_hash"),
                     route=i.get("route"), source=i.get("source", "api"), delivered_at=i["delivered_at"])
            for i in items]
    s.add_all(rows)
    s.flush()
    return len(rows)


def delivery_counts(s: Session, org_id: int, system: str | None = None,
                    since: dt.datetime | None = None) -> list[dict[str, Any]]:
    stmt = (select(Delivery.system, Delivery.kind, Delivery.channel, Delivery.notice_version,
                   func.count(Delivery.id), func.count(func.distinct(Delivery.session_hash)),
                   func.max(Delivery.delivered_at))
            .where(Delivery.org_id == org_id)
            .group_by(Delivery.system, Delivery.kind, Delivery.channel, Delivery.notice_version)
            .order_by(Delivery.system, Delivery.kind, Delivery.channel, Delivery.notice_version))
    if system:
        stmt = stmt.where(Delivery.system == system)
    if since:
        stmt = stmt.where(Delivery.delivered_at >= since)
    return [{"system": r[0], "kind": r[1], "channel": r[2], "notice_version": r[3], "count": r[4],
             "sessions": r[5], "last": _iso(r[6])} for r in s.execute(stmt)]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)
