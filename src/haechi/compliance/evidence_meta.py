"""Evidence metadata: validation of the lifecycle dates and the JSON shape of an item.

Kept apart from the service so the rules are easy to read: dates in the right order,
collection time not in the future, known types and polarities; every problem is
reported together, naming its field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from haechi.domain.errors import IssueCollector, ValidationFailed

from .common import as_date, as_datetime, iso, ref
from .messages import evidence_message, evidence_title
from .vocab import EVIDENCE_SOURCES, EVIDENCE_TYPES

#: Clock skew tolerated for a ``collected_at`` slightly in the future.
FUTURE_SKEW = dt.timedelta(minutes=5)
SOURCE_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
DEFAULT_TYPE = {"file": "document", "link": "link", "record": "record", "auto": "record"}


@dataclass
class Lifecycle:
    """Validated metadata of one evidence item."""

    evidence_type: str
    polarity: str
    title: str
    description: str | None
    source: str
    source_ref: str | None
    collected_at: dt.datetime
    effective_from: dt.date
    effective_until: dt.date | None
    valid_until: dt.date | None


def lifecycle(kind: str, meta: dict[str, Any], now: dt.datetime, tz: dt.tzinfo) -> Lifecycle:
    """Check and complete the metadata of a new evidence item (defaults from ``now``)."""
    found = IssueCollector()
    ev_type = meta.get("evidence_type") or DEFAULT_TYPE[kind]
    if ev_type not in EVIDENCE_TYPES:
        found.add("evidence_type", f"unknown evidence type '{ev_type}'", f"use one of: {', '.join(EVIDENCE_TYPES)}")
    polarity = meta.get("polarity") or "supports"
    if polarity not in ("supports", "contradicts"):
        found.add("polarity", f"'{polarity}' is not a polarity", "use supports or contradicts")
    source = meta.get("source") or ("upload" if kind == "file" else "manual")
    if source not in EVIDENCE_SOURCES and not (kind == "auto" and SOURCE_PATTERN.match(str(source))):
        found.add("source", f"unknown source '{source}'", f"use one of: {', '.join(EVIDENCE_SOURCES)}")
    title = str(meta.get("title") or "").strip()
    if not title:
        found.add("title", "a title is required", "say what this evidence shows, e.g. 'Q3 bias audit report'")
    collected = _collect(meta, now, tz, found)
    start = _date(meta, "effective_from", found) or collected.astimezone(tz).date()
    until = _date(meta, "effective_until", found)
    valid = _date(meta, "valid_until", found)
    if until is not None and until < start:
        found.add("effective_until", f"ends ({until}) before it starts ({start})",
                  "effective_until must be on or after effective_from")
    if valid is not None and valid < start:
        found.add("valid_until", f"expires ({valid}) before it takes effect ({start})",
                  "valid_until must be on or after effective_from")
    found.raise_if_any(f"invalid evidence ({len(found.issues)} problem(s))",
                       f"증적 정보 오류 ({len(found.issues)}건)")
    return Lifecycle(ev_type, polarity, title, (meta.get("description") or None), source,
                     meta.get("source_ref"), collected, start, until, valid)


def _collect(meta: dict[str, Any], now: dt.datetime, tz: dt.tzinfo, found: IssueCollector) -> dt.datetime:
    try:
        collected = as_datetime(meta.get("collected_at"), "collected_at", tz) or now
    except Exception as exc:  # ValidationFailed: reported with the other issues
        found.add("collected_at", str(exc), "write e.g. 2026-03-01T14:30+09:00")
        return now
    if collected > now + FUTURE_SKEW:
        found.add("collected_at", f"{collected.isoformat()} is in the future",
                  "give the time the evidence was actually collected")
    return collected


def _date(meta: dict[str, Any], field: str, found: IssueCollector) -> dt.date | None:
    try:
        return as_date(meta.get(field), field)
    except ValidationFailed as error:
        first = error.issues[0] if error.issues else None  # out of range: say so, not "not a date"
        found.add(field, first.message if first else f"'{meta.get(field)}' is not a date",
                  (first.fix if first else None) or "write YYYY-MM-DD")
        return None


def retain_until(effective_until: dt.date | None, today: dt.date, years: int) -> dt.date:
    """Keep at least ``years`` from today or from the end of the period it covers, whichever is later.

    The Korean decree asks for 5 years of documentary evidence (Art. 27(2)) without saying
    from when; counting from the later date is the cautious reading.
    """
    base = max(today, effective_until or today)
    try:
        return base.replace(year=base.year + years)
    except ValueError:  # 29 February
        return base.replace(year=base.year + years, day=28)


def evidence_dict(ev: Any, system: str | None, controls: list[str], lineage_number: int,
                  with_record: bool = False) -> dict[str, Any]:
    out = {
        "ref": ref("evidence", ev.number), "lineage": ref("evidence", lineage_number), "revision": ev.revision,
        "system": system, "kind": ev.kind, "evidence_type": ev.evidence_type, "polarity": ev.polarity,
        "title": ev.title, "title_ko": evidence_title(ev.evidence_type, ev.source, ev.title, ev.record, "ko"),
        "title_message": evidence_message(ev.evidence_type, ev.source, ev.title, ev.record)
        if isinstance(ev.record, dict) else None,
        "description": ev.description, "sha256": ev.sha256, "size": ev.size,
        "media_type": ev.media_type, "sniffed_type": ev.sniffed_type, "filename": ev.filename, "url": ev.url,
        "source": ev.source, "source_ref": ev.source_ref, "collected_at": iso(ev.collected_at),
        "effective_from": iso(ev.effective_from), "effective_until": iso(ev.effective_until),
        "valid_until": iso(ev.valid_until), "added_by": ev.added_by, "created_at": iso(ev.created_at),
        "superseded": ev.superseded_at is not None, "resolved": ev.resolved_at is not None,
        "resolution": ev.resolution, "resolved_by": ev.resolved_by, "retain_until": iso(ev.retain_until),
        "deleted": ev.deleted_at is not None, "controls": controls,
        "review": {"status": ev.review_status, "mode": ev.review_mode, "by": ev.reviewed_by,
                   "at": iso(ev.reviewed_at), "note": ev.review_note},
    }
    if with_record:
        out["record"] = ev.record
    return out


def ledger_payload(ev: Any, controls: list[str]) -> dict[str, Any]:
    """The payload of an item's ledger entry (``controls`` as the caller named them)."""
    return {"kind": ev.kind, "type": ev.evidence_type, "polarity": ev.polarity, "title": ev.title,
            "sha256": ev.sha256, "effective_from": ev.effective_from, "valid_until": ev.valid_until,
            "controls": controls, "lineage": ref("evidence", ev.lineage), "revision": ev.revision}
