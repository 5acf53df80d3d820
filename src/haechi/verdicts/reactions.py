"""The verdict service's reactions to other capabilities' events (see :mod:`haechi.events`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haechi.events import CardRevised, OrgFactsRevised

    from .service import VerdictService


def on_card_revised(verdicts: VerdictService, event: CardRevised) -> None:
    """Every new card revision is classified once, in the transaction that stored it."""
    verdicts.on_card_revised(event.session, event.actor, event.record, event.action)


def on_org_facts_revised(verdicts: VerdictService, event: OrgFactsRevised) -> None:
    """New operator facts re-classify every system of the organisation, in the same transaction."""
    verdicts.on_org_facts_revised(event.session, event.actor, event.revision)
