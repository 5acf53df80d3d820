"""Opening user ZIP files (evidence, XLSX workbooks) within the input limits.

``zipfile`` builds an object per member from the central directory and inflates a
member in full on ``read``; a 1.5 MB upload can declare millions of members or one
member of gigabytes. The member count is read from the end-of-central-directory record
before anything is built, declared sizes are summed before anything is inflated, and
members are read only up to a bound.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from .limits import MAX_ARCHIVE_ENTRIES, too_large

_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 65535  # the record plus the longest comment


def member_count(handle: BinaryIO) -> int | None:
    """Members declared by the end-of-central-directory record, ``None`` if there is none.

    A ZIP64 archive stores 0xFFFF here, which is above any limit we use, so it counts
    as "too many" without parsing the ZIP64 record."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - _EOCD_SEARCH))
    tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    (total,) = struct.unpack_from("<H", tail, at + 10)
    return int(total)


def open_zip(source: bytes | Path, name: str, max_entries: int = MAX_ARCHIVE_ENTRIES,
             max_inflated: int | None = None) -> zipfile.ZipFile:
    """A ``ZipFile`` of ``source`` after checking the member count (and the declared
    inflated size unless ``max_inflated`` is ``None``); raises ``zipfile.BadZipFile``
    for what is not a ZIP and ``PayloadTooLarge`` over a limit."""
    handle: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    try:
        count = member_count(handle)
        fix = "put fewer files in one archive, or upload them separately"
        if count is not None and count > max_entries:
            raise too_large(f"{name}: archive of {count:,} members", f"{name}: 압축 파일 항목 수",
                            f"{max_entries:,} members", fix, file=name)
        handle.seek(0)
        archive = zipfile.ZipFile(handle)
        if len(archive.infolist()) > max_entries:  # a record that understates the count
            raise too_large(f"{name}: archive", f"{name}: 압축 파일 항목 수", f"{max_entries:,} members", fix,
                            file=name)
        inflated = sum(info.file_size for info in archive.infolist())
        if max_inflated is not None and inflated > max_inflated:
            raise too_large(f"{name}: archive inflating to {inflated // (1024 * 1024):,} MB",
                            f"{name}: 압축 해제 크기", f"{max_inflated // (1024 * 1024):,} MB inflated",
                            "split the content into smaller files", file=name)
    except BaseException:
        handle.close()
        raise
    return archive


def read_head(archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``member``: never the whole of a member that may be huge."""
    with archive.open(member) as stream:
        return stream.read(limit)
