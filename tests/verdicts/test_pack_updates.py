"""Installing signed pack bundles: trust, validation, law-change records, uninstall, the daily job."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from haechi.core import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import NotFound, PermissionDenied
from haechi.rules import bundle as bundles
from haechi.rules.bundle import BundleRefused
from haechi.store.tables import LedgerEntry
from haechi.verdicts.updates import run_daily

from .packkit import CARD, POLICY, POLICY_V2, make_bundle


@pytest.fixture
def key() -> bundles.Ed25519PrivateKey:
    return bundles.new_key()


@pytest.fixture
def screener(hc: Haechi, actor):  # type: ignore[no-untyped-def]
    hc.clock.source = lambda: dt.datetime(2026, 12, 6, 3, tzinfo=dt.UTC)
    hc.systems.add(actor, SystemCard.model_validate(CARD))
    return actor


def _trust(hc: Haechi, actor, key) -> None:  # type: ignore[no-untyped-def]
    hc.rules.updates.trust(actor, bundles.public_pem(key.public_key()), "acme.pub.pem")


def _actions(hc: Haechi, org_id: int) -> list[str]:
    with hc.db.reader() as s:
        return [e.action for e in s.execute(select(LedgerEntry).where(LedgerEntry.org_id == org_id)
                                            .order_by(LedgerEntry.seq)).scalars()]


def test_install_records_what_each_version_means_for_the_system(hc: Haechi, screener, key) -> None:  # type: ignore[no-untyped-def]
    actor = screener
    with pytest.raises(BundleRefused, match="not trusted"):
        hc.rules.install(actor, make_bundle({"acme/v1.yaml": POLICY}, key), "acme.haechi-pack")
    assert hc.rules.updates.installed(actor) == [] and "acme-policy" not in hc.rules.library.ids()
    _trust(hc, actor, key)
    first = hc.rules.install(actor, make_bundle({"acme/v1.yaml": POLICY}, key), "acme.haechi-pack")
    assert [r["ref"] for r in first["installed"]] == ["acme-policy@1"]
    [gained] = first["law_changes"]["acme"]
    assert gained["system"] == "hiring-screener" and gained["old_version"] is None and gained["new_version"] == 1
    assert [(o["id"], o["old_status"], o["new_status"]) for o in gained["gained"]] == [
        ("acme.2.1.fairness-review", "not_applicable", "applies")]
    assert any(c["id"] for c in gained["controls"]), "the library controls serving the duty are named"
    # the owners were told through the alert e-mail channel (no SMTP server here: recorded as not sent)
    assert gained["deliveries"][0]["channel"] == "email" and gained["deliveries"][0]["ok"] is False

    second = hc.rules.install(actor, make_bundle({"acme/v2.yaml": POLICY_V2}, key), "acme-2.haechi-pack")
    [moved] = second["law_changes"]["acme"]
    assert (moved["old_version"], moved["new_version"], moved["cause"]) == (1, 2, "pack_version")
    assert moved["effective"] == "2026-12-06"
    assert [(o["id"], o["old_status"], o["new_status"], o["old_effective_from"], o["new_effective_from"])
            for o in moved["moved"]] == [("acme.2.1.fairness-review", "applies", "not_in_force",
                                          "2026-04-01", "2027-01-01")]
    assert [o["id"] for o in moved["gained"]] == ["acme.3.1.model-inventory"]
    listed = hc.rules.law_changes(actor)
    assert listed["total"] == 2 and [i["new_version"] for i in listed["items"]] == [2, 1]
    assert hc.rules.law_changes(actor, system="hiring-screener", limit=1)["items"][0]["id"] == moved["id"]
    summary = {p["ref"]: p for p in hc.rules.packs(actor)}
    assert summary["acme-policy@2"]["provenance"] == "installed (Acme compliance)"
    assert summary["acme-policy@2"]["publisher"]["key_id"] == bundles.key_id(key.public_key())
    actions = _actions(hc, actor.org_id)
    assert actions.count("pack.install") == 2 and actions.count("rules.law_change") == 2
    assert "pack.trust" in actions

    removed = hc.rules.uninstall(actor, "acme-policy@2")
    [back] = removed["law_changes"]["acme"]
    assert (back["old_version"], back["new_version"]) == (2, 1)
    assert [o["id"] for o in back["lost"]] == ["acme.3.1.model-inventory"]
    assert "pack.uninstall" in _actions(hc, actor.org_id)
    with pytest.raises(NotFound):
        hc.rules.uninstall(actor, "eu-ai-act@1")  # shipped packs are not the store's to remove


def test_same_bundle_twice_is_harmless_and_other_organisations_are_reevaluated(  # type: ignore[no-untyped-def]
        hc: Haechi, screener, other_actor, key) -> None:
    hc.systems.add(other_actor, SystemCard.model_validate(CARD))
    _trust(hc, screener, key)
    data = make_bundle({"acme/v1.yaml": POLICY}, key)
    first = hc.rules.install(screener, data, "a.haechi-pack")
    assert set(first["law_changes"]) == {"acme", "globex"}
    assert hc.rules.law_changes(other_actor)["items"][0]["actor"] == "haechi:pack-update"
    again = hc.rules.install(screener, data, "a.haechi-pack")
    assert again["installed"] == [] and again["already_present"] == ["acme-policy@1"]


def test_only_an_admin_installs_or_trusts(hc: Haechi, screener, key) -> None:  # type: ignore[no-untyped-def]
    editor = dataclasses.replace(screener, role="editor")
    with pytest.raises(PermissionDenied):
        hc.rules.updates.trust(editor, bundles.public_pem(key.public_key()), "k.pem")
    _trust(hc, screener, key)
    with pytest.raises(PermissionDenied):
        hc.rules.install(editor, make_bundle({"acme/v1.yaml": POLICY}, key), "b")


def test_a_signed_bundle_with_an_invalid_pack_is_refused(hc: Haechi, screener, key, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _trust(hc, screener, key)
    broken = POLICY.replace("contains_any: [employment, credit]", "contains_any: [employmnt]")
    raw = {"acme/v1.yaml": broken.encode()}
    data = bundles.build(raw, key, "Acme", [{"id": "acme-policy", "version": 1, "sha256": "0" * 64}],
                         dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    with pytest.raises(BundleRefused) as info:
        hc.rules.install(screener, data, "broken.haechi-pack")
    assert "acme/v1.yaml" in info.value.message and "employment" in info.value.render()
    clash = POLICY.replace("id: acme-policy", "id: eu-ai-act").replace("version: 1", "version: 2")
    with pytest.raises(BundleRefused, match="defined twice"):
        hc.rules.install(screener, make_bundle({"eu/v2.yaml": clash}, key), "clash.haechi-pack")
    assert hc.rules.updates.installed(screener) == []
    assert not [p for p in (hc.home / "packs").rglob("*") if p.suffix == ".yaml"]


def test_untrusting_a_key_refuses_its_bundles(hc: Haechi, screener, key) -> None:  # type: ignore[no-untyped-def]
    _trust(hc, screener, key)
    kid = bundles.key_id(key.public_key())
    assert {r["key_id"]: r["trusted"] for r in hc.rules.updates.trusted(screener)}[kid] is True
    hc.rules.updates.untrust(screener, kid[:12])
    with pytest.raises(BundleRefused, match="not trusted"):
        hc.rules.install(screener, make_bundle({"acme/v1.yaml": POLICY}, key), "c")
    assert "pack.untrust" in _actions(hc, screener.org_id)


def test_the_daily_job_records_a_duty_coming_into_force(hc: Haechi, screener, key) -> None:  # type: ignore[no-untyped-def]
    _trust(hc, screener, key)
    hc.rules.install(screener, make_bundle({"acme/v1.yaml": POLICY, "acme/v2.yaml": POLICY_V2}, key), "d")
    before = hc.rules.law_changes(screener)["total"]
    assert run_daily(hc.rules)["skipped"] is False
    assert run_daily(hc.rules) == {"skipped": True}, "nothing changed since the last run"
    hc.clock.source = lambda: dt.datetime(2027, 1, 2, 3, tzinfo=dt.UTC)
    result = run_daily(hc.rules)
    assert result["law_changes"] == {"acme": 1}
    latest = hc.rules.law_changes(screener)["items"][0]
    assert latest["trigger"] == "schedule" and latest["cause"] == "date" and latest["effective"] == "2027-01-01"
    assert [(o["old_status"], o["new_status"]) for o in latest["moved"]] == [("not_in_force", "applies")]
    assert hc.rules.law_changes(screener)["total"] == before + 1


def test_timeline_lists_starts_and_version_changes(hc: Haechi, screener, key) -> None:  # type: ignore[no-untyped-def]
    _trust(hc, screener, key)
    hc.rules.install(screener, make_bundle({"acme/v1.yaml": POLICY, "acme/v2.yaml": POLICY_V2}, key), "e")
    data = hc.rules.timeline(screener, "hiring-screener")
    assert (data["from"], data["to"]) == ("2024-12-06", "2028-12-06")
    acme = [(e["date"], e["kind"], e.get("id")) for e in data["events"] if e["pack"] == "acme-policy"]
    assert acme == [("2026-04-01", "starts", "acme.2.1.fairness-review"),
                    ("2026-06-01", "version", None),
                    ("2026-06-01", "ends", "acme.2.1.fairness-review"),
                    ("2026-06-01", "starts", "acme.3.1.model-inventory"),
                    ("2027-01-01", "starts", "acme.2.1.fairness-review")]
    assert [e["past"] for e in data["events"] if e["pack"] == "acme-policy"] == [True, True, True, True, False]
    kr = [e for e in data["events"] if e["pack"] == "kr-ai-basic-act"]
    assert any(e["kind"] == "starts" and e["date"] == "2026-01-22" for e in kr), "the Basic Act's start is on it"
