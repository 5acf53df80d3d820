"""Spreadsheet exports: inventory, verdicts, controls, evidence, risks, incidents.

One sheet per table, a header row of stable column names, one row per item. The
inventory's columns are the system card's fields flattened with dots
(``operator.country``), derived from the card model, so a new card field appears
without code changes. Cell conventions (the importer reads the same):

* empty cell = unknown (``null``); ``[]`` = an empty list;
* lists are joined with ``"; "``; booleans are ``TRUE``/``FALSE`` (Excel booleans in xlsx).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from haechi.domain.card import SystemCard
from haechi.domain.errors import MissingExtra

LIST_SEP = "; "
EMPTY_LIST = "[]"

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
        for row in rows:
            sheet.append([cell(row.get(c), excel=True) for c in COLUMNS[name]])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(name: str, rows: list[dict[str, Any]]) -> bytes:
    """One table as CSV (UTF-8 with BOM, so Excel shows Korean correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow(["" if (v := cell(row.get(c), excel=False)) is None else v for c in COLUMNS[name]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """Every table as ``<name>.csv`` in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", to_csv(name, rows))
    return buffer.getvalue()
