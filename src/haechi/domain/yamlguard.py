"""Refusing YAML and JSON documents that would expand beyond the input limits.

A YAML anchor can be repeated by aliases, and aliases of aliases multiply: a few hundred
bytes ("billion laughs") describe billions of nodes. Parsers share the repeated node,
but every later walk over the data (line maps, validation, serialisation) expands it.
So before a document is composed, its event stream — produced by libyaml when present,
without recursion — is counted: nesting depth, alias references and the number of
nodes the document has once every alias is expanded. Any limit exceeded refuses the
document with a message naming it; nothing has been built yet.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Issue, ValidationFailed
from .limits import MAX_NESTING, MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_NODES, json_depth_exceeds, too_large

_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_yaml_text(text: str, source: str | None = None) -> None:
    """Raise ``PayloadTooLarge``/``ValidationFailed`` if ``text`` breaks a YAML limit."""
    name = source or "input"
    _check_size(text, name)
    try:
        _count_events(text, name, _EventLoader)
    except yaml.YAMLError:
        # libyaml scans a flow collection ahead and may fail before emitting the events
        # that show the depth; the pure-Python parser emits them in order (no recursion).
        try:
            _count_events(text, name, yaml.SafeLoader)
        except yaml.YAMLError:
            return  # the real parse reports the syntax error with its line


def check_json_text(text: str, source: str | None = None) -> None:
    """Raise if JSON ``text`` is too large or nested too deeply for the recursive parser."""
    name = source or "input"
    _check_size(text, name)
    if json_depth_exceeds(text.encode("utf-8", "surrogatepass")):
        raise _refused(name, f"nested more than {MAX_NESTING} levels deep", f"{MAX_NESTING}단계 넘게 중첩되어",
                       "flatten the document", None)


def _check_size(text: str, name: str) -> None:
    if len(text) > MAX_YAML_BYTES:
        raise too_large(f"{name}: document", f"{name}: 문서", f"{MAX_YAML_BYTES // (1024 * 1024)} MB",
                        "split it into several files", file=name)


def _count_events(text: str, name: str, loader: Any) -> None:
    sizes: dict[str, int] = {}   # anchor -> expanded node count of its finished node
    stack: list[list[Any]] = []  # open collections: [anchor, nodes so far]
    total = aliases = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
            total += 1
            if len(stack) > MAX_NESTING:
                raise _refused(name, f"nested more than {MAX_NESTING} levels deep",
                               f"{MAX_NESTING}단계 넘게 중첩되어", "flatten the document", event)
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
            total += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise _refused(name, f"more than {MAX_YAML_ALIASES:,} aliases", "별칭(*)이 너무 많아",
                               "write the values out instead of repeating anchors", event)
            if event.anchor not in sizes:
                raise _refused(name, f"the alias *{event.anchor} refers to a node that contains it",
                               "자기 자신을 참조하는 별칭이 있어", "remove the recursive alias", event)
            anchor, size = None, sizes[event.anchor]
            total += size
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if stack:
            stack[-1][1] += size
        if total > MAX_YAML_NODES:
            raise _refused(name, f"expands to more than {MAX_YAML_NODES:,} values through aliases",
                           "별칭을 펼치면 값이 너무 많아", "write the values out instead of repeating anchors", event)


def _refused(name: str, problem: str, problem_ko: str, fix: str, event: Any) -> ValidationFailed:
    mark = getattr(event, "start_mark", None)
    line = mark.line + 1 if mark is not None else None
    return ValidationFailed(
        f"{name}: refused: the document {problem}",
        key="domain.refused_document", values={"name": name, "problem_ko": problem_ko},
        issues=[Issue("", problem, fix, line, name)],
    )
