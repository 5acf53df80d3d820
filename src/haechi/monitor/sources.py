"""Where a monitor's rows come from, and how to tell which windows changed.

A source is a DuckDB relation (SQL text) plus *chunks*: the pieces of input whose
identity decides whether a cached window is still valid. For Parquet a chunk is a row
group, identified by its file, position, row count, byte size, null counts and
timestamp range, read from the footer without touching the data; so appending a day to
a log (new row groups or new files) dirties only the windows that day overlaps. CSV and
JSON Lines files have no such metadata: a changed file dirties every window it may
hold. For the log lake a chunk is a day partition with the lake's own fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from haechi.domain.errors import Issue, ValidationFailed

from .file_area import FORMATS, FileArea
from .windows import to_micros

_UNIT_TO_US = {"milliseconds": 1000, "microseconds": 1, "nanoseconds": 0.001}


class UnreadableLog(ValidationFailed):
    """The log's files could not be read (as opposed to a spec that does not fit them)."""


@dataclass(frozen=True)
class Chunk:
    """A piece of input: ``key`` changes whenever its rows may have; [lo, hi] in µs or open."""

    key: str
    lo_us: int | None = None
    hi_us: int | None = None

    def overlaps(self, lo_us: int, hi_us: int) -> bool:
        """Whether rows in ``[lo_us, hi_us)`` may be in this chunk."""
        if self.lo_us is None or self.hi_us is None:
            return True
        return self.lo_us < hi_us and self.hi_us >= lo_us


@dataclass
class Source:
    """A relation to read (``sql``), where it came from, and its chunks."""

    sql: str
    label: str
    chunks: list[Chunk] = field(default_factory=list)
    columns: dict[str, Any] | None = None   # role mapping offered by the source (lake)
    files: list[str] = field(default_factory=list)        # for engines that read files (Spark)
    fmt: str = "parquet"
    label_files: list[str] = field(default_factory=list)  # lake late labels, joined by event_id

    def fingerprint(self, lo_us: int, hi_us: int, salt: str = "") -> str:
        """Digest of every chunk that may hold rows of ``[lo_us, hi_us)``."""
        keys = sorted(c.key for c in self.chunks if c.overlaps(lo_us, hi_us))
        return hashlib.sha256("\n".join([salt, *keys]).encode()).hexdigest()[:32]

    def time_range(self) -> tuple[int, int] | None:
        """Earliest and latest timestamp (µs) if every chunk knows its range."""
        lows = [c.lo_us for c in self.chunks if c.lo_us is not None]
        highs = [c.hi_us for c in self.chunks if c.hi_us is not None]
        if not self.chunks or len(lows) < len(self.chunks) or len(highs) < len(self.chunks):
            return None
        return min(lows), max(highs)


_ABSOLUTE = re.compile(r"""(?<![\w.:])(?:[A-Za-z]:)?[/\\](?:[^\s'"/\\]+[/\\])+([^\s'"/\\]*)""")


def hide_paths(text: str) -> str:
    """``text`` with every absolute path cut to its file name (reader errors quote paths)."""
    return _ABSOLUTE.sub(lambda m: m.group(1) or "…", text)


def file_format(files: list[Path], field: str = "log", name: Callable[[Path], str] = lambda p: p.name) -> str:
    """The one format of ``files``; mixed or unknown suffixes are refused."""
    kinds = {FORMATS.get(f.suffix.lower()) for f in files}
    if None in kinds:
        bad = next(f for f in files if f.suffix.lower() not in FORMATS)
        raise ValidationFailed(f"{name(bad)}: unknown log format", issues=[Issue(
            field, f"'{bad.suffix}' is not a log format", "use .parquet, .csv or .jsonl files", file=name(bad))],
            key="monitor.unknown_log_format", values={"bad": name(bad)})
    if len(kinds) > 1:
        raise ValidationFailed("the log mixes file formats", issues=[Issue(
            field, f"found {', '.join(sorted(k for k in kinds if k))}", "keep one format per log")],
            key="monitor.log_mixes_file_formats")
    return kinds.pop()  # type: ignore[return-value]


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read_sql(files: list[Path], fmt: str) -> str:
    names = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    if fmt == "parquet":
        return f"SELECT * FROM read_parquet({names}, union_by_name=true)"
    if fmt == "csv":
        return f"SELECT * FROM read_csv({names}, union_by_name=true, header=true)"
    return f"SELECT * FROM read_json({names}, format='newline_delimited', union_by_name=true)"


def file_source(area: FileArea, field: str, given: str, timestamp: str | None) -> Source:
    """A :class:`Source` over a file, glob or directory of Parquet/CSV/JSON Lines files in ``area``,
    or (an operator's spec only) Parquet objects under an ``s3://`` address."""
    area.check(field, given)   # a confined area refuses URLs before anything is read
    if given.strip().lower().startswith("s3://"):
        from .object_store import s3_source

        return s3_source(given, timestamp, field)
    files = area.files(field, given)
    fmt = file_format(files, field, area.name)
    chunks: list[Chunk] = []
    for file in files:
        chunks.extend(parquet_chunks(file, timestamp, area.name(file), field) if fmt == "parquet"
                      else [_file_chunk(file)])
    return Source(_read_sql(files, fmt), given, chunks, files=[str(f) for f in files], fmt=fmt)


def _file_chunk(file: Path) -> Chunk:
    stat = file.stat()
    return Chunk(f"{file}|{stat.st_size}|{stat.st_mtime_ns}")


def parquet_chunks(file: Path, timestamp: str | None, shown: str | None = None, field: str = "log") -> list[Chunk]:
    """One chunk per row group, with its timestamp range when the footer has statistics."""
    try:
        meta = pq.ParquetFile(file).metadata
    except Exception as exc:  # pyarrow raises several types for a damaged footer
        shown = shown or file.name
        raise ValidationFailed(f"{shown}: cannot read Parquet file", issues=[Issue(
            field, f"not a readable Parquet file ({exc.__class__.__name__})",
            "check that the file is complete and really Parquet", file=shown)],
            key="monitor.cannot_read_parquet_file", values={"shown": shown}) from None
    return row_group_chunks(file, meta, timestamp)


def row_group_chunks(file: Path | str, meta: Any, timestamp: str | None) -> list[Chunk]:
    """The chunks of one Parquet file (local or an object) from its footer ``meta``."""
    names = [meta.schema.column(i).path for i in range(meta.num_columns)]
    ts_index = names.index(timestamp) if timestamp in names else None
    scale = _time_scale(meta, ts_index)
    return [_row_group_chunk(file, meta.row_group(i), i, ts_index, scale) for i in range(meta.num_row_groups)]


def _time_scale(meta: Any, index: int | None) -> float | None:
    if index is None:
        return None
    info = meta.schema.column(index).logical_type.to_json()
    unit = _json_field(info, "timeUnit") if '"Timestamp"' in info else None
    return _UNIT_TO_US.get(unit) if unit else None


def _json_field(text: str, name: str) -> str | None:
    import json

    try:
        return json.loads(text).get(name)
    except ValueError:
        return None


def _row_group_chunk(file: Path | str, rg: Any, index: int, ts_index: int | None, scale: float | None) -> Chunk:
    nulls = [_null_count(rg.column(i)) for i in range(rg.num_columns)]
    key = f"{file}|{index}|{rg.num_rows}|{rg.total_byte_size}|{nulls}"
    lo = hi = None
    if ts_index is not None and scale is not None:
        stats = rg.column(ts_index).statistics
        if stats is not None and stats.has_min_max and stats.null_count == 0:
            lo, hi = int(stats.min_raw * scale), int(stats.max_raw * scale)
    return Chunk(f"{key}|{lo}|{hi}", lo, hi)


def _null_count(column: Any) -> int | None:
    stats = column.statistics
    return stats.null_count if stats is not None and stats.has_null_count else None


def lake_chunks(fingerprints: dict[Any, str]) -> list[Chunk]:
    """One chunk per lake day partition (``LakeSource.day_fingerprints()``)."""
    import datetime as dt

    out = []
    for day, digest in fingerprints.items():
        start = to_micros(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
        out.append(Chunk(f"{day}|{digest}", start, start + 86_400_000_000 - 1))
    return out


def describe(con: Any, sql: str, label: str) -> dict[str, str]:
    """Column name → DuckDB type of a relation; unreadable input becomes a clear error."""
    import duckdb

    try:
        rows = con.execute(f"DESCRIBE {sql}").fetchall()
    except duckdb.Error as exc:
        first = hide_paths(str(exc).strip().splitlines()[0])[:300]
        raise UnreadableLog(f"cannot read the log '{label}': {first}", issues=[Issue(
            "log", first, "check that the files are complete Parquet, CSV with a header row, or JSON Lines")],
            key="monitor.cannot_read_log_2", values={"label": label}) from None
    return {row[0]: row[1] for row in rows}


def check_columns(available: dict[str, str], wanted: Iterable[tuple[str, str]], label: str) -> None:
    """Refuse a mapping that names columns the log does not have, listing what it has."""
    known = list(available)[:40]
    issues = [Issue(f"columns.{role}", f"column '{col}' is not in the log", f"use one of: {', '.join(known)}",
                    message_ko=f"열 '{col}'이(가) 로그에 없습니다",
                    fix_ko="다음 열 중에서 고르세요: " + ", ".join(f"'{c}'" for c in known))
              for role, col in wanted if col not in available]
    if issues:
        raise ValidationFailed(f"the log '{label}' lacks mapped columns", issues=issues,
                               key="monitor.log_lacks_mapped_columns", values={"label": label})
