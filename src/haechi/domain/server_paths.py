"""Keeping the server's own paths out of what users send and see.

An uploaded file's name is the user's text: it becomes one plain file name inside a
private temporary folder, never a path. Error messages are written for the person who
caused them, and a message that quotes a file (a reader's error, a temporary upload)
would otherwise show where the server keeps its data; the API and dashboard error
handlers pass every message through :func:`redact_error`, which cuts paths under the
server's folders (data directory, log lake, temporary folder) to their file name.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from .errors import HaechiError

MAX_NAME = 120


def upload_name(filename: str | None, default: str) -> str:
    """A safe file name for an upload: its last part, without control characters or dots only."""
    text = "".join(ch for ch in (filename or "") if unicodedata.category(ch)[0] != "C")
    name = re.split(r"[/\\]", text)[-1].strip()
    if not name.strip("."):
        return default
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 16 else name[:MAX_NAME]
    return name


def server_roots(settings: Any = None) -> tuple[str, ...]:
    """The folders whose paths must not reach users (longest first)."""
    roots = {tempfile.gettempdir(), str(Path(tempfile.gettempdir()).resolve())}
    if settings is not None:
        for folder in (getattr(settings, "home", None), _lake(settings)):
            if folder is not None:
                roots |= {str(folder), str(Path(folder).resolve())}
    return tuple(sorted((r.rstrip("/") for r in roots if r and r not in (".", "/")), key=len, reverse=True))


def _lake(settings: Any) -> Path | None:
    try:
        return Path(settings.lake_path())
    except AttributeError:
        return None


_ABSOLUTE = re.compile(r"(?<![\w.:/~-])/([\w.-]+)(?:/[^\s'\"/]+)+")


def redact_text(text: str | None, roots: tuple[str, ...]) -> str | None:
    """``text`` with every path under ``roots``, or under a top-level folder of this machine
    (``/data/…``, ``/srv/…``), cut to its file name; ``/api/v1/…`` and other addresses stay."""
    if not text:
        return text
    if roots:
        pattern = "(?:" + "|".join(re.escape(r) for r in roots) + r")(?:/[^\s'\"/]+)*"
        text = re.sub(pattern, lambda m: m.group(0).rsplit("/", 1)[-1] or "…", text)
    return _ABSOLUTE.sub(_cut_if_local, text)


def _cut_if_local(match: re.Match[str]) -> str:
    if os.path.isdir("/" + match.group(1)):
        return match.group(0).rsplit("/", 1)[-1] or "…"
    return match.group(0)


def redact_error(exc: HaechiError, roots: tuple[str, ...]) -> HaechiError:
    """``exc`` with server paths cut out of its messages and issues (changed in place)."""
    exc.message = redact_text(exc.message, roots) or ""
    exc.message_ko = redact_text(exc.message_ko, roots)
    exc.issues = [dataclasses.replace(i, message=redact_text(i.message, roots) or "",
                                      fix=redact_text(i.fix, roots), file=redact_text(i.file, roots),
                                      location=redact_text(i.location, roots) or "") for i in exc.issues]
    return exc
