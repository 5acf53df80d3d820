"""``hc.lake`` through the facade: roles, tenants, retention policies and the ledger."""

from __future__ import annotations

import datetime as dt
import json

import orjson
import pytest
from lake_helpers import make_rows
from sqlalchemy import select

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import NotFound, PermissionDenied, ValidationFailed
from haechi.monitor.lake import LakeSource
from haechi.store.tables import LedgerEntry

SYSTEM = "hiring-screener"


@pytest.fixture
def admin(db_hc: Haechi) -> Actor:
    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor("acme")
    db_hc.systems.add(actor, SystemCard.model_validate({"id": SYSTEM, "name": "Screener"}))
    return actor


def _viewer(hc: Haechi, admin: Actor) -> Actor:
    return Actor(org_id=admin.org_id, org_slug=admin.org_slug, role="viewer", label="viewer@acme")


def test_ingest_read_and_count_through_the_facade(db_hc: Haechi, admin: Actor) -> None:
    result = db_hc.lake.ingest(admin, SYSTEM, orjson.dumps(make_rows(30)), "application/json")
    assert result.stored == 30
    src = db_hc.lake.source(admin, SYSTEM, dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    assert isinstance(src, LakeSource) and src.arrow().num_rows == 10
    assert db_hc.lake.event_count(admin, SYSTEM) == 30
    assert (db_hc.home / "lake" / "acme" / SYSTEM).is_dir()
    stats = db_hc.lake.stats(admin, SYSTEM)
    assert (stats["events"], stats["days"], stats["first_day"]) == (30, 3, "2026-03-02")
    assert db_hc.lake.schema(admin, SYSTEM)["mapping"]["numeric"] == ["income"]
    assert db_hc.lake.duplicate_report(admin, SYSTEM)["duplicate_ids"] == 0


def test_other_organisations_and_roles(db_hc: Haechi, admin: Actor) -> None:
    db_hc.accounts.create_org("globex", "Globex")
    other = db_hc.local_actor("globex")
    body = orjson.dumps(make_rows(2))
    with pytest.raises(NotFound):
        db_hc.lake.ingest(other, SYSTEM, body, "application/json")
    with pytest.raises(NotFound):
        db_hc.lake.event_count(other, SYSTEM)
    with pytest.raises(PermissionDenied):
        db_hc.lake.ingest(_viewer(db_hc, admin), SYSTEM, body, "application/json")
    assert db_hc.lake.event_count(_viewer(db_hc, admin), SYSTEM) == 0


def test_retention_default_explicit_and_ledgered(db_hc: Haechi, admin: Actor) -> None:
    default = db_hc.lake.retention(admin, SYSTEM)
    assert default["explicit"] is False and default["days"] >= 5 * 365
    assert "Art. 27(2)" in default["basis"]
    with pytest.raises(ValidationFailed):
        db_hc.lake.set_retention(admin, SYSTEM, 180)  # shorter needs a reason
    policy = db_hc.lake.set_retention(admin, SYSTEM, 180, reason="not high-impact; EU Art. 26(6) minimum")
    assert policy["explicit"] and policy["days"] == 180
    assert _ledger(db_hc, "monitor.retention")[-1]["retention_days"] == 180
    assert db_hc.lake.retention(admin, SYSTEM)["reason"].startswith("not high-impact")


def _ledger(hc: Haechi, action: str) -> list[dict]:
    with hc.db.reader() as s:
        rows = s.execute(select(LedgerEntry).where(LedgerEntry.action == action).order_by(LedgerEntry.seq)).scalars()
        return [json.loads(r.payload) for r in rows]


def test_purge_respects_the_policy_and_rejects_too_old_events(db_hc: Haechi, admin: Actor) -> None:
    today = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    rows = [
        {
            "event_id": f"d{k}",
            "timestamp": (today - dt.timedelta(days=k)).isoformat(),
            "prediction": 1,
        }
        for k in (0, 5, 20)
    ]
    db_hc.lake.ingest(admin, SYSTEM, orjson.dumps(rows), "application/json")
    db_hc.lake.set_retention(admin, SYSTEM, 10, reason="test system")
    result = db_hc.lake.purge_expired(admin, SYSTEM)
    assert result["deleted_days"]["events"] == [(today - dt.timedelta(days=20)).date().isoformat()]
    assert db_hc.lake.event_count(admin, SYSTEM) == 2
    late = db_hc.lake.ingest(
        admin,
        SYSTEM,
        orjson.dumps([*rows[2:], {"event_id": "n", "prediction": 0}]),
        "application/json",
    )
    assert late.stored == 1 and "retention" in late.rejected[0].reason
    assert _ledger(db_hc, "monitor.purge")[-1]["deleted_days"]["events"] == result["deleted_days"]["events"]


def test_server_upkeep_compacts_past_days_and_purges_expired(db_hc: Haechi, admin: Actor) -> None:
    from haechi.monitor.lake_upkeep import run_once

    today = dt.datetime.now(dt.UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    for batch in range(5):  # five small batches for yesterday, one for a day long gone
        rows = [
            {"event_id": f"y{batch}-{i}", "timestamp": (today - dt.timedelta(days=1)).isoformat(), "prediction": 1}
            for i in range(3)
        ]
        db_hc.lake.ingest(admin, SYSTEM, orjson.dumps(rows), "application/json")
    old = [{"event_id": "old", "timestamp": (today - dt.timedelta(days=40)).isoformat(), "prediction": 0}]
    db_hc.lake.ingest(admin, SYSTEM, orjson.dumps(old), "application/json")
    db_hc.lake.set_retention(admin, SYSTEM, 30, reason="pilot system")
    (report,) = run_once(db_hc.lake)
    assert report["compacted_days"] == [(today - dt.timedelta(days=1)).date().isoformat()]
    assert report["purged"]["events"] == [(today - dt.timedelta(days=40)).date().isoformat()]
    sl = db_hc.lake.system_lake(admin, SYSTEM)
    assert len(sl.live_files((today - dt.timedelta(days=1)).date())) == 1
    assert db_hc.lake.event_count(admin, SYSTEM) == 15
    assert run_once(db_hc.lake)[0]["compacted_days"] == []  # nothing left to do
