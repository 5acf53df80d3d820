"""Where a monitor spec may read log files from.

A spec sent over the API (and later run by the dashboard or the scheduler) is data from
a user, so its ``log`` and ``reference.log`` name files *inside its organisation's monitor
file area* (``<home>/files/<org>/monitor``), relative to it: no absolute path, no ``..``,
no home folder, no URL, and every matched file — after following symlinks — must still
lie inside the area. Without ``log`` a spec reads its system's log lake. A spec file the
machine's operator hands to the CLI reads local files relative to the spec's folder.

Errors name the path as the user wrote it (or a file relative to the area), never a
server path, and say the same thing whether or not something exists outside the area.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from haechi.domain.errors import Issue, ValidationFailed

#: suffixes of readable logs → DuckDB reader
FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv",
           ".jsonl": "json", ".ndjson": "json", ".json": "json"}
GLOB_CHARS = "*?["
_DRIVE = re.compile(r"^[A-Za-z]:")
AREA_FIX = ("name a file in your organisation's monitor files, relative to that folder "
            "(e.g. 'hiring/decisions.parquet'), or leave 'log' out to read the system's log lake")
AREA_FIX_KO = "조직의 모니터 파일 폴더 안의 상대 경로를 쓰거나, 'log'를 빼서 시스템 로그 레이크를 읽으세요"


def _refused(field: str, problem: str) -> ValidationFailed:
    # the refused text is not echoed: it may be a server path someone is probing
    return ValidationFailed(
        f"{field}: only files of the organisation's monitor files can be read ({problem})",
        issues=[Issue(field, problem, AREA_FIX)],
        key="monitor.only_files_organisation_monitor", values={"field": field, "area_fix_ko": AREA_FIX_KO})


def _shown(given: str) -> str:
    """The user's text, cut short (it is echoed in messages)."""
    return given if len(given) <= 120 else given[:117] + "..."


@dataclass(frozen=True)
class FileArea:
    """A folder a spec's file names are resolved in; ``confined`` areas refuse the way out."""

    root: Path
    confined: bool

    @classmethod
    def local(cls, folder: Path) -> FileArea:
        """The operator's spec folder: relative names start there, absolute ones are allowed."""
        return cls(Path(folder), confined=False)

    @classmethod
    def organisation(cls, folder: Path) -> FileArea:
        """An organisation's monitor files: relative names only, nothing outside."""
        return cls(Path(folder), confined=True)

    # --- checking ---------------------------------------------------------------------
    def check(self, field: str, given: str) -> None:
        """Refuse a name that could leave a confined area (before anything is read)."""
        if not self.confined:
            return
        text = given.strip()
        if not text or "\x00" in text:
            raise _refused(field, "empty or unprintable name")
        if "://" in text or text.lower().startswith(("file:", "s3:", "gs:", "http:", "https:")):
            raise _refused(field, "URLs are not read")
        if text.startswith(("/", "\\", "~")) or _DRIVE.match(text):
            raise _refused(field, "absolute paths are not allowed")
        if ".." in PurePosixPath(text.replace("\\", "/")).parts:
            raise _refused(field, "'..' is not allowed")

    # --- resolving --------------------------------------------------------------------
    def files(self, field: str, given: str) -> list[Path]:
        """The files named by ``given`` (a file, a glob or a folder searched recursively)."""
        self.check(field, given)
        path = self._path(given)
        text = str(path)
        if any(ch in given for ch in GLOB_CHARS):
            found = [Path(p) for p in sorted(glob.glob(text, recursive=True)) if Path(p).is_file()]
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
        elif path.is_file():
            found = [path]
        else:
            raise self._not_found(field, given, "no such file")
        if not found:
            raise self._not_found(field, given, "no Parquet, CSV or JSON Lines file matches")
        return [self._inside(field, given, f) for f in found]

    def _path(self, given: str) -> Path:
        if self.confined:
            return self.root / given.strip().replace("\\", "/")
        candidate = Path(given).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def _inside(self, field: str, given: str, file: Path) -> Path:
        real = file.resolve()
        if self.confined and not real.is_relative_to(self.root.resolve()):
            raise _refused(field, "a link leads out of the monitor files")
        return real

    def _not_found(self, field: str, given: str, problem: str) -> ValidationFailed:
        if self.confined:
            return ValidationFailed(
                f"no log files found at '{_shown(given)}' in the organisation's monitor files",
                issues=[Issue(field, problem, AREA_FIX)],
                key="monitor.no_log_files_found_2", values={"given": _shown(given)})
        return ValidationFailed(
            f"no log files found at '{given}'",
            issues=[Issue(field, problem, "check the path in 'log:' (relative paths start at the spec file's "
                                          "folder); point it at Parquet, CSV or JSON Lines files")],
            key="monitor.no_log_files_found", values={"given": given})

    # --- naming -----------------------------------------------------------------------
    def name(self, file: Path) -> str:
        """How a resolved file is named in messages: relative to the area, else its base name."""
        for root in (self.root.resolve(), self.root):
            try:
                return str(Path(file).relative_to(root))
            except ValueError:
                continue
        return Path(file).name
