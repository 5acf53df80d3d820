"""An LLM application instrumented with OpenTelemetry only — it knows nothing of Haechi.

It answers a few customer questions through a (stand-in) chat model and records each
call as a span following the OpenTelemetry GenAI semantic conventions, exactly as the
OpenAI/Anthropic/LangChain instrumentations do. Where the spans go is configured with the
standard OpenTelemetry environment variables, so pointing it at Haechi changes no code::

    OTEL_SERVICE_NAME=support-chatbot \\
    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:8000/api/v1/otlp \\
    OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer hct_…" \\
    python examples/otel-genai/app.py 12

(``OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`` is the exporter's default.)
"""

from __future__ import annotations

import sys
import time

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode

QUESTIONS = ["배송은 언제 오나요?", "How do I return an item?", "영수증을 다시 받을 수 있나요?",
             "Is my order insured?"]


def fake_model(question: str, turn: int) -> tuple[str, str]:
    """The stand-in for a chat model: an answer and its finish reason."""
    time.sleep(0.002)
    if turn % 5 == 4:
        return "", "content_filter"
    return f"Answer to: {question}", "stop"


def chat(tracer: trace.Tracer, question: str, turn: int) -> None:
    with tracer.start_as_current_span("chat gpt-4o-mini", kind=trace.SpanKind.CLIENT) as span:
        span.set_attribute("gen_ai.operation.name", "chat")
        span.set_attribute("gen_ai.provider.name", "openai")
        span.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        span.set_attribute("gen_ai.conversation.id", f"conversation-{turn // 2}")
        if turn == 7:  # the provider timed out
            span.set_attribute("error.type", "timeout")
            span.set_status(Status(StatusCode.ERROR, "upstream timeout"))
            return
        answer, reason = fake_model(question, turn)
        span.set_attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        span.set_attribute("gen_ai.response.finish_reasons", [reason])
        span.set_attribute("gen_ai.usage.input_tokens", len(question.split()) + 20)
        span.set_attribute("gen_ai.usage.output_tokens", len(answer.split()))


def main(calls: int) -> None:
    provider = TracerProvider(resource=Resource.create({"deployment.environment": "test"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    tracer = trace.get_tracer("example.support-chatbot")
    with tracer.start_as_current_span("handle web request"):  # not a GenAI span: Haechi skips it
        for turn in range(calls):
            chat(tracer, QUESTIONS[turn % len(QUESTIONS)], turn)
    provider.shutdown()  # flushes the batch


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
