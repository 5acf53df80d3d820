"""Prediction logs on S3-compatible object storage (AWS S3, MinIO, Ceph, Cloudflare R2…).

A spec run by the machine's operator may name ``log: s3://bucket/prefix/`` (a prefix is
read recursively; a single object or a glob such as ``s3://bucket/logs/*/part-*.parquet``
works too). The Parquet objects are read with PyArrow's built-in S3 client and handed
to DuckDB as an Arrow dataset, so nothing is downloaded to disk and no DuckDB extension
is needed (DuckDB's ``httpfs`` is not bundled with its wheel and would be fetched from
the internet). DuckDB pushes the column projection and the time filter into the dataset
scan; each object's row groups become cache chunks (from the footers), so adding a day
recomputes only that day's windows, as with local files.

Settings (environment):

* ``HAECHI_S3_ENDPOINT`` — the service URL for S3-compatible stores, e.g.
  ``http://minio.internal:9000`` (leave it unset for AWS S3);
* ``HAECHI_S3_REGION`` — the bucket's region (default ``AWS_REGION`` or ``us-east-1``);
* credentials: ``HAECHI_S3_ACCESS_KEY_ID`` / ``HAECHI_S3_SECRET_ACCESS_KEY`` when set (each
  may come from a file instead: ``HAECHI_S3_SECRET_ACCESS_KEY_FILE=/run/secrets/…``), else
  the standard AWS chain: ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (/
  ``AWS_SESSION_TOKEN``), the shared credentials file, or the instance's role. Haechi never
  stores, prints or logs them (``settings()`` holds none; messages never quote them).

Specs sent over the API cannot name URLs (``file_area.FileArea.check``): only the
operator chooses which buckets the server reads.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import threading
from collections import OrderedDict
from typing import Any

from haechi.domain.errors import Issue

from .sources import Chunk, Source, UnreadableLog

SCHEME = "s3://"
#: Arrow datasets of the S3 sources in use, registered on every engine connection by name
_DATASETS: OrderedDict[str, Any] = OrderedDict()
_KEEP = 64
_GUARD = threading.Lock()   # ingestion threads and engine runs share the datasets
_CLIENTS: dict[str, Any] = {}


def is_s3(given: str) -> bool:
    return given.strip().lower().startswith(SCHEME)


def settings() -> dict[str, Any]:
    """The S3 client settings from the environment (credentials: the AWS chain)."""
    endpoint = os.environ.get("HAECHI_S3_ENDPOINT", "").strip()
    region = os.environ.get("HAECHI_S3_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
    out: dict[str, Any] = {"region": region}
    if endpoint:
        scheme, _, rest = endpoint.partition("://")
        out["endpoint_override"] = rest.rstrip("/") if rest else scheme.rstrip("/")
        out["scheme"] = scheme if rest else "https"
    return out


def _secret(name: str) -> str | None:
    """``HAECHI_<NAME>`` or the content of the file ``HAECHI_<NAME>_FILE`` names."""
    value = os.environ.get(f"HAECHI_{name}")
    path = os.environ.get(f"HAECHI_{name}_FILE")
    if value is None and path:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().rstrip("\r\n")
        except OSError as exc:
            raise UnreadableLog(f"cannot read HAECHI_{name}_FILE: {exc.__class__.__name__}", issues=[Issue(
                f"HAECHI_{name}_FILE", "unreadable", "mount the file there, readable by the server's user")],
                key="monitor.cannot_read_haechi_file", values={"name": name}) from None
    return value or None


def filesystem() -> Any:
    """The S3 client; keys given to Haechi win over the AWS chain (never echoed anywhere).

    One client per settings is kept: clients are thread-safe and reuse their connections."""
    from pyarrow import fs

    keys = {"access_key": _secret("S3_ACCESS_KEY_ID"), "secret_key": _secret("S3_SECRET_ACCESS_KEY")}
    given = {k: v for k, v in keys.items() if v} if all(keys.values()) else {}
    identity = hashlib.sha256(repr(sorted({**settings(), **given}.items())).encode()).hexdigest()
    with _GUARD:
        client = _CLIENTS.get(identity)
        if client is None:
            client = _CLIENTS[identity] = fs.S3FileSystem(**settings(), **given)
    return client


def event_ids(uris: list[str]) -> str:
    """The name DuckDB reads the ``event_id`` column of lake objects by (duplicate checks)."""
    import pyarrow as pa

    return objects_dataset(filesystem(), uris, pa.schema([("event_id", pa.string())]))


def _unreadable(given: str, field: str, problem: str, fix: str) -> UnreadableLog:
    return UnreadableLog(f"cannot read the log '{given}': {problem}", issues=[Issue(field, problem, fix)],
                         key="monitor.cannot_read_log", values={"given": given})


def list_objects(s3: Any, given: str, field: str) -> list[Any]:
    """The Parquet objects ``given`` names (object, prefix or glob), sorted by key."""
    from pyarrow import fs

    path = given.strip()[len(SCHEME):]
    pattern = None
    if any(c in path for c in "*?["):
        fixed = path[:min(path.index(c) for c in "*?[" if c in path)]
        pattern, path = path, fixed.rsplit("/", 1)[0]
    try:
        info = s3.get_file_info(path)
        if info.type == fs.FileType.File:
            found = [info]
        else:
            found = [f for f in s3.get_file_info(fs.FileSelector(path.rstrip("/"), recursive=True,
                                                                 allow_not_found=True))
                     if f.type == fs.FileType.File]
    except OSError as exc:
        raise _unreadable(given, field, str(exc).splitlines()[0][:300],
                          "check the bucket name, HAECHI_S3_ENDPOINT, HAECHI_S3_REGION and the AWS credentials "
                          "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)") from None
    objects = [f for f in found if f.path.lower().endswith(".parquet") and not f.base_name.startswith(("_", "."))
               and (pattern is None or fnmatch.fnmatchcase(f.path, pattern))]
    if not objects:
        raise _unreadable(given, field, "no Parquet objects there",
                          "name a bucket prefix holding .parquet objects, e.g. s3://bucket/logs/, and check the "
                          "bucket name and HAECHI_S3_ENDPOINT (an unknown bucket lists as empty on some stores)")
    return sorted(objects, key=lambda f: f.path)


def s3_source(given: str, timestamp: str | None, field: str = "log") -> Source:
    """A :class:`Source` over the Parquet objects at ``given``, read through Arrow."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from .sources import row_group_chunks

    s3 = filesystem()
    objects = list_objects(s3, given, field)
    chunks: list[Chunk] = []
    try:
        for obj in objects:
            with s3.open_input_file(obj.path) as handle:
                meta = pq.ParquetFile(handle).metadata
            chunks += row_group_chunks(f"{SCHEME}{obj.path}|{obj.size}|{obj.mtime_ns}", meta, timestamp)
        dataset = ds.dataset([o.path for o in objects], filesystem=s3, format="parquet")
    except (OSError, ValueError) as exc:
        raise _unreadable(given, field, str(exc).splitlines()[0][:300],
                          "check that every object is a complete Parquet file with the same columns") from None
    name = _keep("\n".join(c.key for c in chunks), dataset)
    return Source(f"SELECT * FROM {name}", given.strip(), chunks, files=[f"{SCHEME}{o.path}" for o in objects])


def _keep(identity: str, dataset: Any) -> str:
    """Keep ``dataset`` for the engine connections; returns the name it is read by."""
    name = "__haechi_s3_" + hashlib.sha256(identity.encode()).hexdigest()[:16]
    with _GUARD:
        _DATASETS[name] = dataset
        _DATASETS.move_to_end(name)
        while len(_DATASETS) > _KEEP:
            _DATASETS.popitem(last=False)
    return name


def objects_dataset(s3: Any, uris: list[str], schema: Any) -> str:
    """A name DuckDB reads the Parquet objects ``uris`` by (after :func:`attach`), as one
    relation with ``schema``: columns an object lacks read as null, like DuckDB's
    ``read_parquet(…, union_by_name=true)`` over local files."""
    import pyarrow.dataset as ds

    paths = [u[len(SCHEME):] for u in uris]
    dataset = ds.dataset(paths, schema=schema, filesystem=s3, format="parquet")
    return _keep("\n".join([schema.to_string(), *paths]), dataset)


def attach(con: Any) -> None:
    """Make the S3 datasets in use readable by name on a DuckDB connection."""
    with _GUARD:
        kept = list(_DATASETS.items())
    for name, dataset in kept:
        con.register(name, dataset)
