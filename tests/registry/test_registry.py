"""Registry service on SQLite and PostgreSQL: revisions, soft delete, tenancy, roles."""

from __future__ import annotations

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from haechi.events import CardRevised
from haechi.ledger.chain import chain_rows, verify_chain


def _card(**extra: object) -> SystemCard:
    return SystemCard.model_validate({"id": "hiring-screener", "name": "Screener", **extra})


@pytest.fixture
def admin(db_hc: Haechi) -> Actor:
    db_hc.accounts.create_org("acme", "Acme")
    return db_hc.local_actor("acme")


def test_every_change_is_a_new_revision_with_who_and_what(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card(domains=["employment"]))
    db_hc.systems.update(admin, _card(domains=["employment", "credit"], markets=["KR"]), note="scope grew")
    history = db_hc.systems.history(admin, "hiring-screener")
    assert [r.revision for r in history] == [1, 2]
    assert history[1].note == "scope grew" and history[1].actor == admin.label
    assert {c["field"] for c in history[1].changes} == {"domains", "markets"}
    assert history[0].card["domains"] == ["employment"]  # the old revision is kept as it was
    assert db_hc.systems.get(admin, "hiring-screener", revision=1).card.domains == ["employment"]


def test_unchanged_update_and_stale_revision_are_refused(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card())
    with pytest.raises(ValidationFailed):
        db_hc.systems.update(admin, _card())
    db_hc.systems.update(admin, _card(name_ko="심사"), expected_revision=1)
    with pytest.raises(Conflict):
        db_hc.systems.update(admin, _card(name_ko="다른"), expected_revision=1)


def test_duplicate_add_is_a_conflict(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card())
    with pytest.raises(Conflict):
        db_hc.systems.add(admin, _card())


def test_soft_delete_keeps_history_and_can_restore(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card())
    db_hc.systems.remove(admin, "hiring-screener", note="retired")
    assert db_hc.systems.list(admin).total == 0
    with pytest.raises(NotFound):
        db_hc.systems.get(admin, "hiring-screener")
    assert db_hc.systems.list(admin, include_deleted=True).total == 1
    restored = db_hc.systems.add(admin, _card(name="Screener v2"))
    assert restored.revision == 3
    assert [r.action for r in db_hc.systems.history(admin, "hiring-screener")] == ["create", "delete", "restore"]


def test_organisations_never_see_each_other(db_hc: Haechi, admin: Actor) -> None:
    db_hc.accounts.create_org("globex", "Globex")
    other = db_hc.local_actor("globex")
    db_hc.systems.add(admin, _card())
    for call in (lambda: db_hc.systems.get(other, "hiring-screener"),
                 lambda: db_hc.systems.history(other, "hiring-screener"),
                 lambda: db_hc.systems.remove(other, "hiring-screener"),
                 lambda: db_hc.systems.update(other, _card(name="stolen"))):
        with pytest.raises(NotFound):
            call()
    assert db_hc.systems.list(other).total == 0
    db_hc.systems.add(other, _card(name="Their own"))  # same id, other tenant: fine
    assert db_hc.systems.get(admin, "hiring-screener").card.name == "Screener"


def test_roles(db_hc: Haechi, admin: Actor) -> None:
    for role in ("viewer", "auditor", "editor"):
        db_hc.accounts.create_user(admin, f"{role}@acme.example", role, "password-123")
    viewer = db_hc.accounts.authenticate("viewer@acme.example", "password-123")
    editor = db_hc.accounts.authenticate("editor@acme.example", "password-123")
    db_hc.systems.add(editor, _card())
    assert db_hc.systems.get(viewer, "hiring-screener").revision == 1
    with pytest.raises(PermissionDenied):
        db_hc.systems.update(viewer, _card(name="nope"))
    with pytest.raises(PermissionDenied):
        db_hc.accounts.create_user(editor, "x@acme.example", "viewer")


def test_search_and_filters(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card(domains=["employment"], markets=["KR"], tags=["hr"]))
    db_hc.systems.add(admin, SystemCard(id="chatbot", name="Support bot", markets=["EU"]))
    assert [r.slug for r in db_hc.systems.list(admin, q="support").items] == ["chatbot"]
    assert [r.slug for r in db_hc.systems.list(admin, q="hr").items] == ["hiring-screener"]
    assert [r.slug for r in db_hc.systems.list(admin, filters={"markets": "EU"}).items] == ["chatbot"]
    page = db_hc.systems.list(admin, limit=1, offset=1)
    assert page.total == 2 and [r.slug for r in page.items] == ["hiring-screener"]


def test_every_change_is_in_the_ledger(db_hc: Haechi, admin: Actor) -> None:
    db_hc.systems.add(admin, _card())
    db_hc.systems.update(admin, _card(name="x"))
    db_hc.systems.remove(admin, "hiring-screener")
    with db_hc.db.reader() as session:
        report = verify_chain(session, admin.org_id)
        rows = chain_rows(session, admin.org_id)
    assert report.ok
    # Capabilities may add their own entries (e.g. a verdict per revision); the system's are these:
    assert [r["action"] for r in rows if r["action"].startswith("system.")] == [
        "system.create", "system.update", "system.delete"]


def test_failed_hook_rolls_back_the_change(db_hc: Haechi, admin: Actor) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("reaction failed")

    db_hc.events.subscribe(CardRevised, broken)
    with pytest.raises(RuntimeError):
        db_hc.systems.add(admin, _card())
    db_hc.events.unsubscribe(CardRevised, broken)
    assert db_hc.systems.list(admin).total == 0
    with db_hc.db.reader() as session:
        assert verify_chain(session, admin.org_id).entries == 1  # only org.create

