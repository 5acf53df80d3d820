"""Checks of generative event fields at ingestion (the HTTP endpoint, file imports, the SDK).

A column named like a generative role means that role (``docs/monitoring.md`` section 5):
flags are 0 or 1 (booleans accepted), lengths, latency and personal-data counts are
non-negative numbers. A row breaking that is rejected with the field and the fix named,
instead of being stored and silently read as null by every generative monitor.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..ingest_convert import to_double
from .fields import FLAG_ROLES, NUMBER_ROLES, PII_KINDS

_COUNTS = frozenset({*NUMBER_ROLES, *(f"pii_{k}" for k in PII_KINDS)})


def generative_problems(name: str, values: Any) -> dict[int, str]:
    """Row → problem of a feature column with a generative role's name (``{}`` otherwise)."""
    if name not in FLAG_ROLES and name not in _COUNTS:
        return {}
    doubles, problems = to_double(values)
    if problems:
        kind = "a 0/1 flag" if name in FLAG_ROLES else "a non-negative number"
        return {i: f"{name} is {kind} of a generative event; {p}" for i, p in problems.items()}
    if name in FLAG_ROLES:
        bad = pc.and_(pc.is_valid(doubles), pc.invert(pc.is_in(doubles, value_set=pa.array([0.0, 1.0]))))
        fix = "send true/false or 1/0"
    else:
        bad = pc.less(doubles, 0.0)
        fix = "send a count, a length or milliseconds of 0 or more"
    rows = [i for i, flagged in enumerate(bad.to_pylist()) if flagged]
    return {i: f"{name} = {doubles[i].as_py():g} is not allowed: {fix}" for i in rows}
