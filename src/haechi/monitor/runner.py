"""Running a monitor spec: plan the windows, reuse what is cached, compute the rest.

The runner needs no governance database: the service gives it a result cache (the
``monitor_results`` table) and a folder for reference summaries; the CLI's spec mode,
the scheduler, the benchmarks and the tests all go through :func:`run_spec`.

Caching: each window carries a fingerprint of the spec's metric settings, the
reference, and the input chunks (Parquet row groups, lake day partitions, files) that
may hold its rows. A rerun recomputes only windows whose fingerprint changed; the
reference summary (sorted numeric values, category counts) is kept on disk under its
own fingerprint, so adding one day reads one day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np

from haechi.domain.errors import Issue, ValidationFailed

from .aggregate import LABEL, REFERENCE, Layout, WindowStats
from .alerts import evaluate
from .assemble import window_result
from .engine_duckdb import DuckDBEngine, EngineJob, EngineResult, _epoch_us, read_error
from .file_area import FileArea
from .generative.engine import generative_counts
from .generative.fields import GenerativeColumns, lake_columns
from .metrics.drift import NumericReference
from .sources import Source, describe, file_source, lake_chunks
from .spec import Columns, MonitorSpec
from .versions import reference_note, segments, version_results
from .windows import Window, WindowGrid, from_micros, iso, to_micros

MAX_WINDOWS = 5000
LakeProvider = Callable[[], Any]   # () -> LakeSource of the spec's system


class ResultCache(Protocol):
    """Stored window results: ``{window_start_iso: (fingerprint, result)}``."""

    def load(self) -> dict[str, tuple[str, dict[str, Any]]]: ...

    def save(self, rows: list[tuple[str, str, str, dict[str, Any]]]) -> None: ...


@dataclass
class MemoryCache:
    """A result cache in a dict (tests, one-off runs)."""

    rows: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def load(self) -> dict[str, tuple[str, dict[str, Any]]]:
        return dict(self.rows)

    def save(self, rows: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        for start, _end, fingerprint, result in rows:
            self.rows[start] = (fingerprint, result)


@dataclass
class Plan:
    spec: MonitorSpec
    layout: Layout
    source: Source
    grid: WindowGrid
    reference_range: tuple[int, int] | None
    reference_source: Source | None
    reference_fp: str


def run_spec(spec: MonitorSpec, *, engine: Any = None, cache: ResultCache | None = None,
             reference_dir: Path | None = None, lake: LakeProvider | None = None,
             full: bool = False, first: int | None = None) -> dict[str, Any]:
    """Compute (or fetch from cache) every window of ``spec``; returns the JSON of the spec.

    ``first`` computes only the first windows (a preview); ``run.planned_windows`` says how many there are.
    """
    started = time.perf_counter()
    engine = engine or DuckDBEngine()
    cache = cache or MemoryCache()
    plan = make_plan(spec, lake)
    parts = segments(spec, plan.source, plan.layout)
    plans = [plan] + [make_plan(part.spec, lake) for part in parts[1:]]
    chosen = [[w for w in p.grid.covering(_last_us(p)) if part.holds(w)] for p, part in zip(plans, parts, strict=True)]
    planned = sum(len(ws) for ws in chosen)
    if first is not None:
        chosen = _first_windows(chosen, first)
    total = sum(len(ws) for ws in chosen)
    if total > MAX_WINDOWS:
        raise ValidationFailed(f"{total} windows of {spec.window} is too many (limit {MAX_WINDOWS})",
                               issues=[Issue("window", "too many windows", "use a longer window, e.g. 1d or 7d")],
                               key="monitor.windows_too_many_limit",
                               values={"window": spec.window, "total": total, "limit": MAX_WINDOWS})
    stored = {} if full else cache.load()
    results: list[dict[str, Any]] = []
    references: list[dict[str, Any]] = []
    computed = 0
    for k, (seg_plan, part, windows) in enumerate(zip(plans, parts, chosen, strict=True)):
        folder = reference_dir if k == 0 or reference_dir is None else reference_dir / f"segment-{k}"
        done, reference = _run_windows(seg_plan, windows, engine, cache, stored, folder)
        computed += done
        results += [stored[iso(w.start)][1] for w in windows]
        references.append(reference_note(part, reference, windows[0] if windows else None))
    extra: dict[str, Any] = {"generative": {"modality": plan.spec.generative_roles().modality,
                            "required_marks": plan.spec.generative_roles().marks_required()}
             } if spec.task == "generative" else {}
    out: dict[str, Any] = {
        "system": spec.system, "monitor": spec.name, "task": spec.task, **extra,
        "reference": {**_reference_bounds(plan), **references[0]["summary"]},
        "windows": results, "alerts": evaluate(spec, results),
        "run": {"engine": getattr(engine, "name", "duckdb"), "computed_windows": computed,
                "cached_windows": total - computed, "planned_windows": planned,
                "seconds": round(time.perf_counter() - started, 3)},
    }
    if len(parts) > 1 or spec.reference.reset_on_version_change:
        out["references"] = [{k: v for k, v in r.items() if k != "summary"} for r in references]
    return out


def _first_windows(chosen: list[list[Window]], first: int) -> list[list[Window]]:
    """The first ``first`` windows over the segments, in order (a preview computes only those)."""
    out, left = [], max(0, first)
    for windows in chosen:
        out.append(windows[:left])
        left -= len(out[-1])
    return out


def _run_windows(plan: Plan, windows: list[Window], engine: Any, cache: ResultCache,
                 stored: dict[str, tuple[str, dict[str, Any]]], reference_dir: Path | None) -> tuple[int, WindowStats]:
    """Compute the windows whose inputs changed (filing them in ``stored`` and the cache);
    returns how many were computed and the reference's statistics."""
    fingerprints = {w.index: plan.source.fingerprint(to_micros(w.start), to_micros(w.end), plan.reference_fp)
                    for w in windows}
    dirty = [w.index for w in windows if stored.get(iso(w.start), ("",))[0] != fingerprints[w.index]]
    reference = _load_reference(reference_dir, plan.reference_fp)
    if dirty or reference is None:
        job = _job(plan, dirty, reference)
        result = engine.run(job)
        counts = _generative_counts(plan, dirty)
        with ThreadPoolExecutor(1) as writer:  # the summary is written while the windows are stored
            kept = None if reference else writer.submit(_keep_reference, reference_dir, plan.reference_fp, result)
            reference = reference or (result.stats.get(REFERENCE) or WindowStats(), result.references)
            min_size = plan.spec.min_group_size
            fresh = [(w, window_result(w, result.stats.get(w.index), reference[0], plan.layout,
                                       drift=result.drift, auc=result.auc, min_group_size=min_size,
                                       generative=counts))
                     for w in windows if w.index in dirty]
            if plan.layout.columns.model_version and fresh:
                result.references = reference[1]
                per_version = version_results(engine, job, [w for w, _ in fresh], result, reference[0], min_size)
                for w, shown in fresh:
                    shown["versions"] = per_version.get(w.index, {})
            cache.save([(iso(w.start), iso(w.end), fingerprints[w.index], r) for w, r in fresh])
            if kept is not None:
                kept.result()  # a failed write (disk full) is reported, not lost in the thread
        stored.update({iso(w.start): (fingerprints[w.index], r) for w, r in fresh})
    return len(dirty), reference[0]


# --- planning --------------------------------------------------------------------------------

def make_plan(spec: MonitorSpec, lake: LakeProvider | None) -> Plan:
    """Resolve the source, the reference and the window grid of ``spec``."""
    source, columns = _source(spec, lake)
    if spec.task == "generative":  # the released flag is the one value every output has
        columns = columns.model_copy(update={"prediction": spec.generative_roles().released,
                                             "label": None, "score": None})
    layout = Layout(columns, spec.task)
    bounds = spec.reference_bounds()
    ref_source = None
    if bounds is None:
        ref_source = file_source(_area(spec), "reference.log", spec.reference.log or "", None)
    ref_range = (to_micros(bounds[0]), to_micros(bounds[1])) if bounds else None
    origin = bounds[1] if bounds else _first_day(source, columns)
    ref_chunks = ref_source.chunks if ref_source else [c for c in source.chunks if c.overlaps(*ref_range)]  # type: ignore[misc]
    reference_fp = _digest(spec.metric_fingerprint(), json.dumps(columns.model_dump(), sort_keys=True),
                           *sorted(c.key for c in ref_chunks))
    return Plan(spec, layout, source, spec.grid(origin), ref_range, ref_source, reference_fp)


def _source(spec: MonitorSpec, lake: LakeProvider | None) -> tuple[Source, Columns]:
    if spec.log is not None:
        return file_source(_area(spec), "log", spec.log, spec.columns.timestamp), spec.columns
    if lake is None:
        raise ValidationFailed("the spec has no 'log:' and no log lake is available", issues=[Issue(
            "log", "missing", "add 'log: path/to/predictions.parquet' or run it through the server's lake")],
            key="monitor.spec_has_no_log")
    lake_source = lake()
    columns = spec.columns
    if "columns" not in spec.model_fields_set:
        mapping = lake_columns(lake_source.columns) if spec.task == "generative" else lake_source.columns
        columns = Columns.model_validate(mapping)
    source = Source(lake_source.sql, f"lake:{spec.system}", lake_chunks(lake_source.day_fingerprints()),
                    lake_source.columns, files=list(lake_source.files), label_files=list(lake_source.label_files))
    return source, columns


def _area(spec: MonitorSpec) -> FileArea:
    """The spec's file area; a spec built in code without one reads from the working folder."""
    return spec.area or FileArea.local(Path.cwd())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _time_span(source: Source, timestamp: str) -> tuple[int, int] | None:
    known = source.time_range()
    if known is not None:
        return known
    con = DuckDBEngine().connect()
    try:
        types = describe(con, source.sql, source.label)
        if timestamp not in types:
            return None
        ts = _epoch_us(timestamp, types[timestamp], source.label)
        row = con.execute(f"SELECT min({ts}), max({ts}) FROM ({source.sql})").fetchone()
    except duckdb.Error as exc:
        raise read_error(exc, source.label) from None
    finally:
        con.close()
    return None if row is None or row[0] is None else (int(row[0]), int(row[1]))


def _first_day(source: Source, columns: Columns) -> dt.datetime:
    span = _time_span(source, columns.timestamp)
    first = from_micros(span[0]) if span else dt.datetime.now(dt.UTC)
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)


def _last_us(plan: Plan) -> int | None:
    span = _time_span(plan.source, plan.layout.columns.timestamp)
    return span[1] if span else None


def _reference_bounds(plan: Plan) -> dict[str, Any]:
    if plan.reference_range:
        return {"start": iso(from_micros(plan.reference_range[0])), "end": iso(from_micros(plan.reference_range[1]))}
    return {"log": plan.spec.reference.log}


def _generative_counts(plan: Plan, windows: list[int]) -> Any:
    """The generative pass over ``windows`` (``None`` for tabular monitors)."""
    spec = plan.spec
    if spec.task != "generative":
        return None
    roles = spec.generative_roles()
    named = spec.generative.model_fields_set if spec.generative else set()
    defaults = GenerativeColumns().role_columns()
    # a file log must have every role its spec names; the lake, whose default names may be
    # absent (a deployer that logs no complaints), every role mapped to another name
    explicit = {r for r in named if r in defaults and (spec.log is not None or getattr(roles, r) != defaults[r])}
    return generative_counts(DuckDBEngine(), plan.source, plan.grid, windows, roles, roles.marks_required(),
                             plan.layout.columns.timestamp, list(plan.layout.columns.sensitive), explicit=explicit)


def _job(plan: Plan, windows: list[int], reference: tuple[WindowStats, dict[str, NumericReference]] | None
         ) -> EngineJob:
    return EngineJob(plan.source, plan.layout, plan.grid, windows, plan.reference_range, plan.reference_source,
                     reference[1] if reference else None)


# --- reference cache -------------------------------------------------------------------------

#: The arrays of a numeric summary kept on disk; loaded memory-mapped, so an incremental
#: run pages in only what its windows' searches touch instead of rebuilding them.
_SUMMARY_ARRAYS = ("values", "prefix", "first", "run_end")
_REFERENCE_PREFIX = "ref2-"   # ref- folders held sorted values only (older releases)


def _reference_path(folder: Path | None, fingerprint: str) -> Path | None:
    return folder / f"{_REFERENCE_PREFIX}{fingerprint}" if folder else None


def _load_reference(folder: Path | None, fingerprint: str) -> tuple[WindowStats, dict[str, NumericReference]] | None:
    path = _reference_path(folder, fingerprint)
    if path is None or not (path / "meta.json").exists():
        return None
    meta = json.loads((path / "meta.json").read_text())
    stats = WindowStats(n=meta["n"], non_null={LABEL: meta["n_labeled"]}, categories=meta["categories"])
    numeric = {key: _load_summary(path, key, small) for key, small in meta["numeric"].items()}
    return stats, numeric


def _load_summary(path: Path, key: str, small: dict[str, Any]) -> NumericReference:
    arrays = {name: np.load(path / f"{key}.{name}.npy", mmap_mode="r") for name in _SUMMARY_ARRAYS}
    return NumericReference(edges=np.array(small["edges"], dtype=np.float64),
                            shares=np.array(small["shares"], dtype=np.float64), center=small["center"], **arrays)


def _keep_reference(folder: Path | None, fingerprint: str, result: EngineResult) -> None:
    stats = result.stats.get(REFERENCE) or WindowStats()
    path = _reference_path(folder, fingerprint)
    if path is not None:
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        small = {}
        for key, ref in result.references.items():
            for name in _SUMMARY_ARRAYS:
                np.save(tmp / f"{key}.{name}.npy", getattr(ref, name))
            small[key] = {"edges": ref.edges.tolist(), "shares": ref.shares.tolist(), "center": ref.center}
        meta = {"n": stats.n, "n_labeled": stats.non_null.get(LABEL, 0), "categories": stats.categories,
                "numeric": small}
        (tmp / "meta.json").write_text(json.dumps(meta))
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)  # the summary appears whole or not at all
        _drop_stale_references(path)


def _drop_stale_references(current: Path) -> None:
    """Summaries of earlier references of this monitor are never read again."""
    for old in current.parent.iterdir():
        stale = old.name.startswith(("ref-", _REFERENCE_PREFIX)) and not old.name.endswith(".tmp")
        if old != current and old.is_dir() and stale:
            shutil.rmtree(old, ignore_errors=True)

