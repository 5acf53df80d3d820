"""OpenTelemetry GenAI spans as events of a generative AI system.

An application instrumented with the OpenTelemetry GenAI semantic conventions
(``gen_ai.*`` attributes; OpenAI, Anthropic, LangChain, LlamaIndex … instrumentations
emit them) describes every model call in a span. Each span becomes one event in the
shape generative monitors read (:mod:`haechi.monitor.generative.fields`):

====================================  ==============================================
span                                  event
====================================  ==============================================
``gen_ai.request.model``              ``model`` (else the response model)
``gen_ai.response.model``             ``model_version`` (the model that answered)
end − start                           ``latency_ms``
``gen_ai.usage.input_tokens``         ``input_tokens`` (feature; tokens, not characters)
``gen_ai.usage.output_tokens``        ``output_tokens``
``gen_ai.response.finish_reasons``    ``finish_reason``; ``content_filter`` → ``safety_triggered``
``error.type`` / status ERROR         ``error_type``; the output was not released
``gen_ai.operation.name``             ``operation``; embeddings are never released outputs
``gen_ai.provider.name`` (``gen_ai.system``)  ``provider``
``gen_ai.conversation.id``            ``session_id`` (hashed, as the SDK does)
``gen_ai.output.type``                ``modality`` (image, speech → audio, else text)
``haechi.language``, ``haechi.refused``, ``haechi.marks``, ``haechi.notice_shown``  the same fields
====================================  ==============================================

What a span cannot say is left out, never guessed: marks and notices are absent (null in
the metrics) unless the application sets the ``haechi.*`` attributes. The system is the
span's or resource's ``haechi.system`` attribute, else the resource's ``service.name``.
"""

from __future__ import annotations

from typing import Any

from haechi.sdk.generative import generative_event

from .otlp import STATUS_ERROR, Scalar, Span

FLAG_ATTRIBUTES = ("refused", "notice_shown", "handed_over", "complaint", "objection", "realistic")
MODALITY = {"image": "image", "speech": "audio", "audio": "audio", "video": "video"}
NOT_OUTPUTS = {"embeddings", "create_agent"}


def is_genai(span: Span) -> bool:
    """A span following the GenAI conventions (it carries ``gen_ai.*`` attributes)."""
    return any(key.startswith("gen_ai.") for key in span.attributes)


def system_of(span: Span) -> str | None:
    found = span.attributes.get("haechi.system") or span.resource.get("haechi.system") \
        or span.resource.get("service.name")
    return str(found) if found not in (None, "") else None


def _text(value: Scalar | None) -> str | None:
    return str(value).strip()[:64] or None if value is not None else None


def _count(value: Scalar | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return float(value)


def _flag(value: Scalar | None) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1", "true", "false"):
        return value in (1, "1", "true")
    return None


def event_of(span: Span) -> dict[str, Any]:
    """The ingestion row of one GenAI span (``ValueError`` when a ``haechi.*`` value is invalid)."""
    a = span.attributes
    failed = span.status_code == STATUS_ERROR or "error.type" in a
    operation = _text(a.get("gen_ai.operation.name"))
    reasons = [r.strip() for r in str(a.get("gen_ai.response.finish_reasons", "")).split(",") if r.strip()]
    marks = a.get("haechi.marks")
    flags: dict[str, Any] = {name: _flag(a.get(f"haechi.{name}")) for name in FLAG_ATTRIBUTES}
    prediction, features, groups = generative_event(
        model=_text(a.get("gen_ai.request.model")) or _text(a.get("gen_ai.response.model")),
        model_version=_text(a.get("gen_ai.response.model")),
        language=_text(a.get("haechi.language")),
        modality=MODALITY.get(str(a.get("gen_ai.output.type", "")), "text"),
        latency_ms=round(max(0, span.end_ns - span.start_ns) / 1e6, 3),
        released=not failed and operation not in NOT_OUTPUTS,
        marks=[m.strip() for m in str(marks).split(",") if m.strip()] if marks is not None else None,
        session_id=_text(a.get("gen_ai.conversation.id")),
        safety_triggered=("content_filter" in reasons) if reasons else None,
        **flags,
    )
    if marks is None:  # unknown, not "no mark": leave the mark columns out
        features = {k: v for k, v in features.items() if not k.startswith("mark_")}
    features.update({k: v for k, v in {
        "input_tokens": _count(a.get("gen_ai.usage.input_tokens")),
        "output_tokens": _count(a.get("gen_ai.usage.output_tokens")),
        "operation": operation,
        "provider": _text(a.get("gen_ai.provider.name")) or _text(a.get("gen_ai.system")),
        "finish_reason": reasons[0][:64] if reasons else None,
        "error_type": _text(a.get("error.type")) or ("error" if failed else None),
    }.items() if v is not None})
    return {"event_id": f"otel-{span.trace_id}-{span.span_id}", "timestamp": span.end_ns / 1e9,
            "prediction": prediction, "features": features, "sensitive": groups}
