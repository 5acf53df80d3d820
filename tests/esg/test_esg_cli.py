"""``haechi esg …`` as a user runs it: JSON contract, every format, bad input → exit 2."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from esg_data import line_csv

CARD = """\
id: press-defect-vision
name: Press defect vision
lifecycle_stage: quality_control
deployed_at: 2026-04-01
"""


@pytest.fixture
def ws(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "hanbit", "--name", "Hanbit").code == 0
    card = tmp_path / "card.yaml"
    card.write_text(CARD)
    assert cli("systems", "add", str(card)).code == 0
    return cli


def test_record_json_contract(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ws(
        "esg",
        "record",
        "press-defect-vision",
        "--activity",
        "training",
        "--kwh",
        "1250.5",
        "--start",
        "2026-03-01",
        "--end",
        "2026-03-31",
        "--country",
        "KR",
        "--pue",
        "1.3",
        "--format",
        "json",
    )
    assert result.code == 0, result
    data = result.json()
    assert data["method"] == "metered" and data["factor"] == 0.4173 and data["factor_year"] == 2023
    assert data["factor_source"] == "kr-mcee-2025"
    assert data["emissions_location_tco2e"] == pytest.approx(1.62565 * 0.4173)
    est = ws(
        "esg",
        "record",
        "press-defect-vision",
        "--activity",
        "inference",
        "--device",
        "gpu:300:2:0.5",
        "--hours",
        "10",
        "--start",
        "2026-03-01",
        "--end",
        "2026-03-31",
        "--country",
        "KR",
        "-f",
        "json",
    )
    assert est.json()["method"] == "estimated" and est.json()["kwh"] == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XX"], "unknown country 'XX'"),
        (["--country", "KR", "--start", "2026-02-30"], "is not a date"),
        (["--country", "KR", "--activity", "mining"], "unknown activity"),
    ],
)
def test_bad_record_exits_2(ws, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    base = {"--activity": "training", "--kwh": "1", "--start": "2026-03-01", "--end": "2026-03-02"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [x for kv in base.items() for x in kv]
    result = ws("esg", "record", "press-defect-vision", *flat)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_production_kpi_effect_and_reports(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = line_csv(tmp_path / "press.csv", dt.date(2026, 1, 1), 180, dt.date(2026, 4, 1), scrap_after=0.025)
    imported = ws(
        "esg",
        "import-production",
        str(path),
        "--site",
        "changwon",
        "--line",
        "press-2",
        "--country",
        "KR",
        "-f",
        "json",
    )
    assert imported.code == 0 and imported.json()["rows"] == 180
    again = ws("esg", "import-production", str(path), "--site", "changwon", "--line", "press-2")
    assert again.code == 2 and "overlap" in again.err
    kpi = ws(
        "esg",
        "kpi",
        "--site",
        "changwon",
        "--line",
        "press-2",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--format",
        "json",
    ).json()
    assert kpi["n_periods"] == 31 and set(kpi) >= {
        "availability",
        "performance",
        "quality",
        "oee",
        "scrap_rate",
        "first_pass_yield",
        "energy_per_good_unit_kwh",
        "unplanned_downtime_h",
        "mtbf_h",
        "mttr_h",
        "trir",
        "ltifr",
    }
    assert ws("esg", "link", "press-defect-vision", "--site", "changwon", "--line", "press-2").code == 0
    fx = ws(
        "esg",
        "effect",
        "press-defect-vision",
        "--kpi",
        "scrap_rate",
        "--resamples",
        "2000",
        "-f",
        "json",
    )
    effect = fx.json()["links"][0]["effects"][0]
    assert effect["verdict"] == "improved" and effect["ci_low"] <= -0.015 <= effect["ci_high"]
    table = ws("esg", "effect", "press-defect-vision", "--kpi", "scrap_rate", "--resamples", "500")
    assert "not causal proof" in table.err
    ws(
        "esg",
        "record",
        "press-defect-vision",
        "--activity",
        "inference",
        "--kwh",
        "100",
        "--start",
        "2026-04-01",
        "--end",
        "2026-04-30",
        "--country",
        "KR",
        "--inferences",
        "20000",
    )
    report = ws("esg", "report", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "json").json()
    assert report["by_system"][0]["per_1000_inferences"]["facility_kwh"] == pytest.approx(5.0)
    assert report["effects"] and report["factors"][0]["id"] == "kr-mcee-2023"
    html = tmp_path / "r.html"
    assert (
        ws(
            "esg",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "-f",
            "html",
            "--lang",
            "ko",
            "-o",
            str(html),
        ).code
        == 0
    )
    assert "범위 2, 지역 기준" in html.read_text() and "인과관계의 증거가 아닙니다" in html.read_text()
    xlsx = tmp_path / "r.xlsx"
    assert (
        ws(
            "esg",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "-f",
            "xlsx",
            "-o",
            str(xlsx),
        ).code
        == 0
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert {"summary", "by_system", "records", "kpis", "effects", "social", "factors"} <= set(book.sheetnames)
    records = list(book["records"].values)
    assert records[0][10] == "factor_id" and records[1][10] == "kr-mcee-2023"


@pytest.mark.slow
def test_pdf_report_in_korean(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws(
        "esg",
        "record",
        "press-defect-vision",
        "--activity",
        "training",
        "--kwh",
        "500",
        "--start",
        "2026-03-01",
        "--end",
        "2026-03-31",
        "--country",
        "KR",
    )
    pdf = tmp_path / "r.pdf"
    result = ws(
        "esg",
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "-f",
        "pdf",
        "--lang",
        "ko",
        "-o",
        str(pdf),
    )
    assert result.code == 0, result
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    assert "ESG 보고서" in text and "mcee-2023" in flat and "0.4173" in text and "범위 2, 시장 기준" in text


@pytest.mark.parametrize(("option", "value"), [("--kwh", "inf"), ("--pue", "nan"), ("--kwh", "1e999")])
def test_non_finite_numbers_exit_2_and_leave_totals_intact(ws, option: str, value: str) -> None:  # type: ignore[no-untyped-def]
    base = ["esg", "record", "press-defect-vision", "--activity", "training", "--start", "2026-03-01",
            "--end", "2026-03-31", "--country", "KR"]
    assert ws(*base, "--kwh", "100", "--format", "json").code == 0
    args = {"--kwh": "100", "--pue": "1.2", option: value}
    result = ws(*base, *[x for pair in args.items() for x in pair])
    assert result.code == 2, result
    assert "finite" in result.err and "Traceback" not in result.err
    listed = ws("esg", "records", "--format", "json").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert len(items) == 1 and items[0]["kwh"] == 100
