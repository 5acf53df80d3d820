"""The column registry of one system: which sensitive attributes and features it has,
with one role and one type per name for the whole life of the system.

Fixing the type at first sight is what lets every Parquet file of a system be read
together (``union_by_name``): a name is always a ``double`` or always a ``string``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from .lake_files import read_json, write_json_atomic

Role = Literal["sensitive", "numeric", "categorical"]

#: Columns of the canonical schema; feature and attribute names may not reuse them.
CORE_COLUMNS: tuple[str, ...] = (
    "event_id",
    "timestamp",
    "prediction",
    "score",
    "label",
    "ingested_at",
)
RESERVED = frozenset({*CORE_COLUMNS, "labeled_at"})
NAME_PATTERN = re.compile(r"^[\w.\-]{1,64}$")

CORE_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("timestamp", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("prediction", pa.float64(), nullable=False),
        pa.field("score", pa.float64()),
        pa.field("label", pa.float64()),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)
LABEL_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("label", pa.float64()),
        pa.field("labeled_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def arrow_type(role: Role) -> pa.DataType:
    """The storage type of a role: numeric features are doubles, the rest text."""
    return pa.float64() if role == "numeric" else pa.string()


def duckdb_type(role: Role) -> str:
    return "DOUBLE" if role == "numeric" else "VARCHAR"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a column name, or ``None`` when it can."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return f"names are 1-64 letters, digits, '_', '.' or '-' (got {name!r})"
    if name.lower() in RESERVED:
        return (
            f"'{name}' is reserved for the event itself; rename the feature (e.g. '{name}_value')"
        )
    return None


@dataclass
class ColumnRegistry:
    """Roles of the non-core columns of a system, persisted as ``_schema.json``."""

    columns: dict[str, Role] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ColumnRegistry:
        if not path.exists():
            return cls()
        data = read_json(path)
        return cls({name: spec["role"] for name, spec in data.get("columns", {}).items()})

    def save(self, path: Path) -> None:
        write_json_atomic(path, self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "columns": {
                name: {"role": role, "type": "double" if role == "numeric" else "string"}
                for name, role in sorted(self.columns.items())
            },
        }

    def role_of(self, name: str) -> Role | None:
        return self.columns.get(name)

    def case_clash(self, name: str) -> str | None:
        """An existing name equal to ``name`` ignoring case but spelled differently."""
        lowered = name.lower()
        for existing in self.columns:
            if existing != name and existing.lower() == lowered:
                return existing
        return None

    def names(self, role: Role) -> list[str]:
        return sorted(n for n, r in self.columns.items() if r == role)

    def mapping(self) -> dict[str, Any]:
        """The monitor-spec ``columns`` mapping for data read through the lake."""
        return {
            "event_id": "event_id",
            "timestamp": "timestamp",
            "prediction": "prediction",
            "label": "label",
            "score": "score",
            "sensitive": self.names("sensitive"),
            "numeric": self.names("numeric"),
            "categorical": self.names("categorical"),
        }

    def arrow_schema(self) -> pa.Schema:
        """The full canonical schema: core columns, then every registered column."""
        extra = [pa.field(n, arrow_type(r)) for n, r in sorted(self.columns.items())]
        return pa.schema(list(CORE_SCHEMA) + extra)
