"""The checkpoint log beside the database: written after each commit only, one line per
write transaction, whole lines from concurrent processes, a torn last line reported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.events import CardRevised
from haechi.settings import Settings


def _card(slug: str) -> SystemCard:
    return SystemCard.model_validate({"id": slug, "name": slug})


def _lines(hc: Haechi, org: str = "acme") -> list[dict[str, object]]:
    return [json.loads(line) for line in (hc.home / "ledger" / f"{org}.log").read_text().splitlines()]


def test_one_head_line_per_commit_and_none_for_a_rollback(db_hc: Haechi) -> None:
    db_hc.accounts.create_org("acme", "Acme")
    actor = db_hc.local_actor("acme")
    db_hc.systems.add(actor, _card("one"))
    before = _lines(db_hc)

    def broken(*_: object) -> None:
        raise RuntimeError("downstream failure half way")

    db_hc.events.subscribe(CardRevised, broken)
    with pytest.raises(RuntimeError):
        db_hc.systems.add(actor, _card("half-way"))
    db_hc.events.unsubscribe(CardRevised, broken)
    assert _lines(db_hc) == before  # the rolled-back change left no line
    cp = db_hc.ledger.checkpoint(actor)
    lines = _lines(db_hc)
    assert [line["kind"] for line in lines] == ["head"] * len(before) + ["checkpoint"]
    assert lines[-1]["checkpoint"]["number"] == cp["number"] == 1  # type: ignore[index]
    assert [line["n"] for line in lines] == list(range(1, len(lines) + 1))
    assert db_hc.ledger.verify(actor).ok


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from haechi import Haechi
    from haechi.domain.card import SystemCard
    from haechi.settings import Settings
    hc = Haechi(Settings(home=Path(sys.argv[1])))
    actor = hc.local_actor("acme")
    for i in range(6):
        hc.systems.add(actor, SystemCard.model_validate({"id": f"p{sys.argv[2]}-{i}", "name": "x"}))
    hc.close()
""")


def test_processes_writing_at_once_keep_the_log_whole(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme")
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(n)]) for n in range(3)]
        assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
        hc.systems.add(hc.local_actor("acme"), _card("after"))  # this process's cached tail is stale now
        report = hc.ledger.verify(hc.local_actor("acme"))
        assert report.ok, report.problems
        lines = _lines(hc)
        assert [line["n"] for line in lines] == list(range(1, len(lines) + 1)) and len(lines) >= 20
    finally:
        hc.close()


def test_a_torn_last_line_is_reported_and_the_next_write_starts_a_new_line(hc: Haechi) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    log = hc.home / "ledger" / "acme.log"
    whole = len(log.read_bytes().splitlines())
    with log.open("ab") as fh:
        fh.write(b'{"format":"haechi-ledger-log/1","n":2')  # a crash half way through a line
    hc.systems.add(actor, _card("next"))
    report = hc.ledger.verify(actor)
    assert [p.kind for p in report.problems] == ["log_altered"]
    assert f"ledger/acme.log line {whole + 1} is not a valid log record" in report.problems[0].message
    lines = log.read_bytes().splitlines()
    assert len(lines) > whole + 1 and json.loads(lines[whole + 1])["n"] == whole + 2


def test_a_log_that_cannot_be_written_does_not_fail_the_committed_change(hc: Haechi,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    log = hc.home / "ledger" / "acme.log"
    log.unlink()
    log.mkdir()  # not a file any more: appending fails
    hc.systems.add(actor, _card("still-stored"))
    assert hc.systems.get(actor, "still-stored").card.name == "still-stored"
    assert "could not write the checkpoint log of acme" in caplog.text
    report = hc.ledger.verify(actor)
    assert [p.kind for p in report.problems] == ["log_missing"]


def test_an_unreadable_signing_key_does_not_fail_the_committed_change(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    (home / "keys").mkdir(parents=True)
    (home / "keys" / "ledger-ed25519.pem").write_text("not a key")
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme")  # committed although the log line cannot be signed
        assert [o.slug for o in hc.accounts.list_orgs()] == ["acme"]
        assert "could not write the checkpoint log of acme" in caplog.text
    finally:
        hc.close()
