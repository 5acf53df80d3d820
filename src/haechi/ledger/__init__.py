"""Trust ledger: a per-organisation hash chain of every change in the governance store."""

from .actions import LedgerAction
from .chain import GENESIS_HASH, LedgerBatch, append, append_many, canonical_json, entry_hash, lock_head, verify_chain

__all__ = ["GENESIS_HASH", "LedgerAction", "LedgerBatch", "append", "append_many", "canonical_json", "entry_hash",
           "lock_head", "verify_chain"]
