"""Typed events: how one capability tells the others that something happened.

An event is a frozen dataclass with documented fields. The capability where it happens
publishes it on the workspace's :class:`EventBus`, inside the transaction that made the
change, so a reaction that fails rolls the change back with it and nothing is half done.

Who reacts to what is one table, :data:`SUBSCRIBERS`: each event type lists the service
that reacts (a facade attribute, created on first use) and the function that reacts
(``"module:function"``, imported on first use, called as ``fn(service, event)``). A
command that never publishes an event imports none of its subscribers. Extra reactions
(an embedding application, a test) are added with :meth:`EventBus.subscribe`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from haechi.auth.roles import Actor
    from haechi.registry.service import SystemRecord
    from haechi.rules.results import Classification

CardAction = Literal["create", "update", "delete", "restore"]


@dataclass(frozen=True)
class CardRevised:
    """A system card got a new revision.

    :ivar session: the transaction that stored the revision.
    :ivar actor: who changed the card.
    :ivar record: the new revision (for ``delete``, the revision that records the removal).
    :ivar action: ``create``, ``update``, ``delete`` or ``restore``.
    """

    session: Session
    actor: Actor
    record: SystemRecord
    action: CardAction


@dataclass(frozen=True)
class OrgFactsRevised:
    """An organisation's operator facts got a new revision: its systems are classified again.

    :ivar session: the transaction that stored the revision.
    :ivar actor: who changed the facts.
    :ivar revision: the new revision number.
    """

    session: Session
    actor: Actor
    revision: int


@dataclass(frozen=True)
class VerdictChanged:
    """A system's stored verdict changed: a new card revision, a new pack, or a date passed.

    Published once per evaluation that stored anything, with the whole verdict, so a
    subscriber never classifies again.

    :ivar session: the transaction that stored the verdict.
    :ivar actor: on whose behalf the evaluation ran.
    :ivar system: the system's id (slug).
    :ivar revision: the card revision the verdict is for.
    :ivar verdict: the classification under the workspace's packs, as of ``verdict.as_of``.
    :ivar card: the card that was classified, as plain data.
    :ivar reason: why it was evaluated, for people (e.g. ``card revision 3 (update)``).
    :ivar changes: per pack, what changed against the stored verdict (classes, obligations).
    """

    session: Session
    actor: Actor
    system: str
    revision: int
    verdict: Classification
    card: dict[str, Any]
    reason: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertsRaised:
    """A monitor run raised new alerts (once per run, all of them).

    :ivar session: the transaction that stored the alerts.
    :ivar actor: who ran the monitor.
    :ivar alerts: the new alerts as the API shows them (``system``, ``monitor``, ``metric``, …).
    """

    session: Session
    actor: Actor
    alerts: list[dict[str, Any]]


@dataclass(frozen=True)
class AlertsHandled:
    """Compliance handled a run's new alerts: what each one fed (published once per batch).

    :ivar session: the transaction that stored the alerts and their evidence.
    :ivar actor: who ran the monitor.
    :ivar links: alert id → ``{"evidence": "E-12", "controls": ["C-4", …], "incident": "INC-2" | None}``.
    """

    session: Session
    actor: Actor
    links: dict[int, dict[str, Any]]


@dataclass(frozen=True)
class EvidenceOffered:
    """A capability has a record that proves (or disproves) a duty: a notice delivered,
    a label checked, energy metered. Compliance stores it as automatic evidence.

    :ivar session: the transaction that made the record.
    :ivar actor: who made it.
    :ivar system: the system's id (slug).
    :ivar kind: the evidence type (``notice_delivery``, ``label_check``, ``energy_record``, …).
    :ivar title: a one-line description.
    :ivar payload: the facts, JSON-able (identical payloads are stored once).
    :ivar options: further evidence options (``source``, ``source_ref``, ``polarity``,
        ``articles``, ``effective_from``, ``valid_until``, …; see compliance's ``record_auto``).
    """

    session: Session | None
    actor: Actor
    system: str
    kind: str
    title: str
    payload: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


Event = CardRevised | OrgFactsRevised | VerdictChanged | AlertsRaised | AlertsHandled | EvidenceOffered

#: Event type → (facade service, "module:function") of each reaction, in call order.
SUBSCRIBERS: dict[type, tuple[tuple[str, str], ...]] = {
    CardRevised: (("rules", "haechi.verdicts.reactions:on_card_revised"),
                  ("compliance", "haechi.compliance.hooks:on_card_revised")),
    OrgFactsRevised: (("rules", "haechi.verdicts.reactions:on_org_facts_revised"),),
    VerdictChanged: (("compliance", "haechi.compliance.hooks:on_verdict_changed"),),
    AlertsRaised: (("compliance", "haechi.compliance.hooks:on_alerts_raised"),),
    AlertsHandled: (("monitor", "haechi.monitor.problems:on_alerts_handled"),),
    EvidenceOffered: (("compliance", "haechi.compliance.hooks:on_evidence_offered"),),
}

Reaction = Callable[[Any], Any]


class EventBus:
    """Delivers each published event to the reactions listed for its type.

    :param service: returns the facade's service of a name (created on first use).
    :param table: the subscription table (default :data:`SUBSCRIBERS`).
    """

    def __init__(self, service: Callable[[str], Any],
                 table: dict[type, tuple[tuple[str, str], ...]] | None = None) -> None:
        self._service = service
        self._table = SUBSCRIBERS if table is None else table
        self._extra: dict[type, list[Reaction]] = {}

    def publish(self, event: Event) -> None:
        """Run every reaction to ``event`` now, in the publisher's transaction."""
        for service_name, target in self._table.get(type(event), ()):
            module_name, function_name = target.split(":")
            reaction = getattr(importlib.import_module(module_name), function_name)
            reaction(self._service(service_name), event)
        for extra in list(self._extra.get(type(event), ())):
            extra(event)

    def subscribe(self, event_type: type, reaction: Reaction) -> None:
        """Add a reaction outside the table (it runs after the table's reactions)."""
        self._extra.setdefault(event_type, []).append(reaction)

    def unsubscribe(self, event_type: type, reaction: Reaction) -> None:
        self._extra.get(event_type, []).remove(reaction)
