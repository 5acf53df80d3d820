"""``/api/v1/esg`` through FastAPI's TestClient: JSON twins of the service, the error shape."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from esg_data import line_csv

from haechi.domain.card import SystemCard


@pytest.fixture
def esg_api(api):  # type: ignore[no-untyped-def]
    actor = api.hc.local_actor("acme")
    api.hc.systems.add(
        actor,
        SystemCard.model_validate(
            {
                "id": "press-defect-vision",
                "name": "Vision",
                "lifecycle_stage": "quality_control",
                "deployed_at": "2026-04-01",
            }
        ),
    )
    return api


def test_energy_instrument_and_report(esg_api) -> None:  # type: ignore[no-untyped-def]
    r = esg_api.post(
        "/api/v1/esg/energy",
        json={
            "system": "press-defect-vision",
            "activity": "training",
            "kwh": 1000,
            "start": "2026-03-01",
            "end": "2026-03-31",
            "country": "KR",
            "pue": 1.2,
        },
    )
    assert r.status_code == 201 and r.json()["facility_kwh"] == pytest.approx(1200)
    est = esg_api.post(
        "/api/v1/esg/energy",
        json={
            "system": "press-defect-vision",
            "activity": "inference",
            "start": "2026-04-01",
            "end": "2026-04-30",
            "country": "KR",
            "devices": [{"kind": "gpu", "tdp_w": 250, "count": 2, "utilisation": 0.4}],
            "hours": 100,
        },
    )
    assert est.json()["method"] == "estimated" and est.json()["kwh"] == pytest.approx(20)
    assert (
        esg_api.post(
            "/api/v1/esg/instruments",
            json={
                "id": "ppa-1",
                "kind": "ppa",
                "country": "KR",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "mwh": 0.5,
            },
        ).status_code
        == 201
    )
    report = esg_api.get("/api/v1/esg/report", params={"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert report["emissions_market_tco2e"] == pytest.approx((1.22 - 0.5) * 0.4173)
    assert esg_api.get("/api/v1/esg/energy").json()["total"] == 2
    pdf = esg_api.get(
        "/api/v1/esg/report",
        params={"from": "2026-01-01", "to": "2026-12-31", "format": "xlsx", "lang": "ko"},
    )
    assert pdf.status_code == 200 and pdf.content[:2] == b"PK"
    html = esg_api.get("/api/v1/esg/report", params={"from": "2026-01-01", "to": "2026-12-31", "format": "html"})
    assert "Scope 2, location-based" in html.text


def test_errors_use_the_error_shape(esg_api) -> None:  # type: ignore[no-untyped-def]
    r = esg_api.post(
        "/api/v1/esg/energy",
        json={
            "system": "press-defect-vision",
            "activity": "training",
            "kwh": 1,
            "start": "2026-03-01",
            "end": "2026-03-31",
            "country": "ZZ",
        },
    )
    body = r.json()
    assert r.status_code == 422 and body["ok"] is False and "unknown country 'ZZ'" in body["error"]["message"]
    assert body["error"]["errors"][0]["fix"]
    missing = esg_api.get("/api/v1/esg/kpi", params={"site": "nowhere"})
    assert missing.status_code == 404
    viewer = esg_api.post(
        "/api/v1/esg/social",
        headers={"Authorization": f"Bearer {esg_api.tokens['viewer']}"},
        json={"indicator": "complaints", "value": 1, "start": "2026-01-01", "end": "2026-01-31"},
    )
    assert viewer.status_code == 403


def test_periods_upload_csv_and_parquet_then_effect(esg_api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert esg_api.put("/api/v1/esg/sites/changwon", json={"country": "KR", "name_ko": "창원"}).status_code == 200
    csv = line_csv(tmp_path / "p.csv", dt.date(2026, 1, 1), 120, dt.date(2026, 4, 1), scrap_after=0.02)
    r = esg_api.post(
        "/api/v1/esg/sites/changwon/lines/press-2/periods",
        content=csv.read_bytes(),
        headers={"Content-Type": "text/csv"},
    )
    assert r.status_code == 201 and r.json()["rows"] == 120
    table = pa.table(
        {
            "period_start": ["2026-06-01"],
            "period_end": ["2026-06-01"],
            "planned_busy_time_h": [8.0],
            "actual_production_time_h": [9.0],
            "produced_qty": [10.0],
            "good_qty": [10.0],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    bad = esg_api.post(
        "/api/v1/esg/sites/changwon/lines/cnc-1/periods",
        content=buffer.getvalue(),
        headers={"Content-Type": "application/vnd.apache.parquet"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["errors"][0]["location"] == "row 1, column actual_production_time_h"
    assert (
        esg_api.put(
            "/api/v1/esg/links",
            json={"system": "press-defect-vision", "site": "changwon", "line": "press-2"},
        ).status_code
        == 200
    )
    fx = esg_api.get(
        "/api/v1/esg/systems/press-defect-vision/effect",
        params={"kpi": "scrap_rate", "resamples": 1000},
    ).json()
    assert fx["links"][0]["effects"][0]["verdict"] == "improved"
    kpi = esg_api.get("/api/v1/esg/kpi", params={"site": "changwon", "line": "press-2", "by_month": True}).json()
    assert len(kpi["months"]) == 4
