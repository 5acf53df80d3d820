"""The ledger's action vocabulary: one member per kind of change, each value unique and described."""

from __future__ import annotations

import pytest

from haechi.core import Haechi
from haechi.ledger import LedgerAction, append
from haechi.ledger.chain import chain_rows, verify_chain


def test_every_action_value_is_unique_and_described_in_both_languages() -> None:
    values = [member.value for member in LedgerAction]
    assert len(values) == len(set(values))
    for member in LedgerAction:
        assert member.description.strip(), member.name
        assert member.description_ko.strip(), member.name


def test_a_member_is_stored_and_hashed_as_its_plain_text(hc: Haechi) -> None:
    # The hash covers the action text, so a member must chain exactly like the string it stands
    # for: ledgers written before the vocabulary existed keep verifying.
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    with hc.db.transaction() as s:
        entry = append(s, actor.org_id, actor.label, LedgerAction.LEDGER_EXPORT, "ledger", "x", {"n": 1})
        assert type(entry.action) is str
    with hc.db.reader() as s:
        assert chain_rows(s, actor.org_id)[-1]["action"] == "ledger.export"
        assert verify_chain(s, actor.org_id).ok


def test_an_action_outside_the_vocabulary_is_refused_before_anything_is_written(hc: Haechi) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    with hc.db.reader() as s:
        before = len(chain_rows(s, actor.org_id))
    with pytest.raises(TypeError, match="not a LedgerAction member"), hc.db.transaction() as s:
        append(s, actor.org_id, actor.label, "system.renamed", "system", "x", {})  # type: ignore[arg-type]
    with hc.db.reader() as s:
        assert len(chain_rows(s, actor.org_id)) == before
        assert verify_chain(s, actor.org_id).ok
