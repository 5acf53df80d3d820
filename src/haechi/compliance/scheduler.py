"""Background upkeep while ``haechi serve`` runs: demote controls whose evidence lapsed and
sign ledger checkpoints at intervals.

Without this, a control stays ``operating`` in the database until someone looks; status
pages already judge evidence on the fly, but the state change (and its ledger entry)
belongs in the record too. One daemon thread per compliance service, kept on the service
(``start_upkeep``/``stop_upkeep`` run on the ``server_start``/``server_stop`` hooks);
``run_once`` is what it does each tick and what tests call directly.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.store.tables import Organisation

if TYPE_CHECKING:
    from .service import ComplianceService

log = logging.getLogger(__name__)
TICK_SECONDS = 3600.0
SCHEDULER_LABEL = "haechi:scheduler"


def run_once(svc: ComplianceService) -> dict[str, Any]:
    """Demote lapsed controls in every organisation, then sign heads that are due."""
    with svc.db.reader() as s:
        orgs = [(o.id, o.slug) for o in s.execute(select(Organisation).order_by(Organisation.id)).scalars()]
    demoted: dict[str, list[dict[str, Any]]] = {}
    for org_id, slug in orgs:
        actor = Actor(org_id=org_id, org_slug=slug, role="admin", label=SCHEDULER_LABEL)
        found = svc.review(actor)["demoted"]
        if found:
            demoted[slug] = found
    checkpoints = svc.sign_due_checkpoints()
    return {"demoted": demoted, "checkpoints": checkpoints}


class Upkeep:
    """A daemon thread calling :func:`run_once` every ``tick`` seconds until stopped."""

    def __init__(self, svc: ComplianceService, tick: float = TICK_SECONDS) -> None:
        self.svc, self.tick = svc, tick
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
                run_once(self.svc)
            except Exception:  # keep serving; the next tick tries again
                log.exception("compliance upkeep failed")
            self._stop.wait(self.tick)


def start_upkeep(svc: ComplianceService, tick: float = TICK_SECONDS) -> None:
    """Start the service's upkeep thread (once; a second start while it runs does nothing)."""
    if svc.upkeep is None:
        svc.upkeep = Upkeep(svc, tick).start()


def stop_upkeep(svc: ComplianceService) -> None:
    """Stop the service's upkeep thread, if it runs."""
    upkeep, svc.upkeep = svc.upkeep, None
    if upkeep is not None:
        upkeep.stop()
