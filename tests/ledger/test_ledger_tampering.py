"""Twenty-odd kinds of tampering with a workspace, each caught by ``haechi audit verify``.

Each case builds a workspace through the facade (two organisations, numbered checkpoints,
entries after the last checkpoint, an evidence file, a ledger export handed out as a
witness), tampers with it the way an insider would — raw SQL on the database, edits in
the data directory — and runs ``haechi audit verify`` as a separate process, as an
operator or auditor does. It must exit 3 and name what is wrong, in English and (with
``HAECHI_LANG=ko``) in Korean. Database cases run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, create_engine, text

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.ledger.chain import GENESIS_HASH, canonical_json, entry_hash
from haechi.ledger.keys import Signer
from haechi.ledger.log import LOG_FORMAT, line_hash, signed_bytes
from haechi.settings import Settings
from tests.compliance.conftest import PDF
from tests.conftest import make_haechi

pytestmark = pytest.mark.slow

TAMPERED = 3


@dataclass
class Workspace:
    home: Path
    url: str
    backend: str
    witness: Path
    backup: dict[str, list[dict[str, Any]]]
    orgs: dict[str, int]
    evidence_sha: str

    def engine(self) -> Engine:
        return create_engine(self.url.replace("postgresql://", "postgresql+psycopg://"))

    def sql(self, statement: str, **params: Any) -> None:
        engine = self.engine()
        with engine.begin() as conn:
            conn.execute(text(statement), params)
        engine.dispose()

    def rows(self, org: str = "acme") -> list[dict[str, Any]]:
        engine = self.engine()
        with engine.connect() as conn:
            result = conn.execute(text(
                "SELECT seq, at, actor, action, entity_type, entity_id, payload, prev_hash, hash "
                "FROM ledger_entries WHERE org_id = :o ORDER BY seq"), {"o": self.orgs[org]})
            rows = [dict(r._mapping) for r in result]
        engine.dispose()
        return rows

    @property
    def log(self) -> Path:
        return self.home / "ledger" / "acme.log"

    def signer(self) -> Signer:
        key = serialization.load_pem_private_key((self.home / "keys" / "ledger-ed25519.pem").read_bytes(), None)
        assert isinstance(key, Ed25519PrivateKey)
        return Signer(key)


LEDGER_TABLES = ("ledger_entries", "ledger_heads", "ledger_checkpoints")


def _snapshot(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    engine = ws.engine()
    with engine.connect() as conn:
        snap = {t: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in LEDGER_TABLES}
    engine.dispose()
    return snap


def _build(backend: str, home: Path, request: pytest.FixtureRequest) -> Workspace:
    hc = make_haechi(backend, home, request)
    try:
        return _seed(hc, backend, home)
    finally:
        hc.close()


def _seed(hc: Haechi, backend: str, home: Path) -> Workspace:
    hc.accounts.create_org("acme", "Acme")
    acme = hc.local_actor("acme")
    for i in range(4):
        hc.systems.add(acme, SystemCard.model_validate({"id": f"system-{i}", "name": f"System {i}"}))
    hc.ledger.checkpoint(acme)  # checkpoint 1
    evidence = hc.compliance.evidence.add_file(acme, PDF, filename="plan.pdf", title="Plan")
    witness = home.parent / "handed-out-export.json"
    hc.ledger.export(acme, witness)  # checkpoint 2, kept by an auditor
    hc.systems.update(acme, SystemCard.model_validate({"id": "system-1", "name": "Renamed"}))
    ws = Workspace(home, hc.db.url, backend, witness, {}, {}, "")
    ws.backup = _snapshot(ws)  # "last night's backup"
    if backend == "sqlite":  # the way an operator backs up a live SQLite database
        with sqlite3.connect(home / "haechi.db") as live, sqlite3.connect(home.parent / "backup.db") as copy:
            live.backup(copy)
    hc.ledger.checkpoint(acme)  # checkpoint 3
    hc.systems.add(acme, SystemCard.model_validate({"id": "late-1", "name": "After the last checkpoint"}))
    hc.systems.add(acme, SystemCard.model_validate({"id": "late-2", "name": "After the last checkpoint"}))
    hc.accounts.create_org("globex", "Globex")
    globex = hc.local_actor("globex")
    for i in range(3):
        hc.systems.add(globex, SystemCard.model_validate({"id": f"g-{i}", "name": f"G {i}"}))
    hc.ledger.checkpoint(globex)
    with hc.db.reader() as s:
        orgs = {slug: id_ for slug, id_ in s.execute(text("SELECT slug, id FROM organisations"))}
    ws.orgs, ws.evidence_sha = orgs, hc.compliance.evidence.get(acme, evidence["ref"])["sha256"]
    return ws


# --- tampering ----------------------------------------------------------------------
def _update_entry(column: str, value: str, seq: int) -> Callable[[Workspace], None]:
    def tamper(ws: Workspace) -> None:
        ws.sql(f"UPDATE ledger_entries SET {column} = :v WHERE org_id = :o AND seq = :s",
               v=value, o=ws.orgs["acme"], s=seq)
    return tamper


def _delete_entry(seq: int) -> Callable[[Workspace], None]:
    def tamper(ws: Workspace) -> None:
        ws.sql("DELETE FROM ledger_entries WHERE org_id = :o AND seq = :s", o=ws.orgs["acme"], s=seq)
    return tamper


def _rehash(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recompute every hash in order, as an insider covering their tracks does."""
    prev = GENESIS_HASH
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(prev, row["seq"], row["at"], row["actor"], row["action"],
                                        row["entity_type"], row["entity_id"], row["payload"])
    return rows


def _write_chain(ws: Workspace, rows: list[dict[str, Any]], org: str = "acme") -> None:
    engine = ws.engine()
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_entries WHERE org_id = :o"), {"o": ws.orgs[org]})
        for row in rows:
            conn.execute(text(
                "INSERT INTO ledger_entries (org_id, seq, at, actor, action, entity_type, entity_id, payload, "
                "prev_hash, hash) VALUES (:o, :seq, :at, :actor, :action, :entity_type, :entity_id, :payload, "
                ":prev_hash, :hash)"), {"o": ws.orgs[org], **row})
        last = rows[-1]
        conn.execute(text("UPDATE ledger_heads SET seq = :s, hash = :h WHERE org_id = :o"),
                     {"s": last["seq"], "h": last["hash"], "o": ws.orgs[org]})
    engine.dispose()


def truncate_tail(ws: Workspace) -> None:
    _write_chain(ws, ws.rows()[:-2])


def delete_whole_chain(ws: Workspace) -> None:
    ws.sql("DELETE FROM ledger_entries WHERE org_id = :o", o=ws.orgs["acme"])
    ws.sql("DELETE FROM ledger_heads WHERE org_id = :o", o=ws.orgs["acme"])


def insert_entry(ws: Workspace) -> None:
    rows = ws.rows()
    forged = dict(rows[-1], seq=rows[-1]["seq"] + 1, action="system.delete", entity_id="system-0",
                  payload=canonical_json({"forged": True}))
    _write_chain(ws, _rehash([*rows, forged]))


def reorder(ws: Workspace) -> None:
    move = "UPDATE ledger_entries SET seq = :to WHERE org_id = :o AND seq = :frm"
    o = ws.orgs["acme"]
    for frm, to in ((3, -1), (4, 3), (-1, 4)):
        ws.sql(move, o=o, frm=frm, to=to)


def rewrite_chain(ws: Workspace) -> None:
    rows = ws.rows()
    rows[1]["payload"] = canonical_json({"name": "nothing to see"})
    _write_chain(ws, _rehash(rows))


def delete_checkpoints_and_rewrite(ws: Workspace) -> None:
    ws.sql("DELETE FROM ledger_checkpoints WHERE org_id = :o", o=ws.orgs["acme"])
    rewrite_chain(ws)


def delete_one_checkpoint(ws: Workspace) -> None:
    ws.sql("DELETE FROM ledger_checkpoints WHERE org_id = :o AND number = 1", o=ws.orgs["acme"])


def edit_checkpoint_hash(ws: Workspace) -> None:
    ws.sql("UPDATE ledger_checkpoints SET head_hash = :h WHERE org_id = :o AND number = 3",
           h="ab" * 32, o=ws.orgs["acme"])


def forge_signature(ws: Workspace) -> None:
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"anything")).decode()
    ws.sql("UPDATE ledger_checkpoints SET signature = :s WHERE org_id = :o AND number = 3",
           s=forged, o=ws.orgs["acme"])


def replace_key(ws: Workspace) -> None:
    key = Ed25519PrivateKey.generate()
    keys = ws.home / "keys"
    (keys / "ledger-ed25519.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (keys / "ledger-ed25519.pub.pem").write_text(Signer(key).public_pem())


def delete_log(ws: Workspace) -> None:
    ws.log.unlink()


def truncate_log(ws: Workspace) -> None:
    lines = ws.log.read_bytes().splitlines(keepends=True)
    ws.log.write_bytes(b"".join(lines[:-2]))


def edit_log_line(ws: Workspace) -> None:
    lines = ws.log.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[2])
    record["at"] = "2020-01-01T00:00:00+00:00"
    lines[2] = canonical_json(record).encode() + b"\n"
    ws.log.write_bytes(b"".join(lines))


def swap_orgs(ws: Workspace) -> None:
    """Give each organisation the other's chain and head (seqs negated on the way, to pass
    the unique (org_id, seq) constraint)."""
    acme, globex = ws.orgs["acme"], ws.orgs["globex"]
    ws.sql("UPDATE ledger_entries SET org_id = :g, seq = -seq WHERE org_id = :a", a=acme, g=globex)
    ws.sql("UPDATE ledger_entries SET org_id = :a WHERE org_id = :g AND seq > 0", a=acme, g=globex)
    ws.sql("UPDATE ledger_entries SET seq = -seq WHERE org_id = :g AND seq < 0", g=globex)
    engine = ws.engine()
    with engine.begin() as conn:
        heads = {o: conn.execute(text("SELECT seq, hash FROM ledger_heads WHERE org_id = :o"), {"o": o}).one()
                 for o in (acme, globex)}
        for mine, theirs in ((acme, globex), (globex, acme)):
            conn.execute(text("UPDATE ledger_heads SET seq = :s, hash = :h WHERE org_id = :o"),
                         {"s": heads[theirs][0], "h": heads[theirs][1], "o": mine})
    engine.dispose()


def _blob(ws: Workspace) -> Path:
    sha = ws.evidence_sha
    return ws.home / "evidence" / sha[:2] / sha[2:4] / sha


def change_evidence(ws: Workspace) -> None:
    _blob(ws).write_bytes(PDF.replace(b"1.7", b"1.4"))


def delete_evidence(ws: Workspace) -> None:
    _blob(ws).unlink()


def restore_backup(ws: Workspace) -> None:
    if ws.backend == "sqlite":
        shutil.copy(ws.home.parent / "backup.db", ws.home / "haechi.db")
        for suffix in ("-wal", "-shm"):
            (ws.home / f"haechi.db{suffix}").unlink(missing_ok=True)
        return
    engine = ws.engine()
    with engine.begin() as conn:
        for table in LEDGER_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
            for row in ws.backup[table]:
                cols = ", ".join(row)
                conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in row)})"), row)
    engine.dispose()


def rewrite_everything_locally(ws: Workspace) -> None:
    """An insider with the database *and* the data directory (key included): rewrite the chain,
    re-sign checkpoints, rewrite the log. Only a copy handed out earlier still disagrees."""
    signer = ws.signer()
    delete_checkpoints_and_rewrite(ws)
    rows = ws.rows()
    prev, lines = GENESIS_HASH, []
    for n, row in enumerate(rows, start=1):
        line = {"format": LOG_FORMAT, "n": n, "prev": prev, "org": "acme", "at": row["at"],
                "key_id": signer.key_id, "kind": "head", "from_seq": row["seq"] - 1,
                "from_hash": row["prev_hash"], "seq": row["seq"], "hash": row["hash"]}
        line["sig"] = signer.sign(signed_bytes(line))
        raw = canonical_json(line).encode()
        lines.append(raw + b"\n")
        prev = line_hash(raw)
    ws.log.write_bytes(b"".join(lines))


@dataclass(frozen=True)
class Case:
    name: str
    tamper: Callable[[Workspace], None]
    english: str
    korean: str
    database: bool = True  # False: only the data directory changes (one backend is enough)
    witness: bool = False


CASES = [
    Case("edit a payload", _update_entry("payload", '{"name":"x"}', 3), "entry 3 altered", "3번 항목이 변조"),
    Case("edit an actor", _update_entry("actor", "someone-else", 2), "entry 2 altered", "2번 항목이 변조"),
    Case("edit a timestamp", _update_entry("at", "2020-01-01T00:00:00+00:00", 4), "entry 4 altered",
         "4번 항목이 변조"),
    Case("delete a middle entry", _delete_entry(3), "entry 3 removed", "3번 항목이 삭제"),
    Case("delete the first entry", _delete_entry(1), "entry 1 removed", "1번 항목이 삭제"),
    Case("truncate the tail after the last checkpoint", truncate_tail, "removed", "삭제되었습니다"),
    Case("delete the whole chain", delete_whole_chain, "entries 1–", "1–"),
    Case("insert an entry at the end", insert_entry, "is not recorded in ledger/acme.log", "기록되어 있지 않습니다"),
    Case("reorder two entries", reorder, "reordered", "순서"),
    Case("rewrite the chain with recomputed hashes", rewrite_chain, "rewritten", "재작성"),
    Case("delete all checkpoints and rewrite", delete_checkpoints_and_rewrite, "rewritten", "재작성"),
    Case("delete one checkpoint", delete_one_checkpoint,
         "checkpoint 1 (seq", "1번 체크포인트"),
    Case("edit a checkpoint's head hash", edit_checkpoint_hash, "invalid signature", "서명이 올바르지 않습니다"),
    Case("forge a checkpoint signature", forge_signature, "invalid signature", "서명이 올바르지 않습니다"),
    Case("replace the signing key", replace_key, "not a trusted key", "신뢰하지 않는 키", database=False),
    Case("delete the checkpoint log", delete_log, "ledger/acme.log is missing", "로그 ledger/acme.log이(가)",
         database=False),
    Case("truncate the checkpoint log", truncate_log, "not recorded in ledger/acme.log", "기록되어 있지 않습니다",
         database=False),
    Case("edit a line of the checkpoint log", edit_log_line, "ledger/acme.log line 3 was edited",
         "ledger/acme.log line 3이(가) 편집", database=False),
    Case("swap entries between organisations", swap_orgs, "rewritten", "재작성"),
    Case("change an evidence file's bytes", change_evidence, "file altered", "변조됨", database=False),
    Case("delete an evidence file", delete_evidence, "file missing", "없음 (삭제됨)", database=False),
    Case("roll the database back to an older backup", restore_backup, "older backup", "이전 백업"),
    Case("rewrite database, key-signed checkpoints and log", rewrite_everything_locally,
         "handed-out-export.json", "handed-out-export.json", witness=True),
]


def _params() -> list[Any]:
    params = []
    for case in CASES:
        params.append(pytest.param(case, "sqlite", id=f"sqlite-{case.name}"))
        if case.database:
            params.append(pytest.param(case, "postgresql", id=f"postgresql-{case.name}",
                                       marks=pytest.mark.postgres))
    return params


def audit_verify(ws: Workspace, lang: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAECHI_HOME": str(ws.home), "HAECHI_LANG": lang, "COLUMNS": "400",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    if ws.backend == "postgresql":
        env["HAECHI_DATABASE_URL"] = ws.url
    else:
        env.pop("HAECHI_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "haechi", "audit", "verify", "--org", "acme", *extra],
                          check=False, env=env, capture_output=True, text=True, timeout=120)


def test_the_list_names_twenty_distinct_kinds_of_tampering() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 20


def test_a_clean_workspace_verifies(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ws = _build("sqlite", tmp_path / "home", request)
    res = audit_verify(ws, "en", "--witness", str(ws.witness))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "entries verified" in res.stderr and "1 evidence file(s) intact" in res.stderr
    res = audit_verify(ws, "ko", "--format", "json")
    report = json.loads(res.stdout)
    assert res.returncode == 0 and report["ok"] and report["checkpoints"] == 3, report


@pytest.mark.parametrize(("case", "backend"), _params())
def test_tampering_is_caught_by_audit_verify(case: Case, backend: str, tmp_path: Path,
                                             request: pytest.FixtureRequest) -> None:
    ws = _build(backend, tmp_path / "home", request)
    case.tamper(ws)
    extra = ["--witness", str(ws.witness)] if case.witness else []
    res = audit_verify(ws, "en", *extra)
    assert res.returncode == TAMPERED, res.stdout + res.stderr
    assert "FAILED verification" in res.stdout and case.english in res.stdout, res.stdout
    assert "Traceback" not in res.stderr and str(tmp_path) not in res.stdout.replace(str(ws.witness), "")
    if backend == "sqlite":
        res = audit_verify(ws, "ko", *extra)
        assert res.returncode == TAMPERED and "원장 검증 실패" in res.stdout, res.stdout + res.stderr
        assert case.korean in res.stdout, res.stdout


def test_documents_handed_out_are_witnesses_of_a_local_rewrite(tmp_path: Path) -> None:
    """A dossier (JSON and HTML), a passport and an export made before an insider rewrote
    the database, the log and the checkpoints with the key each still name the rewrite."""
    from haechi.demo.company import demo_card

    hc = Haechi(Settings(home=tmp_path / "home"))
    try:
        hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
        actor = hc.local_actor("hanbit")
        hc.systems.add(actor, demo_card("support-chatbot"))
        files = {"dossier.json": hc.reports.dossier(actor, "support-chatbot", variant="model-card", fmt="json"),
                 "dossier.html": hc.reports.dossier(actor, "support-chatbot", variant="model-card", fmt="html")}
        for name, doc in files.items():
            (tmp_path / name).write_bytes(doc.content if isinstance(doc.content, bytes) else doc.content.encode())
        hc.passport.configure(actor, "support-chatbot", enabled=True, fields=["purpose", "ledger"])
        passport = hc.passport.publish(actor, "support-chatbot")["document"]
        (tmp_path / "passport.json").write_text(json.dumps(passport))
        hc.ledger.export(actor, tmp_path / "export.json")
        witnesses = [tmp_path / n for n in ("dossier.json", "dossier.html", "passport.json", "export.json")]
        assert hc.ledger.verify(actor, witnesses=witnesses).ok
        ws = Workspace(hc.home, hc.db.url, "sqlite", tmp_path / "export.json", {}, {"acme": actor.org_id}, "")
        ws.log.parent.mkdir(exist_ok=True)
        (hc.home / "ledger" / "hanbit.log").rename(ws.log)  # the helpers rewrite "acme"'s log
        rewrite_everything_locally(ws)
        raw = ws.log.read_text().replace('"org":"acme"', '"org":"hanbit"')  # re-signed below
        lines = [json.loads(line) for line in raw.splitlines()]
        ws.log.unlink()
        _resign(ws.signer(), lines, hc.home / "ledger" / "hanbit.log")
        assert hc.ledger.verify(actor).ok  # locally consistent: only the witnesses know
        for witness in witnesses:
            report = hc.ledger.verify(actor, witnesses=[witness])
            assert not report.ok and any(witness.name in p.message for p in report.problems), (witness, report)
    finally:
        hc.close()


def _resign(signer: Signer, lines: list[dict[str, Any]], path: Path) -> None:
    prev, out = GENESIS_HASH, []
    for line in lines:
        line["prev"] = prev
        line["sig"] = signer.sign(signed_bytes(line))
        raw = canonical_json(line).encode()
        out.append(raw + b"\n")
        prev = line_hash(raw)
    path.write_bytes(b"".join(out))


def test_a_witness_of_another_organisation_is_bad_input(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ws = _build("sqlite", tmp_path / "home", request)
    env_witness = tmp_path / "not-a-witness.json"
    env_witness.write_text('{"hello": 1}')
    res = audit_verify(ws, "en", "--witness", str(env_witness))
    assert res.returncode == 2 and "not a Haechi document carrying a ledger checkpoint" in res.stderr
    data = json.loads(ws.witness.read_text())
    data["org"]["slug"] = "globex"
    ws.witness.write_text(json.dumps(data))
    res = audit_verify(ws, "ko", "--witness", str(ws.witness))
    assert res.returncode == 2 and "조직의 문서입니다" in res.stderr, res.stderr
