"""Render ``bench/results.json`` as the tables of ``bench/RESULTS.md`` (printed to stdout)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _cell(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and 0 < abs(value) < 1e-3:  # the KS checks: 1.1e-16, not 17 digits
        return f"{value:.1e}{unit}"
    return f"{value}{unit}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{b / a:.1f}×"


def table(results: dict[str, Any]) -> str:
    lines = ["| rows | contender | wall s | CPU s | peak RSS MiB | load at start | Haechi faster (wall / CPU) "
             "| KS(f0) vs Haechi |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, entry in results["sizes"].items():
        ours = entry.get("haechi", {})
        for name, item in entry.items():
            if name == "incremental" or not isinstance(item, dict) or "seconds" not in item:
                continue
            ratio = "" if name.startswith("haechi") else (
                f"{_ratio(ours.get('seconds'), item.get('seconds'))} / "
                f"{_ratio(ours.get('cpu_seconds'), item.get('cpu_seconds'))}")
            own = item.get("engine_seconds")
            label = name + (f" (monitor's own compute: {own} s)" if own else "")
            status = "" if item.get("status") == "ok" else f" **{item.get('status')}**"
            lines.append(f"| {int(size):,} | {label}{status} | {_cell(item.get('seconds'))} | "
                         f"{_cell(item.get('cpu_seconds'))} | {_cell(item.get('rss_mib'))} | "
                         f"{_cell(item.get('load'))} | {ratio} | {_cell(item.get('ks_check'))} |")
    return "\n".join(lines)


def incremental(results: dict[str, Any]) -> str:
    lines = ["| rows | full run on 29 days: wall s / CPU s / compute s "
             "| after day 30 arrives: wall s / CPU s / compute s | windows recomputed |", "|---:|---|---|---:|"]
    for size, entry in results["sizes"].items():
        inc = entry.get("incremental")
        if not inc:
            continue
        first, second = inc["first"], inc["second"]
        before = f"{first.get('seconds')} / {first.get('cpu_seconds')} / {first.get('engine_seconds')}"
        after = f"{second.get('seconds')} / {second.get('cpu_seconds')} / {second.get('engine_seconds')}"
        lines.append(f"| {int(size):,} | {before} | {after} | {inc.get('computed_windows')} of 23 |")
    return "\n".join(lines)


if __name__ == "__main__":
    data = json.loads((Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results.json").read_text())
    print(json.dumps(data["machine"], indent=1))
    print(table(data))
    print()
    print(incremental(data))
