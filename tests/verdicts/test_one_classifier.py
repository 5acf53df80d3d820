"""One classifier per workspace: the verdict service classifies each card change once,
with the workspace's own packs, and compliance builds its controls from that verdict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.rules import api as rules_api
from haechi.settings import Settings
from tests.rules.cards import card
from tests.rules.test_loader import POLICY


@pytest.fixture
def workspace_with_policy(tmp_path: Path) -> Haechi:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "acme-policy.yaml").write_text(POLICY, encoding="utf-8")
    hc = Haechi(Settings(home=tmp_path / "home", packs_dir=packs))
    hc.compliance.clock = lambda: dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)  # the policy's duty is in force
    yield hc
    hc.close()


def test_a_user_pack_reaches_the_verdict_and_the_proposed_controls(workspace_with_policy: Haechi) -> None:
    hc = workspace_with_policy
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(card(roles=["deployer"], domains=["credit"], markets=["KR"])))
    slug = hc.systems.list(actor).items[0].slug

    verdict_packs = {result.pack for result in hc.rules.verdict(actor, slug).results}
    assert "acme-policy" in verdict_packs
    served = {ob for control in hc.compliance.controls.list(actor, slug) for ob in control["obligations"]}
    assert "acme.2.1.fairness-review" in served
    status_packs = {ob["pack"] for ob in hc.compliance.status(actor, slug)["obligations"]}
    assert status_packs == verdict_packs


def test_each_card_change_is_classified_exactly_once(monkeypatch: pytest.MonkeyPatch,
                                                      workspace_with_policy: Haechi) -> None:
    hc = workspace_with_policy
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    calls: list[str] = []
    real = rules_api.evaluate_pack

    def counted(pack, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(pack.id)
        return real(pack, *args, **kwargs)

    monkeypatch.setattr(rules_api, "evaluate_pack", counted)
    hc.systems.add(actor, SystemCard.model_validate(card(id="screener", roles=["deployer"], domains=["credit"],
                                                         markets=["KR"])))
    assert sorted(calls) == sorted({*calls}) and "acme-policy" in calls  # each pack evaluated once
    calls.clear()
    hc.rules.answer(actor, "screener", {"profiling": "true"})
    assert sorted(calls) == sorted({*calls}) and calls
