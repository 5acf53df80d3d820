"""Background upkeep while ``haechi serve`` runs: demote controls whose evidence lapsed and
sign ledger checkpoints at intervals.

Without this, a control stays ``operating`` in the database until someone looks; status
pages already judge evidence on the fly, but the state change (and its ledger entry)
belongs in the record too. One daemon thread per facade; ``run_once`` is what it does
each tick and what tests and ``haechi controls check`` call directly.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.store.tables import Organisation

if TYPE_CHECKING:
    from haechi.core import Haechi

log = logging.getLogger(__name__)
TICK_SECONDS = 3600.0
SCHEDULER_LABEL = "haechi:scheduler"


def run_once(hc: Haechi) -> dict[str, Any]:
    """Demote lapsed controls in every organisation, then sign heads that are due."""
    with hc.db.reader() as s:
        orgs = [(o.id, o.slug) for o in s.execute(select(Organisation).order_by(Organisation.id)).scalars()]
    demoted: dict[str, list[dict[str, Any]]] = {}
    for org_id, slug in orgs:
        actor = Actor(org_id=org_id, org_slug=slug, role="admin", label=SCHEDULER_LABEL)
        found = hc.compliance.review(actor)["demoted"]
        if found:
            demoted[slug] = found
    checkpoints = hc.ledger.checkpoint_if_due()
    return {"demoted": demoted, "checkpoints": checkpoints}


class Upkeep:
    """A daemon thread calling :func:`run_once` every ``tick`` seconds until stopped."""

    def __init__(self, hc: Haechi, tick: float = TICK_SECONDS) -> None:
        self.hc, self.tick = hc, tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="haechi-compliance-upkeep", daemon=True)

    def start(self) -> Upkeep:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_once(self.hc)
            except Exception:  # keep serving; the next tick tries again
                log.exception("compliance upkeep failed")
            self._stop.wait(self.tick)


def start_upkeep(hc: Haechi, tick: float = TICK_SECONDS) -> None:
    if getattr(hc, "_compliance_upkeep", None) is None:
        hc._compliance_upkeep = Upkeep(hc, tick).start()  # type: ignore[attr-defined]


def stop_upkeep(hc: Haechi) -> None:
    upkeep = getattr(hc, "_compliance_upkeep", None)
    if upkeep is not None:
        upkeep.stop()
        hc._compliance_upkeep = None  # type: ignore[attr-defined]
