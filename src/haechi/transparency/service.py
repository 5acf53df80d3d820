"""``hc.transparency``: notices, labels, verification, deliveries and decisions.

Every public method takes the actor first and stays inside the actor's organisation.
Notices and labels are derived from the system card and its verdict (see
:mod:`.verdict`); a duty the verdict marks ``exempt`` is not performed, and the
exception is recorded with its reasons so an auditor sees why.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import HaechiError, Issue, ValidationFailed
from haechi.events import EvidenceOffered
from haechi.ledger import append
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import LabelSettingsRow, NoticeVersion

from . import records
from .certs import create_local_signing_certificate
from .duties import NOTICE_DUTIES, Duties, duties_from_verdict
from .labelling import MediaLabeller
from .labelsettings import LabelSettings
from .notice_render import Format, render
from .notices import CHANNELS, Channel, Lang, NoticeContent, build_content
from .posting import PostingBook
from .receipt_book import ReceiptBook
from .textlabel import TextFormat, TextIdentity, label_text
from .verdict import current_verdict

if TYPE_CHECKING:
    from haechi.core import Haechi
    from haechi.registry.service import SystemRecord

MAX_DELIVERY_BATCH = 5000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoticeResult:
    content: NoticeContent
    lang: Lang
    channel: Channel
    format: Format
    output: str | bytes | dict[str, Any]
    draft: bool

    def meta(self) -> dict[str, Any]:
        c = self.content
        return {"system": c.system_id, "version": c.version, "effective": c.effective, "lang": self.lang,
                "channel": self.channel, "format": self.format, "required": c.required,
                "exemptions": c.exemptions, "warnings": c.warnings, "draft": self.draft}


class TransparencyService:
    """The transparency kit behind the facade (``hc.transparency``)."""

    def __init__(self, hc: Haechi) -> None:
        self.hc = hc
        self.last_evidence_error: str | None = None
        self.media = MediaLabeller(self)
        self.receipts = ReceiptBook(self)  # explanation receipts and review requests
        self.posting = PostingBook(self)  # the public posting page (Decree Art. 27(1))
        # 'haechi init' / 'haechi demo' make a local test signing certificate.
        hc.hooks.register("workspace_init", _prepare_signing)

    # --- verdict and duties --------------------------------------------------
    def duties(self, actor: Actor, slug: str) -> Duties:
        """The transparency duties of a system, read from its verdict."""
        actor.require(Permission.READ)
        return self._duties(actor, self.hc.systems.get(actor, slug))

    def _duties(self, actor: Actor, record: SystemRecord) -> Duties:
        return duties_from_verdict(current_verdict(self.hc.rules, actor, record), self.hc.rules.library)

    def _org_names(self, actor: Actor) -> dict[str, str]:
        org = self.hc.accounts.get_org(actor.org_slug)
        return {"en": org.name, "ko": org.name_ko or org.name}

    # --- notices --------------------------------------------------------------
    def current_notice(self, actor: Actor, slug: str) -> tuple[NoticeContent, bool]:
        """The current notice version, creating version n+1 when card or verdict changed.

        Returns ``(content, draft)``: a reader without write permission gets an unsaved
        draft when the stored version is out of date.
        """
        actor.require(Permission.READ)
        record = self.hc.systems.get(actor, slug)
        duties = self._duties(actor, record)
        content = build_content(record.card, duties, self._org_names(actor))
        if not actor.can(Permission.WRITE):
            return self._read_or_draft(actor, content)
        with self.hc.db.transaction() as s:
            stored = records.store_notice(s, actor, content, record.revision)
            exempt = duties.exempt(NOTICE_DUTIES)
            if exempt and not duties.active(NOTICE_DUTIES):
                records.record_exceptions(s, actor, slug, exempt, "advance notice not required",
                                          duties.verdict_digest)
        return stored, False

    def _read_or_draft(self, actor: Actor, content: NoticeContent) -> tuple[NoticeContent, bool]:
        with self.hc.db.reader() as s:
            latest = records.latest_notice_data(s, actor.org_id, content.system_id)
        if latest is not None and latest[1] == content.digest():
            return NoticeContent.from_dict(latest[0]), False
        return content.with_version((latest[2] if latest else 0) + 1, dt.date.today()), True

    def notice(self, actor: Actor, slug: str, *, lang: Lang = "ko", channel: Channel = "screen",
               fmt: Format = "text") -> NoticeResult:
        """Render the current notice of ``slug`` for one channel, language and format."""
        if channel not in CHANNELS:
            raise ValidationFailed(f"unknown channel '{channel}'", issues=[
                Issue("channel", f"'{channel}' is not a channel", "use terms, screen, place or voice")])
        content, draft = self.current_notice(actor, slug)
        return NoticeResult(content, lang, channel, fmt, render(content, lang, channel, fmt), draft)

    def notice_versions(self, actor: Actor, slug: str) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        self.hc.systems.get(actor, slug, include_deleted=True)
        with self.hc.db.reader() as s:
            rows = s.execute(select(NoticeVersion).where(NoticeVersion.org_id == actor.org_id,
                                                         NoticeVersion.system == slug)
                             .order_by(NoticeVersion.version.desc())).scalars()
            return [{"version": r.version, "effective": r.effective.isoformat(), "sha256": r.content_sha256,
                     "verdict_digest": r.verdict_digest, "card_revision": r.card_revision,
                     "created_by": r.created_by, "required": r.content.get("required")} for r in rows]

    # --- label settings -------------------------------------------------------
    def label_settings(self, actor: Actor, slug: str) -> LabelSettings:
        actor.require(Permission.READ)
        self.hc.systems.get(actor, slug)
        with self.hc.db.reader() as s:
            row = self._settings_row(s, actor, slug)
            return LabelSettings.model_validate(row.settings) if row else LabelSettings()

    def set_label_settings(self, actor: Actor, slug: str, values: dict[str, Any]) -> LabelSettings:
        """Change some label settings (others keep their value); validated, ledgered."""
        actor.require(Permission.WRITE)
        current = self.label_settings(actor, slug)
        from haechi.domain.validation import parse_model
        merged = parse_model(LabelSettings, {**current.model_dump(), **values}, None,
                             "label settings", "라벨 설정")
        with self.hc.db.transaction() as s:
            row = self._settings_row(s, actor, slug)
            if row is None:
                s.add(LabelSettingsRow(org_id=actor.org_id, system=slug, settings=merged.model_dump(),
                                       updated_by=actor.label))
            else:
                row.settings, row.updated_at, row.updated_by = merged.model_dump(), utcnow(), actor.label
            append(s, actor.org_id, actor.label, "label.settings", "system", slug,
                   {"changed": sorted(values), "settings": merged.model_dump()})
        return merged

    def _settings_row(self, s: Any, actor: Actor, slug: str) -> LabelSettingsRow | None:
        return s.execute(select(LabelSettingsRow).where(LabelSettingsRow.org_id == actor.org_id,
                                                        LabelSettingsRow.system == slug)).scalar_one_or_none()

    # --- labels ---------------------------------------------------------------
    def text_identity(self, actor: Actor, record: SystemRecord, notice_version: int | None) -> TextIdentity:
        card = record.card
        names = self._org_names(actor)
        provider = card.operator.name if card.operator and card.operator.name else names["en"]
        model = card.model.name if card.model and card.model.name else None
        return TextIdentity(card.id, {"en": card.name, "ko": card.name_ko or card.name}, provider, model,
                            notice_version)

    def label_text(self, actor: Actor, slug: str, text: str, *, fmt: TextFormat = "text",
                   lang: Lang | None = None, force: bool = False) -> dict[str, Any]:
        """Label generated text; honours an exemption in the verdict unless ``force``."""
        actor.require(Permission.READ)
        record = self.hc.systems.get(actor, slug)
        plan = self.media.plan(actor, record, "text", force=force)
        settings = self.label_settings(actor, slug)
        if not plan["apply"]:
            return {"applied": False, "body": text, "headers": {}, "label": None, **plan}
        ident = self.text_identity(actor, record, plan.get("notice_version"))
        out = label_text(text, ident, settings, fmt, lang)
        return {"applied": True, **out, **plan}

    def label_file(self, actor: Actor, slug: str, kind: str, src: Path, out: Path, **options: Any) -> dict[str, Any]:
        """Label a text, image, video or audio file into ``out`` (the input is never changed)."""
        return self.media.label_file(actor, slug, kind, src, out, **options)

    def verify(self, actor: Actor | None, path: Path, *, reencode: bool = True) -> dict[str, Any]:
        """Verify a file's C2PA label; with an actor, also look it up in Haechi's records."""
        return self.media.verify(actor, path, reencode=reencode)

    # --- deliveries and decisions ----------------------------------------------
    def record_deliveries(self, actor: Actor, items: list[dict[str, Any]], *, source: str = "api") -> int:
        """Record notice/label deliveries (from the middleware or an app) as evidence."""
        actor.require(Permission.WRITE)
        if len(items) > MAX_DELIVERY_BATCH:
            raise ValidationFailed(f"too many deliveries in one batch ({len(items)}); send at most "
                                   f"{MAX_DELIVERY_BATCH}", message_ko="한 번에 보낼 수 있는 전달 기록 수를 넘었습니다")
        clean = [_clean_delivery(item, i, source) for i, item in enumerate(items)]
        systems = {c["system"] for c in clean}
        for slug in systems:
            self.hc.systems.get(actor, slug)
        with self.hc.db.transaction() as s:
            count = records.add_deliveries(s, actor.org_id, clean)
            for slug in sorted(systems):
                mine = [c for c in clean if c["system"] == slug]
                append(s, actor.org_id, actor.label, "transparency.deliveries", "system", slug,
                       {"count": len(mine), "source": source, "first": min(c["delivered_at"] for c in mine),
                        "last": max(c["delivered_at"] for c in mine),
                        "kinds": sorted({c["kind"] for c in mine})})
        self._link_evidence(actor, clean)
        return count

    def _link_evidence(self, actor: Actor, clean: list[dict[str, Any]]) -> None:
        """Offer each batch to the compliance loop as automatic evidence.

        Deliveries are already stored when this runs; a failure to link them is logged and
        kept in ``last_evidence_error`` rather than undoing the record of what users were shown.
        """
        record = self._offer_evidence
        for slug in sorted({c["system"] for c in clean}):
            for kind, articles in (("notice", ["kr:31(1)", "eu:50(1)"]), ("label", ["kr:31(2)", "eu:50(2)"]),
                                   ("machine_notice", ["kr:31(2)"])):
                mine = [c for c in clean if c["system"] == slug and c["kind"] == kind]
                if mine:
                    self._evidence(record, actor, slug, kind, articles, mine)

    def _evidence(self, record: Any, actor: Actor, slug: str, kind: str, articles: list[str],
                  items: list[dict[str, Any]]) -> None:
        first = min(c["delivered_at"] for c in items).isoformat()
        last = max(c["delivered_at"] for c in items).isoformat()
        title = f"{len(items)} {kind.replace('_', ' ')} deliveries recorded {first[:10]}..{last[:10]}"
        payload = {"kind": kind, "count": len(items), "from": first, "to": last,
                   "sessions": len({c["session_hash"] for c in items if c["session_hash"]}),
                   "notice_versions": sorted({c["notice_version"] for c in items if c["notice_version"]})}
        try:
            record(actor, slug, "notice_delivery", title, payload, articles=articles, source="transparency.deliveries")
        except HaechiError as error:
            self.last_evidence_error = error.message
            log.warning("could not link %s deliveries of %s as evidence: %s", kind, slug, error.message)

    def _offer_evidence(self, actor: Actor, slug: str, kind: str, title: str, payload: dict[str, Any],
                        **options: Any) -> None:
        self.hc.events.publish(EvidenceOffered(None, actor, slug, kind, title, payload, options))

    def delivery_counts(self, actor: Actor, slug: str | None = None,
                        since: dt.datetime | None = None) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.hc.db.reader() as s:
            return records.delivery_counts(s, actor.org_id, slug, since)

    def decisions(self, actor: Actor, slug: str | None = None) -> list[dict[str, Any]]:
        """Exceptions and mark choices, newest first (what an auditor reads)."""
        actor.require(Permission.READ)
        with self.hc.db.reader() as s:
            return records.decisions(s, actor.org_id, slug)


def _prepare_signing(hc: Haechi) -> None:
    """``haechi init`` hook: each organisation's own local test signing certificate (kept if one exists)."""
    for org in hc.accounts.list_orgs():
        create_local_signing_certificate(hc, org=org.slug)


def _clean_delivery(item: dict[str, Any], index: int, source: str) -> dict[str, Any]:
    where = f"deliveries[{index}]"
    missing = [k for k in ("system", "kind", "channel") if not item.get(k)]
    if missing:
        raise ValidationFailed(f"{where} lacks {', '.join(missing)}", issues=[
            Issue(f"{where}.{k}", "required", "give system, kind and channel") for k in missing])
    if item["kind"] not in records.DELIVERY_KINDS:
        raise ValidationFailed(f"{where}.kind '{item['kind']}' is unknown", issues=[
            Issue(f"{where}.kind", "unknown kind", f"use one of {', '.join(records.DELIVERY_KINDS)}")])
    when = item.get("delivered_at") or utcnow()
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when)
        except ValueError:
            raise ValidationFailed(f"{where}.delivered_at is not an ISO date-time", issues=[
                Issue(f"{where}.delivered_at", "bad date-time", "use e.g. 2026-11-26T10:00:00+09:00")]) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    version = item.get("notice_version")
    return {"system": str(item["system"]), "kind": item["kind"], "channel": str(item["channel"])[:24],
            "notice_version": int(version) if version is not None else None,
            "session_hash": (str(item["session_hash"])[:64] if item.get("session_hash") else None),
            "route": (str(item["route"])[:300] if item.get("route") else None),
            "source": str(item.get("source") or source)[:24], "delivered_at": when}
