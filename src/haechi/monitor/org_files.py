"""An organisation's monitor files: logs and reference sets uploaded for monitor specs.

They live in ``<home>/files/<org>/monitor/`` — the only files a spec sent over the API
may name (``file_area.py``). A name is a relative path of plain parts (letters, digits,
``.``, ``_``, ``-``; at most four levels) ending in a log suffix; anything else is refused
before the disk is touched. A file is written under a temporary name, fsynced and
renamed into place, so a monitor never reads half an upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import Any

from haechi.domain.errors import Issue, NotFound, ValidationFailed

from .file_area import FORMATS, FileArea

PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
MAX_DEPTH = 4
FIX = "use a relative name of letters, digits, '.', '_' and '-', e.g. hiring/2026-03.parquet"


def checked_name(name: str) -> str:
    """``name`` if it can be a monitor file's name, else a 422 naming the problem."""
    FileArea.organisation(Path(".")).check("name", name)
    parts = name.split("/")
    problem = None
    if len(parts) > MAX_DEPTH:
        problem = f"at most {MAX_DEPTH} levels"
    elif not all(PART.match(p) for p in parts):
        problem = "only letters, digits, '.', '_' and '-' in each part"
    elif Path(name).suffix.lower() not in FORMATS:
        problem = "not a log file suffix (.parquet, .csv, .tsv, .jsonl, .ndjson, .json)"
    if problem:
        raise ValidationFailed(f"not a monitor file name: {problem}", issues=[Issue("name", problem, FIX)],
                               key="monitor.not_monitor_file_name")
    return name


def put(root: Path, name: str, data: bytes) -> dict[str, Any]:
    """Store ``data`` as ``name`` (replacing it), durably; its description."""
    target = root / checked_name(name)
    if not data:
        raise ValidationFailed(f"{name}: the file is empty", issues=[Issue("body", "empty", "send the file's bytes")],
                               key="monitor.file_empty", values={"name": name})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    return describe(root, target, hashlib.sha256(data).hexdigest())


def listing(root: Path) -> list[dict[str, Any]]:
    """Every monitor file of the organisation, by name."""
    if not root.is_dir():
        return []
    found = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [describe(root, p) for p in found if not p.is_symlink()]


def delete(root: Path, name: str) -> None:
    target = root / checked_name(name)
    if not target.is_file():
        raise NotFound(f"no monitor file '{name}'", key="monitor.no_monitor_file", values={"name": name})
    target.unlink()


def describe(root: Path, path: Path, sha256: str | None = None) -> dict[str, Any]:
    stat = path.stat()
    info: dict[str, Any] = {"name": path.relative_to(root).as_posix(), "size": stat.st_size,
                            "modified_at": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(
                                timespec="seconds")}
    if sha256:
        info["sha256"] = sha256
    return info
