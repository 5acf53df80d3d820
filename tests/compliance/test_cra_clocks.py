"""Cyber Resilience Act Art. 14 clocks: 24 h and 72 h absolute hours from awareness (across a
daylight-saving change and a Korean holiday, never rolled), the final report 14 days after a fix
or one month after the notification, only for a CRA product from 2026-09-11; beside the AI Act
clock on the incident, in the draft report and in the reminders."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.compliance.deadlines import Clock, ClockSpec, hour_spec
from haechi.compliance.incident_clocks import (
    CRA_EARLY_WARNING_VULNERABILITY,
    CRA_FINAL_INCIDENT,
    cra_clocks,
    cra_reporting_applies,
    incident_clocks,
)
from haechi.domain.errors import ValidationFailed
from haechi.reminders import due as engine
from haechi.reminders.messages import local_day
from haechi.reminders.sources import collect

from .cards import HIRING, card
from .conftest import MovableClock

UTC = dt.UTC
BRUSSELS = ZoneInfo("Europe/Brussels")
SEOUL = ZoneInfo("Asia/Seoul")
CRA_PRODUCT = {"product_with_digital_elements": True, "product_class": "default", "support_period_years": 5}


def test_24_hours_across_the_end_of_summer_time_are_24_real_hours() -> None:
    # Brussels leaves summer time on 2026-10-25 at 03:00 CEST (01:00 UTC): 24 real hours
    # from 09:30 CEST end at 08:30 CET on the wall clock, not 09:30.
    aware = dt.datetime(2026, 10, 24, 9, 30, tzinfo=BRUSSELS)
    early, notification = cra_clocks("exploited_vulnerability", aware, "Europe/Brussels", {})
    assert early.due_at == dt.datetime(2026, 10, 25, 7, 30, tzinfo=UTC)
    assert early.to_dict(aware)["due_local"] == "2026-10-25T08:30:00+01:00"
    assert notification.due_at == dt.datetime(2026, 10, 27, 7, 30, tzinfo=UTC)
    assert early.due_date == dt.date(2026, 10, 25) and early.spec.unit == "hours"
    # and into summer time (2026-03-29, 02:00 CET -> 03:00 CEST): 24 h later reads an hour later
    spring = dt.datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)
    assert Clock(CRA_EARLY_WARNING_VULNERABILITY, spring, "Europe/Brussels").to_dict(spring)["due_local"] == \
        "2026-03-29T13:00:00+02:00"


def test_an_hour_clock_over_a_korean_holiday_is_not_rolled_over() -> None:
    # Chuseok 2026 falls on 24-26 September; a day clock ending on the 24th moves to the 28th
    # (the 27th is a Sunday), an hour clock ends at its hour, even when the clock is Korean.
    aware = dt.datetime(2026, 9, 23, 15, 0, tzinfo=SEOUL)
    kr_hours = hour_spec("kr.test", "KR", 24, "operator", "t", "t", "c")
    kr_day = ClockSpec("kr.day", "KR", 1, "operator", "t", "t", "c")
    assert Clock(kr_hours, aware, "Asia/Seoul").due_at == dt.datetime(2026, 9, 24, 6, 0, tzinfo=UTC)
    assert Clock(kr_hours, aware, "Asia/Seoul").due_date == dt.date(2026, 9, 24)
    assert Clock(kr_day, aware, "Asia/Seoul").due_date == dt.date(2026, 9, 28)
    early = cra_clocks("severe_incident", aware, "Asia/Seoul", {})[0]
    assert early.to_dict(aware)["due_local"] == "2026-09-24T15:00:00+09:00"


def test_the_final_reports() -> None:
    aware = dt.datetime(2027, 1, 28, 9, 0, tzinfo=SEOUL)
    # severe incident: one month after the notification filed on 31 January -> 28 February
    notified = dt.datetime(2027, 1, 31, 8, 0, tzinfo=SEOUL)
    clocks = cra_clocks("severe_incident", aware, "Asia/Seoul", {"cra.14.notification": notified})
    final = clocks[2]
    assert final.spec is CRA_FINAL_INCIDENT and final.due_date == dt.date(2027, 2, 28)
    assert final.due_at == dt.datetime(2027, 2, 28, 15, 0, tzinfo=UTC)  # midnight KST after 28 Feb
    assert clocks[1].state(notified) == "met"
    # no notification yet: no final clock
    assert len(cra_clocks("severe_incident", aware, "Asia/Seoul", {})) == 2
    # vulnerability: 14 days after the fix became available (1 Dec) -> last day 15 Dec
    fix = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
    final = cra_clocks("exploited_vulnerability", aware, "Asia/Seoul", {}, fix)[2]
    assert final.spec.days == 14 and final.due_date == dt.date(2026, 12, 15)
    assert final.to_dict(fix)["due_local"] == "2026-12-16T00:00:00+09:00"


def test_hour_clock_states_and_countdown() -> None:
    aware = dt.datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    early = Clock(CRA_EARLY_WARNING_VULNERABILITY, aware, "UTC")
    assert early.state(aware + dt.timedelta(hours=15, minutes=59)) == "running"
    assert early.state(aware + dt.timedelta(hours=16)) == "due_soon"  # the last third: 8 hours
    late = early.to_dict(aware + dt.timedelta(hours=25, minutes=30))
    assert late["state"] == "overdue" and late["countdown"] == "overdue by 1 hour 30 minutes"
    left = early.to_dict(aware + dt.timedelta(hours=19))
    assert left["countdown"] == "5 hours left" and left["countdown_ko"] == "5시간 남음"
    assert left["unit"] == "hours" and left["amount"] == 24 and "hours" in left["note"]


@pytest.mark.parametrize(("markets", "cra", "day", "applies"), [
    (["KR", "EU"], CRA_PRODUCT, dt.date(2026, 12, 6), True),
    (["KR", "DE"], CRA_PRODUCT, dt.date(2026, 9, 11), True),
    (["KR", "EU"], CRA_PRODUCT, dt.date(2026, 9, 10), False),  # Art. 14 applies from 2026-09-11
    (["KR"], CRA_PRODUCT, dt.date(2026, 12, 6), False),  # not on the EU market
    (["KR", "EU"], {"product_with_digital_elements": False}, dt.date(2026, 12, 6), False),
    (["KR", "EU"], None, dt.date(2026, 12, 6), False),  # the card does not say (the pack asks)
])
def test_the_cra_pack_decides_whether_the_clocks_run(markets: list[str], cra: dict[str, object] | None,
                                                      day: dt.date, applies: bool) -> None:
    # Art. 14 binds the manufacturer: the card's role is developer
    the_card = card(markets=markets, cra=cra, roles=["developer"]).model_dump(mode="json")
    assert cra_reporting_applies(the_card, "exploited_vulnerability", day) is applies
    assert cra_reporting_applies(the_card, "severe_incident", day) is applies
    aware = dt.datetime.combine(day, dt.time(12), tzinfo=SEOUL)
    clocks = incident_clocks({"cra": "severe_incident", "categories": [], "jurisdictions": ["EU"]}, aware,
                             "Asia/Seoul", [], the_card)
    assert [c.spec.key for c in clocks] == (["cra.14.early_warning", "cra.14.notification"] if applies else [])


@pytest.fixture
def camera(hc: Haechi, actor: Actor, clock: MovableClock) -> str:
    """A connected camera sold in the EU: a CRA product; the clock is 2026-12-06 09:00 KST."""
    clock.now = dt.datetime(2026, 12, 6, 0, 0, tzinfo=UTC)
    hc.systems.add(actor, card(id="safety-camera", name="Safety camera", cra=CRA_PRODUCT, roles=["developer"]))
    return "safety-camera"


def test_an_exploited_vulnerability_runs_cra_clocks_beside_art73(hc: Haechi, actor: Actor, camera: str,
                                                                  clock: MovableClock) -> None:
    svc = hc.compliance.incidents
    inc = svc.open(actor, title="Firmware flaw exploited", system=camera, cra="exploited_vulnerability",
                   categories=["serious_health_harm"], aware_at="2026-12-06T08:00+09:00")
    keys = [c["clock"] for c in inc["clocks"]]
    assert keys == ["eu.73.serious", "cra.14.early_warning", "cra.14.notification"] and inc["cra_clocks"]
    early = inc["clocks"][1]
    assert early["due_local"] == "2026-12-07T08:00:00+09:00" and early["countdown"] == "23 hours left"
    # without a clock named, a filing stops the clock due first: the early warning
    filed = svc.file_report(actor, "INC-1", reference="ENISA-1", filed_at="2026-12-06T20:00+09:00")
    states = {c["clock"]: c["state"] for c in filed["clocks"]}
    assert states == {"eu.73.serious": "running", "cra.14.early_warning": "met", "cra.14.notification": "running"}
    with pytest.raises(ValidationFailed, match="in the future"):
        svc.classify(actor, "INC-1", cra_fix_available_at="2027-01-01T00:00+09:00")
    fixed = svc.classify(actor, "INC-1", cra_fix_available_at="2026-12-06T08:30+09:00")
    line = fixed["timeline"][-1]
    assert line["text"].endswith("; Cyber Resilience Act: Actively exploited vulnerability in the product")
    assert line["text_ko"].endswith("심각도 보통; 사이버복원력법: 제품의 실제 악용되는 취약점")
    assert fixed["clocks"][-1]["clock"] == "cra.14.final" and fixed["clocks"][-1]["due_date"] == "2026-12-20"
    draft = svc.draft_report(actor, "INC-1", "eu", "ko")
    deadline = draft["sections"][10]["body"]
    assert "조기 경보" in deadline and "2026년 12월 7일 08:00 (KST)" in deadline and "기한 내 제출" in deadline
    assert "제품의 실제 악용되는 취약점" in draft["sections"][5]["body"]
    english = svc.draft_report(actor, "INC-1", "eu", "en")["sections"][10]["body"]
    assert "Art. 14(2)(b)" in english and "2026-12-09 08:00 KST" in english
    cleared = svc.classify(actor, "INC-1", cra="none")
    assert [c["clock"] for c in cleared["clocks"]] == ["eu.73.serious"]
    with pytest.raises(ValidationFailed, match="cra"):
        svc.classify(actor, "INC-1", cra="data_breach")


def test_a_classification_line_written_before_the_cra_still_reads() -> None:
    from haechi.compliance.messages import message, render

    older = message("incident.classified", categories=["death"], widespread=False, jurisdictions=["EU"],
                    severity="high")
    assert render(older, "ko") == "분류: 중대 사고 유형 사망; 광범위한 침해 아니오; 관할 EU; 심각도 높음"
    assert render(older, "en").endswith("severity High")


def test_no_cra_clocks_for_a_system_that_is_not_a_product(hc: Haechi, actor: Actor, clock: MovableClock) -> None:
    clock.now = dt.datetime(2026, 12, 6, 0, 0, tzinfo=UTC)
    hc.systems.add(actor, card(roles=["developer"], cra={"product_with_digital_elements": False}))
    inc = hc.compliance.incidents.open(actor, title="x", system="hiring-screener", cra="severe_incident")
    assert inc["clocks"] == [] and not inc["cra_clocks"] and inc["classification"]["cra"] == "severe_incident"


def test_severe_incident_final_report_follows_the_notification(hc: Haechi, actor: Actor, camera: str) -> None:
    svc = hc.compliance.incidents
    svc.open(actor, title="Cloud account takeover", system=camera, cra="severe_incident",
             aware_at="2026-12-05T23:00+09:00")
    data = svc.file_report(actor, "INC-1", clock="cra.14.notification", filed_at="2026-12-06T08:00+09:00")
    final = data["clocks"][-1]
    assert final["clock"] == "cra.14.final" and final["unit"] == "months" and final["due_date"] == "2027-01-06"


def test_reminders_carry_the_exact_hour(hc: Haechi, actor: Actor, camera: str) -> None:
    hc.compliance.incidents.open(actor, title="Firmware flaw exploited", system=camera,
                                 cra="exploited_vulnerability", aware_at="2026-12-06T08:00+09:00")
    now = dt.datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 10:00 KST, 22 hours before the early warning
    with hc.db.reader() as s:
        items = collect(s, actor.org_id, "Asia/Seoul", now)
    cra = sorted((i for i in items if i.extra.get("clock", "").startswith("cra.")), key=lambda i: i.due_at)
    assert [i.extra["clock"] for i in cra] == ["cra.14.early_warning", "cra.14.notification"]
    early = cra[0]
    assert early.due_at == dt.datetime(2026, 12, 6, 23, 0, tzinfo=UTC) and early.urgency(now) == "this_week"
    assert early in engine.due_within(items, now, 7)
    row = early.to_dict(now, "Asia/Seoul")
    assert row["due_local"] == "2026-12-07T08:00:00+09:00" and row["hours_left"] == 22.0
    assert local_day(early, "Asia/Seoul", "ko") == "2026-12-07 (월) 08:00"
    assert early.urgency(dt.datetime(2026, 12, 6, 23, 0, tzinfo=UTC)) == "overdue"
    assert set(early.whom) == {HIRING["owners"]["business"], HIRING["owners"]["technical"],
                               HIRING["owners"]["oversight"]["email"]}
