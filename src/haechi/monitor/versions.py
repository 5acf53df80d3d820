"""The model-version dimension: each window broken down per model version, and the
reference that restarts when a new version takes over.

*Per version.* The one-pass aggregate already counts each window's rows per version
(``WindowStats.versions``). For every version with rows in the windows being computed,
the engine runs once more on that version's rows only, against the monitor's own
reference (its cached numeric summaries and category counts), so a canary and the
incumbent are measured over the same windows against the same baseline. The result of
each version sits in the window under ``versions.<version>`` in the shape of a window
(``n``, ``performance``, ``fairness``, ``drift``, ``data_quality``…).

*Restarting the reference* (``reference: {reset_on_version_change: true}``): a version
first seen after the reference period starts a *segment*. Its reference is the
``end − start`` of traffic (all rows) from the start of the window in which the version
first appeared; the windows after that reference compare with it, until the next new
version. The windows meanwhile still compare with the previous reference. With a
reference length that is a whole number of windows, every segment's windows fall on the
same grid as the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from .aggregate import Layout, WindowStats
from .assemble import reference_summary, window_result
from .engine_duckdb import DuckDBEngine, EngineJob, EngineResult, _epoch_us, q, read_error
from .sources import Source, describe
from .spec import MonitorSpec, Reference
from .windows import Window, WindowGrid, iso, to_micros

#: versions broken down per window at most (the busiest ones); more is a deployment
#: history, not a comparison
MAX_VERSIONS = 12


def version_results(engine: Any, job: EngineJob, windows: list[Window], result: EngineResult,
                    reference: WindowStats, min_group_size: int) -> dict[int, dict[str, dict[str, Any]]]:
    """Per window index: version → that version's window result (without start/end)."""
    totals: dict[str, int] = {}
    for window in windows:
        for version, n in (result.stats.get(window.index) or WindowStats()).versions.items():
            totals[version] = totals.get(version, 0) + n
    busiest = sorted(totals, key=lambda v: (-totals[v], v))[:MAX_VERSIONS]
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for version in sorted(busiest):
        present = [w for w in windows if (result.stats.get(w.index) or WindowStats()).versions.get(version)]
        part = engine.run(EngineJob(job.source, job.layout, job.grid, [w.index for w in present],
                                    job.reference_range, job.reference_source,
                                    cached_reference=result.references, version=version))
        for window in present:
            shown = window_result(window, part.stats.get(window.index), reference, job.layout, drift=part.drift,
                                  auc=part.auc, min_group_size=min_group_size)
            for key in ("start", "end"):
                shown.pop(key)
            out.setdefault(window.index, {})[version] = shown
    return out


@dataclass(frozen=True)
class Segment:
    """A stretch of windows sharing one reference: ``spec`` carries that reference; the
    segment's windows start in ``[lo_us, hi_us)`` (open ends: ``None``)."""

    spec: MonitorSpec
    lo_us: int | None
    hi_us: int | None
    version: str | None      # the version whose arrival started it (None: the spec's own)

    def holds(self, window: Window) -> bool:
        start = to_micros(window.start)
        return (self.lo_us is None or start >= self.lo_us) and (self.hi_us is None or start < self.hi_us)


def segments(spec: MonitorSpec, source: Source, layout: Layout) -> list[Segment]:
    """The spec's reference, then one per model version that appears after it."""
    bounds = spec.reference_bounds()
    if not spec.reference.reset_on_version_change or bounds is None or not layout.columns.model_version:
        return [Segment(spec, None, None, None)]
    length = bounds[1] - bounds[0]
    out = [Segment(spec, None, None, None)]
    grid: WindowGrid = spec.grid(bounds[1])
    for version, first_us in first_seen(source, layout):
        if first_us < to_micros(bounds[1]):
            continue   # in use during the reference already
        start = grid.window(grid.index_of(first_us)).start
        if out[-1].version is not None and to_micros(start) < to_micros(_ref_end(out[-1])):
            continue   # arrived while the previous new reference was still being gathered
        reference = Reference(start=start, end=start + length, reset_on_version_change=True)
        restarted = spec.model_copy(update={"reference": reference})
        if spec.area is not None:
            restarted = restarted.in_area(spec.area)
        ref_end_us = to_micros(start + length)
        previous = out[-1]
        out[-1] = Segment(previous.spec, previous.lo_us, ref_end_us, previous.version)
        out.append(Segment(restarted, ref_end_us, None, version))
        grid = restarted.grid(start + length)
    return out


def _ref_end(segment: Segment) -> dt.datetime:
    bounds = segment.spec.reference_bounds()
    assert bounds is not None
    return bounds[1]


def first_seen(source: Source, layout: Layout) -> list[tuple[str, int]]:
    """Each model version and its first event (µs), earliest first."""
    cols = layout.columns
    assert cols.model_version is not None
    con = DuckDBEngine().connect()
    try:
        types = describe(con, source.sql, source.label)
        if cols.model_version not in types or cols.timestamp not in types:
            return []
        ts = _epoch_us(cols.timestamp, types[cols.timestamp], source.label)
        rows = con.execute(f"SELECT CAST({q(cols.model_version)} AS VARCHAR) AS v, min({ts}) AS first "
                           f"FROM ({source.sql}) WHERE {q(cols.model_version)} IS NOT NULL "
                           f"GROUP BY 1 ORDER BY 2, 1").fetchall()
    except duckdb.Error as exc:
        raise read_error(exc, source.label) from None
    finally:
        con.close()
    return [(str(v), int(first)) for v, first in rows]


def reference_note(segment: Segment, stats: WindowStats, first_window: Window | None) -> dict[str, Any]:
    """One entry of the run's ``references``: its period, size and what started it."""
    bounds = segment.spec.reference_bounds()   # None: a reference log (never restarted)
    return {"start": iso(bounds[0]) if bounds else None, "end": iso(bounds[1]) if bounds else None, "n": stats.n,
            "model_version": segment.version, "first_window": iso(first_window.start) if first_window else None,
            "summary": reference_summary(stats)}


