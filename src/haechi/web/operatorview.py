"""The operator facts as pages show them: each value with where it comes from.

The settings page edits the organisation's facts; system pages and the verdict tab show
the effective operator of a system, each value marked "from the company facts" or "set
for this system", so an override is never silent.
"""

from __future__ import annotations

from typing import Any

from haechi.domain.card import Operator
from haechi.domain.operator import OPERATOR_FIELDS
from haechi.registry.service import SystemRecord

from .cardform import FIELDS_BY_PATH, display_value

#: Where the pages send a person to enter or change the organisation's facts.
ORG_FACTS_URL = "/settings#org-facts"


def operator_rows(record: SystemRecord) -> list[dict[str, Any]]:
    """Every operator fact of a system: ``path``, ``kind``, effective ``value`` and ``source``."""
    effective = record.effective_card.operator
    values = effective.model_dump(mode="json") if effective else {}
    sources = record.operator_sources
    return [{"path": f"operator.{name}", "kind": FIELDS_BY_PATH[f"operator.{name}"].kind,
             "value": values.get(name), "source": sources.get(name)} for name in OPERATOR_FIELDS]


def facts_form_fields(facts: Operator) -> list[dict[str, Any]]:
    """The inputs of the organisation's facts form, pre-filled (same kinds as the card form)."""
    values = facts.model_dump(mode="json")
    out = []
    for name in OPERATOR_FIELDS:
        field = FIELDS_BY_PATH[f"operator.{name}"]
        out.append({"path": field.path, "dom_id": field.dom_id, "kind": field.kind,
                    "value": values[name], "shown": display_value(field, values[name])})
    return out
