"""The events and labels endpoints over a real ASGI app: formats, errors, roles, tenants."""

from __future__ import annotations

import io

import orjson
import pyarrow as pa
import pytest
from lake_helpers import make_rows

from haechi.domain.card import SystemCard

SYSTEM = "hiring-screener"
URL = f"/api/v1/systems/{SYSTEM}/events"


@pytest.fixture
def api_sys(api):  # type: ignore[no-untyped-def]
    admin = api.hc.local_actor("acme")
    api.hc.systems.add(admin, SystemCard.model_validate({"id": SYSTEM, "name": "Screener"}))
    return api


def _arrow(rows: list[dict]) -> bytes:
    table = pa.table(
        {
            "event_id": [r["event_id"] for r in rows],
            "prediction": [r["prediction"] for r in rows],
            "features": [r["features"] for r in rows],
        }
    )
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def test_json_batch_is_stored_and_reported(api_sys) -> None:  # type: ignore[no-untyped-def]
    rows = make_rows(20)
    rows[3]["score"] = 3
    response = api_sys.post(URL, content=orjson.dumps(rows), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["received"], body["stored"], body["duplicates"], body["durable"]) == (20, 19, 0, True)
    assert body["rejected"] == [
        {"row": 4, "field": "score", "reason": "must be a probability between 0 and 1 (apply a sigmoid to logits)"}
    ]
    again = api_sys.post(URL, content=orjson.dumps(rows), headers={"Content-Type": "application/json"})
    assert again.json()["duplicates"] == 19
    count = api_sys.get(f"{URL}/count").json()
    assert count["events"] == 19


def test_ndjson_and_arrow_bodies(api_sys) -> None:  # type: ignore[no-untyped-def]
    rows = make_rows(10)
    nd = b"\n".join(orjson.dumps(r) for r in rows[:5])
    assert api_sys.post(URL, content=nd, headers={"Content-Type": "application/x-ndjson"}).json()["stored"] == 5
    response = api_sys.post(
        URL, content=_arrow(rows[5:]), headers={"Content-Type": "application/vnd.apache.arrow.stream"}
    )
    assert response.json()["stored"] == 5
    stats = api_sys.get(f"{URL}/stats").json()
    assert stats["events"] == 10 and stats["retention"]["explicit"] is False
    assert api_sys.get(f"{URL}/schema").json()["mapping"]["sensitive"] == ["sex"]


def test_errors_use_the_error_shape(api_sys) -> None:  # type: ignore[no-untyped-def]
    bad_json = api_sys.post(URL, content=b'[{"prediction": 1,}]', headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    error = bad_json.json()["error"]
    assert error["code"] == "bad_request" and "line 1" in error["message"] and error["message_ko"]
    unknown = api_sys.post(URL, content=b'[{"prediction": 1, "age": 3}]', headers={"Content-Type": "application/json"})
    assert unknown.status_code == 422 and unknown.json()["error"]["errors"][0]["location"] == "[1].age"
    media = api_sys.post(URL, content=b"a,b\n1,2", headers={"Content-Type": "text/csv"})
    assert media.status_code == 415 and media.json()["error"]["code"] == "unsupported_media_type"
    all_bad = api_sys.post(URL, content=b'[{"prediction": "x"}]', headers={"Content-Type": "application/json"})
    assert all_bad.status_code == 422 and all_bad.json()["error"]["errors"][0]["line"] == 1
    strict = api_sys.post(
        URL + "?strict=true",
        content=orjson.dumps([{"prediction": 1}, {"prediction": "x"}]),
        headers={"Content-Type": "application/json"},
    )
    assert strict.status_code == 422
    assert api_sys.get(f"{URL}/count").json()["events"] == 0


def test_oversized_body_is_a_413(api_sys) -> None:  # type: ignore[no-untyped-def]
    limit = api_sys.hc.settings.max_body_mb * 1024 * 1024
    response = api_sys.post(URL, content=b"[" + b" " * limit + b"]", headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_roles_and_tenants(api_sys) -> None:  # type: ignore[no-untyped-def]
    body = orjson.dumps(make_rows(2))
    headers = {"Content-Type": "application/json"}
    viewer = {"Authorization": f"Bearer {api_sys.tokens['viewer']}", **headers}
    editor = {"Authorization": f"Bearer {api_sys.tokens['editor']}", **headers}
    assert api_sys.post(URL, content=body, headers=viewer).status_code == 403
    assert api_sys.post(URL, content=body, headers=editor).status_code == 200
    assert api_sys.post(URL, content=body, headers={"Authorization": "", **headers}).status_code == 401
    hc = api_sys.hc
    hc.accounts.create_org("globex", "Globex")
    hc.accounts.create_user(hc.local_actor("globex"), "e@globex.example", "editor", "password-123", "E")
    token = hc.accounts.create_token(hc.local_actor("globex"), "e@globex.example")
    foreign = {"Authorization": f"Bearer {token}", **headers}
    response = api_sys.post(URL, content=body, headers=foreign)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api_sys.get(f"{URL}/count", headers=foreign).status_code == 404


def test_labels_endpoint(api_sys) -> None:  # type: ignore[no-untyped-def]
    rows = make_rows(3)
    for row in rows:
        row["label"] = None
    api_sys.post(URL, content=orjson.dumps(rows), headers={"Content-Type": "application/json"})
    response = api_sys.post(
        f"/api/v1/systems/{SYSTEM}/labels",
        content=b'[{"event_id": "e0", "label": 1}, {"event_id": "e1"}]',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["stored"] == 1 and response.json()["rejected"][0]["row"] == 2
    src = api_sys.hc.lake.source(api_sys.hc.local_actor("acme"), SYSTEM)
    assert {r["event_id"]: r["label"] for r in src.arrow().to_pylist()} == {"e0": 1.0, "e1": None, "e2": None}


def test_openapi_documents_the_bodies(api_sys) -> None:  # type: ignore[no-untyped-def]
    spec = api_sys.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/systems/{system}/events"]["post"]["requestBody"]["content"]
    assert set(body) == {
        "application/json",
        "application/x-ndjson",
        "application/vnd.apache.arrow.stream",
        "application/vnd.apache.parquet",
    }
    assert "prediction" in body["application/json"]["schema"]["items"]["properties"]


def test_gzip_bodies_and_gzip_bombs(api_sys) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import gzip

    body = gzip.compress(orjson.dumps(make_rows(30)))
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    response = api_sys.post(URL, content=body, headers=headers)
    assert response.status_code == 200 and response.json()["stored"] == 30
    lake = api_sys.hc.lake
    lake.config = dataclasses.replace(lake.config, max_body_mb=1)  # inflated bodies may reach 8 MB
    bomb = gzip.compress(b"[" + b" " * (8 * 1024 * 1024 + 10) + b"]", compresslevel=9)
    assert len(bomb) < 1024 * 1024
    assert api_sys.post(URL, content=bomb, headers=headers).status_code == 413
    assert api_sys.post(URL, content=b"not gzip", headers=headers).status_code == 400
    brotli = api_sys.post(URL, content=b"x", headers={"Content-Type": "application/json", "Content-Encoding": "br"})
    assert brotli.status_code == 415
