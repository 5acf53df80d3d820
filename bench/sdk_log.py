"""Per-call cost of ``haechi_sdk.Monitor.log()`` on the caller's thread, SDK alone.

Runs with nothing but ``haechi-sdk`` installed (no pyarrow: batches go as NDJSON) against
a running Haechi server, the way a model service calls it:

    python bench/sdk_log.py --url http://127.0.0.1:8000 --token hct_... --system scorer

Times groups of 100 calls with ``perf_counter_ns`` (one call is below the clock's useful
resolution), reports the median and p99 per call, then flushes and checks that the
server stored every event. Target: median < 10 µs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from haechi_sdk import Monitor

GROUP = 100


def measure(url: str, token: str, system: str, calls: int) -> dict[str, float]:
    monitor = Monitor(system, url=url, token=token, flush_interval=0.2)
    per_call: list[float] = []
    for start in range(0, calls, GROUP):
        began = time.perf_counter_ns()
        for i in range(start, start + GROUP):
            monitor.log(prediction=i % 2, score=0.5, features={"x": float(i), "segment": "a"},
                        sensitive={"group": "ab"[i % 2]})
        per_call.append((time.perf_counter_ns() - began) / GROUP / 1000)
    delivered = monitor.flush(300)
    monitor.close()
    per_call.sort()
    return {"calls": calls, "median_us": round(statistics.median(per_call), 2),
            "p99_us": round(per_call[int(len(per_call) * 0.99) - 1], 2), "delivered": delivered,
            "stored": monitor.stats["stored"], "pyarrow": "pyarrow" in sys.modules}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--system", required=True)
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()
    print(json.dumps(measure(args.url, args.token, args.system, args.calls)))


if __name__ == "__main__":
    main()
