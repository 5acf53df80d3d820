"""``hc.esg`` on real SQLite and PostgreSQL: records, imports, links, effects, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from esg_data import line_csv

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from haechi.esg.energy import Device
from haechi.esg.factors import FactorNotFound
from haechi.ledger.chain import verify_chain

D = dt.date


@pytest.fixture
def admin(db_hc: Haechi) -> Actor:
    db_hc.accounts.create_org("hanbit", "Hanbit Precision", "한빛정밀")
    actor = db_hc.local_actor("hanbit")
    db_hc.systems.add(
        actor,
        SystemCard.model_validate(
            {
                "id": "press-defect-vision",
                "name": "Defect vision",
                "lifecycle_stage": "quality_control",
                "deployed_at": "2026-06-01",
            }
        ),
    )
    db_hc.systems.add(
        actor,
        SystemCard.model_validate(
            {
                "id": "compressed-air-optimizer",
                "name": "Air optimiser",
                "lifecycle_stage": "process_optimisation",
                "deployed_at": "2026-06-01",
            }
        ),
    )
    return actor


def test_energy_record_with_pue_and_factor_provenance(db_hc: Haechi, admin: Actor) -> None:
    rec = db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="training",
        kwh=1250.5,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        country="KR",
        pue=1.3,
    )
    assert rec["method"] == "metered" and rec["facility_kwh"] == pytest.approx(1625.65)
    assert rec["emissions_location_tco2e"] == pytest.approx(1.62565 * 0.4173)
    assert (rec["factor"], rec["factor_year"], rec["factor_source"]) == (
        0.4173,
        2023,
        "kr-mcee-2025",
    )
    no_pue = db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="inference",
        kwh=10,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        country="KR",
    )
    assert no_pue["pue"] == 1.0 and no_pue["pue_assumed"] and "PUE not given" in no_pue["data_quality"]


def test_bad_energy_input_is_refused_and_nothing_stored(db_hc: Haechi, admin: Actor) -> None:
    with pytest.raises(FactorNotFound, match="unknown country 'XX'"):
        db_hc.esg.record_energy(
            admin,
            "press-defect-vision",
            activity="training",
            kwh=1,
            start=D(2026, 3, 1),
            end=D(2026, 3, 2),
            country="XX",
        )
    with pytest.raises(ValidationFailed, match="unknown activity"):
        db_hc.esg.record_energy(
            admin,
            "press-defect-vision",
            activity="mining",
            kwh=1,
            start=D(2026, 3, 1),
            end=D(2026, 3, 2),
            country="KR",
        )
    with pytest.raises(ValidationFailed, match=r"PUE 0\.9"):
        db_hc.esg.record_energy(
            admin,
            "press-defect-vision",
            activity="training",
            kwh=1,
            start=D(2026, 3, 1),
            end=D(2026, 3, 2),
            country="KR",
            pue=0.9,
        )
    with pytest.raises(NotFound):
        db_hc.esg.record_energy(
            admin,
            "nope",
            activity="training",
            kwh=1,
            start=D(2026, 3, 1),
            end=D(2026, 3, 2),
            country="KR",
        )
    assert db_hc.esg.energy_records(admin) == []
    flagged = db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="training",
        kwh=1,
        start=D(2026, 3, 1),
        end=D(2026, 3, 2),
        country="XX",
        factor_fallback="world",
    )
    assert flagged["factor_fallback"] == "world" and "fallback" in flagged["data_quality"]


def test_estimate_and_codecarbon_import(db_hc: Haechi, admin: Actor, tmp_path: Path) -> None:
    est = db_hc.esg.estimate_energy(
        admin,
        "press-defect-vision",
        activity="training",
        devices=[Device("gpu", 400, 4, 0.5)],
        hours=100,
        start=D(2026, 2, 1),
        end=D(2026, 2, 5),
        country="KR",
    )
    assert est["method"] == "estimated" and est["kwh"] == pytest.approx(80.0)
    csv = tmp_path / "emissions.csv"
    csv.write_text(
        "timestamp,run_id,duration,emissions,energy_consumed,country_iso_code,pue\n"
        "2026-03-10T12:00:00,r1,3600,1.2,3.9,KOR,1.3\n2026-03-11T12:00:00,r2,3600,0.4,1.0,KOR,\n"
    )
    first = db_hc.esg.import_codecarbon(admin, "press-defect-vision", csv)
    again = db_hc.esg.import_codecarbon(admin, "press-defect-vision", csv)
    assert first["imported"] == 2 and again == {**again, "imported": 0, "skipped_duplicates": 2}
    runs = [r for r in db_hc.esg.energy_records(admin) if r["method"] == "codecarbon"]
    assert runs[0]["kwh"] == pytest.approx(3.0) and runs[0]["facility_kwh"] == pytest.approx(3.9)


def test_production_import_all_or_nothing_and_overlaps(db_hc: Haechi, admin: Actor, tmp_path: Path) -> None:
    path = line_csv(tmp_path / "press.csv", D(2026, 1, 1), 30, D(2026, 6, 1))
    result = db_hc.esg.import_production(admin, path, site="changwon", line="press-2", country="KR")
    assert result["rows"] == 30 and result["replaced"] == 0
    with pytest.raises(Conflict, match="overlap data already stored"):
        db_hc.esg.import_production(admin, path, site="changwon", line="press-2")
    again = db_hc.esg.import_production(admin, path, site="changwon", line="press-2", replace=True)
    assert again["replaced"] == 30
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text().replace(",16,", ",-16,", 1) + "2026-03-01,2026-03-01,16,14,40,1,1\n")
    with pytest.raises(ValidationFailed):
        db_hc.esg.import_production(admin, bad, site="changwon", line="cnc-1")
    assert db_hc.esg.kpi(admin, site="changwon", line="cnc-1")["n_periods"] == 0
    kpi = db_hc.esg.kpi(admin, site="changwon", line="press-2", frm=D(2026, 1, 1), to=D(2026, 1, 10))
    assert kpi["n_periods"] == 10 and 0 < kpi["oee"] < 1


def test_effect_and_net_effect_recovered(db_hc: Haechi, admin: Actor, tmp_path: Path) -> None:
    press = line_csv(
        tmp_path / "press.csv",
        D(2026, 1, 1),
        300,
        D(2026, 6, 1),
        scrap_before=0.05,
        scrap_after=0.03,
    )
    air = line_csv(
        tmp_path / "air.csv",
        D(2026, 1, 1),
        300,
        D(2026, 6, 1),
        seed=2,
        energy_before=5000,
        energy_after=4600,
    )
    db_hc.esg.import_production(admin, press, site="changwon", line="press-2", country="KR")
    db_hc.esg.import_production(admin, air, site="changwon", line="utilities")
    db_hc.esg.link(admin, "press-defect-vision", site="changwon", line="press-2")
    link = db_hc.esg.link(admin, "compressed-air-optimizer", site="changwon", line="utilities", kpis=["energy_kwh"])
    assert link["kpis"] == ["energy_kwh"] and link["deployed_at"] == "2026-06-01"
    vision = db_hc.esg.effect(admin, "press-defect-vision")["links"][0]
    assert vision["kpis_from"] == "lifecycle_stage:quality_control"
    scrap = next(e for e in vision["effects"] if e["kpi"] == "scrap_rate")
    assert scrap["ci_low"] <= -0.02 <= scrap["ci_high"] and scrap["verdict"] == "improved"
    assert scrap["n_before"] == 151 and scrap["n_after"] == 149
    controlled = db_hc.esg.effect(
        admin, "press-defect-vision", kpi="scrap_rate", control_line="utilities", resamples=1000
    )["links"][0]["effects"][0]
    assert controlled["control"]["n_before"] == 151 and controlled["adjusted"]["verdict"] in (
        "improved",
        "insufficient_data",
    )
    with pytest.raises(ValidationFailed, match="control line must be another line"):
        db_hc.esg.effect(admin, "press-defect-vision", control_line="press-2")
    db_hc.esg.record_energy(
        admin,
        "compressed-air-optimizer",
        activity="inference",
        kwh=500,
        start=D(2026, 6, 1),
        end=D(2026, 10, 27),
        country="KR",
        pue=1.2,
    )
    air_fx = db_hc.esg.effect(admin, "compressed-air-optimizer")["links"][0]
    energy = air_fx["effects"][0]
    assert energy["ci_low"] <= -400 <= energy["ci_high"]
    net = air_fx["net"]
    assert net["avoided_energy_kwh"] == pytest.approx(-energy["difference"] * 149)
    assert net["ai_energy_kwh"] == pytest.approx(600.0)
    assert net["net_energy_kwh"] == pytest.approx(net["avoided_energy_kwh"] - 600.0)
    assert net["avoided_emissions_tco2e"] == pytest.approx(net["avoided_energy_kwh"] / 1000 * 0.4173)


def test_report_keys_provenance_market_and_social(db_hc: Haechi, admin: Actor, tmp_path: Path) -> None:
    db_hc.esg.import_production(
        admin,
        line_csv(tmp_path / "p.csv", D(2026, 1, 1), 200, D(2026, 4, 1), scrap_after=0.02),
        site="changwon",
        line="press-2",
        country="KR",
    )
    db_hc.esg.link(admin, "press-defect-vision", site="changwon", line="press-2", deployed_at=D(2026, 4, 1))
    db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="training",
        kwh=10_000,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        country="KR",
        pue=1.5,
    )
    db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="inference",
        kwh=2_000,
        start=D(2026, 4, 1),
        end=D(2026, 4, 30),
        country="KR",
        inference_count=400_000,
    )
    db_hc.esg.add_instrument(
        admin,
        "rec-2026",
        kind="rec",
        country="KR",
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
        mwh=5.0,
    )
    db_hc.esg.record_social(admin, "workers_retrained", value=12, start=D(2026, 1, 1), end=D(2026, 6, 30))
    db_hc.esg.record_social(
        admin,
        "notice_languages",
        items=["ko", "en"],
        start=D(2026, 1, 1),
        end=D(2026, 6, 30),
        system="press-defect-vision",
    )
    report = db_hc.esg.report(admin, D(2026, 1, 1), D(2026, 6, 30))
    for key in (
        "energy_kwh",
        "facility_energy_kwh",
        "emissions_location_tco2e",
        "emissions_market_tco2e",
        "by_system",
        "kpis",
        "effects",
        "social",
        "factors",
    ):
        assert key in report
    assert report["facility_energy_kwh"] == pytest.approx(17_000)
    assert report["emissions_location_tco2e"] == pytest.approx(17 * 0.4173)
    assert report["emissions_market_tco2e"] == pytest.approx(12 * 0.4173)  # 5 MWh covered by the REC at 0
    system = report["by_system"][0]
    assert system["per_1000_inferences"]["facility_kwh"] == pytest.approx(5.0)
    factor = report["factors"][0]
    assert report["records"][0]["factor_id"] == factor["id"] == "kr-mcee-2023"
    assert factor["year"] == 2023 and factor["source"] == "kr-mcee-2025" and factor["source_url"]
    assert any(e["kpi"] == "scrap_rate" and e["verdict"] == "improved" for e in report["effects"])
    assert {s["indicator"] for s in report["social"]} == {"workers_retrained", "notice_languages"}
    assert report["frameworks"]["energy_kwh"][0]["ref"] == "302-1"
    later = db_hc.esg.report(admin, D(2027, 1, 1), D(2027, 12, 31))
    assert later["frameworks"]["energy_kwh"][0]["ref"].startswith("103")


def test_tenancy_roles_and_ledger(db_hc: Haechi, admin: Actor) -> None:
    db_hc.esg.record_social(admin, "complaints", value=3, start=D(2026, 1, 1), end=D(2026, 1, 31))
    db_hc.accounts.create_org("globex", "Globex")
    other = db_hc.local_actor("globex")
    assert db_hc.esg.social(other) == []
    with pytest.raises(NotFound):
        db_hc.esg.record_energy(
            other,
            "press-defect-vision",
            activity="training",
            kwh=1,
            start=D(2026, 1, 1),
            end=D(2026, 1, 2),
            country="KR",
        )
    viewer = Actor(admin.org_id, admin.org_slug, "viewer", "viewer@x")
    with pytest.raises(PermissionDenied):
        db_hc.esg.record_social(viewer, "complaints", value=1, start=D(2026, 1, 1), end=D(2026, 1, 2))
    with pytest.raises(ValidationFailed, match="share between 0 and 1"):
        db_hc.esg.record_social(admin, "notice_accessibility_share", value=1.5, start=D(2026, 1, 1), end=D(2026, 1, 2))
    with db_hc.db.reader() as s:
        assert verify_chain(s, admin.org_id).ok


def test_per_1000_inferences_from_the_monitoring_lake(db_hc: Haechi, admin: Actor) -> None:
    import pyarrow as pa

    start = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    stamps = [start + dt.timedelta(minutes=90 * i) for i in range(700)]  # 16 a day from 1 April
    events = pa.table(
        {"event_id": [f"e{i}" for i in range(700)], "timestamp": stamps, "prediction": [i % 2 for i in range(700)]}
    )
    assert db_hc.lake.ingest_table(admin, "press-defect-vision", events).stored == 700
    db_hc.esg.record_energy(
        admin,
        "press-defect-vision",
        activity="inference",
        kwh=8.0,
        start=D(2026, 4, 1),
        end=D(2026, 4, 10),
        country="KR",
    )
    report = db_hc.esg.report(admin, D(2026, 1, 1), D(2026, 6, 30))
    per = report["by_system"][0]["per_1000_inferences"]
    assert per["events_source"] == "monitoring" and per["events"] == 160  # 10 days × 16
    assert per["events_window"] == ["2026-04-01", "2026-04-10"]
    assert per["facility_kwh"] == pytest.approx(8.0 / 160 * 1000)


def test_a_link_without_deployment_date_does_not_hide_the_others(db_hc: Haechi, admin: Actor, tmp_path: Path) -> None:
    db_hc.systems.add(
        admin,
        SystemCard.model_validate({"id": "cnc-spindle-pm", "name": "PM", "lifecycle_stage": "predictive_maintenance"}),
    )
    path = line_csv(tmp_path / "cnc.csv", D(2026, 1, 1), 60, D(2026, 2, 1))
    db_hc.esg.import_production(admin, path, site="changwon", line="cnc-1", country="KR")
    db_hc.esg.import_production(admin, path, site="changwon", line="cnc-2")
    db_hc.esg.link(admin, "cnc-spindle-pm", site="changwon", line="cnc-1", deployed_at=D(2026, 2, 1))
    db_hc.esg.link(admin, "cnc-spindle-pm", site="changwon", line="cnc-2")
    result = db_hc.esg.effect(admin, "cnc-spindle-pm", resamples=300)
    by_line = {x["line"]: x for x in result["links"]}
    assert by_line["cnc-1"]["effects"] and "no deployment date" in by_line["cnc-2"]["error"]
    with pytest.raises(ValidationFailed, match="no deployment date"):
        db_hc.esg.effect(admin, "cnc-spindle-pm", line="cnc-2")
