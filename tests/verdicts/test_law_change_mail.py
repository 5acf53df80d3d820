"""A law change reaches the system's owners through the alert e-mail channel (a real SMTP exchange)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

from haechi.core import Haechi
from haechi.domain.card import SystemCard
from haechi.rules import bundle as bundles
from haechi.settings import Settings

from .packkit import CARD, POLICY, make_bundle, smtp_server


def test_owners_get_the_law_change_by_mail(tmp_path: Path) -> None:
    received: list[bytes] = []
    server, port = smtp_server(received)
    try:
        hc = Haechi(Settings(home=tmp_path / "home", memory=True, smtp_host="127.0.0.1", smtp_port=port))
        hc.clock.source = lambda: dt.datetime(2026, 12, 6, 3, tzinfo=dt.UTC)
        actor = hc.accounts.local_actor(hc.accounts.create_org("acme", "Acme").slug)
        hc.systems.add(actor, SystemCard.model_validate(CARD))
        key = bundles.new_key()
        hc.rules.updates.trust(actor, bundles.public_pem(key.public_key()), "acme.pub.pem")
        result = hc.rules.install(actor, make_bundle({"acme/v1.yaml": POLICY}, key), "acme.haechi-pack")
        stored = hc.rules.law_changes(actor)["items"][0]
        hc.close()
    finally:
        server.close()
    message = email.message_from_bytes(b"".join(received[:-1]), policy=email.policy.default)
    assert message["To"] == "hr@hanbit.example, ml@hanbit.example"
    assert "law change" in message["Subject"] and "법령 변경" in message["Subject"]
    body = message.get_content()
    assert "[new duty] 2(1) Review fairness every quarter" in body and "[새 의무] 2(1) 분기별 공정성 검토" in body
    assert stored["deliveries"] == [{"channel": "email", "target": message["To"], "ok": True, "detail": "sent"}]
    assert result["law_changes"]["acme"][0]["deliveries"][0]["ok"] is True
