"""Domain exceptions.

Every error a person can cause is a :class:`HaechiError` with a message that says what
is wrong and how to fix it. Only the API layer maps these to HTTP statuses and only the
CLI maps them to exit codes, so the core stays free of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from haechi.domain.error_catalogue import korean_message


@dataclass(frozen=True)
class Issue:
    """One problem found in user input: where it is, what is wrong, how to fix it."""

    location: str
    message: str
    fix: str | None = None
    line: int | None = None
    file: str | None = None
    #: the message and fix in Korean, where the check that found the issue gives them
    message_ko: str | None = None
    fix_ko: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def render(self, korean: bool = False) -> str:
        """A one-line human rendering: ``card.yaml:12 domains[0]: message — fix``
        (the Korean message and fix where the check gave them and ``korean`` asks)."""
        message = self.message_ko if korean and self.message_ko else self.message
        fix = self.fix_ko if korean and self.fix_ko else self.fix
        where = self.file or ""
        if self.line is not None:
            line = f"{self.line}행" if korean else f"line {self.line}"
            where = f"{where}:{self.line}" if where else line
        head = f"{where} {self.location}".strip() if self.location else where
        text = f"{head}: {message}" if head else message
        return f"{text} — {fix}" if fix else text


class HaechiError(Exception):
    """Base of all expected errors. ``status`` is the HTTP status the API uses.

    The Korean message comes from the error catalogue when the raise site names its
    ``key`` (and the ``values`` the message quotes), or is given as ``message_ko``."""

    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        issues: list[Issue] | tuple[Issue, ...] = (),
        message_ko: str | None = None,
        details: dict[str, Any] | None = None,
        key: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.message_ko = message_ko if message_ko or key is None else korean_message(key, values)
        self.issues: list[Issue] = list(issues)
        self.details: dict[str, Any] = details or {}

    def render(self) -> str:
        lines = [self.message]
        lines += [f"  - {issue.render()}" for issue in self.issues]
        return "\n".join(lines)


class ValidationFailed(HaechiError):
    """Input does not follow its schema; ``issues`` names every field at fault."""

    code = "validation_failed"
    status = 422


class BadRequest(HaechiError):
    code = "bad_request"
    status = 400


class NotFound(HaechiError):
    """Missing, or belonging to another organisation (never say which)."""

    code = "not_found"
    status = 404


class Conflict(HaechiError):
    code = "conflict"
    status = 409


class Unauthorized(HaechiError):
    code = "unauthorized"
    status = 401


class PermissionDenied(HaechiError):
    code = "forbidden"
    status = 403


class TooManyRequests(HaechiError):
    """Throttled: too many attempts; ``retry_after`` says in how many seconds to try again."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, *, retry_after: int, message_ko: str | None = None,
                 key: str | None = None, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, message_ko=message_ko, details={"retry_after": retry_after},
                         key=key, values=values)
        self.retry_after = retry_after


class PayloadTooLarge(HaechiError):
    code = "payload_too_large"
    status = 413


class MissingExtra(HaechiError):
    """An optional dependency is not installed; the message names the extra to add."""

    code = "missing_extra"
    status = 501

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional package '{module}'. "
            f"Install it with: pip install 'haechi[{extra}]'",
            message_ko=f"{feature} 기능에는 '{module}' 패키지가 필요합니다: "
            f"pip install 'haechi[{extra}]'",
            details={"extra": extra, "module": module},
        )


@dataclass
class IssueCollector:
    """Collects issues and raises them together, so users fix everything in one pass."""

    file: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def add(self, location: str, message: str, fix: str | None = None, line: int | None = None, *,
            message_ko: str | None = None, fix_ko: str | None = None) -> None:
        self.issues.append(Issue(location, message, fix, line, self.file, message_ko, fix_ko))

    def raise_if_any(self, summary: str, summary_ko: str | None = None) -> None:
        if self.issues:
            raise ValidationFailed(summary, issues=self.issues, message_ko=summary_ko)
