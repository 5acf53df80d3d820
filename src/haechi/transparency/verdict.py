"""Where the kit gets a system's verdict: the workspace's verdict service (``hc.rules``).

The verdict is the engine's spec-shaped classification JSON (``system``, ``as_of``,
``results[]``) of the system's current revision, under the workspace's own packs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.registry.service import SystemRecord
    from haechi.verdicts.service import VerdictService


def current_verdict(verdicts: VerdictService, actor: Actor, record: SystemRecord) -> dict[str, Any]:
    """The verdict for the system's current card, as the spec's classification JSON."""
    return verdicts.verdict(actor, record.slug).to_json()
