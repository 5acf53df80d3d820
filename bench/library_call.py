"""The library call: a full recompute of the benchmark's metric set in a running process
(``haechi.monitor.runner.run_spec``, no cache, no stored reference), next to the pandas +
scikit-learn + SciPy baseline's whole process and Haechi's whole ``haechi monitor run``
process, on the same logs, one after the other.

Usage::

    nice python bench/library_call.py /data/log-1e6.parquet /data/log-1e7.parquet --out bench/results-library.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run_bench import PY, compile_haechi, machine, measure, run_haechi  # noqa: E402


def library_seconds(log: Path, repeat: int) -> dict[str, Any]:
    """Wall and CPU seconds of ``repeat`` full recomputes after one warm-up run."""
    from haechi.monitor.runner import MemoryCache, run_spec
    from haechi.monitor.spec import parse_spec_text

    text = (HERE / "spec.yaml").read_text().replace("log: log.parquet", f"log: {log.name}")
    spec = parse_spec_text(text)
    previous = Path.cwd()
    os.chdir(log.parent)   # a spec built in code reads from the working folder
    try:
        run_spec(spec, cache=MemoryCache())
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            out = run_spec(spec, cache=MemoryCache())
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    finally:
        os.chdir(previous)
    assert out["run"]["computed_windows"] == len(out["windows"])
    return {"runs_seconds": [round(w, 3) for w in walls], "seconds": round(statistics.median(walls), 3),
            "cpu_seconds": round(statistics.median(cpus), 3), "load": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results-library.json")
    args = parser.parse_args()
    compile_haechi()
    results: dict[str, Any] = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "logs": {}}
    for given in args.logs:
        log = given.resolve()
        entry = {"library": library_seconds(log, args.repeat), "haechi_process": run_haechi(log),
                 "pandas_process": measure([PY, "contender_pandas.py", str(log)], timeout=3600)}
        for key in ("haechi_process", "pandas_process"):
            entry[key].pop("stdout", None)
        results["logs"][log.name] = entry
        print(log.name, json.dumps(entry), flush=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
