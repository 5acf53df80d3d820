"""Where the kit gets a system's verdict: the workspace's verdict service (``hc.rules``).

The verdict is the engine's spec-shaped classification JSON (``system``, ``as_of``,
``results[]``) of the system's current revision, under the workspace's own packs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .duties import Duties, duties_from_verdict

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.auth.service import OrgInfo
    from haechi.registry.service import SystemRecord
    from haechi.verdicts.service import VerdictService


def current_verdict(verdicts: VerdictService, actor: Actor, record: SystemRecord) -> dict[str, Any]:
    """The verdict for the system's current card, as the spec's classification JSON."""
    return verdicts.verdict(actor, record.slug).to_json()


class VerdictDuties:
    """A system's transparency duties, read from its verdict.

    ``verdicts`` is a zero-argument callable returning the workspace's verdict service, so
    a command that never asks for duties (a delivery batch, a receipt lookup) never loads
    the law packs.
    """

    def __init__(self, verdicts: Callable[[], VerdictService]) -> None:
        self._verdicts = verdicts

    def of(self, actor: Actor, record: SystemRecord) -> Duties:
        service = self._verdicts()
        return duties_from_verdict(current_verdict(service, actor, record), service.library)


def org_names(org: OrgInfo) -> dict[str, str]:
    """The organisation's name in each language a notice or label is written in."""
    return {"en": org.name, "ko": org.name_ko or org.name}
