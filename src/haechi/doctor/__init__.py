"""``haechi doctor``: is this installation ready to run, and if not, what to fix.

Each check looks at one thing an operator sets up (the database and its schema, fonts
for Korean PDFs, signing keys, disk space, the time-zone database, e-mail, the session
secret) and returns a :class:`Finding`: ``pass``, ``warn`` (works, but worth a look),
``fail`` (something will break) or ``skip`` (not applicable here), with a sentence and
a fix in English and Korean. Checks only read: the doctor never migrates, creates keys
or writes into the data directory beyond a probe file it removes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from haechi.settings import Settings

Status = Literal["pass", "warn", "fail", "skip"]


@dataclass(frozen=True)
class Finding:
    """The outcome of one check, in both languages."""

    check: str
    status: Status
    message: str
    message_ko: str
    fix: str | None = None
    fix_ko: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self, lang: str) -> tuple[str, str | None]:
        """(message, fix) in ``lang``."""
        if lang == "ko":
            return self.message_ko, self.fix_ko
        return self.message, self.fix


Check = Callable[[Settings], list[Finding]]


def all_checks() -> list[tuple[str, Check]]:
    """The checks in the order they are reported (imported on use: they load the store)."""
    from . import checks as c

    return [
        ("database", c.database),
        ("secret-key", c.secret_key),
        ("signing-keys", c.signing_keys),
        ("disk", c.disk_space),
        ("timezone", c.timezone),
        ("pdf-fonts", c.pdf_fonts),
        ("email", c.email),
        ("chromium", c.chromium),
    ]


def diagnose(settings: Settings, only: list[str] | None = None) -> list[Finding]:
    """Run every check (or those named in ``only``); a check that crashes is reported as failed."""
    findings: list[Finding] = []
    for name, check in all_checks():
        if only and name not in only:
            continue
        try:
            findings.extend(check(settings))
        except Exception as exc:  # a broken check must not hide the others
            findings.append(Finding(name, "fail", f"the check itself failed: {type(exc).__name__}: {exc}",
                                    f"검사 자체가 실패했습니다: {type(exc).__name__}: {exc}"))
    return findings


def check_names() -> list[str]:
    return [name for name, _ in all_checks()]


def healthy(findings: list[Finding]) -> bool:
    """True when nothing failed (warnings and skipped checks do not count against it)."""
    return all(f.status != "fail" for f in findings)


__all__ = ["Finding", "Status", "check_names", "diagnose", "healthy"]
