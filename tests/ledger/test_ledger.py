"""Trust ledger on SQLite and PostgreSQL: any single-row tampering done directly in the
database is detected and the entry is named; checkpoints catch rewrites and truncation;
exports verify offline; a failed transaction leaves ledger and data consistent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import BadRequest, PermissionDenied, ValidationFailed
from haechi.events import CardRevised
from haechi.ledger.chain import canonical_json, entry_hash
from haechi.ledger.export import verify_export_file
from haechi.ledger.keys import PUBLIC_KEY_FILE, key_dir, key_id
from haechi.ledger.service import verify_session
from haechi.ledger.verify import VerifyReport

COLUMNS = ["at", "actor", "action", "entity_type", "entity_id", "payload", "prev_hash", "hash"]


def _seed(hc: Haechi) -> Actor:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    for i in range(4):
        hc.systems.add(actor, SystemCard.model_validate({"id": f"system-{i}", "name": f"System {i}"}))
    hc.systems.update(actor, SystemCard.model_validate({"id": "system-1", "name": "Renamed"}))
    hc.systems.remove(actor, "system-2")
    return actor


@contextmanager
def tampered(hc: Haechi, actor: Actor, *statements: tuple[str, dict[str, object]]) -> Iterator[VerifyReport]:
    """Apply raw SQL in a transaction, verify through it, then roll the tampering back."""
    trusted = {hc.ledger.signer.key_id: hc.ledger.signer.public_key}
    with hc.db.engine.connect() as conn:
        trans = conn.begin()
        try:
            for sql, params in statements:
                conn.execute(text(sql), {"org": actor.org_id, **params})
            with Session(bind=conn) as s:
                yield verify_session(s, actor.org_id, actor.org_slug, trusted)
        finally:
            trans.rollback()


def _entry_count(hc: Haechi, actor: Actor) -> int:
    return hc.ledger.verify(actor).entries


def test_untouched_chain_verifies(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    db_hc.ledger.checkpoint(actor)
    report = db_hc.ledger.verify(actor)
    assert report.ok, report.problems
    assert report.entries > 7 and report.signed_through == report.entries


def test_every_single_column_update_names_the_entry(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = _entry_count(db_hc, actor)
    for seq in range(1, n + 1):
        for column in COLUMNS:
            value = "f" * 64 if column.endswith("hash") else ('{"x":1}' if column == "payload" else "tampered")
            sql = f"UPDATE ledger_entries SET {column} = :v WHERE org_id = :org AND seq = :seq"
            with tampered(db_hc, actor, (sql, {"v": value, "seq": seq})) as report:
                assert not report.ok, (seq, column)
                first = report.problems[0]
                assert first.seq == seq, (column, seq, first)
                assert first.kind == "altered"
                assert f"entry {seq} altered" in first.message


def test_every_single_row_delete_names_the_entry(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = _entry_count(db_hc, actor)
    for seq in range(1, n + 1):
        sql = "DELETE FROM ledger_entries WHERE org_id = :org AND seq = :seq"
        with tampered(db_hc, actor, (sql, {"seq": seq})) as report:
            first = report.problems[0]
            assert (first.seq, first.kind) == (seq, "removed"), first
            assert f"entry {seq} removed" in first.message


def test_every_swap_of_neighbours_is_reported_as_reordering(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = _entry_count(db_hc, actor)
    move = "UPDATE ledger_entries SET seq = :to WHERE org_id = :org AND seq = :frm"
    for seq in range(1, n):
        steps = [(move, {"frm": seq, "to": -1}), (move, {"frm": seq + 1, "to": seq}),
                 (move, {"frm": -1, "to": seq + 1})]
        with tampered(db_hc, actor, *steps) as report:
            first = report.problems[0]
            assert (first.seq, first.kind) == (seq, "reordered"), first
            assert f"entry {seq + 1}" in first.message and "reordered" in first.message


def test_moving_one_entry_elsewhere_is_named(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = _entry_count(db_hc, actor)
    for seq in range(1, n + 1):
        sql = "UPDATE ledger_entries SET seq = seq + 1000 WHERE org_id = :org AND seq = :seq"
        with tampered(db_hc, actor, (sql, {"seq": seq})) as report:
            first = report.problems[0]
            assert (first.seq, first.kind) == (seq, "reordered"), first
            assert f"position {seq + 1000}" in first.message


def _rewrite_from(hc: Haechi, actor: Actor, seq: int) -> list[tuple[str, dict[str, object]]]:
    """SQL that alters entry ``seq`` and recomputes every later hash (an insider's rewrite)."""
    with hc.db.reader() as s:
        rows = [dict(r._mapping) for r in s.execute(text(
            "SELECT seq, at, actor, action, entity_type, entity_id, payload, prev_hash, hash "
            "FROM ledger_entries WHERE org_id = :org ORDER BY seq"), {"org": actor.org_id})]
    statements: list[tuple[str, dict[str, object]]] = []
    prev = rows[seq - 2]["hash"] if seq > 1 else "0" * 64
    for row in rows[seq - 1:]:
        if row["seq"] == seq:
            row["payload"] = canonical_json({"forged": True})
        digest = entry_hash(prev, row["seq"], row["at"], row["actor"], row["action"], row["entity_type"],
                            row["entity_id"], row["payload"])
        statements.append(("UPDATE ledger_entries SET payload = :p, prev_hash = :ph, hash = :h "
                           "WHERE org_id = :org AND seq = :seq",
                           {"p": row["payload"], "ph": prev, "h": digest, "seq": row["seq"]}))
        prev = digest
    statements.append(("UPDATE ledger_heads SET hash = :h WHERE org_id = :org", {"h": prev}))
    return statements


def test_a_recomputed_chain_is_caught_by_the_signed_checkpoint(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = db_hc.ledger.checkpoint(actor)["seq"]
    with tampered(db_hc, actor, *_rewrite_from(db_hc, actor, 3)) as report:
        assert [p.kind for p in report.problems] == ["rewritten"]
        assert report.problems[0].seq == n and "rewritten" in report.problems[0].message


def test_removing_the_tail_and_fixing_the_head_is_caught(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    n = db_hc.ledger.checkpoint(actor)["seq"]
    with db_hc.db.reader() as s:
        before_last = s.execute(text("SELECT hash FROM ledger_entries WHERE org_id = :o AND seq = :n"),
                                {"o": actor.org_id, "n": n - 1}).scalar_one()
    steps = [("DELETE FROM ledger_entries WHERE org_id = :org AND seq = :n", {"n": n}),
             ("UPDATE ledger_heads SET seq = :p, hash = :h WHERE org_id = :org", {"p": n - 1, "h": before_last})]
    with tampered(db_hc, actor, *steps) as report:
        assert report.problems[0].kind == "removed" and report.problems[0].seq == n


def test_tail_removal_without_head_fix_is_named(hc: Haechi) -> None:
    actor = _seed(hc)
    n = _entry_count(hc, actor)
    with tampered(hc, actor, ("DELETE FROM ledger_entries WHERE org_id = :org AND seq = :n", {"n": n})) as report:
        assert (report.problems[0].seq, report.problems[0].kind) == (n, "removed")


def test_forged_or_altered_checkpoint_is_reported(hc: Haechi) -> None:
    actor = _seed(hc)
    hc.ledger.checkpoint(actor)
    sql = "UPDATE ledger_checkpoints SET at = :at WHERE org_id = :org"
    with tampered(hc, actor, (sql, {"at": "2020-01-01T00:00:00+00:00"})) as report:
        assert report.problems[0].kind == "bad_signature"


def test_checkpoint_by_an_untrusted_key_is_reported(hc: Haechi, tmp_path: Path) -> None:
    actor = _seed(hc)
    other = Haechi(memory=True)
    try:
        foreign = other.ledger.signer
        sql = "UPDATE ledger_checkpoints SET key_id = :k WHERE org_id = :org"
        hc.ledger.checkpoint(actor)
        with tampered(hc, actor, (sql, {"k": foreign.key_id})) as report:
            assert report.problems[0].kind == "unknown_key"
    finally:
        other.close()


def test_checkpoints_are_not_duplicated_and_due_by_policy(hc: Haechi) -> None:
    actor = _seed(hc)
    first = hc.ledger.checkpoint(actor)
    again = hc.ledger.checkpoint(actor)
    assert first["new"] and not again["new"] and again["seq"] == first["seq"]
    hc.ledger.policy = type(hc.ledger.policy)(every_entries=2, every_hours=1000)
    assert hc.ledger.checkpoint_if_due() == []
    hc.accounts.create_user(actor, "one@acme.example", "viewer")  # one ledger entry each
    assert hc.ledger.checkpoint_if_due() == []
    hc.accounts.create_user(actor, "two@acme.example", "viewer")
    made = hc.ledger.checkpoint_if_due()
    assert [m["org"] for m in made] == ["acme"] and made[0]["seq"] == first["seq"] + 2


def test_export_verifies_offline_and_tampering_in_the_file_is_named(db_hc: Haechi, tmp_path: Path) -> None:
    actor = _seed(db_hc)
    path = tmp_path / "ledger.json"
    doc = db_hc.ledger.export(actor, path)
    public = key_dir(db_hc.home) / PUBLIC_KEY_FILE
    n = doc["head"]["seq"]
    assert n > 7 and len(doc["entries"]) == n
    db_hc.close()  # no database from here on
    report = verify_export_file(path, public)
    assert report.ok and report.signed_through == n, report.problems

    data = json.loads(path.read_text())
    data["entries"][3]["actor"] = "someone-else"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    report = verify_export_file(bad, public)
    assert (report.problems[0].seq, report.problems[0].kind) == (4, "altered")

    data = json.loads(path.read_text())
    del data["entries"][-1]
    data["head"] = {"seq": n - 1, "hash": data["entries"][-1]["hash"]}
    bad.write_text(json.dumps(data))
    assert verify_export_file(bad, public).problems[0].kind == "removed"


def test_export_checked_with_the_wrong_key_fails(hc: Haechi, tmp_path: Path) -> None:
    actor = _seed(hc)
    path = tmp_path / "ledger.json"
    hc.ledger.export(actor, path)
    other = Haechi(memory=True)
    try:
        wrong = other.ledger.public_key_path()
        report = verify_export_file(path, wrong)
        assert not report.ok and report.problems[0].kind == "unknown_key"
    finally:
        other.close()


def test_bad_export_and_key_files_get_clear_messages(tmp_path: Path, hc: Haechi) -> None:
    public = hc.ledger.public_key_path()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "haechi-ledger-export/1",\n "entries": [}')
    with pytest.raises(ValidationFailed) as exc:
        verify_export_file(broken, public)
    assert exc.value.issues[0].line == 2
    wrong = tmp_path / "other.json"
    wrong.write_text(json.dumps({"format": "something"}))
    with pytest.raises(ValidationFailed, match="not a Haechi ledger export"):
        verify_export_file(wrong, public)
    not_a_key = tmp_path / "key.pem"
    not_a_key.write_text("hello")
    with pytest.raises(BadRequest, match="not a PEM public key"):
        verify_export_file(wrong, not_a_key)
    with pytest.raises(BadRequest, match="not found"):
        verify_export_file(tmp_path / "missing.json", public)


def test_export_records_itself_in_the_ledger_after_the_signed_head(hc: Haechi) -> None:
    actor = _seed(hc)
    doc = hc.ledger.export(actor)
    report = hc.ledger.verify(actor)
    assert report.ok and report.entries == len(doc["entries"]) + 1


def test_failed_transaction_leaves_ledger_and_data_consistent(db_hc: Haechi) -> None:
    actor = _seed(db_hc)
    before = db_hc.ledger.verify(actor)

    def broken_hook(*_: object) -> None:
        raise RuntimeError("downstream failure half way")

    db_hc.events.subscribe(CardRevised, broken_hook)
    with pytest.raises(RuntimeError):
        db_hc.systems.add(actor, SystemCard.model_validate({"id": "half-way", "name": "x"}))
    db_hc.events.unsubscribe(CardRevised, broken_hook)
    after = db_hc.ledger.verify(actor)
    assert after.ok and after.entries == before.entries and after.head_hash == before.head_hash
    assert db_hc.systems.list(actor, include_deleted=True).total == 4


def test_roles_for_ledger_operations(hc: Haechi) -> None:
    actor = _seed(hc)
    hc.accounts.create_user(actor, "viewer@acme.example", "viewer", "password-1-long")
    hc.accounts.create_user(actor, "auditor@acme.example", "auditor", "password-1-long")
    viewer = hc.accounts.authenticate("viewer@acme.example", "password-1-long")
    auditor = hc.accounts.authenticate("auditor@acme.example", "password-1-long")
    for call in (hc.ledger.verify, hc.ledger.checkpoint, hc.ledger.export, hc.ledger.checkpoints):
        with pytest.raises(PermissionDenied):
            call(viewer)
    assert hc.ledger.verify(auditor).ok
    assert hc.ledger.checkpoint(auditor)["created_by"] == "auditor@acme.example"


def test_each_organisation_verifies_only_its_own_chain(hc: Haechi) -> None:
    actor = _seed(hc)
    hc.accounts.create_org("globex", "Globex")
    other = hc.local_actor("globex")
    hc.systems.add(other, SystemCard.model_validate({"id": "theirs", "name": "x"}))
    with tampered(hc, other, ("UPDATE ledger_entries SET actor = 'x' WHERE org_id = :org AND seq = 1", {})) as bad:
        assert not bad.ok
    assert hc.ledger.verify(actor).ok and hc.ledger.verify(other).entries < hc.ledger.verify(actor).entries


def test_key_is_created_once_and_registered(hc: Haechi) -> None:
    from haechi.ledger.keys import ensure_ledger_key, load_public_key_file

    path = ensure_ledger_key(hc.db, hc.home)
    again = ensure_ledger_key(hc.db, hc.home)
    assert path == again
    assert key_id(load_public_key_file(path)) == hc.ledger.signer.key_id
    private = key_dir(hc.home) / "ledger-ed25519.pem"
    assert oct(private.stat().st_mode & 0o777) == "0o600"


def test_append_many_writes_what_appending_one_by_one_writes(db_hc: Haechi, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch (a monitor run's evidence) reads the chain head once; the entries must be the
    very bytes of single appends, interleaved with direct appends in the order asked."""
    import datetime as dt

    from haechi.ledger import LedgerAction, chain

    class _Fixed(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> _Fixed:
            return cls(2026, 3, 2, 9, 0, tzinfo=tz)

    monkeypatch.setattr(chain.dt, "datetime", _Fixed)
    org = db_hc.accounts.create_org("acme", "Acme").id
    entries = [(LedgerAction.EVIDENCE_AUTO, "evidence", f"E-{i}", {"title": f"alert {i}", "n": i, "ko": "경보"})
               for i in range(1, 6)]

    def written(write: Callable[[Session], None]) -> list[dict[str, object]]:
        with Session(db_hc.db.engine) as s:  # rolled back: both ways start from the same head
            write(s)
            assert chain.verify_chain(s, org).ok
            return chain.chain_rows(s, org)

    def one_by_one(s: Session) -> None:
        for entry in entries:
            chain.append(s, org, "cli:test", *entry)

    def batched(s: Session) -> None:
        batch = chain.LedgerBatch(s, org, "cli:test")
        batch.add(*entries[0])
        batch.add(*entries[1])
        batch.write()
        chain.append(s, org, "cli:test", *entries[2])
        for entry in entries[3:]:
            batch.add(*entry)
        assert chain.append_many(s, org, "cli:test", []) == []
        batch.write()

    single = written(one_by_one)
    assert single == written(batched) and len(single) == 6  # org.create + 5


def test_next_numbers_reserves_a_range_under_the_counter(db_hc: Haechi) -> None:
    from haechi.compliance.common import next_number, next_numbers

    org = db_hc.accounts.create_org("acme", "Acme").id
    with db_hc.db.transaction() as s:
        assert next_numbers(s, org, "evidence", 3) == range(1, 4)
        assert next_number(s, org, "evidence") == 4
        assert next_numbers(s, org, "evidence", 2) == range(5, 7)
        assert next_numbers(s, org, "risk", 1) == range(1, 2)
