"""Validating decoded batches and storing them in the lake, row by row accountable.

``normalize`` turns a :class:`RawBatch` into the canonical Arrow table of
``docs/dev/monitoring-interfaces.md`` §3 and a list of rejected rows (row number from 1,
field, reason). ``ingest_events`` / ``ingest_labels`` do that under the system's write
lock and store the accepted rows in one durable, all-or-nothing append.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from haechi.domain.errors import Issue, ValidationFailed

from .formats import RawBatch
from .generative.ingest_check import generative_problems
from .ingest_convert import TS_TYPE, Errors, is_text_dictionary, rows_where, to_double, to_string, to_timestamp
from .lake import SystemLake
from .lake_batch import prepare
from .lake_schema import ColumnRegistry, Role, arrow_type, name_problem

MAX_ID_LENGTH = 200
MAX_REPORTED = 1000
FUTURE_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class RowError:
    """One rejected row: its number in the batch (from 1), the field and why."""

    row: int
    field: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class IngestResult:
    """The answer to one batch: what was received, stored, already there, or rejected."""

    received: int
    stored: int
    duplicates: int
    rejected: list[RowError] = field(default_factory=list)
    generated_ids: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected_count": len({e.row for e in self.rejected}),
            "generated_ids": self.generated_ids,
            "rejected": [e.to_dict() for e in self.rejected[:MAX_REPORTED]],
            "durable": True,
        }


@dataclass
class _Checked:
    """Per-row problems collected while converting (every problem of a row is kept)."""

    n: int
    errors: dict[int, list[RowError]] = field(default_factory=dict)

    def add(self, problems: Errors, name: str) -> None:
        for index, reason in problems.items():
            self.errors.setdefault(index, []).append(RowError(index + 1, name, reason))

    def add_rows(self, rows: list[int], name: str, reason: str) -> None:
        self.add(dict.fromkeys(rows, reason), name)

    def add_missing(self, rows: list[int], name: str, reason: str) -> None:
        """Report ``rows`` unless the same field of that row was already reported."""
        fresh = [i for i in rows if not any(e.field in (name, "row") for e in self.errors.get(i, []))]
        self.add_rows(fresh, name, reason)

    def add_decoded(self, raw: RawBatch) -> None:
        for index, (name, reason) in raw.errors.items():
            self.add({index: reason}, name)

    def keep_mask(self) -> pa.Array:
        keep = np.ones(self.n, dtype=bool)
        keep[list(self.errors)] = False
        return pa.array(keep)

    def sorted(self) -> list[RowError]:
        return [e for i in sorted(self.errors) for e in self.errors[i]]


def _column(raw: RawBatch, name: str) -> Any:
    return raw.core.get(name) if raw.core.get(name) is not None else [None] * raw.n


def _event_ids(raw: RawBatch, checked: _Checked) -> tuple[pa.Array, int]:
    ids, problems = to_string(_column(raw, "event_id"))
    checked.add(problems, "event_id")
    missing = [i for i in rows_where(pc.is_null(ids)) if i not in checked.errors]
    if missing:  # documented: without an id the server assigns one (no retry safety)
        values = ids.to_pylist()
        for index in missing:
            values[index] = uuid.uuid4().hex
        ids = pa.array(values, pa.string())
    lengths = pc.utf8_length(ids)
    too_long = rows_where(pc.greater(lengths, MAX_ID_LENGTH))
    checked.add_rows(too_long, "event_id", f"longer than {MAX_ID_LENGTH} characters")
    empty = rows_where(pc.equal(lengths, 0))
    checked.add_rows(empty, "event_id", "must not be empty")
    return ids, len(missing)


def _timestamps(raw: RawBatch, checked: _Checked, now: dt.datetime, oldest: dt.datetime | None) -> pa.Array:
    stamps, problems = to_timestamp(_column(raw, "timestamp"))
    checked.add(problems, "timestamp")
    stamps = pc.fill_null(stamps, pa.scalar(now, TS_TYPE))
    future = pa.scalar(now + FUTURE_SLACK, TS_TYPE)
    checked.add_rows(
        rows_where(pc.greater(stamps, future)),
        "timestamp",
        "more than a day in the future; check the clock and the time zone",
    )
    if oldest is not None:
        checked.add_rows(
            rows_where(pc.less(stamps, pa.scalar(oldest, TS_TYPE))),
            "timestamp",
            f"older than this system's retention period (before {oldest.date()})",
        )
    return stamps


def _numbers(raw: RawBatch, checked: _Checked) -> dict[str, pa.Array]:
    out = {}
    for name in ("prediction", "score", "label"):
        values, problems = to_double(_column(raw, name))
        checked.add(problems, name)
        out[name] = values
    checked.add_missing(
        rows_where(pc.is_null(out["prediction"])),
        "prediction",
        "required: the predicted class (0/1) or value",
    )
    outside = pc.or_(pc.less(out["score"], 0.0), pc.greater(out["score"], 1.0))
    checked.add_rows(
        rows_where(outside),
        "score",
        "must be a probability between 0 and 1 (apply a sigmoid to logits)",
    )
    return out


def _role_for(name: str, registry: ColumnRegistry, raw: RawBatch) -> Role:
    known = registry.role_of(name)
    if known:
        return known
    if name in raw.sensitive:
        return "sensitive"
    values = raw.features[name]
    if isinstance(values, list):
        numeric = all(v is None or (isinstance(v, int | float)) for v in values)
        return "numeric" if numeric else "categorical"
    kind = values.type
    numeric_arrow = (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_null(kind)
    )
    return "numeric" if numeric_arrow else "categorical"


def _all_null(name: str, raw: RawBatch) -> bool:
    """True when no row of the batch gives ``name`` a value."""
    for group in (raw.sensitive, raw.features):
        values = group.get(name)
        if values is None:
            continue
        if isinstance(values, list):
            if any(v is not None for v in values):
                return False
        elif values.null_count < len(values):
            return False
    return True


def _check_names(raw: RawBatch, registry: ColumnRegistry) -> None:
    issues = []
    for group, names in (("sensitive", raw.sensitive), ("features", raw.features)):
        for name in names:
            problem = name_problem(name)
            clash = registry.case_clash(name) if problem is None else None
            if clash:
                problem = f"differs only in case from the existing column '{clash}'; use '{clash}'"
            if problem:
                issues.append(Issue(f"{group}.{name}", problem, "rename the column"))
    if issues:
        raise ValidationFailed(
            "invalid column name(s) in the batch",
            issues=issues,
            key="monitor.invalid_column_name_batch",
        )


def _convert_extra(name: str, role: Role, raw: RawBatch, checked: _Checked) -> pa.Array:
    def convert(values: Any) -> pa.Array:
        array, problems = (to_double if role == "numeric" else to_string)(values)
        kind = "numeric" if role == "numeric" else "text"
        checked.add(
            {i: f"{name} is {kind} in this system; {p}" for i, p in problems.items()},
            f"{'sensitive' if name in raw.sensitive else 'features'}.{name}",
        )
        return array

    if name in raw.sensitive and name in raw.features:
        first, second = convert(raw.sensitive[name]), convert(raw.features[name])
        differ = pc.and_(pc.and_(pc.is_valid(first), pc.is_valid(second)), pc.not_equal(first, second))
        checked.add_rows(
            rows_where(differ),
            f"sensitive.{name}",
            f"'{name}' is in both sensitive and features with different values",
        )
        return pc.coalesce(first, second)
    return convert(raw.sensitive[name] if name in raw.sensitive else raw.features[name])


def _storage(values: pa.Array, role: Role) -> pa.Array:
    """The stored type of a column; dictionary-encoded text stays encoded (same on disk)."""
    if role != "numeric" and is_text_dictionary(values.type):
        return values
    return values if values.type == arrow_type(role) else pc.cast(values, arrow_type(role))


def normalize(
    raw: RawBatch, registry: ColumnRegistry, now: dt.datetime, oldest: dt.datetime | None = None
) -> tuple[pa.Table, dict[str, Role], list[RowError], int]:
    """Canonical table of the good rows, new columns to register, rejected rows, ids made."""
    checked = _Checked(raw.n)
    checked.add_decoded(raw)
    _check_names(raw, registry)
    ids, generated = _event_ids(raw, checked)
    columns: dict[str, pa.Array] = {
        "event_id": ids,
        "timestamp": _timestamps(raw, checked, now, oldest),
    }
    columns.update(_numbers(raw, checked))
    new: dict[str, Role] = {}
    for name in sorted(set(raw.sensitive) | set(raw.features)):
        if registry.role_of(name) is None and _all_null(name, raw):
            continue  # nothing to learn the type from yet: the column waits for a real value
        role = _role_for(name, registry, raw)
        if registry.role_of(name) is None:
            new[name] = role
        columns[name] = _storage(_convert_extra(name, role, raw, checked), role)
        if name in raw.features:  # a generative role's name means that role (flags 0/1, counts ≥ 0)
            checked.add(generative_problems(name, raw.features[name]), f"features.{name}")
    table = pa.table(columns)
    if checked.errors:
        table = table.filter(checked.keep_mask())
    return table, new, checked.sorted(), generated


def _raise_if_unusable(errors: list[RowError], stored_rows: int, strict: bool, what: str) -> None:
    """Reject the whole batch when strict, or when not one row is usable."""
    if not errors or (stored_rows and not strict):
        return
    why = "strict mode" if strict and stored_rows else "no valid row"
    raise ValidationFailed(
        f"{len(errors)} {what} row(s) are invalid ({why}); nothing was stored",
        key="monitor.row_are_invalid_nothing", values={"count": len(errors)},
        issues=[Issue(f"row {e.row}: {e.field}", e.reason, None, e.row) for e in errors[:MAX_REPORTED]],
        details={"rejected_count": len(errors)},
    )


def ingest_events(
    sl: SystemLake, raw: RawBatch, *, strict: bool = False, oldest: dt.datetime | None = None
) -> IngestResult:
    """Validate and store a batch; with ``strict`` one bad row rejects the whole batch.

    Validation and Parquet encoding run before the system's write lock is taken (against
    a snapshot of the column registry), so concurrent batches overlap; under the lock
    only the duplicate check and the renames happen. Should another writer have
    registered one of this batch's new columns with another role meanwhile, the batch is
    validated again under the lock.
    """
    now = dt.datetime.now(dt.UTC)
    table, new, errors, generated = normalize(raw, sl.registry(), now, oldest)
    _raise_if_unusable(errors, table.num_rows, strict, "event")
    if table.num_rows == 0:
        return IngestResult(raw.n, 0, 0, errors, generated)
    batch = prepare(table, sl.day_dir)
    try:
        with sl.writer() as writer:
            if any(writer.registry.role_of(name) not in (None, role) for name, role in new.items()):
                batch.discard()
                table, new, errors, generated = normalize(raw, writer.registry, now, oldest)
                _raise_if_unusable(errors, table.num_rows, strict, "event")
                batch = prepare(table, sl.day_dir)
            writer.add_columns({n: r for n, r in new.items() if writer.registry.role_of(n) is None})
            result = writer.commit(batch)
    finally:
        batch.discard()  # nothing left to remove once committed
    return IngestResult(raw.n, result.stored, result.duplicates, errors, generated)


def ingest_labels(sl: SystemLake, raw: RawBatch, *, strict: bool = False) -> IngestResult:
    """Validate and store late labels ``(event_id, label)``."""
    checked = _Checked(raw.n)
    checked.add_decoded(raw)
    ids, problems = to_string(_column(raw, "event_id"))
    checked.add(problems, "event_id")
    checked.add_missing(rows_where(pc.is_null(ids)), "event_id", "required: the id of the labelled event")
    labels, problems = to_double(_column(raw, "label"))
    checked.add(problems, "label")
    checked.add_missing(rows_where(pc.is_null(labels)), "label", "required: the true class or value")
    table = pa.table({"event_id": ids, "label": labels}).filter(checked.keep_mask())
    errors = checked.sorted()
    _raise_if_unusable(errors, table.num_rows, strict, "label")
    if table.num_rows == 0:
        return IngestResult(raw.n, 0, 0, errors)
    with sl.writer() as writer:
        stored = writer.append_labels(table)
    return IngestResult(raw.n, stored, 0, errors)
