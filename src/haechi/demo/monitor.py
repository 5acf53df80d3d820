"""Demo step: months of predictions in the log lake for three systems, monitored, with real alerts.

* ``hiring-screener`` — six months of résumé screening; in the last four weeks the
  model's cut-off drifts against women (an injected bias), so demographic parity and
  equalized odds alerts fire and reach compliance through the ``AlertsRaised`` event.
* ``press-defect-vision`` — four months of defect detection on press line 2; three
  weeks before today the camera lighting changes (images darker, less contrast), the
  brightness features drift and recall falls.
* ``cnc-spindle-pm`` — four months of remaining-useful-life predictions (regression)
  for the CNC spindles; a new spindle model raises vibration in the last weeks.

The generative systems (the support chatbot and the marketing image generator) follow in
:mod:`.monitor_generative`.

Events go through the lake's own ingestion (``hc.lake.ingest_table``), exactly as the
SDK or the HTTP endpoint would store them; the monitors read the lake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from haechi.monitor.spec import parse_spec_text

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.core import Haechi
    from haechi.demo.build import DemoContext

SPECS = {
    "hiring-screener": """
system: hiring-screener
reference: {{start: {ref_start}, end: {ref_end}}}
window: 7d
schedule: 1d
thresholds:
  demographic_parity_difference: {{max: 0.10}}
  equalized_odds_difference: {{max: 0.15}}
  recall: {{min: 0.55}}
  psi: {{max: 0.25}}
  missing_share: {{max: 0.30}}
""",
    "press-defect-vision": """
system: press-defect-vision
reference: {{start: {ref_start}, end: {ref_end}}}
window: 1d
schedule: 1h
thresholds:
  recall: {{min: 0.70}}
  psi: {{max: 0.20, scope: [brightness, contrast]}}
  ks: {{max: 0.20}}
""",
    "cnc-spindle-pm": """
system: cnc-spindle-pm
task: regression
reference: {{start: {ref_start}, end: {ref_end}}}
window: 7d
schedule: 1d
thresholds:
  mae: {{max: 60}}
  psi: {{max: 0.20}}
""",
}


DayMaker = Callable[[np.random.Generator, int, int, int], dict[str, list]]
"""``(rng, day, days, n)`` → one day's event columns; ``days`` lets a generator place its drift."""


def _hiring_day(rng: np.random.Generator, day: int, days: int, n: int) -> dict[str, list]:
    biased = day >= days - 28
    sex = rng.choice(["F", "M"], n, p=[0.47, 0.53])
    age = rng.choice(["20s", "30s", "40s", "50+"], n, p=[0.35, 0.35, 0.2, 0.1])
    years = rng.gamma(2.5, 2.2, n)
    test = np.clip(rng.normal(68, 12, n), 0, 100).round()
    skill = 0.25 * years + 0.05 * (test - 68) - 1.3
    qualified = rng.random(n) < 1 / (1 + np.exp(-skill))
    score = 1 / (1 + np.exp(-(skill + rng.normal(0, 0.7, n))))
    cut = np.where(biased & (sex == "F"), 0.62, 0.5)
    label = np.where(rng.random(n) < 0.2, np.nan, qualified.astype(float))
    return {"prediction": (score > cut).astype(float).tolist(), "score": score.round(4).tolist(),
            "label": label.tolist(), "sensitive.sex": sex.tolist(), "sensitive.age_band": age.tolist(),
            "features.years_experience": years.round(1).tolist(), "features.test_score": test.tolist(),
            "features.channel": rng.choice(["web", "referral", "agency"], n, p=[0.6, 0.25, 0.15]).tolist()}


def _vision_day(rng: np.random.Generator, day: int, days: int, n: int) -> dict[str, list]:
    dark = day >= days - 21
    defect = rng.random(n) < 0.06
    brightness = rng.normal(0.58 if not dark else 0.41, 0.05, n)
    contrast = rng.normal(0.32 if not dark else 0.22, 0.04, n)
    edges = rng.normal(0.2, 0.05, n) + defect * 0.2
    # darker images hide the edges the model looks for: the score of a defect falls
    signal = 9 * (edges - 0.3) - (1.6 if dark else 0.0) * defect
    score = 1 / (1 + np.exp(-(signal + rng.normal(0, 0.6, n))))
    label = np.where(rng.random(n) < 0.1, np.nan, defect.astype(float))
    return {"prediction": (score > 0.5).astype(float).tolist(), "score": score.round(4).tolist(),
            "label": label.tolist(),
            "features.brightness": brightness.round(4).tolist(), "features.contrast": contrast.round(4).tolist(),
            "features.edge_density": edges.round(4).tolist(),
            "features.shift": rng.choice(["day", "swing", "night"], n).tolist()}


def _spindle_day(rng: np.random.Generator, day: int, days: int, n: int) -> dict[str, list]:
    worn = day >= days - 30
    vibration = rng.gamma(4, 0.5 if not worn else 0.65, n)
    temperature = rng.normal(48 if not worn else 53, 4, n)
    life = np.clip(900 - 120 * vibration - 6 * (temperature - 48) + rng.normal(0, 40, n), 0, None)
    predicted = np.clip(900 - 110 * vibration - 5 * (temperature - 48) + rng.normal(0, 45, n), 0, None)
    label = np.where(rng.random(n) < 0.5, np.nan, life.round(1))
    return {"prediction": predicted.round(1).tolist(), "label": label.tolist(),
            "features.vibration_rms": vibration.round(3).tolist(),
            "features.temperature_c": temperature.round(1).tolist(),
            "features.machine": rng.choice(["cnc-1a", "cnc-1b", "cnc-1c"], n).tolist()}


# each system's day generator, its days of history and its events a day
GENERATORS: dict[str, tuple[DayMaker, int, int]] = {
    "hiring-screener": (_hiring_day, 180, 240), "press-defect-vision": (_vision_day, 120, 360),
    "cnc-spindle-pm": (_spindle_day, 120, 60)}


def _events(system: str, make: DayMaker, days: int, per_day: int, today: dt.date,
            seed: int) -> tuple[pa.Table, dt.date]:
    """``days`` of about ``per_day`` events up to ``today``, each day's at random seconds."""
    rng = np.random.default_rng(seed)
    start = today - dt.timedelta(days=days)
    columns: dict[str, list] = {"event_id": [], "timestamp": []}
    for day in range(days):
        n = int(per_day * rng.uniform(0.8, 1.2))
        base = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(0), tzinfo=dt.UTC)
        columns["event_id"] += [f"{system[:3]}-{day}-{i}" for i in range(n)]
        columns["timestamp"] += [base + dt.timedelta(seconds=int(s)) for s in np.sort(rng.integers(0, 86_400, n))]
        for key, values in make(rng, day, days, n).items():
            columns.setdefault(key, []).extend(values)
    return pa.table(columns), start


def log_and_monitor(hc: Haechi, ctx: DemoContext, specs: dict[str, str],
                    generators: dict[str, tuple[DayMaker, int, int]], seed: int) -> None:
    """Log each system's events into the lake, run the monitor its spec describes (the first
    four weeks are the reference) and note how many alerts it raised."""
    engineer = ctx.user("ml@hanbit.example")
    for offset, system in enumerate(specs):
        make, days, per_day = generators[system]
        table, start = _events(system, make, days, per_day, ctx.today, seed + offset)
        hc.lake.ingest_table(engineer, system, table)
        ref_end = start + dt.timedelta(days=28)
        spec = parse_spec_text(specs[system].format(ref_start=start.isoformat(), ref_end=ref_end.isoformat()),
                               f"{system}-monitor.yaml")
        out = hc.monitor.run(engineer, spec)
        ctx.notes.setdefault("monitor_alerts", {})[system] = len(out["alerts"])


def populate(hc: Haechi, ctx: DemoContext) -> None:
    """Log the three systems' predictions into the lake, save their monitors, run them."""
    log_and_monitor(hc, ctx, SPECS, GENERATORS, seed=4200)
    _triage_camera(hc, ctx.user("ml@hanbit.example"))
    from .monitor_generative import populate as generative

    generative(hc, ctx)


def _triage_camera(hc: Haechi, engineer: Actor) -> None:
    """The engineer acknowledges the camera's brightness drift as the cause of its recall
    problem, naming the incident the recall breach opened."""
    problems = hc.monitor.problems.list(engineer, system="press-defect-vision", status="open")["items"]
    recall = next((p for p in problems if p["metric"] == "recall" and p["incident"]), None)
    drift = next((p for p in problems if p["metric"] == "psi" and p["scope"] == "brightness"), None)
    if recall and drift:
        note = f"라인 2 조명 교체 뒤 이미지가 어두워짐: 재현율 하락({recall['incident']})의 원인으로 보고 함께 조사"
        hc.monitor.problems.acknowledge(engineer, drift["id"], note)
