"""The OTLP/HTTP trace receiver: GenAI spans in, monitoring events stored in the lake.

A request's spans are decoded (:mod:`.otlp`), the GenAI ones mapped to events
(:mod:`.genai_spans`) and stored per system through the lake, exactly once per span
(the event id is the trace and span id, so an exporter's retry stores nothing twice).
Spans of systems the caller may not log for, of systems not registered, or with invalid
``haechi.*`` values are rejected and counted, as OTLP's partial success reports them;
spans without ``gen_ai.*`` attributes are not monitoring data and are skipped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor
from haechi.domain.errors import HaechiError

from . import otlp
from .genai_spans import event_of, is_genai, system_of

if TYPE_CHECKING:
    from haechi.monitor.lake_service import LakeService

    from .metrics import IngestCounter

PROTOBUF = "application/x-protobuf"
JSON = "application/json"


@dataclass
class TraceResult:
    """What one export request did."""

    spans: int = 0
    skipped: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    systems: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def message(self) -> str:
        return "; ".join(self.errors[:5])

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "errors": self.errors[:20]}


class TraceReceiver:
    """Receives OTLP trace exports for the systems of the caller's organisation."""

    def __init__(self, lake: Callable[[], LakeService], counter: Callable[[], IngestCounter],
                 inflate_limit: int) -> None:
        self._lake, self._counter, self.inflate_limit = lake, counter, inflate_limit

    def decode(self, body: bytes, content_type: str | None, content_encoding: str | None) -> list[otlp.Span]:
        from haechi.monitor.formats import UnsupportedMediaType, inflate

        media = (content_type or "").split(";")[0].strip().lower()
        data = inflate(body, content_encoding, self.inflate_limit)
        if media == PROTOBUF:
            return otlp.from_protobuf(data)
        if media == JSON:
            try:
                parsed = json.loads(data)
            except ValueError as exc:
                raise otlp.bad(f"the body is not JSON ({exc})", "body") from None
            return otlp.from_json(parsed)
        raise UnsupportedMediaType(f"Content-Type {media or '(none)'} is not OTLP: send {PROTOBUF} or {JSON}",
                                   key="integrations.content_type_not_otlp",
                                   values={"protobuf": PROTOBUF, "json": JSON, "media": media or "(없음)"})

    def receive(self, actor: Actor, body: bytes, content_type: str | None,
                content_encoding: str | None = None) -> TraceResult:
        """Store the GenAI spans of one export request as events; everything else is counted."""
        result = TraceResult()
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for span in self.decode(body, content_type, content_encoding):
            result.spans += 1
            self._route(actor, span, rows, result)
        for system, batch in rows.items():
            self._store(actor, system, batch, result)
        return result

    def _route(self, actor: Actor, span: otlp.Span, rows: dict[str, list[dict[str, Any]]],
               result: TraceResult) -> None:
        if not is_genai(span):
            result.skipped += 1
            return
        system = system_of(span)
        if system is None:
            self._reject(result, 1, "a GenAI span names no system: set the resource attribute haechi.system "
                                    "or service.name to a registered system id")
        elif not actor.may_ingest(system):
            self._reject(result, 1, f"this token may not log for system '{system}'")
        else:
            try:
                rows[system].append(event_of(span))
            except ValueError as exc:
                self._reject(result, 1, f"span {span.span_id}: {exc}")

    def _store(self, actor: Actor, system: str, batch: list[dict[str, Any]], result: TraceResult) -> None:
        try:
            stored = self._lake().ingest(actor, system, json.dumps(batch).encode(), JSON)
        except HaechiError as exc:
            self._reject(result, len(batch), f"system '{system}': {exc}")
            return
        answer = stored.to_dict()
        result.stored += int(answer.get("stored", 0))
        result.duplicates += int(answer.get("duplicates", 0))
        rejected = int(answer.get("rejected_count", 0))
        if rejected:
            self._reject(result, rejected, f"system '{system}': {rejected} span(s) refused by ingestion")
        result.systems[system] = result.systems.get(system, 0) + int(answer.get("stored", 0))
        self._counter().add(actor.org_slug, system, int(answer.get("stored", 0)), source="otlp")

    @staticmethod
    def _reject(result: TraceResult, count: int, message: str) -> None:
        result.rejected += count
        if message not in result.errors:
            result.errors.append(message)
