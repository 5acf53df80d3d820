"""Merge repeated ``run_bench.py --only-haechi`` results into one file, keeping for each size
the run with the median wall time (Haechi's whole-process time varies by a few tenths of a
second from run to run on a 2-core machine; one run is not a measurement).

    python bench/median_runs.py OUT.json RUN1.json RUN2.json RUN3.json

Contender entries come from the first file; every Haechi entry (full run, incremental
first/second, start-up) is replaced by its median run, and the wall times of all runs are
kept beside it as ``runs_seconds``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _median_run(items: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(items, key=lambda item: item.get("seconds") or float("inf"))
    chosen = dict(ordered[len(ordered) // 2])
    chosen["runs_seconds"] = [item.get("seconds") for item in items]
    return chosen


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = json.loads(json.dumps(runs[0]))
    for size, entry in out["sizes"].items():
        for key in ("haechi", "haechi_startup"):
            if key in entry:
                entry[key] = _median_run([run["sizes"][size][key] for run in runs])
        if "incremental" in entry:
            for part in ("first", "second"):
                entry["incremental"][part] = _median_run([run["sizes"][size]["incremental"][part] for run in runs])
    out["haechi_runs"] = len(runs)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    merged = merge([json.loads(Path(p).read_text()) for p in sys.argv[2:]])
    Path(sys.argv[1]).write_text(json.dumps(merged, indent=1))
    print(f"wrote {sys.argv[1]} (median of {len(sys.argv) - 2} Haechi runs per size)")
