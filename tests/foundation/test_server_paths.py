"""Uploads are written under a plain file name, and no error a user sees — API or
dashboard — shows where the server keeps its files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.errors import Issue, ValidationFailed
from haechi.domain.server_paths import redact_error, upload_name
from haechi.settings import Settings
from tests.conftest import web_login

HTML = {"Accept": "text/html"}
ABSOLUTE = re.compile(r"(?<![\w.])/(?:tmp|root|home|work|var)/")


@pytest.mark.parametrize("url", ["/api/v1/transparency/verify", "/api/v1/imports"])
@pytest.mark.parametrize("name", ["..", ".", "../../etc/passwd", "x.xlsx", "x.json", "a\x00b.csv", "", "/"])
def test_uploads_are_named_safely_and_errors_name_only_the_file(api: Any, url: str, name: str) -> None:
    response = api.post(url, files={"file": (name, b"this is not the file it claims to be")})
    assert response.status_code in (200, 400, 413, 415, 422), response.text
    assert not ABSOLUTE.search(response.text), response.text


def test_dashboard_import_errors_do_not_show_server_paths(tmp_path: Path) -> None:
    hc = Haechi(Settings(home=tmp_path / "home", memory=True))
    try:
        hc.accounts.create_org("acme", "Acme")
        admin = hc.local_actor("acme")
        hc.accounts.create_user(admin, "ana@acme.example", "admin", "long-password-123", "Ana")
        with TestClient(create_app(hc=hc)) as client:
            web_login(client, "ana@acme.example", "long-password-123")
            page = client.get("/reports", headers=HTML)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
            response = client.post("/reports/import", data={"csrf_token": csrf}, headers=HTML,
                                   files={"file": ("../../inventory.xlsx", b"not a workbook", "application/zip")})
            assert response.status_code == 422, response.text[:500]
            assert "inventory.xlsx" in response.text and not ABSOLUTE.search(response.text)
    finally:
        hc.close()


def test_redaction_keeps_the_file_name_and_everything_else() -> None:
    roots = ("/srv/haechi", "/tmp")
    error = ValidationFailed("/tmp/haechi-import-x1/inv.xlsx: not a workbook; see /api/v1/imports",
                             issues=[Issue("file", "cannot open /srv/haechi/lake/acme/s/date=2026-01-01/p.parquet",
                                           "check /tmp", file="/tmp/haechi-import-x1/inv.xlsx")],
                             message_ko="/tmp/haechi-import-x1/inv.xlsx: 통합 문서가 아닙니다")
    redact_error(error, roots)
    assert error.message == "inv.xlsx: not a workbook; see /api/v1/imports"
    assert error.issues[0].message == "cannot open p.parquet" and error.issues[0].file == "inv.xlsx"
    assert error.message_ko == "inv.xlsx: 통합 문서가 아닙니다"


def test_upload_name() -> None:
    assert upload_name("..", "upload") == "upload"
    assert upload_name("C:\\Users\\me\\secret.xlsx", "upload") == "secret.xlsx"
    assert upload_name("../../etc/passwd", "upload") == "passwd"
    assert upload_name("a\nb\x00.csv", "upload") == "ab.csv"
    long = upload_name("x" * 500 + ".xlsx", "upload")
    assert len(long) == 120 and long.endswith(".xlsx")


def test_paths_under_this_machine_s_folders_are_cut_but_addresses_stay() -> None:
    error = ValidationFailed("no log files found at '/usr/share/data/x.parquet'; see /api/v1/monitor-files/x "
                             "and /p/acme/screener")
    redact_error(error, ())
    assert error.message == "no log files found at 'x.parquet'; see /api/v1/monitor-files/x and /p/acme/screener"


def test_a_failed_run_of_an_operator_spec_stores_no_server_path(api: Any, tmp_path: Path) -> None:
    """The operator's spec names a file that is gone; members see the failure without the path."""
    from haechi.domain.card import SystemCard
    from haechi.monitor.spec import load_spec

    hc = api.hc
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"system: screener\nlog: {tmp_path}/gone/log.parquet\n"
                    "reference: {start: 2026-01-01, end: 2026-01-02}\n")
    with pytest.raises(ValidationFailed) as failed:
        hc.monitor.run(actor, load_spec(spec))
    assert str(tmp_path) in failed.value.message  # the operator at the console sees the path they wrote
    runs = api.get("/api/v1/systems/screener/monitors/default/runs").json()["items"]
    assert runs[0]["status"] == "error" and str(tmp_path) not in runs[0]["error"] and "log.parquet" in runs[0]["error"]
    response = api.post("/api/v1/systems/screener/monitors/default/run")
    assert response.status_code == 422 and str(tmp_path) not in response.text
