"""Hypothesis strategies: partial system cards over every field the shipped packs read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from haechi.rules import shipped_library
from haechi.rules.conditions import fields_read
from haechi.rules.fields import AS_OF, card_fields

_NUMBERS = {
    "compute.training_flops": [0.0, 1e20, 9.9e24, 1e25, 1.1e25, 9.9e25, 1e26, 3e26],
    "operator.annual_revenue_krw": [0, 999_999_999_999, 1_000_000_000_000],
    "operator.ai_revenue_krw": [0, 9_999_999_999, 10_000_000_000],
    "operator.avg_daily_users_kr": [0, 999_999, 1_000_000],
}
_TEXTS = {"operator.country": ["KR", "US", "DE", "JP"], "markets": ["KR", "EU", "JP", "US", "DE"]}


def read_fields() -> list[str]:
    """Every card path some shipped condition reads (plus ``roles``, read by every duty)."""
    paths = {"roles"}
    for loaded in shipped_library():
        for cond in loaded.conditions.values():
            paths |= fields_read(cond)
    paths.discard(AS_OF)
    return sorted(paths)


def value_for(path: str) -> st.SearchStrategy[Any]:
    info = card_fields()[path]
    if info.kind == "bool":
        return st.booleans()
    if info.kind == "number":
        return st.sampled_from(_NUMBERS.get(path, [0, 1, 10**6]))
    if info.kind == "date":
        return st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
    if info.kind == "choice":
        return st.sampled_from(info.choices)
    if info.kind == "choices":
        return st.lists(st.sampled_from(info.choices), unique=True, max_size=3)
    if info.kind == "texts":
        return st.lists(st.sampled_from(_TEXTS.get(path, ["x"])), unique=True, max_size=3)
    return st.sampled_from(_TEXTS.get(path, ["text"]))


FIELDS = read_fields()


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[leaf] = value


@st.composite
def assignments(draw: st.DrawFn, fields: list[str] | None = None) -> dict[str, Any]:
    """A random subset of ``fields`` (default: all read fields) with random values."""
    chosen = draw(st.lists(st.sampled_from(fields or FIELDS), unique=True))
    return {path: draw(value_for(path)) for path in chosen}


def build(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "prop-card", "name": "Property card"}
    for path, value in values.items():
        set_path(data, path, value)
    return data


as_of_dates = st.sampled_from([dt.date(2025, 1, 1), dt.date(2025, 8, 2), dt.date(2026, 1, 22),
                               dt.date(2026, 8, 2), dt.date(2026, 11, 26), dt.date(2028, 9, 1)])
