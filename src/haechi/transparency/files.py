"""Safe output writing: the input is never modified in place, nothing is half-written.

Outputs are written to a temporary file beside the target and moved into place in one
step, so a failure (corrupt media, bad certificate, full disk) leaves no partial file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from haechi.domain.errors import Issue, ValidationFailed


def check_output(src: Path | None, out: Path) -> None:
    """Refuse to overwrite the input and name an unwritable output before any work."""
    if src is not None and out.exists() and _same(src, out):
        raise ValidationFailed(
            f"output {out} is the input file: Haechi never modifies an input in place",
            key="transparency.output_input_file_haechi", values={"out": out},
            issues=[Issue("OUT", "same file as IN", "give a different output path")])
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationFailed(
            f"cannot write {out}: folder {folder} does not exist",
            key="transparency.cannot_write_folder_does", values={"out": out, "folder": folder},
            issues=[Issue("OUT", "missing folder", f"create {folder} first or choose another path")])
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValidationFailed(
            f"cannot write {out}: permission denied",
            key="transparency.cannot_write_permission_denied", values={"out": out},
            issues=[Issue("OUT", "not writable", "choose a folder you can write to")])
    if out.is_dir():
        raise ValidationFailed(f"output {out} is a folder", key="transparency.output_folder", values={"out": out},
                               issues=[Issue("OUT", "is a directory", "give a file name")])


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; move it onto ``out`` only on success."""
    folder = out.parent if str(out.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as error:
        raise ValidationFailed(f"cannot write {out}: {error.strerror or error}",
                               key="transparency.cannot_write", values={"out": out},
                               issues=[Issue("OUT", str(error), "check free space and permissions")]) from None
    finally:
        tmp.unlink(missing_ok=True)
