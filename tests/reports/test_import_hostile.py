"""Spreadsheet imports of hostile or foreign-encoded files: refused early and clearly,
or read exactly — never slowly, never garbled into the registry and the ledger."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.errors import PayloadTooLarge, ValidationFailed
from haechi.store.tables import LedgerEntry

KOREAN = "id,name,domains,markets\nhr-screener,채용 심사 보조,internal_productivity,KR\n"


def _ledger_text(hc: Haechi, actor: Actor) -> str:
    with hc.db.reader() as s:
        return "\n".join(s.execute(select(LedgerEntry.payload).where(LedgerEntry.org_id == actor.org_id)).scalars())


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig", "utf-16", "utf-8"])
def test_korean_csv_from_excel_is_read_in_its_encoding(hc: Haechi, actor: Actor, tmp_path: Path,
                                                       encoding: str) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes(KOREAN.encode(encoding))
    assert hc.exports.import_file(actor, path)["created"] == 1
    assert hc.systems.get(actor, "hr-screener").card.name == "채용 심사 보조"
    ledger = _ledger_text(hc, actor)
    assert "\ufffd" not in ledger and "\\ufffd" not in ledger


def test_text_in_an_unknown_encoding_is_refused_naming_the_file_and_the_fix(
        hc: Haechi, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes("id,name\ncafe-bot,Caf\u00e9 \u00e0 la carte\n".encode("latin-1"))
    with pytest.raises(ValidationFailed) as caught:
        hc.exports.import_file(actor, path)
    error = caught.value
    assert "inventory.csv" in error.message and "encoding" in error.message
    assert "UTF-8" in (error.issues[0].fix or "") and error.message_ko
    assert str(tmp_path) not in error.render()
    assert hc.systems.all(actor) == []


def _workbook(path: Path, far_row: int, far_col: int) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "inventory"
    sheet.append(["id", "name"])
    sheet.append(["far-bot", "Far"])
    sheet.cell(row=far_row, column=far_col, value="x")  # everything in between reads as empty cells
    book.save(path)


def _with_dimension(path: Path, ref: str) -> None:
    """Rewrite the sheet's declared dimension, as a hand-crafted file can."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), members[sheet])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("declared", [None, "A1:B2"])
def test_a_small_workbook_spanning_millions_of_cells_is_refused_quickly(
        hc: Haechi, actor: Actor, tmp_path: Path, declared: str | None) -> None:
    path = tmp_path / "inventory.xlsx"
    _workbook(path, 60_000, 150)
    if declared:
        _with_dimension(path, declared)  # a dimension that hides the far cell
    assert path.stat().st_size < 64 * 1024
    start = time.monotonic()
    with pytest.raises(PayloadTooLarge) as caught:
        hc.exports.import_file(actor, path)
    assert time.monotonic() - start < 5
    assert "inventory.xlsx" in caught.value.message and "split" in (caught.value.issues[0].fix or "")
    assert hc.systems.all(actor) == []


@pytest.mark.parametrize(("content", "line"), [
    (KOREAN.encode("utf-16-le"), 1),                        # UTF-16 saved without its byte-order mark
    (b"id,name\nocr-bot,OCR\x00 bot\n", 2),                  # a NUL inside a cell
])
def test_nul_characters_in_a_csv_are_refused_naming_the_line(hc: Haechi, actor: Actor, tmp_path: Path,
                                                             content: bytes, line: int) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationFailed) as caught:
        hc.exports.import_file(actor, path)
    assert "NUL" in caught.value.message and caught.value.issues[0].line == line
    assert hc.systems.all(actor) == []


def test_a_workbook_that_unzips_to_more_than_the_limit_is_refused_before_openpyxl(
        hc: Haechi, actor: Actor, tmp_path: Path) -> None:
    from haechi.domain.limits import MAX_SHEET_INFLATED

    path = tmp_path / "inventory.xlsx"
    _workbook(path, 3, 2)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/sharedStrings-padding.xml", b" " * (MAX_SHEET_INFLATED + 1))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(PayloadTooLarge) as caught:
        hc.exports.import_file(actor, path)
    assert "inventory.xlsx" in caught.value.message and "MB" in caught.value.message
