"""Text that is not UTF-8 is refused at ingestion (422 naming the line or row and column),
and a lake file holding such text anyway is quarantined and reported instead of failing
every monitor run and lake tool of its system."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from lake_helpers import make_rows
from sqlalchemy import select
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.monitor.lake_import import ColumnMap
from haechi.settings import Settings
from haechi.store.tables import LedgerEntry

EVENTS = "/api/v1/systems/screener/events"
MONITOR = "/api/v1/systems/screener/monitors/default"


def _system(hc: Haechi) -> Any:
    actor = hc.accounts.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate({"id": "screener", "name": "Screener"}))
    return actor


def _not_utf8(values: list[bytes]) -> pa.Array:
    """A string array carrying the given raw bytes (Arrow does not check them on build)."""
    return pa.array(values, pa.binary()).view(pa.string())


def _events_table(n: int = 2, bad_row: int = 1) -> pa.Table:
    sex = [b"F"] * n
    sex[bad_row] = b"\xff\xfeM"
    return pa.table({"event_id": [f"x{i}" for i in range(n)], "timestamp": ["2026-03-02T01:00:00Z"] * n,
                     "prediction": [1] * n, "sensitive.sex": _not_utf8(sex)})


def test_http_bodies_with_invalid_utf8_are_refused(api: Any) -> None:
    _system(api.hc)
    good, bad = (orjson.dumps(r) for r in make_rows(2))
    ndjson = good + b"\n" + bad.replace(b'"F"', b'"\xc3\x28"').replace(b'"M"', b'"\xc3\x28"') + b"\n"
    response = api.post(EVENTS, content=ndjson, headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 422, response.text
    issue = response.json()["error"]["errors"][0]
    assert issue["location"] == "body" and issue["line"] == 2 and "UTF-8" in issue["fix"]
    assert response.json()["error"]["message_ko"]
    array = b"[" + good + b"," + bad.replace(b"seoul", b"s\xffoul").replace(b"busan", b"b\xffsan") + b"]"
    response = api.post(EVENTS, content=array, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["errors"][0]["line"] == 1
    for media, body in _binary_bodies(_events_table(3, bad_row=2)):
        response = api.post(EVENTS, content=body, headers={"content-type": media})
        assert response.status_code == 422, (media, response.text)
        assert response.json()["error"]["errors"][0]["location"] == "[3].sensitive.sex", response.text
    assert api.get(f"{EVENTS}/stats").json()["events"] == 0  # nothing of any batch was stored


def _binary_bodies(table: pa.Table) -> list[tuple[str, bytes]]:
    stream = io.BytesIO()
    with pa.ipc.new_stream(stream, table.schema) as writer:
        writer.write_table(table)
    parquet = io.BytesIO()
    pq.write_table(table, parquet)
    return [("application/vnd.apache.arrow.stream", stream.getvalue()),
            ("application/vnd.apache.parquet", parquet.getvalue())]


def test_a_file_import_with_invalid_utf8_is_refused(hc: Haechi, tmp_path: Path) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = _system(hc)
    path = tmp_path / "events.parquet"
    pq.write_table(_events_table(4, bad_row=3), path)
    with pytest.raises(ValidationFailed) as refused:
        hc.lake.import_file(actor, "screener", path, ColumnMap.parse([], [], []))
    assert [i.location for i in refused.value.issues] == ["[4].sensitive.sex"]
    assert hc.lake.event_count(actor, "screener") == 0
    csv = tmp_path / "events.csv"
    csv.write_bytes(b"event_id,timestamp,prediction,sex\ne1,2026-03-02T00:00:00Z,1,F\n"
                    b"e2,2026-03-02T00:00:00Z,1,\xb3\xb2\n")  # EUC-KR, not UTF-8
    with pytest.raises(ValidationFailed) as refused:
        hc.lake.import_file(actor, "screener", csv, ColumnMap.parse([], ["sex"], []))
    assert refused.value.issues[0].line == 3 and "UTF-8" in (refused.value.issues[0].fix or "")
    assert str(tmp_path) not in refused.value.render()
    assert hc.lake.event_count(actor, "screener") == 0


def _plant_bad_file(hc: Haechi, actor: Any) -> Path:
    """Copy a real lake file, with one text column's bytes broken, into the same partition
    (as a file written before ingestion checked text, or copied in by hand)."""
    sl = hc.lake.system_lake(actor, "screener")
    good = sl.live_files(sl.days()[0])[0]
    table = pq.read_table(good)
    index = table.schema.get_field_index("sex")
    broken = _not_utf8([b"\xff\xfe" for _ in range(table.num_rows)])
    table = table.set_column(index, pa.field("sex", pa.string()), broken)
    ids = pa.array([f"bad-{i}" for i in range(table.num_rows)])
    table = table.set_column(table.schema.get_field_index("event_id"), "event_id", ids)
    bad = good.with_name("part-planted.parquet")
    pq.write_table(table, bad)
    return bad


def test_a_bad_lake_file_is_quarantined_and_the_run_goes_on(api: Any) -> None:
    hc = api.hc
    actor = _system(hc)
    assert api.post(EVENTS, content=orjson.dumps(make_rows(90)),
                    headers={"content-type": "application/json"}).status_code == 200
    bad = _plant_bad_file(hc, actor)
    spec = {"reference": {"start": "2026-03-02", "end": "2026-03-03"}, "window": "1d"}
    assert api.put(MONITOR, json=spec).status_code == 200
    run = api.post(f"{MONITOR}/run")
    assert run.status_code == 200, run.text
    moved = run.json()["quarantined"]
    assert [m["file"] for m in moved] == [f"{bad.parent.name}/{bad.name}"]
    assert moved[0]["reason"] == "text that is not UTF-8" and "/tmp" not in run.text
    assert not bad.exists()
    kept = hc.settings.lake_path() / "acme" / "screener" / "_quarantine" / bad.parent.name / bad.name
    assert kept.is_file()
    assert sum(w["n"] for w in run.json()["windows"]) + run.json()["reference"]["n"] == 90
    again = api.post(f"{MONITOR}/run")
    assert again.status_code == 200 and again.json()["quarantined"] == []
    assert hc.lake.quarantined(actor, "screener") == moved
    with hc.db.reader() as s:
        actions = s.execute(select(LedgerEntry.action)).scalars().all()
    assert actions.count("monitor.quarantine") == 1
    hc.accounts.create_user(actor, "ana@acme.example", "viewer", "long-password-123", "Ana")
    with TestClient(create_app(hc=hc)) as web:
        web_login(web, "ana@acme.example", "long-password-123")
        page = web.get("/systems/screener/monitoring?format=json").json()
        assert [q["file"] for q in page["quarantined"]] == [m["file"] for m in moved]
        web.cookies.set("haechi_lang", "ko")
        html = web.get("/systems/screener/monitoring?lang=ko", headers={"Accept": "text/html"})
        assert bad.name in html.text and "UTF-8이 아닌 텍스트" in html.text and "/tmp" not in html.text
    # retention holds for quarantined files too
    hc.lake.set_retention(actor, "screener", 1, "test: short retention")
    purged = hc.lake.purge_expired(actor, "screener")
    assert purged["deleted_quarantine"] == [f"_quarantine/{bad.parent.name}"] and not kept.exists()


def test_lake_tools_quarantine_instead_of_failing(tmp_path: Path) -> None:
    """``haechi monitor lake duplicates|compact|quarantine`` in a real process."""
    home = tmp_path / "home"
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme")
        actor = _system(hc)
        hc.lake.ingest(actor, "screener", orjson.dumps(make_rows(30)), "application/json")
        hc.lake.ingest(actor, "screener", orjson.dumps(make_rows(30, start=30)), "application/json")
        bad = _plant_bad_file(hc, actor)
    finally:
        hc.close()

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], capture_output=True, text=True, timeout=120,
                              check=False,
                              env={"HAECHI_HOME": str(home), "PATH": "/usr/bin:/bin",
                                   "PYTHONPATH": str(Path(__file__).parents[2] / "src")})

    duplicates = haechi("monitor", "lake", "duplicates", "screener", "--format", "json")
    assert duplicates.returncode == 0, duplicates.stderr
    assert json.loads(duplicates.stdout)["duplicate_ids"] == 0
    compact = haechi("monitor", "lake", "compact", "screener", "--format", "json")
    assert compact.returncode == 0, compact.stderr  # DuckDB reads every column here: the bad file is found
    moved = json.loads(duplicates.stdout)["quarantined"] + json.loads(compact.stdout)["quarantined"]
    assert [m["file"] for m in moved] == [f"{bad.parent.name}/{bad.name}"]
    listed = haechi("monitor", "lake", "quarantine", "screener", "--check", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["moved_now"] == [] and [m["file"] for m in data["quarantined"]] == [f"{bad.parent.name}/{bad.name}"]
    assert str(home) not in listed.stdout + duplicates.stdout + compact.stdout


def test_lake_upkeep_sets_a_bad_file_aside_and_goes_on(hc: Haechi) -> None:
    from haechi.monitor.lake_upkeep import run_once

    hc.accounts.create_org("acme", "Acme")
    actor = _system(hc)
    for start in (0, 30, 60, 90):  # four files a day: enough for upkeep to compact
        hc.lake.ingest(actor, "screener", orjson.dumps(make_rows(30, start=start)), "application/json")
    bad = _plant_bad_file(hc, actor)
    report = run_once(hc.lake)
    assert report[0]["quarantined"] == [f"{bad.parent.name}/{bad.name}"] and report[0]["compacted_days"]
    assert hc.lake.event_count(actor, "screener") == 120
