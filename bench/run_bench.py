"""Run every contender on the same log files, one process each, and report time and memory.

Each contender is a fresh process timed from start to exit (interpreter start-up and
imports included) with its peak RSS from ``wait4``. Haechi runs as the real CLI,
``haechi monitor run spec.yaml --format json``, in a new data directory (the organisation
and the system are registered before the clock starts). The incremental case runs
Haechi on the log without its last day, then on the full log, and times the second run.

Usage::

    python bench/run_bench.py --rows 1e5 1e6 1e7 --evidently-python /path/to/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate_logs import generate  # noqa: E402

PY = sys.executable
HAECHI = str(Path(PY).with_name("haechi"))


def measure(argv: list[str], env: dict[str, str] | None = None, timeout: float = 1800.0,
            cwd: Path = HERE) -> dict[str, Any]:
    """Run ``argv``; seconds, peak RSS (MiB), load average at the start, exit code and stdout."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env={**os.environ, **(env or {})})
        deadline = started + timeout
        status = rusage = None
        while status is None:
            pid, status_code, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, rusage = status_code, usage
            elif time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"seconds": None, "rss_mib": None, "load": load, "status": "timeout", "stdout": ""}
            else:
                time.sleep(0.01)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        result = {"seconds": round(seconds, 2), "cpu_seconds": round(rusage.ru_utime + rusage.ru_stime, 2),
                  "rss_mib": round(rusage.ru_maxrss / 1024, 1), "load": round(load, 2),
                  "status": "ok" if code == 0 else f"exit {code}", "stdout": out.read().decode(errors="replace")}
        if code != 0:
            result["stderr"] = err.read().decode(errors="replace")[-2000:]
        return result


def compile_haechi() -> None:
    """Write Haechi's bytecode before timing, as installing a wheel does.

    An editable install compiles on first import, and not at all where
    ``PYTHONDONTWRITEBYTECODE`` is set (it is on the development machine): every timed run
    would then pay ~0.2 s of compiling that no installed copy pays. The contenders'
    libraries were compiled when pip installed them.
    """
    import haechi

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(haechi.__file__).parent)], check=True,
                   capture_output=True)


def haechi_home(log: Path) -> tuple[Path, Path]:
    """A fresh data directory with the org and system registered, and the spec next to the log."""
    home = Path(tempfile.mkdtemp(prefix="haechi-bench-"))
    env = {**os.environ, "HAECHI_HOME": str(home)}
    subprocess.run([HAECHI, "init", "--org", "bench", "--name", "Bench"], env=env, check=True, capture_output=True)
    card = home / "card.yaml"
    card.write_text("id: bench-screener\nname: Benchmark screener\n")
    subprocess.run([HAECHI, "systems", "add", str(card)], env=env, check=True, capture_output=True)
    spec = log.parent / f"spec-{log.stem}.yaml"
    spec.write_text((HERE / "spec.yaml").read_text().replace("log: log.parquet", f"log: {log.name}"))
    return home, spec


def run_haechi(log: Path) -> dict[str, Any]:
    home, spec = haechi_home(log)
    try:
        result = measure([HAECHI, "monitor", "run", str(spec), "--format", "json"], {"HAECHI_HOME": str(home)})
    finally:
        shutil.rmtree(home, ignore_errors=True)
    result["engine_seconds"] = engine_seconds(result)
    return result


def engine_seconds(result: dict[str, Any]) -> float | None:
    """The monitor's own compute time as it reports it (the process minus start-up)."""
    try:
        return float(json.loads(result["stdout"])["run"]["seconds"])
    except (ValueError, KeyError, TypeError):
        return None


def run_incremental(rows: int, data: Path) -> dict[str, Any]:
    """Full run on 29 days, then the timed rerun after the 30th day arrives."""
    log = data / f"incremental-{rows}.parquet"
    generate(log, rows, keep_days=29)
    home, spec = haechi_home(log)
    env = {"HAECHI_HOME": str(home)}
    try:
        first = measure([HAECHI, "monitor", "run", str(spec), "--format", "json"], env)
        generate(log, rows)  # the same log plus its last day
        second = measure([HAECHI, "monitor", "run", str(spec), "--format", "json"], env)
        second["engine_seconds"] = engine_seconds(second)
        first["engine_seconds"] = engine_seconds(first)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        log.unlink(missing_ok=True)
    run = json.loads(second["stdout"])["run"] if second["status"] == "ok" else {}
    return {"first": first, "second": second, "computed_windows": run.get("computed_windows")}


def contenders(evidently_python: str | None, rows: int, max_evidently: int,
               max_slow: int) -> list[tuple[str, list[str]]]:
    out = [("pandas+sklearn+scipy", [PY, "contender_pandas.py"]), ("duckdb-sql yardstick", [PY, "yardstick_duckdb.py"]),
           ("polars yardstick", [PY, "yardstick_polars.py"])]
    if rows <= max_slow:
        out.append(("fairlearn (fairness only)", [PY, "contender_fairlearn.py"]))
    if evidently_python and rows <= max_evidently:
        out.append(("evidently (drift+classification)", [evidently_python, "contender_evidently.py"]))
    return out


def check(haechi_out: str, other_out: str) -> float | None:
    """Largest difference of KS(f0) per window between Haechi and a contender (sanity)."""
    try:
        ours = [w["drift"]["f0"]["ks"] for w in json.loads(haechi_out)["windows"]]
        theirs = [w.get("ks_f0") for w in json.loads(other_out)["windows"]]
    except (ValueError, KeyError, TypeError):
        return None
    pairs = [(a, b) for a, b in zip(ours, theirs, strict=False) if a is not None and b is not None]
    return max((abs(a - b) for a, b in pairs), default=None) if pairs else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--evidently-python", default=None, help="python of a venv with evidently (pandas<3)")
    parser.add_argument("--max-evidently-rows", type=float, default=1e6)
    parser.add_argument("--max-slow-rows", type=float, default=1e7, help="largest log for the Fairlearn contender")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--only-haechi", action="store_true",
                        help="rerun Haechi (full and incremental) and update an existing results file")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    compile_haechi()
    if args.only_haechi:
        return rerun_haechi(args)
    results: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "sizes": {}}
    for size in (int(r) for r in args.rows):
        log = args.data / f"log-{size}.parquet"
        if not log.exists():
            generate(log, size)
        entry: dict[str, Any] = {"haechi": run_haechi(log)}
        report("haechi", size, entry["haechi"])
        chosen = contenders(args.evidently_python, size, int(args.max_evidently_rows), int(args.max_slow_rows))
        for name, argv in chosen:
            entry[name] = measure([*argv, str(log)], timeout=args.timeout)
            entry[name]["ks_check"] = check(entry["haechi"]["stdout"], entry[name]["stdout"])
            report(name, size, entry[name])
        entry["incremental"] = run_incremental(size, args.data)
        report("haechi incremental (+1 day)", size, entry["incremental"]["second"])
        for value in entry.values():
            for item in (value, value.get("first"), value.get("second")):
                if isinstance(item, dict):
                    item.pop("stdout", None)
        results["sizes"][str(size)] = entry
        args.out.write_text(json.dumps(results, indent=1))
    print(f"wrote {args.out}")


def rerun_haechi(args: argparse.Namespace) -> None:
    results = json.loads(args.out.read_text())
    for size in (int(r) for r in args.rows):
        log = args.data / f"log-{size}.parquet"
        if not log.exists():
            generate(log, size)
        entry = results["sizes"].setdefault(str(size), {})
        entry["haechi_startup"] = measure([HAECHI, "--version"])  # the floor: imports and nothing else
        report("haechi --version (start-up only)", size, entry["haechi_startup"])
        entry["haechi"] = run_haechi(log)
        report("haechi", size, entry["haechi"])
        entry["incremental"] = run_incremental(size, args.data)
        report("haechi incremental (+1 day)", size, entry["incremental"]["second"])
        for item in (entry["haechi"], entry["haechi_startup"], entry["incremental"]["first"],
                     entry["incremental"]["second"]):
            item.pop("stdout", None)
        results["haechi_rerun"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        args.out.write_text(json.dumps(results, indent=1))


def report(name: str, size: int, result: dict[str, Any]) -> None:
    print(f"{size:>10,} {name:<34} {result.get('seconds')!s:>8} s  cpu {result.get('cpu_seconds')!s:>8} s  "
          f"engine {result.get('engine_seconds')!s:>6} s {result.get('rss_mib')!s:>8} MiB "
          f"load {result.get('load')} {result.get('status')} ks_check={result.get('ks_check')}", flush=True)


def machine() -> dict[str, Any]:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    keep = ("Model name", "CPU(s)", "Thread(s) per core", "L3 cache")
    pairs = (line.partition(":") for line in lscpu.splitlines())
    cpu = {k.strip(): v.strip() for k, _, v in pairs if k.strip() in keep}
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cpu": cpu, "ram_gib": round(int(mem) / 1024 / 1024, 1), "python": platform.python_version(),
            "platform": platform.platform()}


if __name__ == "__main__":
    main()
