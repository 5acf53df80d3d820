"""Demo step (part of monitoring): the two generative systems monitored from their events.

* ``support-chatbot`` — twelve weeks of answers in Korean and English, logged the way
  ``Monitor.log_generative`` logs them (lengths, flags, hashed sessions, personal-data
  counts; no text). Five weeks before today a front-end release drops the text disclosure
  from answers in the app for a week, so label coverage falls below its threshold
  (negative evidence for the labelling control, KR Art. 31(2)); in the last three weeks a
  stricter safety prompt makes the model refuse English questions far more often than
  Korean ones, so the refusal gap between languages alerts and opens a fairness incident.
  The advance notice reaches nearly every session (positive evidence, Art. 31(1)).
* ``marketing-image-gen`` — twelve weeks of generated images; every image is signed with
  C2PA, a few lose the manifest on a social platform, and in one week realistic images
  were published with the discreet artistic badge only, so the deepfake-mark coverage
  (KR Art. 31(3)) alerts.

Both monitors take their required marks from the systems' verdicts (no ``required_marks``
in the specs), as every generative monitor on the server does.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np

from .monitor import DayMaker, log_and_monitor

if TYPE_CHECKING:
    from haechi.core import Haechi
    from haechi.demo.build import DemoContext

WEEKS = 12
SPECS = {
    "support-chatbot": """
system: support-chatbot
task: generative
generative: {{modality: text}}
reference: {{start: {ref_start}, end: {ref_end}}}
window: 7d
schedule: 1d
thresholds:
  label_coverage: {{min: 0.98}}
  notice_coverage: {{min: 0.95}}
  pii_leak_rate: {{max: 0.01}}
  refusal_rate_difference: {{max: 0.06}}
  latency_p95: {{max: 4000}}
  psi: {{max: 0.25}}
""",
    "marketing-image-gen": """
system: marketing-image-gen
task: generative
generative: {{modality: image}}
reference: {{start: {ref_start}, end: {ref_end}}}
window: 7d
schedule: 1d
thresholds:
  label_coverage: {{min: 0.98}}
  deepfake_mark_coverage: {{min: 0.95}}
  c2pa_verified_share: {{min: 0.90}}
""",
}


def _flag(rng: np.random.Generator, p: np.ndarray | float, n: int) -> np.ndarray:
    return (rng.random(n) < p).astype(float)


def _chatbot_day(rng: np.random.Generator, day: int, days: int, n: int) -> dict[str, list]:
    weeks_left = (days - day) / 7
    language = rng.choice(["ko", "en"], n, p=[0.7, 0.3])
    channel = rng.choice(["web", "app", "kakao"], n, p=[0.5, 0.3, 0.2])
    english = language == "en"
    strict = weeks_left <= 3                                  # the stricter safety prompt
    refused = _flag(rng, np.where(english, 0.17 if strict else 0.05, 0.04), n)
    broken = (4 < weeks_left <= 5) & (channel == "app")       # the release without the disclosure
    mark_text = np.where(refused == 1, 1.0, _flag(rng, np.where(broken, 0.02, 0.998), n))
    sessions = rng.integers(0, max(1, n // 3), n)
    output_length = np.where(refused == 1, rng.normal(90, 15, n), rng.gamma(3.0, 110, n)).round()
    return {
        "prediction": [1.0] * n, "features.released": [1.0] * n, "features.modality": ["text"] * n,
        "features.model": ["support-llm"] * n, "features.model_version": ["2026.09"] * n,
        "sensitive.language": language.tolist(), "sensitive.channel": channel.tolist(),
        "features.session_id": [hashlib.sha256(f"cb-{day}-{s}".encode()).hexdigest()[:24] for s in sessions],
        "features.input_length": rng.gamma(2.0, 40, n).round().tolist(),
        "features.output_length": np.clip(output_length, 10, None).tolist(),
        "features.latency_ms": (rng.lognormal(7.1, 0.35, n) + np.where(english, 150, 0)).round().tolist(),
        "features.mark_text": mark_text.tolist(), "features.mark_c2pa": [0.0] * n, "features.mark_visible": [0.0] * n,
        "features.notice_shown": np.where(rng.random(n) < 0.995, 1.0, 0.0).tolist(),
        "features.refused": refused.tolist(), "features.safety_triggered": _flag(rng, 0.02, n).tolist(),
        "features.handed_over": _flag(rng, np.where(english, 0.06, 0.05), n).tolist(),
        "features.complaint": _flag(rng, np.where(refused == 1, 0.12, 0.01), n).tolist(),
        "features.objection": _flag(rng, 0.003, n).tolist(),
        **{f"features.pii_{k}": _flag(rng, p, n).tolist() for k, p in
           (("rrn", 0.0), ("phone", 0.002), ("email", 0.001), ("card", 0.0), ("passport", 0.0))},
        "features.score_groundedness": np.clip(rng.beta(12, 2, n), 0, 1).round(3).tolist(),
    }


def _image_day(rng: np.random.Generator, day: int, days: int, n: int) -> dict[str, list]:
    weeks_left = (days - day) / 7
    realistic = _flag(rng, 0.45, n)
    badge_only = 1 < weeks_left <= 2                          # artistic badge on realistic images
    visible = np.where(realistic == 1, _flag(rng, 0.55 if badge_only else 0.995, n), _flag(rng, 0.6, n))
    return {
        "prediction": [1.0] * n, "features.released": [1.0] * n, "features.modality": ["image"] * n,
        "features.model": ["brand-diffusion"] * n, "features.model_version": ["1.0"] * n,
        "sensitive.channel": rng.choice(["catalogue", "sns", "webshop"], n, p=[0.3, 0.45, 0.25]).tolist(),
        "features.latency_ms": rng.lognormal(8.6, 0.25, n).round().tolist(),
        "features.mark_c2pa": [1.0] * n, "features.mark_visible": visible.tolist(), "features.mark_text": [0.0] * n,
        "features.c2pa_verified": _flag(rng, 0.97, n).tolist(), "features.realistic": realistic.tolist(),
        "features.complaint": _flag(rng, 0.004, n).tolist(),
    }


GENERATORS: dict[str, tuple[DayMaker, int, int]] = {
    "support-chatbot": (_chatbot_day, WEEKS * 7, 260), "marketing-image-gen": (_image_day, WEEKS * 7, 45)}


def populate(hc: Haechi, ctx: DemoContext) -> None:
    """Log both systems' outputs into the lake, save their monitors, run them."""
    log_and_monitor(hc, ctx, SPECS, GENERATORS, seed=5300)
