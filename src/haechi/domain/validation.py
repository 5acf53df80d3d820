"""Turn pydantic validation errors into :class:`Issue` lists a person can act on.

Each issue names the field path, the line in the source file when known, what is
wrong, and a concrete fix (the allowed values, the expected format, or the closest
known field name for a typo).
"""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Issue, ValidationFailed
from .yamlio import Document

M = TypeVar("M", bound=BaseModel)

_FIXES = {
    "missing": "add this field",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "int_type": "write a whole number without quotes or separators",
    "int_parsing": "write a whole number without quotes or separators",
    "float_type": "write a number, e.g. 3.0e+21",
    "float_parsing": "write a number, e.g. 3.0e+21",
    "list_type": "write a list, e.g. [a, b] or one '- item' per line",
    "dict_type": "write a mapping of 'key: value' lines",
    "model_type": "write a mapping of 'key: value' lines",
    "string_type": "write text (quote it if it looks like a number or date)",
    "date_type": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "greater_than_equal": "use a value of zero or more",
}


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model that holds ``loc``'s last element."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        current = _inner_model(annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def fix_for(error: dict[str, Any], model: type[BaseModel] | None = None) -> str | None:
    """A concrete fix for one pydantic error (allowed values, format, closest field name)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        allowed = [a.strip(" '") for a in re.split(r",| or ", str(ctx.get("expected", ""))) if a.strip()]
        close = difflib.get_close_matches(str(error.get("input")), allowed, n=1)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"use one of: {', '.join(allowed)}"
    if kind == "extra_forbidden":
        loc = tuple(error["loc"])
        names = _known_fields(model, loc) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        return f"did you mean '{close[0]}'?" if close else "remove it (unknown field)"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "a-z0-9" in pattern:
            return ("use 2–64 lowercase letters, digits and hyphens, starting with a letter or digit "
                    "(e.g. hiring-screener)")
        if "A-Z]{2}" in pattern:
            return "use a two-letter ISO 3166-1 country code such as KR, US or EU"
        return f"match the pattern {pattern}"
    if kind == "string_too_short":
        return "write a non-empty value"
    return _FIXES.get(kind)


def issues_from(exc: ValidationError, model: type[BaseModel], doc: Document | None = None,
                prefix: tuple[str | int, ...] = ()) -> list[Issue]:
    """Map each pydantic error to an :class:`Issue` with path, line and fix."""
    issues = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] in ("literal_error", "string_pattern_mismatch"):
            message = f"{error.get('input')!r} is not an allowed value"
        issues.append(Issue(
            location=_format_loc(tuple(loc)),
            message=message,
            fix=fix_for(dict(error), model),
            line=doc.line_of(tuple(loc)) if doc else None,
            file=doc.source if doc else None,
            message_ko=_MESSAGES_KO.get(error["type"]),
        ))
    return issues


#: Korean for the pydantic errors people meet most (forms show them beside the field)
_MESSAGES_KO = {
    "missing": "필수 항목입니다",
    "extra_forbidden": "알 수 없는 항목입니다",
    "float_parsing": "숫자가 아닙니다",
    "float_type": "숫자가 아닙니다",
    "int_parsing": "정수가 아닙니다",
    "int_type": "정수가 아닙니다",
    "int_from_float": "정수가 아닙니다",
    "bool_parsing": "참/거짓 값이 아닙니다",
    "literal_error": "허용되지 않는 값입니다",
    "string_pattern_mismatch": "허용되지 않는 형식입니다",
    "string_too_short": "너무 짧습니다",
    "string_too_long": "너무 깁니다",
    "too_long": "항목이 너무 많습니다",
    "greater_than_equal": "허용된 최솟값보다 작습니다",
    "greater_than": "허용된 값보다 작습니다",
    "less_than_equal": "허용된 최댓값보다 큽니다",
    "date_from_datetime_parsing": "날짜 형식이 아닙니다 (YYYY-MM-DD)",
    "date_parsing": "날짜 형식이 아닙니다 (YYYY-MM-DD)",
    "datetime_from_date_parsing": "날짜 형식이 아닙니다 (YYYY-MM-DD)",
    "datetime_parsing": "날짜·시각 형식이 아닙니다",
    "value_error": "올바른 값이 아닙니다",
    "list_type": "목록이어야 합니다",
    "dict_type": "키-값 매핑이어야 합니다",
    "string_type": "문자열이어야 합니다",
}


def parse_model(model: type[M], data: Any, doc: Document | None = None, what: str = "input",
                what_ko: str | None = None) -> M:
    """Validate ``data`` into ``model`` or raise :class:`ValidationFailed` with every issue."""
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        raise ValidationFailed(
            f"{(doc.source + ': ') if doc and doc.source else ''}{what} must be a mapping of fields, found {found}",
            issues=[Issue("", f"expected a mapping, found {found}", "start with 'id: ...' and 'name: ...' lines",
                          1 if doc else None, doc.source if doc else None)],
            key="domain.must_mapping_fields_found", values={"what_ko": what_ko or what},
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        source = f"{doc.source}: " if doc and doc.source else ""
        raise ValidationFailed(
            f"{source}invalid {what} ({exc.error_count()} problem{'s' if exc.error_count() != 1 else ''})",
            issues=issues_from(exc, model, doc),
            key="domain.invalid_problem",
            values={"source": source, "what_ko": what_ko or what, "error_count": exc.error_count()},
        ) from None
