"""Values no store can hold — NaN/Infinity, NUL characters, lone surrogates — are refused
with a 422 naming their location, on SQLite and on PostgreSQL, from JSON bodies, forms
and files; before, they blanked ESG totals or failed inside PostgreSQL with a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.domain.yamlio import load_file
from tests.conftest import org_with_users
from tests.foundation.test_error_shape import assert_error_shape

ENERGY = ('{"system": "press-defect-vision", "activity": "training", "start": "2026-03-01", '
          '"end": "2026-03-31", "country": "KR", "kwh": %s, "pue": %s}')


@pytest.fixture
def client(db_hc: Haechi):  # type: ignore[no-untyped-def]
    from haechi.api import create_app

    tokens = org_with_users(db_hc, "acme")
    db_hc.systems.add(db_hc.local_actor("acme"), SystemCard.model_validate(
        {"id": "press-defect-vision", "name": "Vision", "deployed_at": "2026-04-01"}))
    with TestClient(create_app(hc=db_hc)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {tokens['admin']}"
        yield test_client


def _post(client: TestClient, path: str, body: str) -> Any:
    return client.post(path, content=body.encode("utf-8", "surrogatepass"),
                       headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(("kwh", "pue", "location"), [
    ("Infinity", "1.2", "body.kwh"), ("1000", "NaN", "body.pue"), ("1e999", "1.2", "body.kwh"),
    ("-Infinity", "1.2", "body.kwh"),
])
def test_non_finite_energy_is_refused_and_totals_stay_numbers(client: TestClient, kwh: str, pue: str,
                                                              location: str) -> None:
    assert _post(client, "/api/v1/esg/energy", ENERGY % ("1000", "1.2")).status_code == 201
    response = _post(client, "/api/v1/esg/energy", ENERGY % (kwh, pue))
    assert_error_shape(response, 422)
    error = response.json()["error"]
    assert [i["location"] for i in error["errors"]] == [location] and error["errors"][0]["fix"]
    assert error["message_ko"]
    records = client.get("/api/v1/esg/energy").json()["items"]
    assert len(records) == 1 and records[0]["kwh"] == 1000


@pytest.mark.parametrize(("name", "problem"), [("Vision\\u0000", "NUL"), ("Vision \\ud800", "surrogate")])
def test_nul_and_lone_surrogates_in_json_are_422_not_500(client: TestClient, name: str, problem: str) -> None:
    response = _post(client, "/api/v1/systems", f'{{"id": "ocr-bot", "name": "{name}"}}')
    assert_error_shape(response, 422)
    issue = response.json()["error"]["errors"][0]
    assert issue["location"] == "body.name" and problem in issue["message"]
    assert client.get("/api/v1/systems/ocr-bot").status_code == 404


def test_escaped_backslashes_that_only_look_like_nul_are_text(client: TestClient) -> None:
    response = _post(client, "/api/v1/systems", '{"id": "ocr-bot", "name": "path C:\\\\u0000"}')
    assert response.status_code == 201, response.text
    assert client.get("/api/v1/systems/ocr-bot").json()["name"] == "path C:\\u0000"


def test_dashboard_form_with_nul_is_refused(client: TestClient) -> None:
    response = client.post("/login", content=b"email=a%00b%40acme.example&password=x",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error_shape(response, 422)
    assert response.json()["error"]["errors"][0]["location"] == "email"


@pytest.mark.parametrize(("text", "where"), [
    ("id: ocr-bot\nname: OCR\nrisk_score: .nan\n", "risk_score"),
    ('id: ocr-bot\nname: "OCR\\0"\n', "name"),
    ('{"id": "ocr-bot", "name": "OCR", "x": Infinity}', "x"),
])
def test_card_files_with_unstorable_values_name_the_field_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / ("card.json" if text.startswith("{") else "card.yaml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_file(path)
    issue = caught.value.issues[0]
    assert issue.location == where and issue.file == str(path) and issue.line is not None


def test_a_passport_file_nested_past_the_parser_exits_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "passport.json"
    path.write_text("[" * 50_000 + "]" * 50_000)
    result = cli("passport", "verify", str(path))
    assert result.code == 2, result
    assert "not JSON" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("url", ["/api/v1/monitors?system=a%00b", "/api/v1/systems/ocr%00bot",
                                 "/api/v1/esg/energy?system=%00"])
def test_nul_in_the_query_or_path_is_422_not_500(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert_error_shape(response, 422)
    assert "NUL" in response.json()["error"]["errors"][0]["message"]


@pytest.mark.parametrize("flops", ["inf", "Infinity", "nan"])
def test_dashboard_card_form_refuses_non_finite_compute(db_hc: Haechi, flops: str) -> None:
    from tests.conftest import web_login

    db_hc.accounts.create_org("hanbit", "Hanbit")
    db_hc.accounts.create_user(db_hc.local_actor("hanbit"), "ana@hanbit.example", "editor", "password-123")
    with TestClient(create_app_for(db_hc), follow_redirects=False) as web:
        assert web_login(web, "ana@hanbit.example", "password-123", "/systems").status_code == 303
        page = web.get("/systems/new", headers={"Accept": "text/html"})
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = web.post("/systems/new", data={"csrf_token": csrf, "id": "infinity", "name": "Infinity",
                                                  "compute.training_flops": flops})
        assert response.status_code == 422, response.text[:300]
        assert 'id="f-compute-training-flops-err"' in response.text
        assert web.get("/systems?format=json").json()["total"] == 0


def create_app_for(hc: Haechi):  # type: ignore[no-untyped-def]
    from haechi.api import create_app

    return create_app(hc=hc)
