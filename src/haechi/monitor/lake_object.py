"""The log lake on S3-compatible object storage (``HAECHI_LAKE_URL=s3://bucket/prefix``).

The layout is the local lake's (``<org>/<system>/date=YYYY-MM-DD/part-….parquet``,
labels under ``labels/``, the column registry in ``_schema.json``), and so are the
guarantees: a batch is stored whole or not at all, exactly once per event id.

**Why commit objects.** The local lake publishes a batch by renaming fsynced temporary
files into place (through a journal when a batch spans several days). Object stores have
no rename: a copy and a delete are two requests a crash can separate, and a listing may
show some of a batch's objects without the others. So the data objects are uploaded
first under unique names that no reader looks at, and the batch is published by *one*
small PUT of a commit object (``_commits/<time>-<uuid>.json``) naming every object of the
batch, all days at once. A PUT of one object is atomic on S3, MinIO and the other S3
stores (a reader sees all of it or none), and the commit's name is unique, so no writer
can overwrite another's: this is a put-if-absent by construction, without needing the
store's conditional-write support. Readers see exactly the objects the commits name; an
upload left by a writer that crashed before its commit is never read.

Duplicate checks, the column registry and Parquet encoding run on this host under the
system's local write lock, as for the local lake: one host (the server) writes a system.
Reading goes through PyArrow's S3 client into DuckDB Arrow scans (DuckDB's ``httpfs``
extension is not part of its wheel and would be downloaded; see ``object_store.py``).

Compaction, retention purges and quarantine move and delete files; on object storage
they are not done (``LocalOnly``): use the bucket's lifecycle rules for retention.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from haechi.domain.errors import BadRequest, Issue

from . import lake_files as files
from . import object_store
from .lake import SAFE_NAME, Lake, SystemLake, SystemWriter
from .lake_batch import Piece
from .lake_schema import LABEL_SCHEMA, ColumnRegistry
from .lake_source import LakeSource, TimeBound, build_source, day_range
from .sources import UnreadableLog

COMMITS = "_commits"
SCHEMA = "_schema.json"


class LocalOnly(BadRequest):
    """Upkeep that moves or deletes lake files, asked of a lake on object storage."""


def local_only(what: str, what_ko: str) -> LocalOnly:
    return LocalOnly(f"{what} works on a local log lake only; this workspace's lake is on object storage "
                     "(HAECHI_LAKE_URL): use the bucket's lifecycle rules for retention",
                     key="monitor.works_local_log_lake", values={"what_ko": what_ko})


class ObjectLake(Lake):
    """A lake whose files live in a bucket; ``staging`` holds write locks and temporary files."""

    def __init__(self, staging: Path, url: str) -> None:
        super().__init__(staging)
        self.url = url.strip().rstrip("/")
        self.base = self.url[len(object_store.SCHEME):]
        if not self.base or not object_store.is_s3(self.url):
            raise ValueError("HAECHI_LAKE_URL must look like s3://bucket/prefix")
        self.commits: dict[str, list[dict[str, Any]]] = {}   # commit key → its files (immutable)
        self.guard = threading.Lock()
        self.bucket_seen = False

    def check_bucket(self) -> None:
        """Refuse a bucket that does not exist (once per process): listing it would read as
        an empty lake, and writing into it would fail on the first batch."""
        from pyarrow import fs

        if self.bucket_seen:
            return
        bucket = self.base.split("/", 1)[0]
        try:
            found = object_store.filesystem().get_file_info(bucket).type != fs.FileType.NotFound
        except OSError as exc:
            raise storage_error(exc) from None
        if not found:
            raise UnreadableLog(f"the log lake's bucket '{bucket}' does not exist", issues=[Issue(
                "HAECHI_LAKE_URL", f"no bucket '{bucket}'", "create the bucket, or correct HAECHI_LAKE_URL and "
                "HAECHI_S3_ENDPOINT")], key="monitor.log_lake_bucket_does", values={"bucket": bucket})
        self.bucket_seen = True

    def system(self, org: str, system: str) -> ObjectSystemLake:
        for name in (org, system):
            if not SAFE_NAME.match(name or ""):
                raise ValueError(f"{name!r} is not a valid organisation or system id (lowercase slug)")
        return ObjectSystemLake(self, org, system)

    def systems(self, org: str) -> list[str]:
        from pyarrow import fs

        self.check_bucket()
        found = object_store.filesystem().get_file_info(
            fs.FileSelector(f"{self.base}/{org}", recursive=False, allow_not_found=True))
        return sorted(f.base_name for f in found if f.type == fs.FileType.Directory)


class ObjectSystemLake(SystemLake):
    """One system's objects: committed batches only, read through Arrow."""

    lake: ObjectLake

    def __init__(self, lake: ObjectLake, org: str, system: str) -> None:
        super().__init__(lake, org, system)
        self.key = f"{lake.base}/{org}/{system}"

    # --- layout ---------------------------------------------------------------
    def registry(self) -> ColumnRegistry:
        self.lake.check_bucket()
        try:
            with object_store.filesystem().open_input_stream(f"{self.key}/{SCHEMA}") as handle:
                data = json.loads(handle.read())
        except FileNotFoundError:
            return ColumnRegistry()
        except OSError as exc:
            raise storage_error(exc) from None
        return ColumnRegistry({name: spec["role"] for name, spec in data.get("columns", {}).items()})

    def save_registry(self, registry: ColumnRegistry) -> None:
        # the registry only grows, under the system's write lock, and a PUT replaces it whole
        put(f"{self.key}/{SCHEMA}", json.dumps(registry.to_json(), sort_keys=True).encode())

    def committed(self) -> list[dict[str, Any]]:
        """Every object the system's commits name: ``{"key", "bytes", "day", "labels"}``."""
        from pyarrow import fs

        self.lake.check_bucket()
        s3 = object_store.filesystem()
        try:
            listed = s3.get_file_info(fs.FileSelector(f"{self.key}/{COMMITS}", allow_not_found=True))
        except OSError as exc:
            raise storage_error(exc) from None
        names = sorted(f.path for f in listed if f.type == fs.FileType.File and f.path.endswith(".json"))
        out: list[dict[str, Any]] = []
        for name in names:
            with self.lake.guard:
                known = self.lake.commits.get(name)
            if known is None:
                with s3.open_input_stream(name) as handle:
                    known = json.loads(handle.read())["files"]
                with self.lake.guard:
                    self.lake.commits[name] = known
            out += known
        return out

    def days(self, labels: bool = False) -> list[dt.date]:
        return sorted({dt.date.fromisoformat(f["day"]) for f in self.committed() if f["labels"] == labels})

    def live_files(self, day: dt.date, labels: bool = False) -> list[Any]:
        wanted = day.isoformat()
        return sorted(self.uri(f["key"]) for f in self.committed() if f["labels"] == labels and f["day"] == wanted)

    def inventory(self) -> tuple[list[dt.date], list[Any], list[Any]]:
        committed = self.committed()   # one listing of the commits for all three
        days = sorted({dt.date.fromisoformat(f["day"]) for f in committed if not f["labels"]})
        return (days, sorted(self.uri(f["key"]) for f in committed if not f["labels"]),
                sorted(self.uri(f["key"]) for f in committed if f["labels"]))

    def size_of(self, live: list[Any]) -> int:
        sizes = {self.uri(f["key"]): f["bytes"] for f in self.committed()}
        return sum(sizes.get(str(f), 0) for f in live)

    def uri(self, key: str) -> str:
        return f"{object_store.SCHEME}{key}"

    def object_key(self, local: Path) -> str:
        """The key of a file staged at ``local`` (same layout under the system's prefix)."""
        return f"{self.key}/{local.relative_to(self.dir).as_posix()}"

    # --- reading --------------------------------------------------------------
    def files_between(self, start: TimeBound, end: TimeBound, labels: bool = False) -> list[Any]:
        lo, hi = day_range(start, end)
        return sorted(self.uri(f["key"]) for f in self.committed()
                      if f["labels"] == labels and lo <= dt.date.fromisoformat(f["day"]) <= hi)

    def source(self, start: TimeBound = None, end: TimeBound = None) -> LakeSource:
        """As for the local lake, over the committed objects (one listing of the commits)."""
        committed = self.committed()
        lo, hi = day_range(start, end)
        events = sorted(self.uri(f["key"]) for f in committed
                        if not f["labels"] and lo <= dt.date.fromisoformat(f["day"]) <= hi)
        labels = sorted(self.uri(f["key"]) for f in committed if f["labels"])
        return build_source(self, events, labels, start, end)

    def scan(self, files_: list[str]) -> str:
        import pyarrow as pa_

        s3 = object_store.filesystem()
        schema = pa_.unify_schemas([_schema_of(s3, f) for f in files_])
        return object_store.objects_dataset(s3, files_, schema)

    def file_columns(self, path: str) -> frozenset[str]:
        return frozenset(_schema_of(object_store.filesystem(), path).names)

    # --- writing ----------------------------------------------------------------
    def commit(self, staged: list[tuple[Path, Path, dt.date, bool]]) -> list[str]:
        """Upload staged files ``(temporary, final, day, labels)``, then publish them in one
        commit object; returns their URIs."""
        entries: list[dict[str, Any]] = []
        for local, final, day, labels in staged:
            key = self.object_key(final)
            data = local.read_bytes()
            put(key, data)
            entries.append({"key": key, "bytes": len(data), "day": day.isoformat(), "labels": labels})
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        put(f"{self.key}/{COMMITS}/{stamp}-{uuid.uuid4().hex}.json", json.dumps({"files": entries}).encode())
        files.remove_durably([local for local, *_ in staged])   # published: the staged copies go
        return [self.uri(e["key"]) for e in entries]


class ObjectSystemWriter(SystemWriter):
    """Publishes by commit object instead of rename (see the module doc)."""

    sl: ObjectSystemLake

    def _publish(self, todo: list[Piece]) -> list[tuple[str, dt.date]]:
        staged = []
        for piece in todo:
            assert piece.tmp is not None
            staged.append((piece.tmp, piece.final, piece.day, False))
        uris = self.sl.commit(staged) if staged else []
        for piece in todo:
            piece.tmp = None
        return [(uri, piece.day) for uri, piece in zip(uris, todo, strict=True)]

    def append_labels(self, table: pa.Table) -> int:
        now = dt.datetime.now(dt.UTC)
        stamped = pa.table({"event_id": table.column("event_id"), "label": table.column("label"),
                            "labeled_at": pa.array([now] * table.num_rows, pa.timestamp("us", tz="UTC"))},
                           schema=LABEL_SCHEMA)
        final = self.sl.day_dir(now.date(), labels=True) / files.new_part_name()
        self.sl.commit([(files.write_parquet_temp(stamped, final), final, now.date(), True)])
        return stamped.num_rows


ObjectSystemLake.writer_type = ObjectSystemWriter


def put(key: str, data: bytes) -> None:
    """One PUT of a whole object (atomic for readers)."""
    try:
        with object_store.filesystem().open_output_stream(key) as out:
            out.write(data)
    except OSError as exc:
        raise storage_error(exc) from None


def storage_error(exc: OSError) -> UnreadableLog:
    """The store refused or could not be reached: say so without a traceback (no credentials
    are part of the client's messages)."""
    first = str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__
    return UnreadableLog(f"the log lake's object storage failed: {first}", issues=[Issue(
        "HAECHI_LAKE_URL", first, "check the bucket, HAECHI_S3_ENDPOINT, HAECHI_S3_REGION and the credentials")],
        key="monitor.log_lake_object_storage")


_SCHEMAS: dict[str, Any] = {}


def _schema_of(s3: Any, uri: str) -> Any:
    """The Parquet schema of an object (objects never change, so it is kept by key)."""
    import pyarrow.parquet as pq

    schema = _SCHEMAS.get(uri)
    if schema is None:
        with s3.open_input_file(uri[len(object_store.SCHEME):]) as handle:
            schema = pq.ParquetFile(handle).schema_arrow
        if len(_SCHEMAS) > 65536:
            _SCHEMAS.clear()
        _SCHEMAS[uri] = schema
    return schema
