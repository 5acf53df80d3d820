"""Upkeep while ``haechi serve`` runs: demote controls whose evidence lapsed and sign
ledger checkpoints at intervals.

Without this, a control stays ``operating`` in the database until someone looks; status
pages already judge evidence on the fly, but the state change (and its ledger entry)
belongs in the record too. :func:`run_once` is the periodic job ``compliance-upkeep``
(declared in ``compliance/capability.py``, run by the server's one scheduler at start-up
and hourly) and what tests call directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.store.tables import Organisation

if TYPE_CHECKING:
    from .service import ComplianceService

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
