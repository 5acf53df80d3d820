"""Values a database or a total cannot hold: non-finite numbers, NUL, lone surrogates.

``NaN`` or ``Infinity`` kWh turn every sum they join into ``NaN`` (an organisation's
ESG totals go blank); PostgreSQL refuses text with NUL characters and strings with
unpaired UTF-16 surrogates cannot be encoded at all — both surface as a 500 long after
the request was accepted. Every input path (API JSON, dashboard forms, files read by
the CLI, imports) refuses them up front, naming where they are.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from .errors import Issue, ValidationFailed

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class _NonFinite:
    """A JSON number Python would read as NaN or ±Infinity, kept as its spelling."""

    def __init__(self, text: str) -> None:
        self.text = text


def _float_or_mark(text: str) -> float | _NonFinite:
    number = float(text)
    return number if math.isfinite(number) else _NonFinite(text)


def problems(data: Any, root: str = "") -> Iterator[tuple[str, str, str]]:
    """``(location, problem, fix)`` for every non-finite number and bad string in ``data``."""
    for path, problem, fix in problems_at(data):
        yield _location(root, path), problem, fix


def problems_at(data: Any) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Like :func:`problems` with the path as a tuple of keys and indexes."""
    finite_fix = "send a finite number (NaN and Infinity are not numbers)"
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield path, f"{value} is not a finite number", finite_fix
        elif isinstance(value, _NonFinite):
            yield path, f"{value.text} is not a finite number", finite_fix
        elif isinstance(value, str):
            yield from ((path, problem, fix) for problem, fix in _text_problem(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    yield from (((*path, key), problem, fix) for problem, fix in _text_problem(key))
                stack.append(((*path, key), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, i), item) for i, item in enumerate(value))


def _location(root: str, path: tuple[Any, ...]) -> str:
    out = root
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _text_problem(text: str) -> Iterator[tuple[str, str]]:
    found = _BAD_TEXT.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        yield "contains a NUL character (\\u0000)", "remove the NUL characters from the text"
    else:
        yield "contains an unpaired UTF-16 surrogate", "send valid Unicode text (surrogates only in pairs)"


def refuse_in_document(data: Any, source: str, line_of: Any) -> None:
    """Raise :class:`ValidationFailed` naming field and line of every value in a file's
    ``data`` that cannot be stored (``line_of`` maps a path tuple to its line)."""
    found = list(problems_at(data))
    if not found:
        return
    issues = [Issue(_location("", path), problem, fix.replace("send", "write"), line_of(path), source)
              for path, problem, fix in found[:50]]
    raise ValidationFailed(
        f"{source}: {len(found)} value(s) cannot be stored: {issues[0].location or 'value'} {found[0][1]}",
        key="domain.value_cannot_stored", values={"source": source, "count": len(found)},
        issues=issues,
    )


def json_problems(body: bytes) -> list[tuple[str, str, str]]:
    """Problems of a JSON body, with JSON paths; ``[]`` for clean or unparseable bodies
    (FastAPI then reports the syntax error itself)."""
    try:
        data = json.loads(body, parse_constant=_NonFinite, parse_float=_float_or_mark)
    except (ValueError, RecursionError):
        return []
    return list(problems(data, "body"))


def form_problems(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Problems of form fields: NUL characters and unpaired surrogates.

    A field is text until its model reads it, and "Infinity" may be a name: numeric
    fields refuse NaN/Infinity in their models (``allow_inf_nan=False``) instead."""
    return [(name, problem, fix) for name, value in pairs for text in (name, value)
            for problem, fix in _text_problem(text)]
