"""An organisation with real records, shared by the report and passport tests.

``org`` registers three demo systems, runs a real monitor over a generated prediction
log (DuckDB over Parquet), records ESG energy and opens an incident, so documents have
every section filled from the real services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.demo.company import demo_card
from haechi.monitor.spec import load_spec

SYSTEMS = ("hiring-screener", "support-chatbot", "press-defect-vision")
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SPEC = """system: hiring-screener
log: {log}
columns:
  event_id: event_id
  timestamp: ts
  prediction: y_pred
  label: y_true
  score: score
  sensitive: [sex]
  numeric: [f0]
task: binary_classification
reference: {{start: 2026-03-01, end: 2026-03-04}}
window: 1d
thresholds:
  demographic_parity_difference: {{max: 0.05}}
  recall: {{min: 0.5}}
"""


@dataclass
class Org:
    hc: Haechi
    actor: Actor
    tmp: Path


def prediction_log(path: Path, n: int = 4000, days: int = 8, seed: int = 7) -> Path:
    """Screening decisions with a real gap between groups after day 4 (so an alert fires)."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, days, n)
    sex = rng.choice(["F", "M"], n)
    f0 = rng.normal(np.where(day >= 4, 0.5, 0.0), 1.0)
    score = 1 / (1 + np.exp(-(f0 + np.where((sex == "F") & (day >= 4), -0.8, 0.0))))
    y_pred = (score > 0.5).astype(int)
    y_true = (rng.random(n) < 1 / (1 + np.exp(-f0))).astype(int)
    frame = pd.DataFrame({"event_id": [f"e{i}" for i in range(n)],
                          "ts": [START + dt.timedelta(days=int(d), seconds=int(s))
                                 for d, s in zip(day, rng.integers(0, 86400, n), strict=True)],
                          "y_pred": y_pred, "y_true": y_true, "score": score, "sex": sex, "f0": f0})
    frame.sort_values("ts").to_parquet(path, index=False)
    return path


def populate(hc: Haechi, actor: Actor, tmp: Path) -> None:
    for slug in SYSTEMS:
        hc.systems.add(actor, demo_card(slug))
    log = prediction_log(tmp / "screening.parquet")
    spec = tmp / "monitor.yaml"
    spec.write_text(SPEC.format(log=log.name))
    hc.monitor.run(actor, load_spec(spec))
    hc.esg.record_energy(actor, "hiring-screener", activity="training", kwh=1250.5, start=dt.date(2026, 2, 1),
                         end=dt.date(2026, 2, 28), country="KR", method="metered")
    hc.esg.record_energy(actor, "hiring-screener", activity="inference", kwh=310.0, start=dt.date(2026, 3, 1),
                         end=dt.date(2026, 3, 31), country="KR", method="estimated")
    hc.compliance.incidents.open(actor, title="Complaint about a rejected application", system="hiring-screener",
                                 severity="high", source="complaint", description="지원자 민원: 불합리한 탈락")


@pytest.fixture
def org(hc: Haechi, tmp_path: Path) -> Org:
    hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    actor = hc.local_actor("hanbit")
    populate(hc, actor, tmp_path)
    return Org(hc, actor, tmp_path)
