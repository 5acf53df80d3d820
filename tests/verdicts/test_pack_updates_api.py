"""``/api/v1`` pack updates: the same checks as the CLI, the admin role, law changes and timelines."""

from __future__ import annotations

from haechi.domain.card import SystemCard
from haechi.rules import bundle as bundles

from .packkit import CARD, POLICY, make_bundle

OCTET = {"Content-Type": "application/octet-stream"}


def test_install_over_http(api) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    admin = hc.local_actor("acme")
    hc.systems.add(admin, SystemCard.model_validate(CARD))
    key = bundles.new_key()
    data = make_bundle({"acme/v1.yaml": POLICY}, key)
    editor = {**OCTET, "Authorization": f"Bearer {api.tokens['editor']}"}
    assert api.post("/api/v1/packs/install", content=data, headers=editor).status_code == 403
    refused = api.post("/api/v1/packs/install?name=acme.haechi-pack", content=data, headers=OCTET)
    assert refused.status_code == 422 and "not trusted" in refused.json()["error"]["message"]
    assert refused.json()["error"]["message_ko"]
    hc.rules.updates.trust(admin, bundles.public_pem(key.public_key()), "acme.pub.pem")
    altered = data[:-30] + bytes([data[-30] ^ 1]) + data[-29:]
    assert api.post("/api/v1/packs/install", content=altered, headers=OCTET).status_code == 422
    ok = api.post("/api/v1/packs/install?name=acme.haechi-pack", content=data, headers=OCTET)
    assert ok.status_code == 200, ok.text
    assert [r["ref"] for r in ok.json()["installed"]] == ["acme-policy@1"]
    changes = api.get("/api/v1/law-changes?system=hiring-screener").json()
    assert changes["total"] == 1 and changes["items"][0]["pack"] == "acme-policy"
    keys = api.get("/api/v1/pack-keys").json()["items"]
    assert {k["source"] for k in keys} == {"shipped", "workspace"}
    timeline = api.get("/api/v1/systems/hiring-screener/timeline?at=2026-12-06").json()
    assert any(e["pack"] == "acme-policy" and e["kind"] == "starts" for e in timeline["events"])
    too_big = api.post("/api/v1/packs/install", content=b"x" * (bundles.MAX_BUNDLE_BYTES + 1), headers=OCTET)
    assert too_big.status_code == 413
    assert api.delete("/api/v1/packs/installed/acme-policy@1").status_code == 200
    assert api.delete("/api/v1/packs/installed/acme-policy@1").status_code == 404
