"""Spreadsheet exports: inventory, verdicts, controls, evidence, risks, incidents.

One sheet per table, a header row of stable column names, one row per item. The
inventory's columns are the system card's fields flattened with dots
(``operator.country``), derived from the card model, so a new card field appears
without code changes. Cell conventions (the importer reads the same):

* empty cell = unknown (``null``); ``[]`` = an empty list;
* lists are joined with ``"; "``; booleans are ``TRUE``/``FALSE`` (Excel booleans in xlsx).

Opening an export must never run anything (OWASP "CSV injection"): a text value that
starts with ``= + - @``, a tab or a carriage return would be read as a formula by a
spreadsheet program. In CSV such a value gets a leading apostrophe (the importer takes
it off again); in xlsx it is stored as a text cell with Excel's quote prefix, so it
shows unchanged and is never evaluated. Control characters that XML cannot hold (and
that no person meant to type) are dropped from text in both formats.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from haechi.domain.card import SystemCard
from haechi.domain.errors import MissingExtra

LIST_SEP = "; "
EMPTY_LIST = "[]"
#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The escape put before such a value in CSV.
FORMULA_ESCAPE = "'"
#: C0 control characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

COLUMNS: dict[str, list[str]] = {
    "verdicts": ["system", "pack", "pack_version", "pack_sha256", "obligation", "article", "citation", "status",
                 "effective_from"],
    "controls": ["system", "ref", "key", "title", "status", "effective", "owner", "due_date", "obligations"],
    "evidence": ["system", "ref", "evidence_type", "title", "sha256", "effective_from", "valid_until", "controls"],
    "risks": ["system", "ref", "title", "hazard", "harm", "affected", "likelihood", "severity",
              "residual_likelihood", "residual_severity", "owner", "status", "review_date"],
    "incidents": ["system", "ref", "title", "description", "severity", "source", "occurred_at", "aware_at",
                  "status"],
}
#: What the importer creates from; the other sheets are export-only (computed or file-backed).
IMPORTABLE = ("inventory", "incidents")


def _model(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def card_columns(model: type[BaseModel] = SystemCard, prefix: str = "") -> list[str]:
    """Dotted paths of every scalar or list field of the card, in declaration order."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        sub = _model(info.annotation)
        if sub is not None and get_origin(info.annotation) is not list:
            out += card_columns(sub, f"{prefix}{name}.")
        else:
            out.append(f"{prefix}{name}")
    return out


COLUMNS["inventory"] = card_columns()


def flatten(card: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """A card's JSON as one row (``None`` for unknown)."""
    row: dict[str, Any] = {}
    for column in columns:
        node: Any = card
        for part in column.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        row[column] = node
    return row


def cell(value: Any, *, excel: bool) -> Any:
    """The cell for a value (see the module doc for the conventions)."""
    if value is None:
        return None
    if isinstance(value, list):
        return LIST_SEP.join(str(v) for v in value) if value else EMPTY_LIST
    if isinstance(value, bool):
        return value if excel else ("TRUE" if value else "FALSE")
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def clean_text(value: Any) -> Any:
    """Text without the control characters a workbook cannot store; other values unchanged."""
    return ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def escape_formula(value: Any) -> Any:
    """A CSV cell that a spreadsheet program shows as text, never evaluates."""
    return FORMULA_ESCAPE + value if is_formula_like(value) else value


def unescape_formula(value: Any) -> Any:
    """The importer's inverse of :func:`escape_formula`."""
    if isinstance(value, str) and value.startswith(FORMULA_ESCAPE) and is_formula_like(value[1:]):
        return value[1:]
    return value


def sheets(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows per sheet from :func:`haechi.exports.service.workbook_data`."""
    return {name: [{c: row.get(c) for c in COLUMNS[name]} for row in data.get(name, [])] for name in COLUMNS}


def to_xlsx(tables: dict[str, list[dict[str, Any]]], notes: dict[str, str]) -> bytes:
    """An Excel workbook, one sheet per table, plus a ``README`` sheet with the conventions."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise MissingExtra("Excel export", "exports", "openpyxl") from None
    book = Workbook()
    readme = book.active
    readme.title = "README"
    for key, text in notes.items():
        readme.append([key, text])
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(COLUMNS[name])
        for c in sheet[1]:
            c.font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            sheet.append([clean_text(cell(row.get(c), excel=True)) for c in COLUMNS[name]])
            _protect_formulas(sheet[number])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _protect_formulas(cells: Any) -> None:
    # openpyxl turns a string starting with "=" into a formula; keep every such value text
    for item in cells:
        if is_formula_like(item.value):
            item.data_type = "s"
            item.quotePrefix = True


def to_csv(name: str, rows: list[dict[str, Any]]) -> bytes:
    """One table as CSV (UTF-8 with BOM, so Excel shows Korean correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in COLUMNS[name]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Any) -> Any:
    text = cell(value, excel=False)
    return "" if text is None else escape_formula(clean_text(text))


def to_csv_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """Every table as ``<name>.csv`` in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", to_csv(name, rows))
    return buffer.getvalue()
