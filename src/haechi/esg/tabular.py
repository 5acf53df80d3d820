"""Reading CSV and Parquet files into rows, and parsing the cells of those rows.

Shared by the production and CodeCarbon importers. Rows keep the number a person
sees: the line in a CSV file (header = line 1) or the 1-based row in a Parquet file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haechi.domain.dates import RANGE_TEXT, in_range
from haechi.domain.errors import Issue, ValidationFailed
from haechi.domain.limits import MAX_SHEET_ROWS, refuse_large_parquet, refuse_large_sheet
from haechi.domain.textcodec import decode_text


@dataclass
class Table:
    """Column names (lower-cased, stripped) and rows of raw cell values."""

    source: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (line or row number, column -> raw value)
    line_numbers: bool  # True for CSV lines, False for Parquet row numbers

    def where(self, number: int) -> str:
        return f"line {number}" if self.line_numbers else f"row {number}"

    def locate(self, number: int, column: str) -> str:
        """Issue location: the column, and the row when there is no line number to show."""
        return f"column {column}" if self.line_numbers else f"row {number}, column {column}"

    def line(self, number: int) -> int | None:
        return number if self.line_numbers else None


def read_table(path: Path | str, data: bytes | None = None, name: str | None = None) -> Table:
    """Read a ``.csv`` or ``.parquet`` file (or its bytes) into a :class:`Table`."""
    source = name or str(path)
    suffix = Path(source).suffix.lower()
    try:
        raw = data if data is not None else Path(path).read_bytes()
    except OSError as exc:
        raise _fail(
            source,
            f"cannot read the file: {exc.strerror or exc}",
            "check the path and that the file is readable",
        ) from None
    if suffix == ".csv":
        return _read_csv(source, raw)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(source, raw)
    raise _fail(source, f"unsupported file type '{suffix or '(none)'}'", "give a .csv or .parquet file")


def _fail(source: str, message: str, fix: str) -> ValidationFailed:
    return ValidationFailed(
        f"{source}: {message}",
        issues=[Issue("", message, fix, None, source)],
        key="esg.unreadable_table", values={"source": source},
    )


def _read_csv(source: str, raw: bytes) -> Table:
    text = decode_text(raw, source)  # Excel's Korean CSV is CP949, not UTF-8
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise _fail(source, "the file is empty", "add a header line with the column names")
    if len(header) == 1 and ";" in header[0]:
        raise _fail(
            source,
            "the header is one column with ';' in it (semicolon-separated?)",
            "save the file as comma-separated CSV (semicolons are not read as separators)",
        )
    columns = [h.strip().lower() for h in header]
    rows: list[tuple[int, dict[str, Any]]] = []
    refuse_large_sheet(None, len(columns), source)
    for line, cells in enumerate(reader, start=2):
        if len(rows) >= MAX_SHEET_ROWS:
            refuse_large_sheet(len(rows) + 1, None, source)
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns)}))
    return Table(source, columns, rows, True)


def _read_parquet(source: str, raw: bytes) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(pa.BufferReader(raw))
        refuse_large_parquet(file.metadata, source, max_rows=MAX_SHEET_ROWS)
        table = file.read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise _fail(source, f"not a readable Parquet file ({exc})", "export the data again as Parquet") from None
    columns = [c.strip().lower() for c in table.column_names]
    records = table.rename_columns(columns).to_pylist()
    return Table(source, columns, [(i, rec) for i, rec in enumerate(records, start=1)], False)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_number(value: Any) -> float:
    """A finite number from a cell; raises ``ValueError`` with a readable message."""
    if isinstance(value, bool):
        raise ValueError("expected a number, found true/false")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def _sane(day: Any, cell: Any) -> Any:
    # a day past the calendar's end would overflow when the period end moves to the next midnight
    if not in_range(day):
        raise ValueError(f"'{cell}' is outside the accepted dates ({RANGE_TEXT})")
    return day


def parse_instant(value: Any, *, end: bool = False) -> dt.datetime:
    """A UTC datetime from a date or datetime cell.

    A bare date as an *end* means the whole day is included, so it becomes the next
    midnight (periods are half-open ``[start, end)``). Times without an offset are read
    as UTC.
    """
    if isinstance(value, dt.datetime):
        moment = _sane(value, value)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(_sane(value, value) + dt.timedelta(days=1 if end else 0), dt.time())
    else:
        text = str(value).strip()
        try:
            parsed = dt.date.fromisoformat(text) if len(text) == 10 else \
                dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{value}' is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)") from None
        return parse_instant(_sane(parsed, value), end=end)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
