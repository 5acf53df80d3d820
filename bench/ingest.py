"""Ingestion benchmark: events/s over HTTP (JSON and Arrow bodies, durable before the
answer), the library path without HTTP, and the SDK's ``Monitor.log()`` overhead.

    .venv/bin/python bench/ingest.py                      # defaults below
    .venv/bin/python bench/ingest.py --json-events 300000 --arrow-events 4000000 --record

A real ``uvicorn`` server (one worker) runs in a child process on a temporary data
directory; request bodies are encoded before the clock starts, so the numbers are the
server's (decode, validate, dedup, Parquet write, fsync, rename, fsync dir, answer).
``--record`` appends a dated section to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import orjson
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "monitor"))

from server_helpers import Server, prepare_home  # noqa: E402

from haechi.monitor.formats import decode  # noqa: E402
from haechi.monitor.ingest import ingest_events  # noqa: E402
from haechi.monitor.lake import Lake  # noqa: E402

SYSTEM = "hiring-screener"
BASE_US = int(dt.datetime(2026, 3, 2, tzinfo=dt.UTC).timestamp() * 1e6)


def columns(start: int, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Realistic events: 3 numeric and 2 categorical features, 2 sensitive attributes."""
    return {
        "event_id": np.char.add("ev-", np.arange(start, start + n).astype(str)),
        "timestamp": BASE_US + rng.integers(0, 86_400_000_000, n),
        "prediction": rng.integers(0, 2, n).astype(float),
        "score": rng.random(n).round(6),
        "label": np.where(rng.random(n) < 0.5, rng.integers(0, 2, n), np.nan),
        "income": rng.normal(50, 10, n).round(3),
        "tenure": rng.integers(0, 30, n).astype(float),
        "tests": rng.random(n).round(4),
        "region": rng.choice(["seoul", "busan", "incheon", "daegu"], n),
        "education": rng.choice(["hs", "ba", "ma", "phd"], n),
        "sex": rng.choice(["F", "M"], n),
        "age_band": rng.choice(["20s", "30s", "40s", "50s"], n),
    }


def json_body(cols: dict[str, np.ndarray]) -> bytes:
    n = len(cols["event_id"])
    ts = [dt.datetime.fromtimestamp(t / 1e6, dt.UTC).isoformat().replace("+00:00", "Z") for t in cols["timestamp"]]
    rows = [
        {
            "event_id": cols["event_id"][i],
            "timestamp": ts[i],
            "prediction": int(cols["prediction"][i]),
            "score": float(cols["score"][i]),
            "label": None if np.isnan(cols["label"][i]) else int(cols["label"][i]),
            "features": {
                "income": float(cols["income"][i]),
                "tenure": float(cols["tenure"][i]),
                "tests": float(cols["tests"][i]),
                "region": cols["region"][i],
                "education": cols["education"][i],
            },
            "sensitive": {"sex": cols["sex"][i], "age_band": cols["age_band"][i]},
        }
        for i in range(n)
    ]
    return orjson.dumps(rows, option=orjson.OPT_SERIALIZE_NUMPY)


def arrow_body(cols: dict[str, np.ndarray]) -> bytes:
    table = pa.table(
        {
            "event_id": pa.array(cols["event_id"].tolist(), pa.string()),
            "timestamp": pa.array(cols["timestamp"], pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            "prediction": cols["prediction"],
            "score": cols["score"],
            "label": pa.array(cols["label"], from_pandas=True),
            **{f"features.{k}": cols[k] for k in ("income", "tenure", "tests")},
            **{f"features.{k}": pa.array(cols[k].tolist()).dictionary_encode() for k in ("region", "education")},
            **{f"sensitive.{k}": pa.array(cols[k].tolist()).dictionary_encode() for k in ("sex", "age_band")},
        }
    )
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def bodies(kind: str, total: int, batch: int, seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    encode = json_body if kind == "json" else arrow_body
    return [encode(columns(seed * 10**9 + s, min(batch, total - s), rng)) for s in range(0, total, batch)]


def post_all(url: str, token: str, payloads: list[bytes], media: str, clients: int) -> tuple[float, int]:
    """Send every payload (``clients`` connections in parallel); seconds and events stored."""
    stored = [0] * clients
    headers = {"Authorization": f"Bearer {token}", "Content-Type": media}

    def worker(k: int) -> None:
        with httpx.Client(timeout=300) as client:
            for body in payloads[k::clients]:
                response = client.post(f"{url}/api/v1/systems/{SYSTEM}/events", content=body, headers=headers)
                response.raise_for_status()
                stored[k] += response.json()["stored"]

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, sum(stored)


def http_rates(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    results = {}
    with tempfile.TemporaryDirectory(prefix="haechi-bench-") as tmp:
        home = Path(tmp)
        token = prepare_home(home, SYSTEM)
        server = Server(home).start()
        try:
            # Warm-up on every client connection: the first requests of each server thread
            # import modules and open per-thread DuckDB connections.
            warm = bodies("json", 8 * 2000, 2000, 99)
            post_all(server.url, token, warm, "application/json", args.clients)
            post_all(server.url, token, bodies("arrow", 8 * 2000, 2000, 98),
                     "application/vnd.apache.arrow.stream", args.clients)
            for kind, total, batch, media in (
                ("json", args.json_events, args.json_batch, "application/json"),
                ("arrow", args.arrow_events, args.arrow_batch, "application/vnd.apache.arrow.stream"),
            ):
                payloads = bodies(kind, total, batch, 1 if kind == "json" else 2)
                seconds, stored = post_all(server.url, token, payloads, media, args.clients)
                assert stored == total, (kind, stored, total)  # every event stored, durably
                results[kind] = {
                    "events": total,
                    "batch": batch,
                    "seconds": round(seconds, 3),
                    "events_per_s": round(total / seconds),
                    "mb_per_s": round(sum(map(len, payloads)) / seconds / 1e6, 1),
                }
                print(kind, results[kind], flush=True)
        finally:
            server.stop()
    return results


def library_rate(args: argparse.Namespace) -> dict[str, float]:
    """The same Arrow batches straight into the lake (no HTTP), for comparison."""
    with tempfile.TemporaryDirectory(prefix="haechi-bench-") as tmp:
        sl = Lake(Path(tmp)).system("acme", SYSTEM)
        payloads = bodies("arrow", args.arrow_events, args.arrow_batch, 3)
        start = time.perf_counter()
        stored = sum(ingest_events(sl, decode(b, "application/vnd.apache.arrow.stream")).stored for b in payloads)
        seconds = time.perf_counter() - start
    out = {"events": stored, "seconds": round(seconds, 3), "events_per_s": round(stored / seconds)}
    print("library arrow", out, flush=True)
    return out


def sdk_overhead(calls: int) -> dict[str, float]:
    """Per-call time of ``Monitor.log()`` on the caller's thread, in groups of 100 calls."""
    from haechi.sdk import Monitor

    with tempfile.TemporaryDirectory(prefix="haechi-bench-") as tmp:
        monitor = Monitor(SYSTEM, path=Path(tmp) / "lake", org="acme", outbox=Path(tmp) / "ob", flush_interval=0.2)
        features = {"income": 51.2, "tenure": 4.0, "tests": 0.82, "region": "seoul", "education": "ba"}
        sensitive = {"sex": "F", "age_band": "30s"}
        per_call = []
        for _ in range(calls // 100):
            start = time.perf_counter_ns()
            for _ in range(100):
                monitor.log(prediction=1, score=0.83, features=features, sensitive=sensitive)
            per_call.append((time.perf_counter_ns() - start) / 100 / 1000)
        delivered = monitor.flush(120)
        monitor.close()
        count = Lake(Path(tmp) / "lake").system("acme", SYSTEM).event_count()
    per_call.sort()
    out = {
        "calls": calls,
        "median_us": round(statistics.median(per_call), 3),
        "p99_us": round(per_call[int(len(per_call) * 0.99)], 3),
        "delivered": bool(delivered),
        "stored": count,
    }
    print("sdk", out, flush=True)
    return out


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = subprocess.run(["uptime"], check=False, capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "uptime": load,
    }


def record(results: dict[str, object]) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    m = results["machine"]
    http = results["http"]
    lines = [
        "",
        f"## Ingestion — {m['date']}",
        "",  # type: ignore[index]
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}. Load at start: `{m['uptime']}`.",  # type: ignore[index]
        "Server: one uvicorn worker, SQLite store, lake on local disk; every answer after fsync "
        f"(file, rename, directory). Clients: {results['clients']} connections on the same machine.",
        "",
        "| path | events | batch | seconds | events/s | target |",
        "|---|---|---|---|---|---|",
    ]
    for kind, target in (("json", "≥ 100,000/s"), ("arrow", "≥ 1,000,000/s")):
        r = http[kind]  # type: ignore[index]
        lines.append(
            f"| HTTP {kind} | {r['events']:,} | {r['batch']:,} | {r['seconds']} | {r['events_per_s']:,} | {target} |"
        )
    lib = results["library"]
    lines.append(
        f"| library (Arrow, no HTTP) | {lib['events']:,} | — | {lib['seconds']} | {lib['events_per_s']:,} | — |"
    )  # type: ignore[index]
    sdk = results["sdk"]
    lines += [
        "",
        f"SDK `Monitor.log()` on the caller's thread: median {sdk['median_us']} µs, p99 {sdk['p99_us']} µs "  # type: ignore[index]
        f"over {sdk['calls']:,} calls (target: median < 10 µs); all {sdk['stored']:,} events stored.",
        "",
    ]  # type: ignore[index]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"appended to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json-events", type=int, default=500_000)
    parser.add_argument("--json-batch", type=int, default=50_000)
    parser.add_argument("--arrow-events", type=int, default=4_000_000)
    parser.add_argument("--arrow-batch", type=int, default=250_000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--sdk-calls", type=int, default=200_000)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": machine(), "clients": args.clients}
    print(results["machine"], flush=True)
    results["sdk"] = sdk_overhead(args.sdk_calls)
    results["library"] = library_rate(args)
    results["http"] = http_rates(args)
    print(json.dumps(results, indent=1))
    if args.record:
        record(results)


if __name__ == "__main__":
    main()
