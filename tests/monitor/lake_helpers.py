"""Helpers shared by the lake and ingestion tests: realistic event rows and batches."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import orjson

from haechi.monitor.formats import decode
from haechi.monitor.ingest import IngestResult, ingest_events
from haechi.monitor.lake import SystemLake

BASE = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)


def make_rows(n: int, start: int = 0, day_span: int = 3, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` events with ids ``e<start>``... spread over ``day_span`` days."""
    rng = random.Random(seed + start)
    rows = []
    for i in range(start, start + n):
        at = BASE + dt.timedelta(days=i % day_span, minutes=i % 1440)
        rows.append(
            {
                "event_id": f"e{i}",
                "timestamp": at.isoformat().replace("+00:00", "Z"),
                "prediction": rng.randint(0, 1),
                "score": round(rng.random(), 6),
                "label": rng.choice([0, 1, None]),
                "features": {
                    "income": round(rng.gauss(50, 10), 3),
                    "region": rng.choice(["seoul", "busan"]),
                },
                "sensitive": {"sex": rng.choice(["F", "M"])},
            }
        )
    return rows


def send(sl: SystemLake, rows: list[dict[str, Any]], **kwargs: Any) -> IngestResult:
    return ingest_events(sl, decode(orjson.dumps(rows), "application/json"), **kwargs)


def stored_ids(sl: SystemLake) -> list[str]:
    return sorted(sl.source().arrow().column("event_id").to_pylist())
