"""Evidence lifecycle: content-addressed files, type and size checks, duplicates,
dates in order, revisions, automatic evidence, retention and integrity; bad input never
leaves anything half-stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.errors import Conflict, NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed
from haechi.settings import Settings

from .conftest import PDF, MovableClock, accept_pending, control_ref, operate, user


def _blob_files(hc: Haechi) -> list[Path]:
    root = hc.home / "evidence"
    return [p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts] if root.exists() else []


def _state(hc: Haechi, actor: Actor) -> tuple[int, int, int]:
    """(stored files, evidence items, ledger entries) — to prove nothing was half-stored."""
    return len(_blob_files(hc)), len(hc.compliance.evidence.list(actor, include_history=True)), \
        hc.ledger.verify(actor).entries


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_file_is_stored_once_by_hash_with_its_dates(hc: Haechi, actor: Actor, screener: str) -> None:
    ref = control_ref(hc, actor, "risk-management")
    ev = hc.compliance.evidence.add_file(actor, PDF, filename="risk-plan.pdf", system=screener, controls=[ref],
                                         title="Risk plan", evidence_type="plan", effective_from="2026-01-15",
                                         valid_until="2027-01-15", collected_at="2026-03-01T10:00+09:00")
    assert ev["media_type"] == "application/pdf" and ev["sniffed_type"] == "application/pdf"
    assert ev["effective_from"] == "2026-01-15" and ev["collected_at"].startswith("2026-03-01T01:00")
    assert ev["controls"] == [ref] and ev["retain_until"] == "2031-03-02"
    stored = hc.compliance.blobs.path(ev["sha256"])
    assert stored.read_bytes() == PDF and stored.parent.name == ev["sha256"][2:4]
    path, media, name = hc.compliance.evidence.download(actor, ev["ref"])
    assert path == stored and media == "application/pdf" and name == "risk-plan.pdf"


def test_duplicate_upload_is_refused_with_a_pointer(hc: Haechi, actor: Actor, screener: str) -> None:
    first = hc.compliance.evidence.add_file(actor, PDF, filename="a.pdf", system=screener, title="A")
    before = _state(hc, actor)
    with pytest.raises(Conflict) as exc:
        hc.compliance.evidence.add_file(actor, PDF, filename="copy.pdf", system=screener, title="B")
    assert exc.value.details["existing"] == first["ref"] and "evidence link" in exc.value.message
    assert _state(hc, actor) == before


def test_oversized_file_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    hc = Haechi(Settings(home=tmp_path / "home", max_evidence_mb=1))
    try:
        hc.accounts.create_org("acme", "Acme")
        actor = hc.local_actor("acme")
        with pytest.raises(PayloadTooLarge, match="1 MB"):
            hc.compliance.evidence.add_file(actor, PDF + b"0" * (1 << 20), filename="big.pdf", title="Big")
        assert _blob_files(hc) == [] and list((hc.home / "evidence" / ".incoming").iterdir()) == []
        assert hc.compliance.evidence.list(actor) == []
    finally:
        hc.close()


@pytest.mark.parametrize(("content", "name", "media", "message"), [
    (b"MZ\x90\x00" + b"\x00" * 100, "report.pdf", None, "Windows executable"),
    (b"\x7fELF" + b"\x00" * 100, "data.csv", None, "ELF executable"),
    (PDF, "numbers.xlsx", None, "declared as application/vnd.openxmlformats"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "photo.jpg", None, "content is image/png"),
    (b"plain words", "notes.bin", None, "unknown file type"),
    (b"plain words", "notes.txt", "application/x-msdownload", "not accepted as evidence"),
    (b"", "empty.pdf", None, "is empty"),
    (_docx(), "policy.xlsx", None, "wordprocessingml"),
])
def test_wrong_or_dangerous_types_are_refused(hc: Haechi, actor: Actor, screener: str, content: bytes,
                                              name: str, media: str | None, message: str) -> None:
    before = _state(hc, actor)
    with pytest.raises(ValidationFailed, match=message):
        hc.compliance.evidence.add_file(actor, content, filename=name, media_type=media, system=screener, title="x")
    assert _state(hc, actor) == before


@pytest.mark.parametrize(("content", "name", "expected"), [
    (_docx(), "policy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"a,b\n1,2\n", "table.csv", "text/csv"),
    (b'{"ok": true}', "result.json", "application/json"),
    ("# 위험관리\n한국어 문서".encode(), "plan.md", "text/markdown"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "scan.jpeg", "image/jpeg"),
])
def test_accepted_types(hc: Haechi, actor: Actor, screener: str, content: bytes, name: str, expected: str) -> None:
    assert hc.compliance.evidence.add_file(actor, content, filename=name, title="x")["media_type"] == expected


def test_dates_in_the_wrong_order_name_every_field(hc: Haechi, actor: Actor, screener: str) -> None:
    before = _state(hc, actor)
    with pytest.raises(ValidationFailed) as exc:
        hc.compliance.evidence.add_record(actor, {"a": 1}, system=screener, title="", effective_from="2026-05-01",
                                          effective_until="2026-04-01", valid_until="2026-04-15",
                                          collected_at="2030-01-01T00:00Z", evidence_type="photo")
    fields = {i.location for i in exc.value.issues}
    assert fields == {"title", "effective_until", "valid_until", "collected_at", "evidence_type"}
    assert all(i.fix for i in exc.value.issues)
    assert _state(hc, actor) == before


def test_failure_half_way_leaves_no_file_row_or_ledger_entry(hc: Haechi, actor: Actor, screener: str) -> None:
    before = _state(hc, actor)
    with pytest.raises(NotFound):
        hc.compliance.evidence.add_file(actor, PDF, filename="plan.pdf", system=screener, title="Plan",
                                        controls=["C-999"])
    assert _state(hc, actor) == before
    assert hc.ledger.verify(actor).ok


def test_revision_supersedes_and_keeps_links(hc: Haechi, actor: Actor, screener: str, clock: MovableClock) -> None:
    ref = control_ref(hc, actor, "risk-management")
    first = hc.compliance.evidence.add_file(actor, PDF, filename="plan.pdf", system=screener, controls=[ref],
                                            title="Plan", evidence_type="plan")
    clock.advance(days=3)
    second = hc.compliance.evidence.revise(actor, first["ref"], PDF.replace(b"1.7", b"1.6"),
                                           filename="plan-v2.pdf", valid_until="2027-03-01")
    assert second["lineage"] == first["ref"] and second["revision"] == 2 and second["controls"] == [ref]
    assert second["effective_from"] == "2026-03-05"
    shown = hc.compliance.evidence.get(actor, second["ref"])
    assert [r["revision"] for r in shown["revisions"]] == [1, 2] and shown["revisions"][0]["superseded"]
    assert [e["ref"] for e in hc.compliance.evidence.list(actor, control=ref)] == [second["ref"]]
    with pytest.raises(Conflict, match="not the current revision"):
        hc.compliance.evidence.revise(actor, first["ref"], title="again")


def test_links_and_records(hc: Haechi, actor: Actor, screener: str) -> None:
    link = hc.compliance.evidence.add_link(actor, "https://intranet.example/policy", system=screener,
                                           title="AI policy page")
    assert link["kind"] == "link" and link["evidence_type"] == "link"
    with pytest.raises(ValidationFailed, match="not a web link"):
        hc.compliance.evidence.add_link(actor, "file:///etc/passwd", title="x")
    rec = hc.compliance.evidence.add_record(actor, {"training": "oversight", "attendees": 4}, system=screener,
                                            title="Training", evidence_type="training_record")
    with pytest.raises(Conflict):
        hc.compliance.evidence.add_record(actor, {"attendees": 4, "training": "oversight"}, title="Same")
    assert hc.compliance.evidence.get(actor, rec["ref"])["record"]["attendees"] == 4
    other = control_ref(hc, actor, "human-oversight")
    assert hc.compliance.evidence.link(actor, rec["ref"], [other])["controls"] == [other]


def test_automatic_evidence_is_idempotent_and_targets_by_type(hc: Haechi, actor: Actor, screener: str) -> None:
    payload = {"from": "2026-03-01", "to": "2026-03-07", "count": 1204}
    one = hc.compliance.record_auto_evidence(actor, screener, "notice_delivery", "Notices delivered", payload)
    two = hc.compliance.record_auto_evidence(actor, screener, "notice_delivery", "Notices delivered", payload)
    assert one["ref"] == two["ref"] and not one["deduplicated"] and two["deduplicated"]
    assert set(one["controls"]) == {control_ref(hc, actor, "ai-use-notice"), control_ref(hc, actor, "explanation")}
    legacy = hc.compliance.record_auto_evidence(actor, system=screener, source="transparency.deliveries",
                                                obligation_articles=["kr:34(1)"], summary="Batch 2",
                                                data={"count": 7, "day": "2026-03-08"})
    assert legacy["evidence_type"] == "notice_delivery"
    assert control_ref(hc, actor, "risk-management") in legacy["controls"]  # serves kr 34(1)(1)
    with pytest.raises(ValidationFailed, match="needs a kind"):
        hc.compliance.record_auto_evidence(actor, screener, title="x", payload={"a": 1})


def test_retention_blocks_deletion_until_it_ends(hc: Haechi, actor: Actor, screener: str,
                                                 clock: MovableClock) -> None:
    ev = hc.compliance.evidence.add_file(actor, PDF, filename="old.pdf", system=screener, title="Old",
                                         effective_until="2026-06-30")
    assert ev["retain_until"] == "2031-06-30"
    editor = user(hc, actor, "editor")
    with pytest.raises(PermissionDenied):
        hc.compliance.delete_evidence(editor, ev["ref"], "cleanup")
    with pytest.raises(Conflict, match="must be kept until 2031-06-30"):
        hc.compliance.delete_evidence(actor, ev["ref"], "cleanup")
    assert hc.compliance.blobs.exists(ev["sha256"])
    clock.advance(days=365 * 5 + 125)
    done = hc.compliance.delete_evidence(actor, ev["ref"], "retention period over")
    assert done["deleted"] == ev["ref"] and not hc.compliance.blobs.exists(ev["sha256"])
    assert hc.compliance.evidence.list(actor) == [e for e in hc.compliance.evidence.list(actor)
                                                   if e["ref"] != ev["ref"]]


def test_files_on_disk_are_checked_against_their_hash(hc: Haechi, actor: Actor, screener: str) -> None:
    ev = hc.compliance.evidence.add_file(actor, PDF, filename="p.pdf", system=screener, title="P")
    assert hc.compliance.verify_files(actor)["ok"]
    path = hc.compliance.blobs.path(ev["sha256"])
    path.chmod(0o644)
    path.write_bytes(PDF + b"tampered")
    report = hc.compliance.verify_files(actor)
    assert not report["ok"] and report["problems"][0]["state"] == "altered"
    path.unlink()
    assert hc.compliance.verify_files(actor)["problems"][0]["state"] == "missing"


def test_evidence_of_another_organisation_is_invisible(hc: Haechi, actor: Actor, other_actor: Actor,
                                                      screener: str) -> None:
    ev = hc.compliance.evidence.add_file(actor, PDF, filename="p.pdf", system=screener, title="P")
    with pytest.raises(NotFound):
        hc.compliance.evidence.get(other_actor, ev["ref"])
    with pytest.raises(NotFound):
        hc.compliance.evidence.download(other_actor, ev["ref"])
    with pytest.raises(NotFound):
        hc.compliance.evidence.add_file(other_actor, PDF, filename="p.pdf", system=screener, title="P")
    # the same content in another organisation is its own item (deduplication is per organisation)
    mine = hc.compliance.evidence.add_file(other_actor, PDF, filename="p.pdf", title="P")
    assert mine["sha256"] == ev["sha256"] and mine["ref"] == "E-1"
    viewer = user(hc, actor, "viewer")
    with pytest.raises(PermissionDenied):
        hc.compliance.evidence.add_file(viewer, PDF + b" ", filename="v.pdf", title="V")


def test_identical_automatic_payloads_of_two_systems_stay_separate(hc: Haechi, actor: Actor, screener: str) -> None:
    from .cards import card

    hc.systems.add(actor, card(id="credit-scorer", name="Credit scorer", domains=["credit"]))
    payload = {"window": "2026-03-01", "n": 100}
    one = hc.compliance.record_auto_evidence(actor, screener, "monitoring_result", "Window", payload)
    two = hc.compliance.record_auto_evidence(actor, "credit-scorer", "monitoring_result", "Window", payload)
    assert one["ref"] != two["ref"] and (one["system"], two["system"]) == (screener, "credit-scorer")
    runs = [e for e in hc.compliance.evidence.list(actor) if e["evidence_type"] == "classification_run"]
    assert {e["system"] for e in runs} == {screener, "credit-scorer"}


def test_record_auto_many_gives_what_record_auto_gives_one_by_one(hc: Haechi, actor: Actor, other_actor: Actor,
                                                                  screener: str) -> None:
    """The batch path (a monitor run's alerts) on its awkward cases: repeated content in the
    batch, content stored before, explicit and repeated controls, negative evidence that
    demotes an operating control at its first item."""
    from haechi.ledger.chain import chain_rows

    from .cards import card

    hc.systems.add(other_actor, card())
    items = [
        {"kind": "monitoring_result", "title": "Window 1", "payload": {"w": 1}},
        {"kind": "record", "title": "Audit", "payload": {"a": 1}, "controls": ["C-2", "c3", "C-2"]},
        {"kind": "monitoring_result", "title": "Window 1 again", "payload": {"w": 1}, "controls": ["C-4"]},
        {"kind": "monitoring_result", "title": "Breach", "payload": {"w": 0}, "polarity": "contradicts",
         "alert_family": "fairness"},
        {"kind": "monitoring_result", "title": "Breach 2", "payload": {"w": 2}, "polarity": "contradicts",
         "alert_family": "fairness", "source": "monitoring", "source_ref": "alert:2"},
    ]
    starts = {}
    for who in (actor, other_actor):
        ref = control_ref(hc, who, "risk-management")
        hc.compliance.controls.transition(who, ref, "in_progress")
        hc.compliance.evidence.add_record(who, {"plan": 1}, system=screener, controls=[ref], evidence_type="plan",
                                          title="Plan")
        accept_pending(hc, who)
        operate(hc, who, ref)
        hc.compliance.evidence.record_auto(who, screener, "monitoring_result", "Stored before", {"w": 0},
                                           controls=["C-5"], polarity="contradicts")
        starts[who.org_id] = hc.ledger.verify(who).entries
    with hc.db.transaction() as s:
        batch = hc.compliance.evidence.record_auto_many(actor, screener, items, session=s)
    with hc.db.transaction() as s:
        single = [hc.compliance.evidence.record_auto(other_actor, screener, session=s, **dict(item))
                  for item in items]
    assert batch == single
    assert [r["deduplicated"] for r in batch] == [False, False, True, True, False]
    # the stored negative item, now also linked to the operating control, demotes it
    assert [d["reason"] for d in batch[3]["demoted"]] == ["demoted: unresolved negative evidence E-3"]
    assert batch[3]["controls"] == ["C-2", "C-5"] and batch[4]["demoted"] == []

    def ledger(who: Actor) -> list[tuple[str, str, str, str]]:
        with hc.db.reader() as s:
            return [(e["action"], e["entity_type"], e["entity_id"], e["payload"])
                    for e in chain_rows(s, who.org_id)[starts[who.org_id]:]]

    assert ledger(actor) == ledger(other_actor) and len(ledger(actor)) == 4  # 3 new items + 1 demotion
    listing = [[e | {"review": e["review"] | {"by": None}}  # each organisation has its own reviewer
                for e in hc.compliance.evidence.list(who, include_history=True)] for who in (actor, other_actor)]
    assert listing[0] == listing[1]


def _zip_with(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_whose_member_inflates_hugely_is_inspected_without_inflating_it(
        hc: Haechi, actor: Actor, screener: str) -> None:
    import tracemalloc

    bomb = _zip_with({"mimetype": b"\0" * (200 << 20), "notes.txt": b"hello"})
    assert len(bomb) < 400 << 10  # ~200 KB that inflate to 200 MB
    tracemalloc.start()
    try:
        ev = hc.compliance.evidence.add_file(actor, bomb, filename="bundle.zip", system=screener, title="Bundle")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ev["media_type"] == "application/zip"
    assert peak < 32 << 20, f"inspecting the archive allocated {peak >> 20} MB"


def test_a_zip_declaring_too_many_members_is_refused(hc: Haechi, actor: Actor, screener: str) -> None:
    from haechi.domain.limits import MAX_ARCHIVE_ENTRIES

    many = _zip_with({f"m{i}": b"" for i in range(MAX_ARCHIVE_ENTRIES + 1)}, level=1)
    before = hc.compliance.evidence.list(actor)
    with pytest.raises(PayloadTooLarge) as caught:
        hc.compliance.evidence.add_file(actor, many, filename="many.zip", system=screener, title="Many")
    assert "many.zip" in caught.value.message and caught.value.message_ko
    assert hc.compliance.evidence.list(actor) == before


def test_json_evidence_nested_past_the_parser_is_stored_not_a_crash(hc: Haechi, actor: Actor, screener: str) -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    ev = hc.compliance.evidence.add_file(actor, deep, filename="deep.json", system=screener, title="Deep")
    assert ev["media_type"] == "application/json"
