"""What a file really is: its media type from the first bytes, checked against what it claims.

Evidence files are documents, images, spreadsheets and data, never programs. The
declared type (from the file name or the uploader) must agree with the type sniffed from
the content, so a renamed executable or a PDF called ``.xlsx`` is refused with a message
naming both. Text formats that cannot be told apart by content (CSV, Markdown, YAML,
plain text) are accepted for one another.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePath

from haechi.domain.archives import open_zip, read_head
from haechi.domain.errors import ValidationFailed

#: Accepted evidence types by file extension.
EXTENSIONS: dict[str, str] = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".txt": "text/plain", ".log": "text/plain",
    ".csv": "text/csv", ".md": "text/markdown", ".json": "application/json",
    ".jsonl": "application/x-ndjson", ".yaml": "application/yaml", ".yml": "application/yaml",
    ".html": "text/html", ".htm": "text/html", ".xml": "application/xml", ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".parquet": "application/vnd.apache.parquet",
}
ACCEPTED: frozenset[str] = frozenset(EXTENSIONS.values())
TEXT_FAMILY: frozenset[str] = frozenset({
    "text/plain", "text/csv", "text/markdown", "application/yaml", "application/json",
    "application/x-ndjson"})
_REFUSED_MAGIC = {b"\x7fELF": "an ELF executable", b"MZ": "a Windows executable",
                  b"\xca\xfe\xba\xbe": "a Mach-O or Java class file", b"#!": "a script"}
_OOXML = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}


def declared_type(filename: str | None, media_type: str | None) -> str | None:
    """The type the uploader claims: explicit ``media_type`` first, else from the extension."""
    if media_type:
        return media_type.split(";")[0].strip().lower()
    if filename:
        return EXTENSIONS.get(PurePath(filename).suffix.lower())
    return None


def sniff(head: bytes) -> str:
    """The media type of content starting with ``head`` (give at least the first 64 KiB)."""
    for magic, what in _REFUSED_MAGIC.items():
        if head.startswith(magic):
            return f"x-refused/{what}"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PAR1"):
        return "application/vnd.apache.parquet"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    if b"\x00" in head:
        return "application/octet-stream"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "application/octet-stream"
        text = head[:exc.start].decode("utf-8-sig", errors="ignore")
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html")):
        return "text/html"
    if start.startswith("<?xml") or (start.startswith("<") and not start.startswith("<!--")):
        return "application/xml"
    if start.startswith(("{", "[")) and _is_json(text):
        return "application/json"
    return "text/plain"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except RecursionError:
        return True  # JSON-shaped but nested past the parser's recursion: stored, never parsed
    except ValueError:
        return False
    return True


def refine_zip(data: bytes | Path, name: str = "archive") -> str:
    """Tell Office Open XML and OpenDocument files apart from a plain ZIP archive.

    Only member names and the first bytes of ``mimetype`` are read: nothing is inflated
    beyond that, whatever the members declare (archives are stored, never unpacked)."""
    try:
        with open_zip(data, name) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                odf = read_head(archive, "mimetype", 128).decode("ascii", errors="ignore").strip()
                if odf in ACCEPTED:
                    return odf
            for prefix, ext in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return EXTENSIONS[ext]
    except (zipfile.BadZipFile, OSError):
        return "application/octet-stream"
    return "application/zip"


def compatible(declared: str, sniffed: str) -> bool:
    """Whether content of type ``sniffed`` may be stored as ``declared``."""
    if declared == sniffed:
        return True
    if sniffed in ("text/plain", "application/json") and declared in TEXT_FAMILY:
        return True
    return sniffed == "application/xml" and declared in ("application/xml", "text/html")


def check_type(filename: str | None, media_type: str | None, sniffed: str) -> str:
    """Validate the declared type against the sniffed one; return the type to record."""
    declared = declared_type(filename, media_type)
    where = filename or "upload"
    if sniffed.startswith("x-refused/"):
        raise ValidationFailed(
            f"{where}: the file is {sniffed.split('/', 1)[1]}; programs cannot be stored as evidence",
            key="compliance.file_programs_cannot_stored", values={"where": where})
    if declared is None:
        raise ValidationFailed(
            f"{where}: unknown file type; use one of the extensions {', '.join(sorted(EXTENSIONS))} "
            "or give the media type", key="compliance.unknown_file_type_use",
            values={"extensions": ", ".join(sorted(EXTENSIONS)), "where": where})
    if declared not in ACCEPTED:
        raise ValidationFailed(
            f"{where}: type '{declared}' is not accepted as evidence; accepted: PDF, images, Office/ODF "
            "documents, text, CSV, JSON, YAML, HTML, XML, ZIP, Parquet",
            key="compliance.type_not_accepted_as", values={"where": where, "declared": declared})
    if sniffed == "application/octet-stream" or not compatible(declared, sniffed):
        raise ValidationFailed(
            f"{where}: declared as {declared} but the content is {sniffed}; rename the file or fix "
            "the media type", key="compliance.declared_as_but_content",
            values={"where": where, "declared": declared, "sniffed": sniffed},
            details={"declared": declared, "sniffed": sniffed})
    return declared
