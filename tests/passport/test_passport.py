"""Trust passport: signature round trip, tampering, expiry, wrong keys, the one refusal, CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from haechi.domain.errors import NotFound, ValidationFailed
from haechi.ledger.keys import Signer
from haechi.passport.document import keys_from_text, parse_envelope, verify
from tests.records import Org


def _publish(org: Org, fields: list[str] | None = None) -> dict:
    org.hc.passport.configure(org.actor, "hiring-screener", enabled=True, fields=fields)
    return org.hc.passport.publish(org.actor, "hiring-screener", base_url="https://trust.example")["document"]


def test_round_trip_with_the_published_key(org: Org) -> None:
    doc = _publish(org, ["purpose", "verdicts", "notices", "oversight", "monitoring", "esg", "compliance", "ledger"])
    keys = keys_from_text(json.dumps(org.hc.passport.keys("hanbit")), "keys")
    result = verify(doc, keys)
    assert result.ok and result.signature_valid and result.fresh and result.key_source == "pinned"
    claims = doc["passport"]["claims"]
    assert claims["id"] == "hiring-screener"
    assert claims["oversight"]["email"]
    assert {v["pack"] for v in claims["verdicts"]} >= {"kr-ai-basic-act"}
    assert claims["monitoring"]["monitors"][0]["fairness"]["sex"]["demographic_parity_difference"] > 0
    assert claims["esg"]["energy_kwh"] == pytest.approx(1560.5)
    assert claims["ledger"]["seq"] > 0
    assert doc["passport"]["subject"]["url"] == "https://trust.example/p/hanbit/hiring-screener"


@pytest.mark.parametrize("path", [("claims", "name"), ("expires_at",), ("subject", "system"), ("fields",)])
def test_any_change_breaks_the_signature(org: Org, path: tuple[str, ...]) -> None:
    doc = _publish(org)
    tampered = copy.deepcopy(doc)
    node = tampered["passport"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "2099-01-01T00:00:00+00:00" if path[-1] == "expires_at" else ["x"] if path[-1] == "fields" \
        else "forged"
    result = verify(tampered, keys_from_text(json.dumps(org.hc.passport.keys("hanbit")), "k"))
    assert not result.ok and not result.signature_valid
    assert any("altered" in p for p in result.problems)


def test_expired_and_foreign_key_fail(org: Org) -> None:
    doc = _publish(org)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    expired = verify(doc, None, now=later)
    assert expired.signature_valid and not expired.fresh and not expired.ok
    stranger = Signer.__new__(Signer)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    object.__setattr__(stranger, "private_key", Ed25519PrivateKey.generate())
    wrong = verify(doc, [stranger.public_key])
    assert not wrong.ok and "not among the trusted keys" in wrong.problems[0]
    # Re-signing with another key while keeping the issuer's embedded key does not help.
    forged = {"passport": doc["passport"], "signature": {"alg": "Ed25519", "key_id": stranger.key_id,
                                                         "value": stranger.sign(b"x")}}
    assert not verify(forged).ok


def test_only_opted_in_fields_leave(org: Org) -> None:
    doc = _publish(org, ["purpose"])
    assert doc["passport"]["fields"] == ["identity", "purpose"]
    assert set(doc["passport"]["claims"]) == {"id", "name", "identity", "purpose"}
    with pytest.raises(ValidationFailed) as err:
        org.hc.passport.configure(org.actor, "hiring-screener", enabled=True, fields=["purpose", "salaries"])
    assert err.value.issues[0].location == "fields[1]"


def test_refusal_reveals_nothing(org: Org) -> None:
    _publish(org)
    public = org.hc.passport.public("hanbit", "hiring-screener")
    assert public["document"]["passport"]["subject"]["system"] == "hiring-screener"
    messages = []
    for org_slug, system in [("hanbit", "support-chatbot"), ("hanbit", "no-such-system"), ("nobody", "x")]:
        with pytest.raises(NotFound) as err:
            org.hc.passport.public(org_slug, system)
        messages.append((err.value.message, err.value.message_ko))
    assert len(set(messages)) == 1
    org.hc.passport.configure(org.actor, "hiring-screener", enabled=False)
    with pytest.raises(NotFound) as err:
        org.hc.passport.public("hanbit", "hiring-screener")
    assert (err.value.message, err.value.message_ko) == messages[0]


def test_publish_needs_opt_in(org: Org) -> None:
    with pytest.raises(ValidationFailed):
        org.hc.passport.publish(org.actor, "support-chatbot")


def test_bad_files_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"passport": {"type": "something-else"}, "signature": {"value": "x"}}')
    with pytest.raises(Exception) as err:
        parse_envelope(path.read_bytes(), str(path))
    assert "not a Haechi passport" in str(err.value)


def test_cli_verify_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "hanbit", "--name", "Hanbit Precision Co., Ltd.").code == 0
    card = Path(__file__).parents[2] / "src/haechi/demo/cards/support-chatbot.yaml"
    assert cli("systems", "add", str(card)).code == 0
    assert cli("passport", "enable", "support-chatbot", "--field", "purpose").code == 0
    out = tmp_path / "passport.json"
    assert cli("passport", "publish", "support-chatbot", "--out", str(out), "--base-url", "https://t.example").code == 0
    keys = tmp_path / "keys.json"
    keys.write_text(cli("passport", "keys").out)
    ok = cli("passport", "verify", str(out), "--key", str(keys), "--format", "json")
    assert ok.code == 0 and ok.json()["ok"] is True
    doc = json.loads(out.read_text())
    doc["passport"]["claims"]["purpose"]["description"] = "something nicer"
    out.write_text(json.dumps(doc))
    bad = cli("passport", "verify", str(out), "--key", str(keys))
    assert bad.code == 1 and "NOT valid" in bad.out
    missing = cli("passport", "verify", str(tmp_path / "nope.json"))
    assert missing.code == 2


def test_passport_and_document_log_on_both_databases(db_hc) -> None:  # type: ignore[no-untyped-def]
    from haechi.demo.company import demo_card

    db_hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    actor = db_hc.local_actor("hanbit")
    db_hc.systems.add(actor, demo_card("support-chatbot"))
    db_hc.passport.configure(actor, "support-chatbot", enabled=True, fields=["purpose", "verdicts", "ledger"])
    first = db_hc.passport.publish(actor, "support-chatbot")
    second = db_hc.passport.publish(actor, "support-chatbot")
    assert (first["version"], second["version"]) == (1, 2)
    public = db_hc.passport.public("hanbit", "support-chatbot")
    assert public["version"] == 2 and verify(public["document"]).ok
    assert public["document"]["passport"]["claims"]["purpose"]["description_ko"]  # Korean survives JSON/JSONB
    doc = db_hc.reports.dossier(actor, "support-chatbot", variant="model-card", lang="ko", fmt="json")
    logged = db_hc.reports.documents(actor)
    assert logged[0]["sha256"] == doc.sha256 and logged[0]["checkpoint_seq"] == doc.meta["checkpoint_seq"]
    db_hc.passport.configure(actor, "support-chatbot", enabled=False)
    assert [h["withdrawn_at"] is not None for h in db_hc.passport.history(actor, "support-chatbot")] == [True, True]
