"""Demo step: twelve months of press-line, CNC, utilities and safety records at the
Changwon site, the AI systems' own training and inference energy, a renewable
instrument and social indicators.

Generated from fixed seeds. The four industrial AI systems are deployed mid-year (dates
on their cards); each changes its line by a known amount (below), so the effect pages
have a true answer to recover. Weekends have no production rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from haechi.esg.energy import Device

if TYPE_CHECKING:
    from haechi.core import Haechi

    from .build import DemoContext

SITE, COUNTRY = "changwon", "KR"
COLUMNS = [
    "period_start",
    "period_end",
    "planned_busy_time_h",
    "actual_production_time_h",
    "ideal_cycle_time_s",
    "produced_qty",
    "good_qty",
    "scrap_qty",
    "first_pass_good_qty",
    "energy_kwh",
    "unplanned_downtime_h",
    "failures",
    "repair_time_h",
    "hours_worked",
    "recordable_injuries",
    "lost_time_injuries",
    "material_kg",
    "waste_kg",
]
# The injected changes (what the effect pages should find).
PRESS_SCRAP = (0.032, 0.019)  # press-defect-vision, from its deployed_at
CNC_FAILURES = (0.30, 0.14)  # cnc-spindle-pm: failures per day
AIR_KWH = (4200.0, 3700.0)  # compressed-air-optimizer: kWh per day
INJURY_RATE = (0.030, 0.012)  # ppe-safety-camera: recordable injuries per 1,000 h


def _deploy(hc: Haechi, ctx: DemoContext, system: str) -> dt.date:
    deployed = hc.systems.get(ctx.actor, system).card.deployed_at
    assert deployed is not None, f"demo card {system} needs deployed_at"
    return deployed


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if (start + dt.timedelta(days=i)).weekday() < 5
    ]


def _season(day: dt.date) -> float:
    """A mild yearly cycle (peak in August): compressors and cooling work harder in summer."""
    return float(np.cos((day.timetuple().tm_yday - 220) / 365 * 2 * np.pi))


def _press_rows(days: list[dt.date], vision: dt.date, camera: dt.date, rng: np.random.Generator) -> list[list[object]]:
    rows = []
    for day in days:
        apt = round(float(rng.uniform(12.8, 14.6)), 2)
        produced = int(apt * 3600 / 3.0 * rng.uniform(0.80, 0.90))
        scrap = int(rng.binomial(produced, PRESS_SCRAP[day >= vision]))
        good = produced - scrap
        hours = 40 * 16.0
        injuries = int(rng.poisson(INJURY_RATE[day >= camera] * hours / 1000))
        rows.append(
            [
                day,
                day,
                16,
                apt,
                3.0,
                produced,
                good,
                scrap,
                good - int(rng.integers(20, 80)),
                round(produced * 0.62 + float(rng.normal(0, 150)), 1),
                round(16 - apt - 0.8, 2),
                0,
                0.0,
                hours,
                injuries,
                int(injuries and rng.random() < 0.4),
                round(produced * 1.85, 1),
                round(scrap * 1.85 + float(rng.uniform(40, 90)), 1),
            ]
        )
    return rows


def _cnc_rows(days: list[dt.date], pm: dt.date, camera: dt.date, rng: np.random.Generator) -> list[list[object]]:
    rows = []
    for day in days:
        failures = int(rng.poisson(CNC_FAILURES[day >= pm]))
        repair = round(failures * float(rng.uniform(1.8, 3.0)), 2)
        apt = round(max(15.5 - repair - float(rng.uniform(0.2, 0.8)), 8.0), 2)
        produced = int(apt * 3600 / 180 * rng.uniform(0.86, 0.94))
        scrap = int(rng.binomial(produced, 0.012))
        hours = 12 * 16.0
        injuries = int(rng.poisson(INJURY_RATE[day >= camera] * hours / 1000))
        rows.append(
            [
                day,
                day,
                16,
                apt,
                180,
                produced,
                produced - scrap,
                scrap,
                produced - scrap - int(rng.integers(0, 3)),
                round(apt * 95 + float(rng.normal(0, 40)), 1),
                repair,
                failures,
                repair,
                hours,
                injuries,
                0,
                round(produced * 4.2, 1),
                round(scrap * 4.2 + 12, 1),
            ]
        )
    return rows


def _utility_rows(
    days: list[dt.date], air: dt.date, plant_output: dict[dt.date, int], rng: np.random.Generator
) -> list[list[object]]:
    rows = []
    for day in days:
        energy = AIR_KWH[day >= air] * (1 + 0.06 * _season(day)) + float(rng.normal(0, 90))
        units = plant_output[day]
        rows.append(
            [
                day,
                day,
                24,
                24,
                None,
                units,
                units,
                None,
                None,
                round(energy, 1),
                0.0,
                0,
                0.0,
                None,
                None,
                None,
                None,
                None,
            ]
        )
    return rows


def _write(path: Path, rows: list[list[object]]) -> Path:
    lines = [",".join(COLUMNS)]
    lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _codecarbon(path: Path, runs: list[tuple[str, dt.datetime, float, float]]) -> Path:
    lines = ["timestamp,project_name,run_id,duration,emissions,energy_consumed,country_iso_code,pue,gpu_model"]
    for run_id, end, hours, kwh in runs:
        lines.append(
            f"{end:%Y-%m-%dT%H:%M:%S},demo,{run_id},{hours * 3600:.0f},{kwh * 0.43:.3f},{kwh * 1.4:.3f},"
            "KOR,1.4,NVIDIA L40S"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def populate(hc: Haechi, ctx: DemoContext) -> None:
    """Add the ESG records of Hanbit Precision."""
    actor, rng = ctx.actor, np.random.default_rng(20260122)
    end = min(ctx.today - dt.timedelta(days=1), dt.date(2026, 11, 30))
    start = end - dt.timedelta(days=364)
    folder = hc.home / "demo-data" / "esg"
    folder.mkdir(parents=True, exist_ok=True)
    deploy = {
        s: _deploy(hc, ctx, s)
        for s in ("press-defect-vision", "cnc-spindle-pm", "compressed-air-optimizer", "ppe-safety-camera")
    }
    days = _days(start, end)
    press = _press_rows(days, deploy["press-defect-vision"], deploy["ppe-safety-camera"], rng)
    cnc = _cnc_rows(days, deploy["cnc-spindle-pm"], deploy["ppe-safety-camera"], rng)
    # Plant output (good press parts + good CNC parts) per day: the utilities line's denominator.
    output: dict[dt.date, int] = {
        day: int(str(p[6])) + int(str(c[6])) for day, p, c in zip(days, press, cnc, strict=True)
    }
    hc.esg.set_site(actor, SITE, country=COUNTRY, name="Changwon plant", name_ko="창원 공장")
    for line, rows in (
        ("press-2", press),
        ("cnc-1", cnc),
        ("utilities", _utility_rows(days, deploy["compressed-air-optimizer"], output, rng)),
    ):
        hc.esg.import_production(actor, _write(folder / f"{line}.csv", rows), site=SITE, line=line)
    _links(hc, ctx)
    _ai_energy(hc, ctx, start, end, deploy, folder)
    _social(hc, ctx, start, end)


def _links(hc: Haechi, ctx: DemoContext) -> None:
    hc.esg.link(ctx.actor, "press-defect-vision", site=SITE, line="press-2")
    hc.esg.link(ctx.actor, "cnc-spindle-pm", site=SITE, line="cnc-1")
    hc.esg.link(
        ctx.actor,
        "compressed-air-optimizer",
        site=SITE,
        line="utilities",
        kpis=["energy_kwh", "energy_per_good_unit_kwh"],
    )
    for line in ("press-2", "cnc-1"):
        hc.esg.link(ctx.actor, "ppe-safety-camera", site=SITE, line=line)


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    out, cursor = [], start.replace(day=1)
    while cursor <= end:
        nxt = (cursor + dt.timedelta(days=32)).replace(day=1)
        out.append((max(cursor, start), min(nxt - dt.timedelta(days=1), end)))
        cursor = nxt
    return out


def _ai_energy(
    hc: Haechi, ctx: DemoContext, start: dt.date, end: dt.date, deploy: dict[str, dt.date], folder: Path
) -> None:
    actor = ctx.actor
    runs = [(f"vision-r{i}", dt.datetime(2026, 4, 6 + i * 7, 18), 30.0, 110.0 + 15 * i) for i in range(4)]
    hc.esg.import_codecarbon(
        actor, "press-defect-vision", _codecarbon(folder / "vision-emissions.csv", runs), activity="training"
    )
    ppe_runs = [(f"ppe-r{i}", dt.datetime(2026, 5, 4 + i * 5, 9), 20.0, 70.0) for i in range(3)]
    hc.esg.import_codecarbon(
        actor, "ppe-safety-camera", _codecarbon(folder / "ppe-emissions.csv", ppe_runs), activity="training"
    )
    for system, gpu, hours, when in (
        ("cnc-spindle-pm", 300, 40, dt.date(2026, 4, 20)),
        ("compressed-air-optimizer", 250, 24, dt.date(2026, 6, 10)),
    ):
        hc.esg.estimate_energy(
            actor,
            system,
            activity="training",
            devices=[Device("gpu", gpu, 1, 0.7)],
            hours=hours,
            start=when,
            end=when + dt.timedelta(days=2),
            country=COUNTRY,
            note="워크스테이션 학습 실행, 계량기 없음",
        )
    monthly = {
        "press-defect-vision": (55.0, 60_000),
        "cnc-spindle-pm": (14.0, 8_600),
        "compressed-air-optimizer": (9.0, 44_000),
        "ppe-safety-camera": (130.0, 2_600_000),
    }
    for system, (kwh, events) in monthly.items():
        for first, last in _months(deploy[system], end):
            share = ((last - first).days + 1) / 30
            hc.esg.record_energy(
                actor,
                system,
                activity="inference",
                kwh=round(kwh * share, 2),
                start=first,
                end=last,
                country=COUNTRY,
                method="metered",
                inference_count=int(events * share),
                note="엣지 장치 계량기",
            )
    for first, last in _months(dt.date(2026, 3, 2), end):
        hc.esg.record_energy(
            actor,
            "support-chatbot",
            activity="inference",
            kwh=880.0,
            start=first,
            end=last,
            country=COUNTRY,
            pue=1.2,
            inference_count=310_000,
            note="클라우드 청구서의 에너지 보고",
        )
    hc.esg.add_instrument(
        actor,
        "green-premium-2026",
        kind="green_premium",
        country=COUNTRY,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        mwh=4.0,
        note="녹색프리미엄 2026 (데모)",
    )
    _ = start


def _social(hc: Haechi, ctx: DemoContext, start: dt.date, end: dt.date) -> None:
    actor, half = ctx.actor, dt.date(2026, 5, 31)
    record = hc.esg.record_social
    record(
        actor,
        "workers_affected",
        value=52,
        start=start,
        end=end,
        system="press-defect-vision",
        note="2라인 검사원과 프레스 작업자",
    )
    record(actor, "workers_retrained", value=38, start=start, end=end, system="press-defect-vision")
    record(actor, "workers_retrained", value=11, start=start, end=end, system="cnc-spindle-pm")
    record(actor, "near_misses", value=17, start=start, end=half, note="보호구 카메라 도입 전")
    record(actor, "near_misses", value=9, start=half + dt.timedelta(days=1), end=end, note="보호구 카메라 도입 후")
    record(
        actor,
        "complaints",
        value=4,
        start=start,
        end=end,
        system="ppe-safety-camera",
        note="노사협의회: 카메라 설치 위치와 영상 보관 기간",
    )
    record(actor, "human_review_requests", value=23, start=start, end=end, system="hiring-screener")
    record(actor, "notice_languages", items=["한국어", "영어"], start=start, end=end, system="support-chatbot")
    record(actor, "notice_accessibility_share", value=0.8, start=start, end=end)
    record(
        actor,
        "vulnerable_groups_considered",
        items=["고령 지원자", "장애인"],
        start=start,
        end=end,
        system="hiring-screener",
    )
    record(
        actor,
        "incidents",
        value=1,
        start=start,
        end=end,
        system="ppe-safety-camera",
        note="카메라 2일간 작동 중지, 수동 점검으로 대체",
    )
