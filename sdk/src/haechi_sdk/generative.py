"""The event of one generated output, built in the deployer's process.

:func:`generative_event` checks the values (a clear ``ValueError`` naming the field),
measures and scans the texts it is given, and returns what the queue carries: the
released flag as the prediction, the flags, lengths, latency, personal-data counts and
app scores as features, the language and the app's groups (channel, user segment…) as
groups. The texts themselves are dropped unless ``store_content=True``, and then only
the output is kept, with detected personal data replaced by its kind.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .pii import KINDS, count_personal_data, redact

MARKS = ("visible", "c2pa", "text")
MODALITIES = ("text", "image", "audio", "video")
MAX_CONTENT_CHARS = 2000
_NAME = re.compile(r"^[A-Za-z][\w.-]{0,47}$")
_FLAGS = ("notice_shown", "refused", "safety_triggered", "handed_over", "complaint", "objection",
          "c2pa_verified", "realistic")


def _flag(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or value in (0, 1):
        return 1.0 if value else 0.0
    raise ValueError(f"{name} must be True, False or None (got {value!r})")


def _number(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative number (got {value!r})")
    return float(value)


def _text(name: str, value: Any, limit: int = 64) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string (got {value!r})")
    return value.strip()[:limit]


def session_hash(session_id: str) -> str:
    """The session id as the monitor stores it: a hash, so no session can be traced back."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:24]


def _marks(marks: Iterable[str] | None) -> dict[str, float]:
    given = list(marks or [])
    unknown = [m for m in given if m not in MARKS]
    if unknown:
        raise ValueError(f"unknown mark(s) {unknown}: use {', '.join(MARKS)}")
    return {f"mark_{m}": 1.0 if m in given else 0.0 for m in MARKS}


def _scores(scores: Mapping[str, Any] | None) -> dict[str, float]:
    out = {}
    for name, value in (scores or {}).items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"score names are letters, digits, '_', '.' or '-' (got {name!r})")
        number = _number(f"scores[{name!r}]", value)
        if number is not None:
            out[f"score_{name}"] = number
    return out


def _groups(groups: Mapping[str, Any] | None, language: str | None) -> dict[str, str]:
    out = {"language": language} if language else {}
    for name, value in (groups or {}).items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"group names are letters, digits, '_', '.' or '-' (got {name!r})")
        text = _text(f"groups[{name!r}]", value)
        if text is not None:
            out[name] = text
    return out


def generative_event(*, model: str | None = None, model_version: str | None = None, language: str | None = None,
                     modality: str = "text", input_text: str | None = None, output_text: str | None = None,
                     input_length: float | None = None, output_length: float | None = None,
                     latency_ms: float | None = None, released: bool = True, marks: Iterable[str] | None = None,
                     session_id: str | None = None, scores: Mapping[str, Any] | None = None,
                     groups: Mapping[str, Any] | None = None, store_content: bool = False,
                     **flags: Any) -> tuple[float, dict[str, Any], dict[str, str]]:
    """``(prediction, features, groups)`` of one generated output (see ``Monitor.log_generative``)."""
    unknown = set(flags) - set(_FLAGS)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}: the flags are {', '.join(_FLAGS)}")
    if modality not in MODALITIES:
        raise ValueError(f"modality must be one of {', '.join(MODALITIES)} (got {modality!r})")
    for name, text in (("input_text", input_text), ("output_text", output_text)):
        if text is not None and not isinstance(text, str):
            raise ValueError(f"{name} must be a string (got {type(text).__name__})")
    released_flag = _flag("released", released)
    features: dict[str, Any] = {
        "released": released_flag, "modality": modality,
        "model": _text("model", model), "model_version": _text("model_version", model_version),
        "language": _text("language", language, 16),
        "input_length": _number("input_length", input_length if input_text is None else len(input_text)),
        "output_length": _number("output_length", output_length if output_text is None else len(output_text)),
        "latency_ms": _number("latency_ms", latency_ms),
        "session_id": session_hash(session_id) if session_id else None,
        **_marks(marks), **{name: _flag(name, value) for name, value in flags.items()}, **_scores(scores),
    }
    counts = count_personal_data(output_text) if modality == "text" else None
    for kind in KINDS:
        features[f"pii_{kind}"] = float(counts[kind]) if counts is not None else None
    if store_content and output_text is not None:
        features["output_redacted"] = redact(output_text)[:MAX_CONTENT_CHARS]
    return released_flag or 0.0, {k: v for k, v in features.items() if v is not None}, _groups(groups, language)
