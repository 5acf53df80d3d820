"""Spreadsheet exports are safe to open: no formula runs from a stored value (OWASP CSV
injection guidance) and control characters in a value do not break the workbook."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from conftest import Org
from haechi.api import create_app

HOSTILE = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"]
CONTROL = "Leak\x01in\x0bline\x1f 7"
#: XML stores a carriage return as a line feed (openpyxl writes it unescaped): still text
IN_XLSX = [v.replace("\r", "\n") for v in HOSTILE]


@pytest.fixture
def api_client(org: Org) -> Iterator[TestClient]:
    org.hc.accounts.create_user(org.actor, "auditor@hanbit.example", "auditor", None, "Auditor")
    with TestClient(create_app(hc=org.hc)) as client:
        client.headers["Authorization"] = f"Bearer {org.hc.accounts.create_token(org.actor, 'auditor@hanbit.example')}"
        yield client


def _open_incidents(org: Org) -> None:
    """Titles are trimmed when stored, so the leading tab and CR ride in the description."""
    for number, value in enumerate([*HOSTILE, CONTROL]):
        org.hc.compliance.incidents.open(org.actor, title=value if value.strip() == value else f"t{number}",
                                         system="hiring-screener", severity="low", source="manual",
                                         description=value)


def _column_xlsx(content: bytes, tmp: Path, name: str = "description") -> list[str]:
    path = tmp / "export.xlsx"
    path.write_bytes(content)
    sheet = load_workbook(path)["incidents"]
    column = [c.value for c in sheet[1]].index(name)
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    return [str(c.value) for c in cells]


def _column_csv(content: bytes, name: str = "description") -> list[str]:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [r[name] for r in rows]


def test_xlsx_export_with_control_characters_and_formulas(org: Org, api_client: TestClient) -> None:
    _open_incidents(org)
    response = api_client.post("/api/v1/exports/xlsx")
    assert response.status_code == 200, response.text
    titles = _column_xlsx(response.content, org.tmp)
    assert "Leakinline 7" in titles
    for value in IN_XLSX:
        assert value in titles  # the value kept as it was, stored as text


def test_csv_export_escapes_formula_triggers(org: Org, api_client: TestClient) -> None:
    _open_incidents(org)
    response = api_client.post("/api/v1/exports/csv", params={"sheet": "incidents"})
    assert response.status_code == 200, response.text
    titles = _column_csv(response.content)
    for value in HOSTILE:
        assert "'" + value in titles
    assert not any(t[:1] in ("=", "+", "-", "@", "\t", "\r") for t in titles)
    assert "Leakinline 7" in titles
    bundle = api_client.post("/api/v1/exports/csv")
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert "'" + HOSTILE[0] in _column_csv(archive.read("incidents.csv"))


def test_escaped_values_import_back_unchanged(org: Org) -> None:
    _open_incidents(org)
    for fmt in ("xlsx", "csv"):
        doc = org.hc.exports.xlsx(org.actor) if fmt == "xlsx" else org.hc.exports.csv(org.actor, "incidents")
        path = org.tmp / f"incidents.{fmt}"
        path.write_bytes(doc.content)
        slug = f"re{fmt}"
        org.hc.accounts.create_org(slug, slug)
        other = org.hc.local_actor(slug)
        if fmt == "csv":  # incidents need their system: import the inventory first
            inventory = org.tmp / "inventory.csv"
            inventory.write_bytes(org.hc.exports.csv(org.actor, "inventory").content)
            org.hc.exports.import_file(other, inventory)
        org.hc.exports.import_file(other, path)
        described = {i["description"] for i in org.hc.compliance.incidents.list(other)}
        assert set(HOSTILE if fmt == "csv" else IN_XLSX) <= described and "Leakinline 7" in described
