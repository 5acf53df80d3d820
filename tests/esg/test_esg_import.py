"""Production and CodeCarbon imports: real CSV and Parquet files, every bad-input case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haechi.domain.errors import ValidationFailed
from haechi.esg.codecarbon import country_alpha2, parse_codecarbon
from haechi.esg.production import parse_production
from haechi.esg.tabular import read_table

HEADER = (
    "period_start,period_end,planned_busy_time_h,actual_production_time_h,ideal_cycle_time_s,"
    "produced_qty,good_qty,scrap_qty,first_pass_good_qty,energy_kwh,unplanned_downtime_h,failures,"
    "repair_time_h,hours_worked,recordable_injuries,lost_time_injuries"
)
ROW1 = "2026-03-01,2026-03-01,8,7,30,700,665,35,650,350,0.5,1,0.5,80,0,0"
ROW2 = "2026-03-02,2026-03-02,8,6,30,600,588,12,580,310,1.5,2,1.2,80,1,1"


def write(tmp_path: Path, text: str, name: str = "line.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(path: Path):  # type: ignore[no-untyped-def]
    return parse_production(read_table(path))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        parse(path)
    return [issue.render() for issue in info.value.issues]


def test_good_csv(tmp_path: Path) -> None:
    result = parse(write(tmp_path, f"{HEADER}\n{ROW1}\n{ROW2}\n"))
    assert len(result.periods) == 2 and result.rows == [2, 3]
    first = result.periods[0]
    assert first.period_start == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert first.period_end == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # a date-only end includes the day
    assert first.energy_kwh == 350 and first.failures == 1


def test_parquet_gives_the_same_periods(tmp_path: Path) -> None:
    csv_result = parse(write(tmp_path, f"{HEADER}\n{ROW1}\n{ROW2}\n"))
    columns = HEADER.split(",")
    rows = [r.split(",") for r in (ROW1, ROW2)]
    data = {c: [dt.date.fromisoformat(r[i]) if i < 2 else float(r[i]) for r in rows] for i, c in enumerate(columns)}
    path = tmp_path / "line.parquet"
    pq.write_table(pa.table(data), path)
    assert parse(path).periods == csv_result.periods


def test_units_in_column_names_are_converted(tmp_path: Path) -> None:
    header = HEADER.replace("energy_kwh", "energy_mwh").replace("ideal_cycle_time_s", "ideal_cycle_time_min")
    row = ROW1.replace(",30,", ",0.5,").replace(",350,", ",0.35,")
    result = parse(write(tmp_path, f"{header},waste_t,shift_name\n{row},0.04,A\n"))
    assert result.periods[0].energy_kwh == pytest.approx(350)
    assert result.periods[0].ideal_cycle_time_s == pytest.approx(30)
    assert result.periods[0].waste_kg == pytest.approx(40)
    assert result.conversions["energy_mwh"].startswith("energy_kwh")
    assert result.ignored_columns == ["shift_name"]


def test_missing_required_column(tmp_path: Path) -> None:
    header = HEADER.replace("good_qty,", "")
    row = ROW1.replace(",665,", ",", 1)
    errors = errors_of(write(tmp_path, f"{header}\n{row}\n"))
    assert any("good_qty: required column is missing" in e for e in errors)


def test_unknown_unit_and_typo(tmp_path: Path) -> None:
    errors = errors_of(write(tmp_path, f"{HEADER.replace('energy_kwh', 'energy_btu')},hours_workd\n{ROW1},1\n"))
    assert any("energy_btu: unknown unit 'btu'" in e and "kwh" in e for e in errors)
    assert any("hours_workd: unknown column" in e and "hours_worked" in e for e in errors)
    assert any("no unit" in e for e in errors_of(write(tmp_path, f"{HEADER},energy\n{ROW1},1\n", "b.csv")))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (ROW1.replace(",350,", ",-350,"), "line.csv:2 column energy_kwh: negative value -350"),
        (
            ROW1.replace(",8,7,", ",8,9,"),
            "column actual_production_time_h: actual production time 9 h exceeds",
        ),
        (
            ROW1.replace(",700,665,", ",700,705,"),
            "column good_qty: more good units (705) than produced (700)",
        ),
        (
            ROW1.replace(",35,650,", ",40,650,"),
            "column scrap_qty: good (665) + scrap (40) exceed produced",
        ),
        (ROW1.replace(",30,", ",40,"), "performance over 100%"),
        (ROW1.replace("2026-03-01,8", "2026-03-01,30"), "30 h planned in a 24 h period"),
        (ROW1.replace(",700,", ",abc,"), "column produced_qty: 'abc' is not a number"),
        (ROW1.replace(",700,", ",700.5,"), "not a whole number"),
        (
            ROW1.replace("2026-03-01,", "2026-13-01,", 1),
            "column period_start: '2026-13-01' is not a date",
        ),
        (ROW1.replace(",0,0", ",0,1"), "more lost-time injuries than recordable"),
        (ROW1.replace(",8,7,", ",,7,"), "empty value in a required column"),
    ],
)
def test_impossible_values_name_line_and_column(tmp_path: Path, row: str, expected: str) -> None:
    errors = errors_of(write(tmp_path, f"{HEADER}\n{row}\n"))
    assert any(expected in e for e in errors), errors


def test_overlapping_periods(tmp_path: Path) -> None:
    shift = ROW2.replace("2026-03-02,2026-03-02", "2026-03-01T12:00,2026-03-01T20:00")
    errors = errors_of(write(tmp_path, f"{HEADER}\n{ROW1}\n{shift}\n"))
    assert any(":3 column period_start: period overlaps the one on line 2" in e for e in errors)


def test_every_problem_reported_in_one_pass(tmp_path: Path) -> None:
    bad1 = ROW1.replace(",350,", ",-1,")
    bad2 = ROW2.replace(",600,588,", ",600,601,")
    errors = errors_of(write(tmp_path, f"{HEADER}\n{bad1}\n{ROW2}\n{bad2.replace('03-02', '03-03')}\n"))
    assert len(errors) == 3 and ":2 " in errors[0] and all(":4 " in e for e in errors[1:])


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"unsupported file type '\.xlsx'"):
        read_table(write(tmp_path, "x", "a.xlsx"))
    with pytest.raises(ValidationFailed, match="cannot read the file"):
        read_table(tmp_path / "missing.csv")
    with pytest.raises(ValidationFailed, match="not a readable Parquet"):
        read_table(write(tmp_path, "not parquet", "a.parquet"))
    with pytest.raises(ValidationFailed, match="empty"):
        read_table(write(tmp_path, "", "e.csv"))
    (tmp_path / "latin.csv").write_bytes("période\n\xe9".encode("latin-1"))
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        read_table(tmp_path / "latin.csv")
    assert "no data rows" in " ".join(errors_of(write(tmp_path, f"{HEADER}\n", "h.csv")))


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.text(max_size=8), min_size=16, max_size=16))
def test_garbage_rows_never_crash(tmp_path_factory: pytest.TempPathFactory, cells: list[str]) -> None:
    path = tmp_path_factory.mktemp("h") / "g.csv"
    path.write_text(HEADER + "\n" + ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    try:
        parse(path)
    except ValidationFailed as exc:
        assert exc.issues


CC_HEADER = (
    "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,gpu_power,"
    "ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,country_name,"
    "country_iso_code,region,cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,"
    "cpu_model,gpu_count,gpu_model,longitude,latitude,ram_total_size,tracking_mode,on_cloud,pue,wue"
)


def cc_row(run: str, ts: str, duration: float, energy: float, pue: float = 1.0, country: str = "KOR") -> str:
    return (
        f"{ts},vision,{run},exp,{duration},{energy * 0.43},0.001,50,300,10,1,2,0.5,{energy},0,"
        f"South Korea,{country},seoul,,,Linux,3.12,3.3.2,16,Intel Xeon,1,NVIDIA A100,127,37,64,"
        f"machine,N,{pue},0"
    )


def test_codecarbon_runs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\n".join(
            [
                CC_HEADER,
                cc_row("r1", "2026-03-10T12:00:00", 7200, 13.0, 1.3),
                cc_row("r2", "2026-03-11T01:00:00", 90000, 2.0),
            ]
        )
        + "\n",
        "emissions.csv",
    )
    runs = parse_codecarbon(read_table(path))
    assert runs[0].kwh == pytest.approx(10.0) and runs[0].pue == 1.3  # energy_consumed already includes PUE
    assert runs[0].country == "KR" and runs[0].start == runs[0].end == dt.date(2026, 3, 10)
    assert runs[1].start == dt.date(2026, 3, 10) and runs[1].end == dt.date(2026, 3, 11)
    assert runs[0].details["codecarbon_emissions_kg"] == pytest.approx(13 * 0.43)
    assert runs[0].details["gpu_model"] == "NVIDIA A100"
    assert runs[0].external_id == "r1@2026-03-10T12:00:00"


def test_codecarbon_bad_rows(tmp_path: Path) -> None:
    text = "\n".join(
        [
            CC_HEADER,
            cc_row("r1", "2026-03-10T12:00:00", 10, -1.0),
            cc_row("r2", "yesterday", 10, 1.0),
            cc_row("r3", "2026-03-10T12:00:00", 10, 1.0, 0.8),
            cc_row("r4", "2026-03-10T12:00:00", 10, 1.0, 1.0, "ZZZ"),
        ]
    )
    with pytest.raises(ValidationFailed) as info:
        parse_codecarbon(read_table(write(tmp_path, text, "emissions.csv")))
    rendered = "\n".join(i.render() for i in info.value.issues)
    assert ":2 column energy_consumed: negative value" in rendered
    assert ":3 column timestamp" in rendered
    assert ":4 column pue: PUE 0.8 is below 1" in rendered
    assert ":5 column country_iso_code: unknown country code 'ZZZ'" in rendered
    with pytest.raises(ValidationFailed, match="not a CodeCarbon emissions file"):
        parse_codecarbon(read_table(write(tmp_path, HEADER + "\n" + ROW1, "x.csv")))


def test_country_codes() -> None:
    assert country_alpha2("KOR") == "KR" and country_alpha2("kr") == "KR" and country_alpha2("ZZZ") is None


def test_semicolon_csv_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="semicolon-separated") as info:
        read_table(write(tmp_path, HEADER.replace(",", ";") + "\n" + ROW1.replace(",", ";") + "\n"))
    assert "comma-separated" in str(info.value.issues[0].fix)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.text(max_size=10), min_size=7, max_size=7))
def test_codecarbon_garbage_never_crashes(tmp_path_factory: pytest.TempPathFactory, cells: list[str]) -> None:
    path = tmp_path_factory.mktemp("cc") / "emissions.csv"
    header = "timestamp,run_id,duration,emissions,energy_consumed,country_iso_code,pue"
    path.write_text(header + "\n" + ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    try:
        runs = parse_codecarbon(read_table(path))
    except ValidationFailed as exc:
        assert exc.issues
    else:
        assert all(run.kwh >= 0 and run.pue >= 1 for run in runs)


def test_a_korean_excel_csv_is_read_in_cp949(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes("line,note\npress-2,야간 교대 생산\n".encode("cp949"))
    table = read_table(path)
    assert table.rows[0][1]["note"] == "야간 교대 생산"


def test_a_csv_with_more_rows_than_the_limit_is_refused(tmp_path: Path) -> None:
    from haechi.domain.errors import PayloadTooLarge
    from haechi.domain.limits import MAX_SHEET_ROWS

    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,2\n" * (MAX_SHEET_ROWS + 1), encoding="utf-8")
    with pytest.raises(PayloadTooLarge, match=r"big\.csv"):
        read_table(path)
