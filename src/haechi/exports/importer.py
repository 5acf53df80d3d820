"""Import the export's spreadsheet (xlsx, or CSV per sheet): all or nothing.

Every row of every importable sheet is checked first; if anything is wrong, the error
lists *every* bad row and field (``inventory row 7, domains: …``) and nothing is
written. Only then are all rows written in one transaction: systems (new ones created,
changed ones revised, identical ones left alone) and incidents. The other sheets
(verdicts, controls, evidence, risks) are computed or file-backed and are reported as
skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_origin

from pydantic import ValidationError

from haechi.auth.roles import Actor, Permission
from haechi.domain.archives import open_zip
from haechi.domain.card import SystemCard
from haechi.domain.errors import Issue, IssueCollector, MissingExtra, PayloadTooLarge, ValidationFailed
from haechi.domain.limits import MAX_SHEET_COLUMNS, MAX_SHEET_INFLATED, MAX_SHEET_ROWS, refuse_large_sheet
from haechi.domain.textcodec import decode_text

from .tabular import COLUMNS, EMPTY_LIST, IMPORTABLE, LIST_SEP, cell, flatten, unescape_formula

if TYPE_CHECKING:
    from collections.abc import Callable

    from haechi.compliance.service import ComplianceService
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database

SEVERITIES = ("low", "medium", "high", "critical")
SOURCES = ("alert", "complaint", "user_report", "manual")


def _list_columns() -> set[str]:
    out = set()
    for column in COLUMNS["inventory"]:
        model: Any = SystemCard
        info = None
        for part in column.split("."):
            info = model.model_fields[part]
            model = next((a for a in (info.annotation, *getattr(info.annotation, "__args__", ()))
                          if isinstance(a, type) and hasattr(a, "model_fields")), None)
        annotation = info.annotation if info else None
        if get_origin(annotation) is list or any(get_origin(a) is list for a in getattr(annotation, "__args__", ())):
            out.add(column)
    return out


LIST_COLUMNS = _list_columns()


# --- reading files ------------------------------------------------------------------------
def read_tables(path: Path) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """``{sheet: [(row number, {column: value})]}`` from an xlsx workbook or one CSV file."""
    if not path.is_file():
        raise ValidationFailed(f"{path} not found", key="exports.not_found", values={"path": path})
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() == ".csv":
        if path.stem not in IMPORTABLE:
            raise ValidationFailed(f"{path.name}: the file name says which sheet it is", issues=[Issue(
                path.name, "not an importable sheet name", f"name it {' or '.join(f'{n}.csv' for n in IMPORTABLE)}")],
                key="exports.file_name_says_which", values={"name": path.name})
        return {path.stem: _read_csv(path)}
    raise ValidationFailed(f"{path.name}: import reads .xlsx or .csv files",
                           key="exports.import_reads_xlsx_csv", values={"name": path.name})


def _read_xlsx(path: Path) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise MissingExtra("Excel import", "exports", "openpyxl") from None
    try:
        # Member count and inflated size before openpyxl, which holds shared strings in memory.
        open_zip(path, path.name, max_inflated=MAX_SHEET_INFLATED).close()
        book = load_workbook(path, read_only=True, data_only=True)
    except PayloadTooLarge:
        raise
    except Exception as exc:  # a corrupt or non-Excel file
        raise ValidationFailed(f"{path.name} is not a readable Excel workbook: {exc}",
                               key="exports.not_readable_excel_workbook", values={"name": path.name}) from None
    out = {}
    for name in IMPORTABLE:
        if name in book.sheetnames:
            rows = _sheet_rows(book[name], f"{path.name} sheet {name}")
            header = [str(h) if h is not None else "" for h in (rows[0] if rows else [])]
            out[name] = [(i + 2, dict(zip(header, map(unescape_formula, r), strict=False)))
                         for i, r in enumerate(rows[1:])
                         if any(v not in (None, "") for v in r)]
    return out


def _sheet_rows(sheet: Any, source: str) -> list[tuple[Any, ...]]:
    """The rows of a sheet, refused early when too large.

    The sheet's declared dimension (``A1:XFD1048576`` fits in a 64 KB file) is checked
    before reading, and reading stops one row past the limit whatever was declared:
    the reader fills every gap up to a far-away cell with empty cells."""
    refuse_large_sheet(sheet.max_row, sheet.max_column, source)
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_SHEET_ROWS + 2, max_col=MAX_SHEET_COLUMNS))
    refuse_large_sheet(len(rows) - 1, None, source)
    return rows


def _read_csv(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = decode_text(path.read_bytes(), path.name)
    reader = csv.DictReader(io.StringIO(text, newline=""))  # no newline translation: \r in a cell stays
    rows = []
    for i, row in enumerate(reader):
        if i >= MAX_SHEET_ROWS or len(row) > MAX_SHEET_COLUMNS:
            refuse_large_sheet(i + 1, len(row), path.name)
        rows.append((i + 2, {k: (unescape_formula(v) if v != "" else None) for k, v in row.items()}))
    return rows


# --- checking rows -----------------------------------------------------------------------------
def _value(column: str, raw: Any) -> Any:
    if raw is None or raw == "":
        return None
    if column in LIST_COLUMNS:
        text = str(raw).strip()
        return [] if text == EMPTY_LIST else [part.strip() for part in text.split(LIST_SEP.strip()) if part.strip()]
    if isinstance(raw, dt.datetime) and column.endswith("_at"):
        return raw.date()
    if isinstance(raw, str) and raw.upper() in ("TRUE", "FALSE"):
        return raw.upper() == "TRUE"
    return raw


def _unflatten(row: dict[str, Any]) -> dict[str, Any]:
    card: dict[str, Any] = {}
    for column in COLUMNS["inventory"]:
        value = _value(column, row.get(column))
        if value is None:
            continue
        node = card
        *parents, leaf = column.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return card


def check_inventory(rows: list[tuple[int, dict[str, Any]]], found: IssueCollector,
                    existing: dict[str, dict[str, Any]] | None = None) -> list[SystemCard]:
    """Cards from the rows; a column missing from the sheet keeps an existing system's value."""
    cards, seen = [], set()
    unknown = sorted({k for _, r in rows for k in r if k and k not in COLUMNS["inventory"]})
    for column in unknown:
        found.add(f"inventory column {column}", "unknown column", "use the column names of an export")
    for number, given in rows:
        base = (existing or {}).get(str(given.get("id") or ""))
        row = given
        if base is not None:  # a partial sheet updates only the columns it has
            row = {**{c: cell(v, excel=False) for c, v in flatten(base, COLUMNS["inventory"]).items()}, **given}
        try:
            card = SystemCard.model_validate(_unflatten(row))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
                found.add(f"inventory row {number}, {where}", err["msg"], "correct the cell", line=number)
            continue
        if card.id in seen:
            found.add(f"inventory row {number}, id", f"'{card.id}' appears twice", "keep one row per system", number)
        seen.add(card.id)
        cards.append(card)
    return cards


def check_incidents(rows: list[tuple[int, dict[str, Any]]], systems: set[str],
                    found: IssueCollector) -> list[dict[str, Any]]:
    out = []
    for number, row in rows:
        where = f"incidents row {number}"
        before = len(found.issues)
        if not str(row.get("title") or "").strip():
            found.add(f"{where}, title", "empty", "every incident needs a title", number)
        if row.get("system") and row["system"] not in systems:
            found.add(f"{where}, system", f"unknown system '{row['system']}'", "add it to the inventory", number)
        if (row.get("severity") or "medium") not in SEVERITIES:
            found.add(f"{where}, severity", f"'{row.get('severity')}'", f"use one of {', '.join(SEVERITIES)}", number)
        if (row.get("source") or "manual") not in SOURCES:
            found.add(f"{where}, source", f"'{row.get('source')}'", f"use one of {', '.join(SOURCES)}", number)
        for field in ("occurred_at", "aware_at"):
            if row.get(field) and not isinstance(row[field], dt.datetime):
                try:
                    dt.datetime.fromisoformat(str(row[field]).replace("Z", "+00:00"))
                except ValueError:
                    found.add(f"{where}, {field}", f"'{row[field]}' is not a date-time", "write 2026-05-01T09:00",
                              number)
        if len(found.issues) == before:
            out.append(row | {"_row": number})
    return out


# --- writing -------------------------------------------------------------------------------------
def import_file(db: Database, systems: SystemRegistry, compliance: Callable[[], ComplianceService], actor: Actor,
                path: Path) -> dict[str, Any]:
    """Check every row, then write everything in one transaction (or nothing)."""
    actor.require(Permission.WRITE)
    tables = read_tables(path)
    found = IssueCollector(file=str(path))
    existing = {r.slug: r.card.to_json() for r in systems.all(actor)}
    cards = check_inventory(tables.get("inventory", []), found, existing)
    known = set(existing) | {c.id for c in cards}
    incidents = check_incidents(tables.get("incidents", []), known, found)
    found.raise_if_any(f"{path.name}: nothing was imported; fix every row listed",
                       f"{path.name}: 아무것도 가져오지 않았습니다. 나열된 행을 모두 고치세요")
    return _write(db, systems, compliance, actor, cards, incidents, path.name)


def _write(db: Database, systems: SystemRegistry, compliance: Callable[[], ComplianceService], actor: Actor,
           cards: list[SystemCard], incidents: list[dict[str, Any]], name: str) -> dict[str, Any]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "incidents": 0}
    warnings = []
    note = f"imported from {name}"
    with db.transaction() as s:
        for card in cards:
            counts[systems.upsert_in(s, actor, card, note)] += 1
        # Oldest first, so incident numbers follow the order in which they became known.
        for row in sorted(incidents, key=lambda r: str(r.get("aware_at") or "")):
            keys = ("description", "severity", "source", "occurred_at", "aware_at")
            fields = {k: row.get(k) for k in keys if row.get(k)}
            compliance().incidents.open_in(s, actor, str(row["title"]), row.get("system"), fields)
            counts["incidents"] += 1
            if row.get("status") not in (None, "open"):
                warnings.append(f"incidents row {row['_row']}: '{row['status']}' in the file, imported as open")
    return {"file": name, **counts, "warnings": warnings,
            "skipped_sheets": [s for s in COLUMNS if s not in IMPORTABLE]}
