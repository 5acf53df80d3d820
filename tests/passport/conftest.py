"""Fixtures of the passport tests: the organisation with real records of the report tests."""

from __future__ import annotations

from tests.records import org

__all__ = ["org"]
