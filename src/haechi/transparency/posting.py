"""The public posting page (KR Decree Art. 27(1)): what an operator of high-impact AI must
post at its office or on its website, plus each generative system's notice.

For each high-impact system: the main contents of the risk-management plan (including the
risk-management policy and organisational structure), of the explanation plan and of the
user-protection plan, and the name and contact details of the person overseeing it.
Trade secrets may be left out. The organisation chooses the wording and what to include;
nothing is published until it says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import NotFound, ValidationFailed
from haechi.domain.validation import parse_model
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import PostingSettings

from . import records
from .notice_render import render_json
from .notices import NoticeContent, build_content
from .verdict import org_names

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database

    from .verdict import VerdictDuties

SECTIONS = ("risk_management", "explanation", "user_protection")


def _no_public_page() -> NotFound:
    return NotFound("no public AI page at this address", key="transparency.no_public_ai_page")


class Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str = Field("", max_length=4000)
    ko: str = Field("", max_length=4000)


class SystemPosting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    include: bool = True
    risk_management: Bilingual = Bilingual()
    explanation: Bilingual = Bilingual()
    user_protection: Bilingual = Bilingual()
    withheld: Bilingual = Field(Bilingual(), description="what was left out as a trade secret, in general terms")


class Posting(BaseModel):
    """What the organisation publishes (``published`` must be switched on explicitly)."""

    model_config = ConfigDict(extra="forbid")
    published: bool = False
    intro: Bilingual = Bilingual()
    systems: dict[str, SystemPosting] = Field(default_factory=dict)


class PostingBook:
    """The organisation's posting settings and the public page built from them (reads only)."""

    def __init__(self, db: Database, systems: SystemRegistry, accounts: Accounts, duties: VerdictDuties) -> None:
        self.db, self.systems, self.accounts, self.duties = db, systems, accounts, duties

    def settings(self, actor: Actor) -> Posting:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            row = s.get(PostingSettings, actor.org_id)
            return Posting.model_validate(row.settings) if row else Posting()

    def update(self, actor: Actor, values: dict[str, Any]) -> Posting:
        """Replace the posting settings (validated; unknown systems are refused)."""
        actor.require(Permission.WRITE)
        posting = parse_model(Posting, values, None, "posting settings", "게시 설정")
        for slug in posting.systems:
            self.systems.get(actor, slug)
        with self.db.transaction() as s:
            row = s.get(PostingSettings, actor.org_id)
            data = posting.model_dump()
            if row is None:
                s.add(PostingSettings(org_id=actor.org_id, settings=data, updated_by=actor.label))
            else:
                row.settings, row.updated_at, row.updated_by = data, utcnow(), actor.label
            append(s, actor.org_id, actor.label, LedgerAction.POSTING_UPDATE, "organisation", actor.org_slug,
                   {"published": posting.published, "systems": sorted(posting.systems)})
        return posting

    def public(self, org_slug: str) -> dict[str, Any]:
        """The public page's content; ``NotFound`` unless the organisation published it.

        An unknown organisation and one that has not published get the very same answer,
        so the address reveals nothing about which organisations exist.
        """
        try:
            org = self.accounts.get_org(org_slug)
        except NotFound:
            raise _no_public_page() from None
        reader = Actor(org_id=org.id, org_slug=org.slug, role="viewer", label="public:posting")
        posting = self.settings(reader)
        if not posting.published:
            raise _no_public_page()
        high, generative, unclassified = [], [], []
        for record in self.systems.all(reader):
            chosen = posting.systems.get(record.slug, SystemPosting())
            if not chosen.include:
                continue
            try:
                duties = self.duties.of(reader, record)
            except Exception:  # a system without a verdict is listed as such, never guessed
                unclassified.append(record.slug)
                continue
            if duties.high_impact:
                high.append(self._high_impact(record, chosen))
            if duties.generative:
                generative.append(self._notice(reader, record, duties, org_names(org)))
        return {"organisation": {"slug": org.slug, "name": org.name, "name_ko": org.name_ko},
                "intro": posting.intro.model_dump(), "high_impact": high, "generative": generative,
                "unclassified": unclassified,
                "basis": {"en": "KR Enforcement Decree Art. 27(1); AI Basic Act Art. 31(1), 34(1)(1)–(4)",
                          "ko": "AI기본법 시행령 제27조제1항; AI기본법 제31조제1항, 제34조제1항제1호~제4호"}}

    def _high_impact(self, record: Any, chosen: SystemPosting) -> dict[str, Any]:
        card = record.effective_card
        oversight = card.owners.oversight if card.owners else None
        sections = {k: getattr(chosen, k).model_dump() for k in SECTIONS}
        return {"system": card.id, "name": {"en": card.name, "ko": card.name_ko or card.name},
                "purpose": {"en": card.description, "ko": card.description_ko or card.description},
                "sections": sections, "missing": [k for k, v in sections.items() if not (v["en"] or v["ko"])],
                "withheld": chosen.withheld.model_dump(),
                "overseer": {"name": oversight.name, "email": oversight.email, "phone": oversight.phone}
                if oversight else None}

    def _notice(self, reader: Actor, record: Any, duties: Any, names: dict[str, str]) -> dict[str, Any]:
        with self.db.reader() as s:
            latest = records.latest_notice_data(s, reader.org_id, record.slug)
        if latest is not None:
            content = NoticeContent.from_dict(latest[0])
        else:  # a public read never writes: show the notice as it would be, unversioned
            try:
                content = build_content(record.effective_card, duties, names)
            except ValidationFailed:
                return {"system": record.slug, "notice": None}
        return {"system": record.slug, "version": content.version,
                "notice": {lang: render_json(content, lang, "screen") for lang in ("ko", "en")}}
