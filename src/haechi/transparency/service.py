"""``hc.transparency``: notices, labels, verification, deliveries and decisions.

Every public method takes the actor first and stays inside the actor's organisation.
Notices and labels are derived from the system card and its verdict (see
:mod:`.verdict`); a duty the verdict marks ``exempt`` is not performed, and the
exception is recorded with its reasons so an auditor sees why.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import HaechiError, Issue, ValidationFailed
from haechi.events import EvidenceOffered
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import NoticeVersion

from . import records
from .duties import NOTICE_DUTIES, Duties
from .label_book import LabelSettingsBook
from .labelling import MediaLabeller
from .labelsettings import LabelSettings
from .notice_render import Format, render
from .notices import CHANNELS, Channel, Lang, NoticeContent, build_content
from .posting import PostingBook
from .receipt_book import ReceiptBook
from .textlabel import TextFormat, TextIdentity
from .verdict import VerdictDuties, org_names

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.auth.throttle import Throttle
    from haechi.clock import Clock
    from haechi.events import EventBus
    from haechi.registry.service import SystemRecord, SystemRegistry
    from haechi.store.db import Database
    from haechi.verdicts.service import VerdictService

    from .certs import CertStore

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
    """The transparency kit behind the facade (``hc.transparency``).

    :param db: the store.
    :param systems: the registry (cards, revisions, tenancy checks).
    :param accounts: organisations (names on notices and labels).
    :param verdicts: a zero-argument callable returning the verdict service (``hc.rules``),
        called when duties are first needed, so commands that never read a verdict do not
        load the law packs.
    :param events: the event bus (deliveries are offered as evidence through it).
    :param clock: the workspace clock (dates of draft notices).
    :param certs: the signing certificates (settings or local test pairs).
    :param throttle: a zero-argument callable returning the request throttle (review requests).
    """

    def __init__(self, db: Database, systems: SystemRegistry, accounts: Accounts,
                 verdicts: Callable[[], VerdictService], events: EventBus, clock: Clock, certs: CertStore,
                 throttle: Callable[[], Throttle]) -> None:
        self.db, self.systems, self.accounts, self.events, self.clock = db, systems, accounts, events, clock
        self.certs = certs
        self.last_evidence_error: str | None = None
        self.duty_reader = VerdictDuties(verdicts)
        self.label_book = LabelSettingsBook(db, systems)
        self.media = MediaLabeller(db, systems, accounts, certs, self.duty_reader, self.label_book)
        # explanation receipts and review requests
        self.receipts = ReceiptBook(db, systems, self.duty_reader, throttle)
        # the public posting page (Decree Art. 27(1))
        self.posting = PostingBook(db, systems, accounts, self.duty_reader)

    # --- verdict and duties --------------------------------------------------
    def duties(self, actor: Actor, slug: str) -> Duties:
        """The transparency duties of a system, read from its verdict."""
        actor.require(Permission.READ)
        return self._duties(actor, self.systems.get(actor, slug))

    def _duties(self, actor: Actor, record: SystemRecord) -> Duties:
        return self.duty_reader.of(actor, record)

    def _org_names(self, actor: Actor) -> dict[str, str]:
        return org_names(self.accounts.get_org(actor.org_slug))

    # --- notices --------------------------------------------------------------
    def current_notice(self, actor: Actor, slug: str) -> tuple[NoticeContent, bool]:
        """Store the current notice: version n+1 when card or verdict changed (the explicit write).

        Returns ``(content, draft)``: a reader without write permission gets what
        :meth:`read_notice` gives, an unsaved draft when the stored version is out of date.
        """
        actor.require(Permission.READ)
        record = self.systems.get(actor, slug)
        duties = self._duties(actor, record)
        content = build_content(record.effective_card, duties, self._org_names(actor))
        if not actor.can(Permission.WRITE):
            return self._read_or_draft(actor, content)
        with self.db.transaction() as s:
            stored = records.store_notice(s, actor, content, record.revision)
            exempt = duties.exempt(NOTICE_DUTIES)
            if exempt and not duties.active(NOTICE_DUTIES):
                records.record_exceptions(s, actor, slug, exempt, "advance notice not required",
                                          duties.verdict_digest)
        return stored, False

    def read_notice(self, actor: Actor, slug: str) -> tuple[NoticeContent, bool]:
        """The stored notice, or ``(next version, True)`` as an unsaved draft when it is out of date.

        A read for every role: nothing is stored (:meth:`current_notice` stores).
        """
        actor.require(Permission.READ)
        record = self.systems.get(actor, slug)
        content = build_content(record.effective_card, self._duties(actor, record), self._org_names(actor))
        return self._read_or_draft(actor, content)

    def _read_or_draft(self, actor: Actor, content: NoticeContent) -> tuple[NoticeContent, bool]:
        with self.db.reader() as s:
            latest = records.latest_notice_data(s, actor.org_id, content.system_id)
        if latest is not None and latest[1] == content.digest():
            return NoticeContent.from_dict(latest[0]), False
        return content.with_version((latest[2] if latest else 0) + 1, self.clock.today()), True

    def notice(self, actor: Actor, slug: str, *, lang: Lang = "ko", channel: Channel = "screen",
               fmt: Format = "text") -> NoticeResult:
        """Render the notice of ``slug`` for one channel, language and format (a read).

        After a card or verdict change this is the next version marked ``draft``;
        :meth:`current_notice` stores it.
        """
        if channel not in CHANNELS:
            raise ValidationFailed(f"unknown channel '{channel}'", key="notice.unknown_channel",
                                   values={"channel": channel}, issues=[
                Issue("channel", f"'{channel}' is not a channel", "use terms, screen, place or voice")])
        content, draft = self.read_notice(actor, slug)
        return NoticeResult(content, lang, channel, fmt, render(content, lang, channel, fmt), draft)

    def notice_versions(self, actor: Actor, slug: str) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        self.systems.get(actor, slug, include_deleted=True)
        with self.db.reader() as s:
            rows = s.execute(select(NoticeVersion).where(NoticeVersion.org_id == actor.org_id,
                                                         NoticeVersion.system == slug)
                             .order_by(NoticeVersion.version.desc())).scalars()
            return [{"version": r.version, "effective": r.effective.isoformat(), "sha256": r.content_sha256,
                     "verdict_digest": r.verdict_digest, "card_revision": r.card_revision,
                     "created_by": r.created_by, "required": r.content.get("required")} for r in rows]

    # --- label settings -------------------------------------------------------
    def label_settings(self, actor: Actor, slug: str) -> LabelSettings:
        return self.label_book.get(actor, slug)

    def set_label_settings(self, actor: Actor, slug: str, values: dict[str, Any]) -> LabelSettings:
        """Change some label settings (others keep their value); validated, ledgered."""
        return self.label_book.set(actor, slug, values)

    # --- labels ---------------------------------------------------------------
    def text_identity(self, actor: Actor, record: SystemRecord, notice_version: int | None) -> TextIdentity:
        return self.media.text_identity(actor, record, notice_version)

    def label_text(self, actor: Actor, slug: str, text: str, *, fmt: TextFormat = "text",
                   lang: Lang | None = None, force: bool = False) -> dict[str, Any]:
        """Label generated text; honours an exemption in the verdict unless ``force``."""
        return self.media.label_text(actor, slug, text, fmt=fmt, lang=lang, force=force)

    def label_file(self, actor: Actor, slug: str, kind: str, src: Path, out: Path, **options: Any) -> dict[str, Any]:
        """Label a text, image, video or audio file into ``out`` (the input is never changed)."""
        return self.media.label_file(actor, slug, kind, src, out, **options)

    def snapshot(self, actor: Actor, slug: str) -> dict[str, Any]:
        """What the disclosure middleware needs about ``slug`` (see :func:`.disclosure.snapshot_data`)."""
        from .disclosure import snapshot_data
        return snapshot_data(self, actor, slug)

    def verify(self, actor: Actor | None, path: Path, *, reencode: bool = True) -> dict[str, Any]:
        """Verify a file's C2PA label; with an actor, also look it up in Haechi's records."""
        return self.media.verify(actor, path, reencode=reencode)

    # --- deliveries and decisions ----------------------------------------------
    def record_deliveries(self, actor: Actor, items: list[dict[str, Any]], *, source: str = "api") -> int:
        """Record notice/label deliveries (from the middleware or an app) as evidence."""
        actor.require(Permission.WRITE)
        if len(items) > MAX_DELIVERY_BATCH:
            raise ValidationFailed(f"too many deliveries in one batch ({len(items)}); send at most "
                                   f"{MAX_DELIVERY_BATCH}", key="transparency.too_many_deliveries_one",
                                                            values={"count": len(items), "limit": MAX_DELIVERY_BATCH})
        clean = [_clean_delivery(item, i, source) for i, item in enumerate(items)]
        systems = {c["system"] for c in clean}
        for slug in systems:
            self.systems.get(actor, slug)
        with self.db.transaction() as s:
            count = records.add_deliveries(s, actor.org_id, clean)
            for slug in sorted(systems):
                mine = [c for c in clean if c["system"] == slug]
                append(s, actor.org_id, actor.label, LedgerAction.TRANSPARENCY_DELIVERIES, "system", slug,
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
        self.events.publish(EvidenceOffered(None, actor, slug, kind, title, payload, options))

    def delivery_counts(self, actor: Actor, slug: str | None = None,
                        since: dt.datetime | None = None) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return records.delivery_counts(s, actor.org_id, slug, since)

    def decisions(self, actor: Actor, slug: str | None = None) -> list[dict[str, Any]]:
        """Exceptions and mark choices, newest first (what an auditor reads)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            return records.decisions(s, actor.org_id, slug)


def _clean_delivery(item: dict[str, Any], index: int, source: str) -> dict[str, Any]:
    where = f"deliveries[{index}]"
    missing = [k for k in ("system", "kind", "channel") if not item.get(k)]
    if missing:
        raise ValidationFailed(f"{where} lacks {', '.join(missing)}", key="delivery.missing_fields",
                               values={"where": where, "fields": ", ".join(missing)}, issues=[
            Issue(f"{where}.{k}", "required", "give system, kind and channel") for k in missing])
    if item["kind"] not in records.DELIVERY_KINDS:
        raise ValidationFailed(f"{where}.kind '{item['kind']}' is unknown", key="delivery.unknown_kind",
                               values={"where": where, "kind": item["kind"],
                                       "kinds": ", ".join(records.DELIVERY_KINDS)}, issues=[
            Issue(f"{where}.kind", "unknown kind", f"use one of {', '.join(records.DELIVERY_KINDS)}")])
    when = item.get("delivered_at") or utcnow()
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when)
        except ValueError:
            raise ValidationFailed(f"{where}.delivered_at is not an ISO date-time", key="delivery.bad_time",
                                   values={"where": where}, issues=[
                Issue(f"{where}.delivered_at", "bad date-time", "use e.g. 2026-11-26T10:00:00+09:00")]) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    version = item.get("notice_version")
    return {"system": str(item["system"]), "kind": item["kind"], "channel": str(item["channel"])[:24],
            "notice_version": int(version) if version is not None else None,
            "session_hash": (str(item["session_hash"])[:64] if item.get("session_hash") else None),
            "route": (str(item["route"])[:300] if item.get("route") else None),
            "source": str(item.get("source") or source)[:24], "delivered_at": when}
