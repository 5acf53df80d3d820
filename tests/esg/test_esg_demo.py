"""The demo ESG step builds and its injected effects are found (or honestly not claimed)."""

from __future__ import annotations

import datetime as dt

import pytest
from esg_data import build_esg_demo

from haechi import Haechi
from haechi.demo import esg as demo_esg


@pytest.fixture(scope="module")
def demo() -> Haechi:
    hc = Haechi(memory=True)
    build_esg_demo(hc, dt.date(2026, 11, 26))
    yield hc
    hc.close()


def test_twelve_months_of_three_lines(demo: Haechi) -> None:
    actor = demo.local_actor("hanbit")
    sites = demo.esg.sites(actor)
    assert sites[0]["id"] == "changwon" and sites[0]["lines"] == ["cnc-1", "press-2", "utilities"]
    kpi = demo.esg.kpi(actor, site="changwon", line="press-2", by_month=True)
    assert kpi["n_periods"] > 250 and len(kpi["months"]) == 13  # 365 days straddle 13 calendar months


def test_effects_recover_the_injected_changes(demo: Haechi) -> None:
    actor = demo.local_actor("hanbit")
    vision = demo.esg.effect(actor, "press-defect-vision", kpi="scrap_rate", resamples=2000)["links"][0]
    scrap = vision["effects"][0]
    truth = demo_esg.PRESS_SCRAP[1] - demo_esg.PRESS_SCRAP[0]
    assert scrap["ci_low"] <= truth <= scrap["ci_high"] and scrap["verdict"] == "improved"
    cnc = demo.esg.effect(actor, "cnc-spindle-pm", kpi="mttr_h", resamples=2000)["links"][0]["effects"][0]
    assert cnc["verdict"] == "no_clear_change"  # repair time per failure was not changed
    air = demo.esg.effect(actor, "compressed-air-optimizer", kpi="energy_kwh", resamples=2000)["links"][0]
    assert air["effects"][0]["verdict"] == "improved"
    assert any("different months" in note for note in air["context"]["notes"])
    assert air["net"]["net_energy_kwh"] < air["net"]["avoided_energy_kwh"]


def test_demo_report(demo: Haechi) -> None:
    actor = demo.local_actor("hanbit")
    report = demo.esg.report(actor, dt.date(2025, 12, 1), dt.date(2026, 11, 25))
    systems = {s["system"] for s in report["by_system"]}
    assert {
        "press-defect-vision",
        "cnc-spindle-pm",
        "compressed-air-optimizer",
        "ppe-safety-camera",
        "support-chatbot",
    } <= systems
    assert report["emissions_market_tco2e"] < report["emissions_location_tco2e"]
    assert {"codecarbon", "estimated", "metered"} <= set(report["methods"])
    assert len(report["social"]) >= 8 and report["effects"]
