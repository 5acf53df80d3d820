"""The kit's storage on SQLite and PostgreSQL: notice versions, deliveries (with distinct
session counts), decisions, labelled-output look-up, receipts and review requests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard

from . import cards
from .conftest import make_png


@pytest.mark.postgres
def test_storage_round_trip_on_both_databases(db_hc: Haechi, tmp_path: Path) -> None:
    hc = db_hc
    hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    actor = hc.local_actor("hanbit")
    for card in (cards.chatbot(), cards.image_gen(), cards.hiring()):
        hc.systems.add(actor, SystemCard.model_validate(card))
    assert hc.transparency.notice(actor, "support-chatbot").content.version == 1
    now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    items = [{"system": "support-chatbot", "kind": "label", "channel": "json", "notice_version": 1,
              "session_hash": f"s{i % 7}", "delivered_at": now + dt.timedelta(seconds=i)} for i in range(50)]
    assert hc.transparency.record_deliveries(actor, items) == 50
    counts = hc.transparency.delivery_counts(actor, "support-chatbot", since=now)
    assert counts == [{"system": "support-chatbot", "kind": "label", "channel": "json", "notice_version": 1,
                       "count": 50, "sessions": 7, "last": (now + dt.timedelta(seconds=49)).isoformat()}]
    hc.transparency.certs.create_local()
    out = tmp_path / "l.png"
    hc.transparency.label_file(actor, "marketing-image-gen", "image", make_png(tmp_path / "g.png"), out, artistic=True)
    assert hc.transparency.verify(actor, out, reencode=False)["haechi_record"]["system"] == "marketing-image-gen"
    assert any(d["kind"] == "mark_choice" for d in hc.transparency.decisions(actor, "marketing-image-gen"))
    receipt = hc.transparency.receipts.create(actor, "hiring-screener", {"decision_id": "x", "result": "y"})
    hc.transparency.receipts.request_review(receipt["token"], "objection", "no")
    assert hc.transparency.receipts.requests(actor)[0]["kind"] == "objection"
