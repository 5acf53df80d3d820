"""Decoding and validation of event batches: every format, every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lake_helpers import make_rows, send, stored_ids

from haechi.domain.errors import BadRequest, ValidationFailed
from haechi.monitor.formats import UnsupportedMediaType, decode
from haechi.monitor.ingest import ingest_events, ingest_labels
from haechi.monitor.lake import Lake, SystemLake


@pytest.fixture
def sl(tmp_path: Path) -> SystemLake:
    return Lake(tmp_path / "lake").system("acme", "hiring-screener")


def _arrow_body(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _columnar(rows: list[dict], flat: bool) -> pa.Table:
    cols = {k: [r.get(k) for r in rows] for k in ("event_id", "timestamp", "prediction", "score", "label")}
    cols["timestamp"] = [dt.datetime.fromisoformat(t) for t in cols["timestamp"]]
    if flat:
        cols |= {f"features.{k}": [r["features"][k] for r in rows] for k in rows[0]["features"]}
        cols |= {f"sensitive.{k}": [r["sensitive"][k] for r in rows] for k in rows[0]["sensitive"]}
    else:
        cols["features"] = [r["features"] for r in rows]
        cols["sensitive"] = [r["sensitive"] for r in rows]
    return pa.table(cols)


@pytest.mark.parametrize("kind", ["json", "ndjson", "arrow-struct", "arrow-flat", "parquet"])
def test_every_format_stores_the_same_events(sl: SystemLake, kind: str) -> None:
    rows = make_rows(25)
    if kind == "json":
        body, media = orjson.dumps(rows), "application/json; charset=utf-8"
    elif kind == "ndjson":
        body, media = b"\n".join(orjson.dumps(r) for r in rows) + b"\n", "application/x-ndjson"
    elif kind.startswith("arrow"):
        body, media = (
            _arrow_body(_columnar(rows, kind == "arrow-flat")),
            "application/vnd.apache.arrow.stream",
        )
    else:
        sink = io.BytesIO()
        pq.write_table(_columnar(rows, flat=False), sink)
        body, media = sink.getvalue(), "application/vnd.apache.parquet"
    result = ingest_events(sl, decode(body, media))
    assert (result.received, result.stored, result.rejected) == (25, 25, [])
    got = {r["event_id"]: r for r in sl.source().arrow().to_pylist()}
    assert got["e7"]["income"] == rows[7]["features"]["income"]
    assert got["e7"]["sex"] == rows[7]["sensitive"]["sex"]
    assert got["e7"]["score"] == rows[7]["score"]


def test_dictionary_encoded_and_chunked_columns(sl: SystemLake) -> None:
    part = pa.table(
        {
            "event_id": ["a", "b"],
            "prediction": [1.0, 0.0],
            "sensitive.sex": pa.array(["F", "M"]).dictionary_encode(),
            "features.region": pa.array(["x", "y"]).dictionary_encode(),
        }
    )
    table = pa.concat_tables([part, part.set_column(0, "event_id", pa.array(["c", "d"]))])
    assert table.column("sensitive.sex").num_chunks == 2
    result = ingest_events(sl, decode(_arrow_body(table), "application/vnd.apache.arrow.stream"))
    assert result.stored == 4
    assert sorted(r["sex"] for r in sl.source().arrow().to_pylist()) == ["F", "F", "M", "M"]


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(BadRequest) as err:
        decode(b'[{"event_id": "a",\n "prediction": 1,,}]', "application/json")
    assert "line 2" in err.value.message and err.value.status == 400


def test_malformed_ndjson_names_the_line() -> None:
    body = b'{"event_id": "a", "prediction": 1}\n{"event_id": "b", "prediction": 1\n'
    with pytest.raises(BadRequest) as err:
        decode(body, "application/x-ndjson")
    assert "line 2" in err.value.message


def test_unknown_fields_and_columns_are_refused_whole(sl: SystemLake) -> None:
    with pytest.raises(ValidationFailed) as err:
        decode(orjson.dumps([{"event_id": "a", "prediction": 1, "age": 30}]), "application/json")
    assert err.value.issues[0].location == "[1].age" and "features" in (err.value.issues[0].fix or "")
    with pytest.raises(ValidationFailed) as err:
        decode(
            _arrow_body(pa.table({"prediction": [1], "age": [30]})),
            "application/vnd.apache.arrow.stream",
        )
    assert "age" in err.value.message
    assert not sl.dir.exists()


def test_unsupported_media_type_and_garbage_bodies() -> None:
    with pytest.raises(UnsupportedMediaType) as err:
        decode(b"a,b", "text/csv")
    assert err.value.status == 415 and "application/json" in err.value.message
    with pytest.raises(BadRequest):
        decode(b"not arrow", "application/vnd.apache.arrow.stream")
    with pytest.raises(BadRequest):
        decode(b"not parquet", "application/vnd.apache.parquet")


def test_bad_rows_are_reported_and_good_rows_stored(sl: SystemLake) -> None:
    rows = make_rows(6)
    rows[1]["prediction"] = "yes"
    rows[2]["score"] = 1.7
    rows[3]["timestamp"] = "yesterday"
    rows[4]["features"] = [1, 2]
    result = send(sl, rows)
    assert result.stored == 2
    assert [(e.row, e.field) for e in result.rejected] == [
        (2, "prediction"),
        (3, "score"),
        (4, "timestamp"),
        (5, "features"),
    ]
    assert "ISO 8601" in result.rejected[2].reason
    assert stored_ids(sl) == ["e0", "e5"]


def test_strict_mode_stores_nothing_when_one_row_is_bad(sl: SystemLake) -> None:
    rows = make_rows(5)
    rows[4]["score"] = -0.5
    with pytest.raises(ValidationFailed) as err:
        send(sl, rows, strict=True)
    assert err.value.issues[0].line == 5 and "strict" in err.value.message
    assert sl.event_count() == 0


def test_all_rows_bad_is_an_error(sl: SystemLake) -> None:
    with pytest.raises(ValidationFailed) as err:
        send(sl, [{"event_id": "a"}, {"prediction": None}, 5])
    assert err.value.status == 422
    fields = [(i.line, i.location) for i in err.value.issues]
    assert fields == [(1, "row 1: prediction"), (2, "row 2: prediction"), (3, "row 3: row")]


def test_lenient_conversions(sl: SystemLake) -> None:
    rows = [
        {
            "event_id": 17,
            "timestamp": 1772409600,
            "prediction": True,
            "score": "0.25",
            "features": {"x": float("nan"), "y": 3},
            "sensitive": {"age_band": 3},
        },
        {
            "event_id": "n2",
            "timestamp": "2026-03-02T09:00:00+09:00",
            "prediction": 0,
            "features": {"x": 1.5},
            "sensitive": {"age_band": "40-49"},
        },
    ]
    result = send(sl, rows)
    assert result.stored == 2, result.rejected
    got = {r["event_id"]: r for r in sl.source().arrow().to_pylist()}
    assert got["17"]["prediction"] == 1.0 and got["17"]["score"] == 0.25
    assert got["17"]["x"] is None and got["17"]["age_band"] == "3"
    assert got["17"]["timestamp"] == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert got["n2"]["timestamp"] == dt.datetime(2026, 3, 2, 0, tzinfo=dt.UTC)


def test_missing_ids_and_times_are_filled(sl: SystemLake) -> None:
    result = send(sl, [{"prediction": 1}, {"prediction": 0}])
    assert (result.stored, result.generated_ids) == (2, 2)
    table = sl.source().arrow()
    now = dt.datetime.now(dt.UTC)
    assert all(abs((t - now).total_seconds()) < 60 for t in table.column("timestamp").to_pylist())


def test_time_checks(sl: SystemLake) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat()
    result = send(
        sl,
        [
            {"event_id": "f", "timestamp": future, "prediction": 1},
            {"event_id": "o", "timestamp": "2019-01-01T00:00:00Z", "prediction": 1},
            {"event_id": "ok", "timestamp": "2026-03-01T00:00:00Z", "prediction": 1},
        ],
        oldest=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
    )
    assert [(e.row, e.reason.split(";")[0]) for e in result.rejected] == [
        (1, "more than a day in the future"),
        (2, "older than this system's retention period (before 2021-01-01)"),
    ]


def test_sensitive_and_feature_with_the_same_name(sl: SystemLake) -> None:
    rows = [
        {"event_id": "a", "prediction": 1, "features": {"sex": "F"}, "sensitive": {"sex": "F"}},
        {"event_id": "b", "prediction": 1, "features": {"sex": "M"}, "sensitive": {"sex": "F"}},
    ]
    result = send(sl, rows)
    assert result.stored == 1 and result.rejected[0].row == 2
    assert sl.source().columns["sensitive"] == ["sex"]


def test_bad_column_names(sl: SystemLake) -> None:
    for name in ("label", "has space", "x" * 65):
        with pytest.raises(ValidationFailed):
            send(sl, [{"event_id": "a", "prediction": 1, "features": {name: 1}}])
    send(sl, [{"event_id": "a", "prediction": 1, "features": {"Income": 1, "나이": 30}}])
    with pytest.raises(ValidationFailed) as err:
        send(sl, [{"event_id": "b", "prediction": 1, "features": {"income": 1}}])
    assert "Income" in err.value.issues[0].message


def test_label_batches_are_validated(sl: SystemLake) -> None:
    result = ingest_labels(
        sl,
        decode(
            orjson.dumps(
                [
                    {"event_id": "a", "label": 1},
                    {"event_id": None, "label": 1},
                    {"event_id": "c", "label": "maybe"},
                ]
            ),
            "application/json",
        ),
    )
    assert result.stored == 1 and [e.row for e in result.rejected] == [2, 3]
    with pytest.raises(ValidationFailed):
        decode(
            orjson.dumps([{"event_id": "a", "label": 1, "score": 1}]),
            "application/json",
            labels=True,
        )


json_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(-5, 5), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "prediction": json_value,
                "score": json_value,
                "label": json_value,
                "timestamp": json_value,
            }
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_json_rows_are_stored_or_rejected_never_crash(tmp_path: Path, rows: list[dict]) -> None:
    sl = Lake(tmp_path / "h").system("acme", uuid.uuid4().hex)
    for i, row in enumerate(rows):
        row["event_id"] = f"r{i}"
    try:
        result = send(sl, rows)
    except ValidationFailed as err:  # nothing usable: nothing stored
        assert sl.event_count() == 0 and err.issues
        return
    rejected = {e.row for e in result.rejected}
    assert result.stored + len(rejected) == len(rows)
    assert sl.event_count() == result.stored


tricky_text = st.text(alphabet=st.sampled_from(["a", "}", "{", ",", '"', "\\", "\n", "한", " "]), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(st.integers(0, 1), st.floats(-1e6, 1e6), tricky_text), min_size=1, max_size=15))
def test_fast_and_exact_json_paths_store_the_same(tmp_path: Path, values: list[tuple[int, float, str]]) -> None:
    """Compact arrays go through Arrow's reader, pretty ones row by row: same result."""
    import json

    rows = [
        {"event_id": f"r{i}", "timestamp": "2026-03-02T10:00:00Z", "prediction": p, "features": {"x": x, "note": text}}
        for i, (p, x, text) in enumerate(values)
    ]
    stored = []
    for body in (
        json.dumps(rows).encode(),
        json.dumps(rows, indent=2).encode(),
        b"\n".join(json.dumps(r).encode() for r in rows),
    ):
        sl = Lake(tmp_path / uuid.uuid4().hex).system("acme", "s")
        media = "application/x-ndjson" if body.startswith(b"{") else "application/json"
        ingest_events(sl, decode(body, media))
        table = sl.source().arrow().sort_by("event_id").drop_columns(["ingested_at"])
        stored.append(table.to_pylist())
    assert stored[0] == stored[1] == stored[2]
    assert [r["note"] for r in stored[0]] == [r["features"]["note"] for r in sorted(rows, key=lambda r: r["event_id"])]


def test_a_column_seen_only_as_null_does_not_fix_its_type(sl: SystemLake) -> None:
    send(sl, [{"event_id": "a", "prediction": 1, "features": {"note": None}}])
    assert sl.registry().role_of("note") is None
    assert send(sl, [{"event_id": "b", "prediction": 1, "features": {"note": "late text"}}]).stored == 1
    assert sl.registry().role_of("note") == "categorical"
    rows = {r["event_id"]: r["note"] for r in sl.source().arrow().to_pylist()}
    assert rows == {"a": None, "b": "late text"}
