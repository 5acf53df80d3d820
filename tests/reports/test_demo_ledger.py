"""The demo company's ledger speaks only the action vocabulary an auditor is given."""

from __future__ import annotations

from sqlalchemy import text

from conftest import Demo
from haechi.ledger import LedgerAction


def test_every_demo_ledger_entry_is_a_vocabulary_action(demo: Demo) -> None:
    with demo.hc.db.reader() as s:
        stored = {row[0] for row in s.execute(text("SELECT DISTINCT action FROM ledger_entries"))}
    vocabulary = {member.value for member in LedgerAction}
    assert stored - vocabulary == set(), "ledger actions missing from LedgerAction and docs/reference/ledger-actions.md"
    # the demo exercises most of the product, so it writes a broad share of the vocabulary
    assert len(stored) >= 30
