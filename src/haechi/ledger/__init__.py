"""Trust ledger: a per-organisation hash chain of every change in the governance store."""

from .chain import GENESIS_HASH, append, canonical_json, entry_hash, verify_chain

__all__ = ["GENESIS_HASH", "append", "canonical_json", "entry_hash", "verify_chain"]
