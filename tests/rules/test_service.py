"""``hc.rules`` on SQLite and PostgreSQL: verdicts per revision and pack version, history
causes, ledger entries, answers to questions, refresh, diffs with affected systems, tenancy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import NotFound, PermissionDenied, ValidationFailed
from haechi.events import VerdictChanged
from haechi.rules import PackLibrary
from haechi.store.tables import LedgerEntry

from .cards import UNKNOWN, card
from .test_loader import POLICY
from .test_spec_json import HIRING


def _admin(hc: Haechi, slug: str = "acme") -> Actor:
    hc.accounts.create_org(slug, slug.title())
    return hc.local_actor(slug)


def test_each_revision_is_classified_and_kept(db_hc: Haechi) -> None:
    actor = _admin(db_hc)
    seen: list[tuple[str, list[str]]] = []
    db_hc.events.subscribe(VerdictChanged, lambda event: seen.extend(
        (pack, [c["class"] for c in changes["classes"]]) for pack, changes in event.changes.items()))
    db_hc.systems.add(actor, SystemCard.model_validate(HIRING))
    first = db_hc.rules.history(actor, "hiring-screener")
    assert {(h["pack"], h["cause"], h["revision"]) for h in first} == {
        ("kr-ai-basic-act", "initial", 1), ("eu-ai-act", "initial", 1), ("eu-cra", "initial", 1)}
    assert ("kr-ai-basic-act", ["high_impact", "generative", "realistic_synthetic_media", "high_performance",
                                "domestic_representative_required"]) in seen

    db_hc.rules.answer(actor, "hiring-screener", {"significant_impact": "false"}, expected_revision=1)
    latest = db_hc.rules.history(actor, "hiring-screener", pack="kr-ai-basic-act")[0]
    assert (latest["revision"], latest["cause"]) == (2, "revision")
    assert latest["changes"]["classes"] == [{"class": "high_impact", "old": "yes", "new": "no"}]
    assert {"id": "kr.34.1.risk-management-plan", "old_status": "applies", "new_status": "not_applicable",
            "old_effective_from": "2026-01-22", "new_effective_from": None} in latest["changes"]["obligations"]
    assert db_hc.rules.verdict(actor, "hiring-screener").result("kr-ai-basic-act").classes["high_impact"] == "no"

    with db_hc.db.reader() as s:
        payloads = s.execute(select(LedgerEntry.payload).where(LedgerEntry.action == "rules.verdict")).scalars().all()
    assert len(payloads) == 6 and all('"pack_sha256"' in p for p in payloads)


def test_bad_answer_changes_nothing(db_hc: Haechi) -> None:
    actor = _admin(db_hc)
    db_hc.systems.add(actor, SystemCard.model_validate(card(significant_impact=UNKNOWN, domains=["credit"])))
    with pytest.raises(ValidationFailed) as info:
        db_hc.rules.answer(actor, "golden-case", {"significant_impact": "perhaps"})
    assert info.value.issues[0].location == "significant_impact"
    with pytest.raises(ValidationFailed):
        db_hc.rules.answer(actor, "golden-case", {"domains": "employmnt"})
    assert db_hc.systems.get(actor, "golden-case").revision == 1
    record = db_hc.rules.answer(actor, "golden-case", {"significant_impact": "yes", "domains": "credit, employment"})
    assert record.card.significant_impact is True and record.card.domains == ["credit", "employment"]


def test_new_pack_version_and_time_are_recorded_as_causes(db_hc: Haechi, tmp_path: Path) -> None:
    actor = _admin(db_hc)
    db_hc.systems.add(actor, SystemCard.model_validate(card(roles=["deployer"], domains=["credit"], markets=["KR"])))
    assert db_hc.rules.refresh(actor) == []  # nothing changed since the card was stored

    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "v1.yaml").write_text(POLICY, encoding="utf-8")
    db_hc.rules.reload(packs)
    changed = db_hc.rules.refresh(actor, as_of=dt.date(2026, 3, 15))
    assert [v["pack"] for v in changed[0]["verdicts"]] == ["acme-policy"]
    assert changed[0]["verdicts"][0]["cause"] == "initial"
    # The policy's duty starts on 2026-04-01: time alone changes the verdict.
    later = db_hc.rules.refresh(actor, as_of=dt.date(2026, 4, 2))
    assert [(v["pack"], v["cause"]) for v in later[0]["verdicts"]] == [("acme-policy", "date")]
    assert later[0]["verdicts"][0]["changes"]["obligations"][0]["new_status"] == "applies"

    (packs / "v2.yaml").write_text(POLICY.replace("version: 1", "version: 2")
                                   .replace("published: 2026-03-01", "published: 2026-04-01"), encoding="utf-8")
    db_hc.rules.reload()
    again = db_hc.rules.refresh(actor, as_of=dt.date(2026, 4, 2))
    assert [(v["pack"], v["pack_version"], v["cause"]) for v in again[0]["verdicts"]] == [
        ("acme-policy", 2, "pack_version")]


def test_diff_lists_affected_systems(db_hc: Haechi) -> None:
    actor = _admin(db_hc)
    db_hc.systems.add(actor, SystemCard.model_validate(HIRING))
    db_hc.systems.add(actor, SystemCard.model_validate(card(id="plain-tool", markets=["KR"])))
    out = db_hc.rules.diff(actor, "eu-ai-act@1", "eu-ai-act@2", as_of=dt.date(2026, 11, 26))
    assert [s["system"] for s in out["affected_systems"]] == ["hiring-screener"]
    moved = {o["id"]: (o["old_status"], o["new_status"]) for o in out["affected_systems"][0]["obligations"]}
    # Under the original text the screener (placed on the market before 2026-08-02) is reached only
    # if significantly changed since (Art. 111(2)), which the card leaves open; the Omnibus moves the
    # duty to 2027-12-02.
    assert moved["eu.26.2.human-oversight"] == ("may_apply", "not_in_force")


def test_tenancy_and_roles(hc: Haechi, actor: Actor, other_actor: Actor) -> None:
    hc.systems.add(actor, SystemCard.model_validate(HIRING))
    for call in (lambda: hc.rules.history(other_actor, "hiring-screener"),
                 lambda: hc.rules.verdict(other_actor, "hiring-screener"),
                 lambda: hc.rules.classify(other_actor, "hiring-screener"),
                 lambda: hc.rules.answer(other_actor, "hiring-screener", {"profiling": "true"})):
        with pytest.raises(NotFound):
            call()
    viewer = dataclasses.replace(actor, role="viewer", label="viewer@acme.example")
    assert hc.rules.verdict(viewer, "hiring-screener").system == "hiring-screener"
    assert len(hc.rules.history(viewer, "hiring-screener")) == 3
    hc.rules.classify(viewer, "hiring-screener")  # reads, records nothing
    assert len(hc.rules.history(viewer, "hiring-screener")) == 3
    with pytest.raises(PermissionDenied):
        hc.rules.refresh(viewer)
    with pytest.raises(PermissionDenied):
        hc.rules.answer(viewer, "hiring-screener", {"profiling": "false"})


def test_service_uses_the_configured_packs_dir(tmp_path: Path) -> None:
    from haechi.settings import Settings

    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    hc = Haechi(Settings(packs_dir=tmp_path), memory=True)
    try:
        assert "acme-policy" in hc.rules.library.ids()
        assert isinstance(hc.rules.library, PackLibrary)
    finally:
        hc.close()
