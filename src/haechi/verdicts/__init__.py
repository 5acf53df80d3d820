"""A workspace's verdicts: classification with its own packs, stored with history.

The law engine (:mod:`haechi.rules`) is pure; this package is where it meets a
workspace — its pack library, its clock, its store, its ledger and its events.
"""
