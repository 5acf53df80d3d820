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
            message_ko=f"출력 {out}이(가) 입력 파일과 같습니다: 입력 파일은 직접 수정하지 않습니다",
            issues=[Issue("OUT", "same file as IN", "give a different output path")])
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationFailed(
            f"cannot write {out}: folder {folder} does not exist",
            message_ko=f"{out}에 쓸 수 없습니다: {folder} 폴더가 없습니다",
            issues=[Issue("OUT", "missing folder", f"create {folder} first or choose another path")])
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValidationFailed(
            f"cannot write {out}: permission denied",
            message_ko=f"{out}에 쓸 수 없습니다: 권한이 없습니다",
            issues=[Issue("OUT", "not writable", "choose a folder you can write to")])
    if out.is_dir():
        raise ValidationFailed(f"output {out} is a folder", message_ko=f"출력 {out}은(는) 폴더입니다",
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
                               message_ko=f"{out}에 쓸 수 없습니다",
                               issues=[Issue("OUT", str(error), "check free space and permissions")]) from None
    finally:
        tmp.unlink(missing_ok=True)
