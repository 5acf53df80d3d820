"""Importing log files into the lake: Parquet, CSV and JSON Lines, all-or-nothing per file.

Columns are mapped to roles (``--map prediction=y_pred``, ``--sensitive sex``); columns
not mapped become features. A file is read in chunks (bounded memory while decoding),
every row is validated, and only a file without a single bad row is stored — in one
durable append, so a re-import of the same file stores nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from haechi.domain.errors import BadRequest, Issue, ValidationFailed
from haechi.domain.limits import refuse_large_parquet

from . import text_check
from .formats import EVENT_KEYS, GROUPS, LABEL_KEYS, RawBatch, from_rows, from_table
from .ingest import MAX_REPORTED, IngestResult, RowError, ingest_labels, normalize
from .lake import SystemLake

Progress = Callable[[int], None]
CHUNK_ROWS = 200_000
FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


@dataclass(frozen=True)
class ColumnMap:
    """How a file's columns map to roles: ``roles`` = {role: column}, plus sensitive/ignored."""

    roles: dict[str, str] = field(default_factory=dict)
    sensitive: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, pairs: list[str], sensitive: list[str], ignore: list[str], labels: bool = False) -> ColumnMap:
        """From ``role=column`` strings (CLI ``--map``), checking the roles exist."""
        keys = LABEL_KEYS if labels else EVENT_KEYS
        roles = {}
        for pair in pairs:
            role, sep, column = pair.partition("=")
            if not sep or role.strip() not in keys or not column.strip():
                raise BadRequest(
                    f"--map {pair!r}: use ROLE=COLUMN with ROLE one of {', '.join(keys)}",
                    key="monitor.map_use_role_column", values={"pair": pair, "keys": ", ".join(keys)},
                )
            roles[role.strip()] = column.strip()
        split = [s.strip() for item in sensitive for s in item.split(",") if s.strip()]
        drop = [s.strip() for item in ignore for s in item.split(",") if s.strip()]
        return cls(roles, tuple(split), tuple(drop))

    def apply(self, table: pa.Table, labels: bool) -> pa.Table:
        """Rename columns to the canonical layout (``features.x``, ``sensitive.x``)."""
        by_column = {column: role for role, column in self.roles.items()}
        keys = LABEL_KEYS if labels else EVENT_KEYS
        names = []
        for name in table.column_names:
            if name in by_column:
                names.append(by_column[name])
            elif name in self.ignore or name in keys or labels or name.partition(".")[0] in GROUPS:
                names.append(name)
            elif name in self.sensitive:
                names.append(f"sensitive.{name}")
            else:
                names.append(f"features.{name}")
        renamed = table.rename_columns(names)
        return renamed.drop_columns([n for n in self.ignore if n in renamed.column_names])


@dataclass
class ImportReport:
    file: str
    sha256: str
    rows: int
    stored: int
    duplicates: int
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadRequest(
            f"{path}: unknown file type; use .parquet, .csv or .jsonl",
            key="monitor.unknown_file_type_use", values={"path": path},
        )
    return fmt


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def count_rows(path: Path) -> int | None:
    """Rows in the file when cheap to know (Parquet metadata), else ``None``."""
    return pq.ParquetFile(path).metadata.num_rows if file_format(path) == "parquet" else None


def _chunks(path: Path) -> Iterator[pa.Table | list[Any]]:
    fmt = file_format(path)
    if fmt == "parquet":
        file = pq.ParquetFile(path)
        # An import is all rows or none, so every chunk stays in memory until the append:
        # the footer must promise a size that fits before the first row is read.
        refuse_large_parquet(file.metadata, path.name)
        for batch in file.iter_batches(batch_size=CHUNK_ROWS):
            yield pa.Table.from_batches([batch])
    elif fmt == "csv":
        yield from _csv_chunks(path)
    else:
        yield from _jsonl_chunks(path)


def _csv_chunks(path: Path) -> Iterator[pa.Table]:
    """All columns as text (our converters type them, naming bad rows), read in blocks."""
    width = 0
    try:
        header = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)).schema.names
        width = len(header)
        options = pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True)
        reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 24), convert_options=options)
        for batch in reader:
            yield pa.Table.from_batches([batch])
    except pa.ArrowInvalid as exc:
        raise _csv_error(path, width, exc) from None


def _csv_error(path: Path, width: int, exc: Exception) -> ValidationFailed:
    """Find the line pyarrow stumbled on with the strict standard-library parser."""
    line, message = None, str(exc).split("\n")[0]
    if "utf8" in message.lower():
        return _not_utf8(path)
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        try:
            for row in reader:
                width = width or len(row)
                if len(row) != width:
                    line, message = start, f"expected {width} fields, found {len(row)}"
                    break
                start = reader.line_num + 1
        except csv.Error as error:
            line, message = start, f"broken quoting ({error}); a quote opened here is never closed properly"
    return ValidationFailed(
        f"{path.name}: malformed CSV at line {line}: {message}",
        issues=[
            Issue(
                "csv", message, 'fix the quotes on this line (a quote inside a value is written as "")', line, str(path)
            )
        ],
        key="monitor.malformed_csv_at_line", values={"name": path.name, "line": line},
    )


def _not_utf8(path: Path) -> ValidationFailed:
    """The first line of ``path`` that is not UTF-8 text, as an error naming it."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return ValidationFailed(
                    f"{path.name}: line {number} is not UTF-8 text (byte 0x{raw[exc.start:exc.start + 1].hex()} "
                    f"at column {exc.start + 1})",
                    issues=[Issue("csv", "invalid UTF-8 bytes", text_check.FIX, number, path.name)],
                    key="monitor.line_not_utf_text",
                    values={"name": path.name, "number": number, "fix_ko": text_check.FIX_KO})
    return ValidationFailed(f"{path.name}: the file is not UTF-8 text",
                            issues=[Issue("csv", "invalid UTF-8 bytes", text_check.FIX, None, path.name)],
                            key="monitor.file_not_utf_text", values={"name": path.name, "fix_ko": text_check.FIX_KO})


def _jsonl_chunks(path: Path) -> Iterator[list[Any]]:
    rows: list[Any] = []
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise ValidationFailed(
                    f"{path.name}: malformed JSON at line {number}: {exc.msg}",
                    issues=[Issue("json", exc.msg, "each line must be one JSON object", number, str(path))],
                    key="monitor.malformed_json_at_line", values={"name": path.name, "number": number},
                ) from None
            if len(rows) >= CHUNK_ROWS:
                yield rows
                rows = []
    if rows:
        yield rows


def _raw(chunk: pa.Table | list[Any], mapping: ColumnMap, labels: bool, source: str) -> RawBatch:
    keys = LABEL_KEYS if labels else EVENT_KEYS
    if isinstance(chunk, list):
        inverse = {column: role for role, column in mapping.roles.items()}
        rows = [_regroup(r, inverse, mapping, labels) if isinstance(r, dict) else r for r in chunk]
        return from_rows(rows, keys, labels)
    return from_table(mapping.apply(chunk, labels), keys, labels, source=source)


def _regroup(row: dict[str, Any], inverse: dict[str, str], mapping: ColumnMap, labels: bool) -> dict[str, Any]:
    """A flat JSON line in the canonical shape (unmapped keys become features)."""
    keys = LABEL_KEYS if labels else EVENT_KEYS
    out: dict[str, Any] = {}
    for key, value in row.items():
        role = inverse.get(key, key)
        if key in mapping.ignore:
            continue
        if role in keys or labels or role in GROUPS:
            out[role] = value
        elif key in mapping.sensitive:
            out.setdefault("sensitive", {})[key] = value
        else:
            out.setdefault("features", {})[key] = value
    return out


def _numeric_text(raw: RawBatch, writer_registry: Any) -> None:
    """CSV columns arrive as text: a new feature whose every value is a number is numeric."""
    for name, values in raw.features.items():
        if writer_registry.role_of(name) or name in raw.sensitive or isinstance(values, list):
            continue
        if pa.types.is_string(values.type) and values.null_count < len(values):
            try:
                pc.cast(values, pa.float64())
            except pa.ArrowInvalid:
                writer_registry.columns[name] = "categorical"
            else:
                writer_registry.columns[name] = "numeric"


def import_events(
    sl: SystemLake,
    path: Path,
    mapping: ColumnMap,
    *,
    oldest: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row of ``path``; store all of them in one append, or none."""
    now = dt.datetime.now(dt.UTC)
    tables, errors, offset = [], [], 0
    with sl.writer() as writer:
        before = dict(writer.registry.columns)
        for chunk in _chunks(path):
            raw = _raw(chunk, mapping, False, str(path))
            _numeric_text(raw, writer.registry)
            table, new, chunk_errors, _ = normalize(raw, writer.registry, now, oldest)
            writer.registry.columns.update(new)
            errors += [RowError(e.row + offset, e.field, e.reason) for e in chunk_errors]
            tables.append(table)
            offset += raw.n
            if progress:
                progress(raw.n)
        _refuse_if_errors(path, errors, offset)
        added = {k: v for k, v in writer.registry.columns.items() if k not in before}
        writer.registry.columns = before
        writer.add_columns(added)
        result = writer.append(_concat(tables)) if tables else None
    return ImportReport(
        str(path), sha256_of(path), offset, result.stored if result else 0, result.duplicates if result else 0, "events"
    )


def _concat(tables: list[pa.Table]) -> pa.Table:
    """One table of all chunks (dictionary-encoded text decoded so chunk types agree)."""
    if len(tables) == 1:
        return tables[0]
    plain = [
        t.cast(
            pa.schema(
                [pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type) for f in t.schema]
            )
        )
        for t in tables
    ]
    return pa.concat_tables(plain, promote_options="default")  # a later chunk may add columns


def import_labels(sl: SystemLake, path: Path, mapping: ColumnMap, progress: Progress | None = None) -> ImportReport:
    """Late labels from a file: ``event_id`` and ``label`` columns (mapped if named otherwise)."""
    raws = [_raw(chunk, mapping, True, str(path)) for chunk in _chunks(path)]
    rows = [row for raw in raws for row in _label_rows(raw)]
    result: IngestResult = ingest_labels(sl, from_rows(rows, LABEL_KEYS, labels=True), strict=True)
    if progress:
        progress(len(rows))
    return ImportReport(str(path), sha256_of(path), len(rows), result.stored, 0, "labels")


def _label_rows(raw: RawBatch) -> list[dict[str, Any]]:
    columns = {k: (v.to_pylist() if not isinstance(v, list) else v) for k, v in raw.core.items()}
    return [{k: columns[k][i] for k in columns} for i in range(raw.n)]


def _refuse_if_errors(path: Path, errors: list[RowError], total: int) -> None:
    if not errors:
        return
    rows = len({e.row for e in errors})
    header = 1 if file_format(path) == "csv" else 0  # CSV: row 1 is on line 2
    raise ValidationFailed(
        f"{path.name}: {rows} of {total} rows are invalid; nothing from this file was stored",
        key="monitor.rows_are_invalid_nothing", values={"name": path.name, "total": total, "rows": rows},
        issues=[
            Issue(
                f"row {e.row}: {e.field}",
                e.reason,
                None,
                e.row + header if file_format(path) != "parquet" else None,
                str(path),
            )
            for e in errors[:MAX_REPORTED]
        ],
        details={"rejected_rows": rows},
    )
