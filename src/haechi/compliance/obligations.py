"""A system's applicable obligations: classified from its card, kept as a snapshot.

The snapshot (``system_obligations``) lets status and controls be computed without
re-running the classifier on every page, and records when an obligation stopped
applying and why. Obligations that ``applies``, ``may_apply`` or are ``not_in_force``
yet get controls; ``exempt`` and ``not_applicable`` ones are kept as ended.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.store.compliance_tables import Control, SystemObligation
from haechi.store.tables import System, SystemRevision

from .common import as_date

if TYPE_CHECKING:
    from haechi.rules.results import Classification

RELEVANT = frozenset({"applies", "may_apply", "not_in_force"})


def card_of(s: Session, system: System) -> dict[str, Any]:
    """The current card of ``system`` as plain data."""
    row = s.execute(select(SystemRevision.card).where(
        SystemRevision.system_id == system.id, SystemRevision.revision == system.current_revision)).scalar_one()
    return dict(row)


def obligations_of(result: Classification) -> tuple[list[dict[str, Any]], str]:
    """The obligations of every pack of a verdict, as plain data, and the packs used."""
    obligations = []
    for pack in result.results:
        for ob in pack.obligations:
            data = ob.model_dump(mode="json")
            data.update({"pack": pack.pack, "pack_version": pack.pack_version})
            obligations.append(data)
    packs = ", ".join(f"{r.pack} v{r.pack_version}" for r in result.results)
    return obligations, packs


def _upsert(s: Session, system: System, existing: dict[tuple[str, str], SystemObligation],
            ob: dict[str, Any], now: dt.datetime) -> tuple[str, SystemObligation]:
    key = (ob["pack"], ob["id"])
    row = existing.get(key)
    state = "kept"
    if row is None:
        row = SystemObligation(org_id=system.org_id, system_id=system.id, pack=ob["pack"], obligation_id=ob["id"])
        s.add(row)
        state = "new"
    was_live = row.retired_at is None and state == "kept"
    row.pack_version, row.article, row.citation = ob.get("pack_version"), ob.get("article"), ob.get("citation")
    row.title, row.title_ko, row.status = ob.get("title"), ob.get("title_ko"), ob.get("status", "applies")
    row.effective_from = as_date(ob.get("effective_from"), "effective_from")
    unknown = [f"unknown: {m}" for m in ob.get("missing") or []]
    row.reasons, row.topic, row.nature = [*(ob.get("reasons") or []), *unknown], ob.get("topic"), ob.get("nature")
    row.synced_at = now
    live = row.status in RELEVANT
    if live and not was_live:
        row.retired_at, row.retired_reason = None, None
        state = "new"
    elif not live and (was_live or state == "new"):
        row.retired_at, row.retired_reason = now, f"status is now '{row.status}'"
        state = "ended" if was_live else "ignored"
    return state, row


def sync_obligations(s: Session, system: System, obligations: list[dict[str, Any]], context: str,
                     now: dt.datetime) -> dict[str, Any]:
    """Bring the snapshot in line with ``obligations``; report what started and ended.

    An empty classification (no law pack evaluated, e.g. packs failed to load) changes
    nothing: silence from the classifier is not evidence that duties ended.
    """
    if not obligations:
        return {"skipped": True, "warning": "the classifier returned no obligations; controls were left "
                "unchanged", "warning_ko": "분류 결과 의무가 없어 통제를 바꾸지 않았습니다"}
    existing = {(r.pack, r.obligation_id): r for r in s.execute(select(SystemObligation).where(
        SystemObligation.system_id == system.id)).scalars()}
    started, ended, seen = [], [], set()
    for ob in obligations:
        seen.add((ob["pack"], ob["id"]))
        state, _row = _upsert(s, system, existing, ob, now)
        if state == "new":
            started.append(ob["id"])
        elif state == "ended":
            ended.append(ob["id"])
    for key, row in existing.items():
        if key not in seen and row.retired_at is None:
            row.retired_at, row.retired_reason = now, f"no longer returned by the classifier ({context})"
            ended.append(row.obligation_id)
    s.flush()
    return {"obligations_started": sorted(started), "obligations_ended": sorted(ended)}


def live_obligations(s: Session, system_id: int) -> list[SystemObligation]:
    return list(s.execute(select(SystemObligation).where(
        SystemObligation.system_id == system_id, SystemObligation.retired_at.is_(None))
        .order_by(SystemObligation.pack, SystemObligation.obligation_id)).scalars())


def served_obligations(s: Session, control: Control) -> list[dict[str, Any]]:
    """The snapshot obligations a control serves (with citations)."""
    rows = s.execute(select(SystemObligation).where(
        SystemObligation.system_id == control.system_id,
        SystemObligation.obligation_id.in_(list(control.obligations) or [""]))).scalars()
    return [obligation_dict(o) for o in rows]


def obligation_dict(o: SystemObligation) -> dict[str, Any]:
    return {"pack": o.pack, "pack_version": o.pack_version, "id": o.obligation_id, "article": o.article,
            "citation": o.citation, "citation_ko": _citation_ko(o), "title": o.title, "title_ko": o.title_ko,
            "status": o.status, "topic": o.topic, "nature": o.nature,
            "effective_from": o.effective_from.isoformat() if o.effective_from else None,
            "reasons": o.reasons}


def _citation_ko(o: SystemObligation) -> str | None:
    """The Korean citation of a snapshot obligation, from its shipped pack (else the citation)."""
    from haechi.rules.api import shipped_citation_ko  # the law library loads only when a page asks

    return shipped_citation_ko(o.pack, o.pack_version, o.obligation_id) or o.citation
