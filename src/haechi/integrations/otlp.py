"""OTLP trace payloads (protobuf or JSON) read into plain spans.

Both encodings of ``ExportTraceServiceRequest`` (OTLP/HTTP, opentelemetry-proto 1.x) are
read into the same :class:`Span` records: resource attributes, span attributes, ids as
lower-case hex, times in Unix nanoseconds and the status code. The protobuf encoding
needs the ``otel`` extra (``opentelemetry-proto``); JSON needs nothing. Hostile input is
bounded: at most ``MAX_SPANS`` spans per request, attribute values flattened to scalars,
and anything malformed is a :class:`ValidationFailed` naming where.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from haechi.domain.errors import Issue, MissingExtra, ValidationFailed

MAX_SPANS = 20000
MAX_ATTRIBUTES = 256
MAX_TEXT = 1000
STATUS_ERROR = 2
STATUS_NAMES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}

Scalar = str | int | float | bool


@dataclass
class Span:
    """One span with what the mapping reads."""

    resource: dict[str, Scalar]
    attributes: dict[str, Scalar]
    name: str
    trace_id: str
    span_id: str
    start_ns: int
    end_ns: int
    status_code: int = 0
    status_message: str = ""
    scope: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def bad(message: str, location: str, fix: str = "send an OTLP ExportTraceServiceRequest") -> ValidationFailed:
    return ValidationFailed(f"OTLP request: {message}", issues=[Issue(location, message, fix)],
                            key="integrations.otlp_request", values={"message": message})


# --- protobuf ------------------------------------------------------------------------------
def from_protobuf(body: bytes) -> list[Span]:
    try:
        from google.protobuf.message import DecodeError
        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
    except ImportError:
        raise MissingExtra("OTLP protobuf", "otel", "opentelemetry-proto") from None
    request = trace_service_pb2.ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except DecodeError as exc:
        raise bad(f"not a protobuf ExportTraceServiceRequest ({exc})", "body") from None
    spans: list[Span] = []
    for r, resource_spans in enumerate(request.resource_spans):
        resource = _pb_attributes(resource_spans.resource.attributes, f"resourceSpans[{r}].resource")
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                _check_count(spans)
                spans.append(Span(resource, _pb_attributes(span.attributes, "span.attributes"), span.name[:MAX_TEXT],
                                  span.trace_id.hex(), span.span_id.hex(), int(span.start_time_unix_nano),
                                  int(span.end_time_unix_nano), int(span.status.code), span.status.message[:MAX_TEXT],
                                  scope_spans.scope.name[:MAX_TEXT]))
    return spans


def _pb_attributes(attributes: Any, where: str) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for attribute in list(attributes)[:MAX_ATTRIBUTES]:
        value = _pb_value(attribute.value)
        if value is not None:
            out[attribute.key[:MAX_TEXT]] = value
    return out


def _pb_value(value: Any) -> Scalar | None:
    kind = value.WhichOneof("value")
    if kind in ("string_value", "bool_value", "int_value", "double_value"):
        found = getattr(value, kind)
        return found[:MAX_TEXT] if isinstance(found, str) else found
    if kind == "array_value":
        items = [_pb_value(v) for v in list(value.array_value.values)[:64]]
        return ",".join(str(i) for i in items if i is not None)[:MAX_TEXT]
    return None


# --- JSON ------------------------------------------------------------------------------------
def from_json(data: Any) -> list[Span]:
    """Spans of an OTLP/JSON request (camelCase keys; ids hex; 64-bit integers as strings)."""
    if not isinstance(data, dict):
        raise bad("the body must be a JSON object with resourceSpans", "body")
    spans: list[Span] = []
    for r, resource_spans in enumerate(_list(data, "resourceSpans", "body")):
        where = f"resourceSpans[{r}]"
        resource = _json_attributes(_dict(resource_spans, "resource", where).get("attributes"), f"{where}.resource")
        for s, scope_spans in enumerate(_list(resource_spans, "scopeSpans", where)):
            scope = _dict(scope_spans, "scope", f"{where}.scopeSpans[{s}]")
            for n, span in enumerate(_list(scope_spans, "spans", f"{where}.scopeSpans[{s}]")):
                _check_count(spans)
                spans.append(_json_span(span, resource, str(scope.get("name", ""))[:MAX_TEXT],
                                        f"{where}.scopeSpans[{s}].spans[{n}]"))
    return spans


def _json_span(span: Any, resource: dict[str, Scalar], scope: str, where: str) -> Span:
    if not isinstance(span, dict):
        raise bad("a span must be an object", where)
    status = span.get("status") or {}
    code: Any = status.get("code", 0) if isinstance(status, dict) else 0
    if isinstance(code, str) and code in STATUS_NAMES:
        code = STATUS_NAMES[code]
    return Span(resource, _json_attributes(span.get("attributes"), f"{where}.attributes"),
                str(span.get("name", ""))[:MAX_TEXT], _hex_id(span.get("traceId"), 16, f"{where}.traceId"),
                _hex_id(span.get("spanId"), 8, f"{where}.spanId"),
                _nanos(span.get("startTimeUnixNano"), f"{where}.startTimeUnixNano"),
                _nanos(span.get("endTimeUnixNano"), f"{where}.endTimeUnixNano"),
                _int(code, f"{where}.status.code"),
                str(status.get("message", ""))[:MAX_TEXT] if isinstance(status, dict) else "", scope)


def _list(parent: Any, key: str, where: str) -> list[Any]:
    value = parent.get(key, []) if isinstance(parent, dict) else None
    if not isinstance(value, list):
        raise bad(f"'{key}' must be a list", f"{where}.{key}")
    return value


def _dict(parent: Any, key: str, where: str) -> dict[str, Any]:
    value = parent.get(key) or {} if isinstance(parent, dict) else None
    if not isinstance(value, dict):
        raise bad(f"'{key}' must be an object", f"{where}.{key}")
    return value


def _json_attributes(attributes: Any, where: str) -> dict[str, Scalar]:
    if attributes is None:
        return {}
    if not isinstance(attributes, list):
        raise bad("attributes must be a list of {key, value}", where)
    out: dict[str, Scalar] = {}
    for attribute in attributes[:MAX_ATTRIBUTES]:
        if isinstance(attribute, dict) and isinstance(attribute.get("key"), str):
            value = _json_value(attribute.get("value"))
            if value is not None:
                out[attribute["key"][:MAX_TEXT]] = value
    return out


def _json_value(value: Any, depth: int = 0) -> Scalar | None:
    if not isinstance(value, dict) or depth > 2:
        return None
    if isinstance(value.get("stringValue"), str):
        return str(value["stringValue"])[:MAX_TEXT]
    if isinstance(value.get("boolValue"), bool):
        return bool(value["boolValue"])
    if "intValue" in value:
        try:
            return int(value["intValue"])
        except (TypeError, ValueError):
            return None
    if isinstance(value.get("doubleValue"), int | float) and not isinstance(value["doubleValue"], bool):
        return float(value["doubleValue"])
    array = value.get("arrayValue")
    if isinstance(array, dict) and isinstance(array.get("values"), list):
        items = [_json_value(v, depth + 1) for v in array["values"][:64]]
        return ",".join(str(i) for i in items if i is not None)[:MAX_TEXT]
    return None


def _hex_id(value: Any, size: int, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise bad("missing id", where)
    text = value.lower()
    if len(text) == size * 2 and all(c in "0123456789abcdef" for c in text):
        return text
    try:  # some encoders send the protobuf-JSON base64 form
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise bad(f"an id of {size} bytes in hex is expected", where, "send ids as lower-case hex")
    return raw.hex()


def _nanos(value: Any, where: str) -> int:
    number = _int(value, where)
    if number < 0 or number > 2**63:
        raise bad("a time in Unix nanoseconds is expected", where)
    return number


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise bad("a number is expected", where)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad("a number is expected", where) from None


def _check_count(spans: list[Span]) -> None:
    if len(spans) >= MAX_SPANS:
        raise bad(f"more than {MAX_SPANS} spans in one request", "body", "send smaller batches")


def response_protobuf(rejected: int, message: str) -> bytes:
    """An ``ExportTraceServiceResponse`` (with ``partial_success`` when spans were rejected)."""
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    answer = trace_service_pb2.ExportTraceServiceResponse()
    if rejected:
        answer.partial_success.rejected_spans = rejected
        answer.partial_success.error_message = message
    return bytes(answer.SerializeToString())
