"""``haechi monitor import`` and ``haechi monitor lake`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

CARD = "id: hiring-screener\nname: Screener\n"
CSV = """id,ts,y_pred,y_true,proba,sex,income,region
a1,2026-03-02T09:00:00Z,1,1,0.9,F,52.5,seoul
a2,2026-03-02T10:00:00Z,0,,0.2,M,41.0,busan
a3,2026-03-03T11:00:00Z,1,0,0.7,F,,seoul
"""
MAP = [
    "--map",
    "event_id=id",
    "--map",
    "timestamp=ts",
    "--map",
    "prediction=y_pred",
    "--map",
    "label=y_true",
    "--map",
    "score=proba",
    "--sensitive",
    "sex",
]


@pytest.fixture
def ws(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = tmp_path / "card.yaml"
    card.write_text(CARD)
    assert cli("systems", "add", str(card)).code == 0
    return cli


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_import_with_mapping_is_idempotent(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, "log.csv", CSV)
    result = ws("monitor", "import", "hiring-screener", path, *MAP, "--format", "json")
    assert result.code == 0, result
    report = result.json()["files"][0]
    assert (report["rows"], report["stored"], report["duplicates"]) == (3, 3, 0)
    assert len(report["sha256"]) == 64
    again = ws("monitor", "import", "hiring-screener", path, *MAP, "--format", "json").json()["files"][0]
    assert (again["stored"], again["duplicates"]) == (0, 3)
    schema = ws("monitor", "lake", "schema", "hiring-screener", "--format", "json").json()
    assert schema["columns"]["income"]["role"] == "numeric"
    assert schema["columns"]["region"]["role"] == "categorical"
    assert schema["columns"]["sex"]["role"] == "sensitive"
    stats = ws("monitor", "lake", "stats", "hiring-screener", "--format", "json").json()
    assert (stats["events"], stats["days"]) == (3, 2)


def test_parquet_and_jsonl_imports(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = pa.table(
        {
            "event_id": ["p1", "p2"],
            "timestamp": ["2026-03-02T00:00:00Z"] * 2,
            "prediction": [1.0, 0.0],
            "sensitive.sex": ["F", "M"],
            "f0": [0.1, 0.2],
        }
    )
    pq.write_table(table, tmp_path / "log.parquet")
    lines = b"\n".join(orjson.dumps({"event_id": f"j{i}", "prediction": 1, "features": {"f0": i}}) for i in range(4))
    (tmp_path / "log.jsonl").write_bytes(lines)
    result = ws(
        "monitor",
        "import",
        "hiring-screener",
        str(tmp_path / "log.parquet"),
        str(tmp_path / "log.jsonl"),
        "--format",
        "json",
    )
    assert result.code == 0, result
    assert [f["stored"] for f in result.json()["files"]] == [2, 4]


def test_bad_rows_reject_the_whole_file_and_name_the_line(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = CSV.replace("a2,2026-03-02T10:00:00Z,0,,0.2", "a2,2026-03-02T10:00:00Z,zero,,0.2")
    result = ws("monitor", "import", "hiring-screener", _file(tmp_path, "bad.csv", bad), *MAP)
    assert result.code == 2
    assert "bad.csv:3" in result.err and "prediction" in result.err and "nothing from this file" in result.err
    assert "Traceback" not in result.err
    stats = ws("monitor", "lake", "stats", "hiring-screener", "--format", "json").json()
    assert stats["events"] == 0


def test_csv_with_broken_quoting_names_the_line(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = CSV.replace("a2,2026-03-02T10:00:00Z,0,,0.2,M", 'a2,2026-03-02T10:00:00Z,0,,0.2,"M')
    result = ws("monitor", "import", "hiring-screener", _file(tmp_path, "q.csv", broken), *MAP)
    assert result.code == 2
    assert "line 3" in result.err and "quot" in result.err


def test_one_bad_file_does_not_stop_the_good_one(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _file(tmp_path, "good.csv", CSV)
    bad = _file(tmp_path, "bad.jsonl", '{"prediction": 1}\n{"prediction": \n')
    result = ws("monitor", "import", "hiring-screener", bad, good, *MAP, "--format", "json")
    assert result.code == 2
    files = result.json()["files"]
    assert "line 2" in files[0]["error"] and files[1]["stored"] == 3


def test_user_errors(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert ws("monitor", "import", "nope", _file(tmp_path, "l.csv", CSV), *MAP).code == 2
    assert ws("monitor", "import", "hiring-screener", str(tmp_path / "missing.csv")).code == 2
    assert ws("monitor", "import", "hiring-screener", _file(tmp_path, "l.txt", "x")).code == 2
    result = ws("monitor", "import", "hiring-screener", _file(tmp_path, "l2.csv", CSV), "--map", "pred")
    assert result.code == 2 and "ROLE=COLUMN" in result.err


def test_labels_file_and_retention_commands(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws("monitor", "import", "hiring-screener", _file(tmp_path, "log.csv", CSV), *MAP)
    labels = _file(tmp_path, "labels.csv", "id,truth\na2,1\n")
    result = ws(
        "monitor",
        "import",
        "hiring-screener",
        labels,
        "--labels",
        "--map",
        "event_id=id",
        "--map",
        "label=truth",
        "--format",
        "json",
    )
    assert result.code == 0, result
    assert result.json()["files"][0]["stored"] == 1
    shown = ws("monitor", "lake", "retention", "hiring-screener", "--format", "json").json()
    assert shown["explicit"] is False
    refused = ws("monitor", "lake", "retention", "hiring-screener", "--days", "30")
    assert refused.code == 2 and "reason" in refused.err
    ok = ws("monitor", "lake", "retention", "hiring-screener", "--days", "400", "--reason", "pilot", "--format", "json")
    assert ok.json()["days"] == 400
    purge = ws("monitor", "lake", "purge", "hiring-screener", "--format", "json")
    assert purge.code == 0 and purge.json()["deleted_days"]["events"] == []  # all within 400 days
    assert ws("monitor", "lake", "compact", "hiring-screener", "--format", "json").code == 0
    audit = ws("monitor", "lake", "duplicates", "hiring-screener", "--format", "json")
    assert audit.code == 0 and audit.json()["duplicate_ids"] == 0


def test_parquet_with_bad_values_names_the_rows(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = pa.table({"event_id": ["p1", "p2", "p3"], "prediction": ["1", "maybe", "0"], "score": [0.2, 0.4, 7.0]})
    pq.write_table(table, tmp_path / "bad.parquet")
    result = ws("monitor", "import", "hiring-screener", str(tmp_path / "bad.parquet"), "--format", "json")
    assert result.code == 2
    errors = result.json()["files"][0]["errors"]
    assert [(e["location"], e["message"].split(",")[0]) for e in errors] == [
        ("row 2: prediction", "expected a number"),
        ("row 3: score", "must be a probability between 0 and 1 (apply a sigmoid to logits)"),
    ]


def test_a_tiny_parquet_file_declaring_millions_of_rows_is_refused_before_reading(  # type: ignore[no-untyped-def]
    ws, tmp_path: Path
) -> None:
    from haechi.domain.limits import MAX_PARQUET_ROWS

    rows = MAX_PARQUET_ROWS + 1
    table = pa.table({"event_id": pa.array(["e"]).take(pa.array([0] * rows)), "prediction": pa.nulls(rows, pa.int64())})
    pq.write_table(table, tmp_path / "bomb.parquet", compression="zstd")
    assert (tmp_path / "bomb.parquet").stat().st_size < 256 * 1024
    result = ws("monitor", "import", "hiring-screener", str(tmp_path / "bomb.parquet"))
    assert result.code == 2, result
    assert "bomb.parquet" in result.err and "rows" in result.err and "split" in result.err
    assert "Traceback" not in result.err
