"""A year of a busy service through ``haechi monitor run`` on one machine: time and peak RSS.

The log: ``generate_logs.py --rows 1e8 --days 365`` (one Parquet row group per day,
~274,000 events a day, 4.1 GB); the spec: ``spec.yaml`` (a 7-day reference, daily
windows: 358 windows, the full metric set). One fresh process, timed from start to exit,
peak RSS from ``wait4`` — as ``run_bench.py`` measures every contender.

Usage::

    python bench/generate_logs.py --rows 1e8 --days 365 --out /data/log-1e8.parquet
    nice python bench/run_year.py /data/log-1e8.parquet --out bench/results-year.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run_bench import compile_haechi, machine, run_haechi  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--out", type=Path, default=HERE / "results-year.json")
    args = parser.parse_args()
    compile_haechi()
    result = run_haechi(args.log.resolve())
    out = json.loads(result.pop("stdout") or "{}")
    summary = {"machine": machine(), "python": platform.python_version(), "log": args.log.name,
               "log_bytes": args.log.stat().st_size, "nice": os.nice(0), **result,
               "windows": len(out.get("windows", [])), "alerts": len(out.get("alerts", [])),
               "rows": sum(w["n"] for w in out.get("windows", [])) + (out.get("reference") or {}).get("n", 0),
               "run": out.get("run")}
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
