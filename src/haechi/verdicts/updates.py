"""Taking in law-pack updates: trust, install, uninstall — and what they mean for every system.

An administrator installs a signed bundle (:mod:`haechi.rules.bundle`); the workspace's
pack store checks it and writes it (:mod:`.packstore`). Then every system of every
organisation is re-evaluated with the new library, so each verdict the update moves is
stored with a law-change record and the owners are told. :func:`run_daily` is the
periodic job ``law-dates``: when the date or the library changed since its last run it
re-evaluates everything as of today, which records the day a dated version starts to
apply or a duty comes into force.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.clock import Clock
from haechi.ledger import LedgerAction, append
from haechi.rules.library import PackLibrary
from haechi.store.db import Database
from haechi.store.tables import Organisation

from .packstore import PackStore

if TYPE_CHECKING:
    from .service import VerdictService

UPDATE_LABEL = "haechi:pack-update"
SCHEDULER_LABEL = "haechi:scheduler"
Refresh = Callable[[Actor, str], list[dict[str, Any]]]


class PackUpdates:
    """Trusted keys, installed packs and the re-evaluation that follows a change.

    :param db: the governance store (ledger entries).
    :param store: the workspace's pack store.
    :param clock: the workspace clock (receipts' install time).
    :param reload: reads the pack library again and returns it.
    :param refresh: re-evaluates one organisation's systems (``actor``, ``trigger``).
    """

    def __init__(self, db: Database, store: PackStore, clock: Clock, reload: Callable[[], PackLibrary],
                 refresh: Refresh) -> None:
        self.db, self.store, self.clock = db, store, clock
        self.reload, self.refresh = reload, refresh

    # --- trust ----------------------------------------------------------------------
    def trusted(self, actor: Actor) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        return self.store.trust_list()

    def trust(self, actor: Actor, pem: bytes, source: str) -> dict[str, Any]:
        """Trust a publisher's Ed25519 public key (PEM) for signing bundles."""
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            out = self.store.trust(pem, source)
            append(s, actor.org_id, actor.label, LedgerAction.PACK_TRUST, "pack_key", out["key_id"],
                   {**out, "file": source})
        return out

    def untrust(self, actor: Actor, key: str) -> dict[str, Any]:
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            out = self.store.untrust(key)
            append(s, actor.org_id, actor.label, LedgerAction.PACK_UNTRUST, "pack_key", out["key_id"], out)
        return out

    # --- install ----------------------------------------------------------------------
    def installed(self, actor: Actor) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        return self.store.installed()

    def install(self, actor: Actor, data: bytes, source: str, library: PackLibrary) -> dict[str, Any]:
        """Verify, validate and install a bundle; then re-evaluate every system.

        Refused bundles raise :class:`~haechi.rules.bundle.BundleRefused` and change nothing.
        """
        actor.require(Permission.ADMIN)
        planned = self.store.plan(data, library)
        receipts: list[dict[str, Any]] = []
        if planned.new:
            with self.db.transaction() as s:
                receipts = self.store.install(planned, actor.label, self.clock.now())
                for receipt in receipts:
                    append(s, actor.org_id, actor.label, LedgerAction.PACK_INSTALL, "pack", receipt["ref"],
                           {**receipt, "file": source})
            self.reload()
        out = {"bundle": source, "bundle_sha256": planned.bundle.sha256, "publisher": planned.bundle.publisher,
               "installed": receipts, "already_present": planned.present}
        out["law_changes"] = self.reevaluate("install", actor) if receipts else {}
        return out

    def uninstall(self, actor: Actor, ref: str) -> dict[str, Any]:
        """Remove an installed version; the text that governed before applies again."""
        actor.require(Permission.ADMIN)
        with self.db.transaction() as s:
            receipt = self.store.uninstall(ref)
            append(s, actor.org_id, actor.label, LedgerAction.PACK_UNINSTALL, "pack", receipt.get("ref", ref),
                   receipt)
        self.reload()
        return {"removed": receipt, "law_changes": self.reevaluate("uninstall", actor)}

    def reevaluate(self, trigger: str, by: Actor | None = None) -> dict[str, list[dict[str, Any]]]:
        """Re-evaluate every organisation's systems; law-change records per organisation."""
        out: dict[str, list[dict[str, Any]]] = {}
        for org_id, slug in _organisations(self.db):
            own = by is not None and by.org_id == org_id
            label = by.label if own and by else (SCHEDULER_LABEL if trigger == "schedule" else UPDATE_LABEL)
            actor = Actor(org_id=org_id, org_slug=slug, role="admin", label=label)
            changes = [c for item in self.refresh(actor, trigger) for c in item.get("law_changes", [])]
            if changes:
                out[slug] = changes
        return out


def _organisations(db: Database) -> list[tuple[int, str]]:
    with db.reader() as s:
        return [(o.id, o.slug) for o in s.execute(select(Organisation).order_by(Organisation.id)).scalars()]


def run_daily(verdicts: VerdictService) -> dict[str, Any]:
    """The ``law-dates`` job: re-evaluate as of today when the day or the library changed."""
    library = verdicts.reload()
    mark = (verdicts.clock.today(), ",".join(f"{p.ref}:{p.sha256}" for p in library))
    if verdicts.last_advanced == mark:
        return {"skipped": True}
    changes = verdicts.updates.reevaluate("schedule")
    verdicts.last_advanced = mark
    return {"skipped": False, "law_changes": {org: len(items) for org, items in changes.items()}}
