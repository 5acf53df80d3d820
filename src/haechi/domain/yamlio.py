"""YAML and JSON reading that remembers where every value came from.

Validation messages must name the line of the offending field, so documents are
parsed to a node tree first and a map ``path -> line`` is kept beside the data.

The loader follows YAML 1.2 for booleans: only ``true``/``false`` are booleans.
YAML 1.1 also reads ``NO``, ``on`` or ``y`` as booleans, which silently turns the
country code of Norway into ``False``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Issue, ValidationFailed
from .strictdata import refuse_in_document
from .yamlguard import check_json_text, check_yaml_text

PathKey = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and exponent floats without a sign."""


# Drop the YAML 1.1 bool resolver and install a 1.2 one.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# YAML 1.1 parsers read 3.0e21 (no sign) as a string; accept it as a float.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


@dataclass
class Document:
    """Parsed data plus the line of each path (1-based) and the source file name."""

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    source: str | None = None

    def line_of(self, path: PathKey) -> int | None:
        """Line of ``path`` or of its nearest ancestor that exists in the document."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


def _walk(node: yaml.Node, path: PathKey) -> Iterator[tuple[PathKey, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            yield child, key_node.start_mark.line + 1
            for sub_path, line in _walk(value_node, child):
                if sub_path != child:
                    yield sub_path, line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*path, index))


def _syntax_issue(exc: yaml.YAMLError, source: str | None) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else problem
    return Issue(
        location="",
        message=f"not valid YAML: {message}",
        fix="check indentation (spaces, not tabs), colons after keys and matching quotes",
        line=mark.line + 1 if mark is not None else None,
        file=source,
    )


def loads_yaml(text: str, source: str | None = None) -> Document:
    """Parse YAML text; raise :class:`ValidationFailed` naming the line on bad syntax."""
    check_yaml_text(text, source)
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return Document(None, {}, source)
        loader = _Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        issue = _syntax_issue(exc, source)
        raise ValidationFailed(
            f"{source or 'input'}: cannot read YAML", issues=[issue],
            key="domain.cannot_read_yaml", values={"source": source or "입력"},
        ) from None
    doc = Document(data, dict(_walk(node, ())), source)
    refuse_in_document(data, source or "input", doc.line_of)
    return doc


def loads_json(text: str, source: str | None = None) -> Document:
    """Parse JSON text; line numbers come from a YAML pass when JSON allows it."""
    check_json_text(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        issue = Issue("", f"not valid JSON: {exc.msg}", "check commas, quotes and brackets",
                      exc.lineno, source)
        raise ValidationFailed(f"{source or 'input'}: cannot read JSON", issues=[issue],
                               key="domain.cannot_read_json", values={"source": source or "입력"}) from None
    lines: dict[PathKey, int] = {}
    try:  # JSON is (almost always) YAML; the YAML pass only adds line numbers.
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            lines = dict(_walk(node, ()))
    except yaml.YAMLError:
        lines = {}
    doc = Document(data, lines, source)
    refuse_in_document(data, source or "input", doc.line_of)
    return doc


def loads(text: str, source: str | None = None) -> Document:
    """Parse YAML or JSON, choosing by file suffix or by the first character."""
    suffix = Path(source).suffix.lower() if source else ""
    if suffix == ".json" or (not suffix and text.lstrip()[:1] in ("{", "[")):
        return loads_json(text, source)
    return loads_yaml(text, source)


def load_file(path: str | Path) -> Document:
    """Read a YAML/JSON file; unreadable files raise :class:`ValidationFailed`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed(f"{file}: file not found", issues=[
            Issue("", "file not found", "check the path", file=str(file),
                  message_ko="파일을 찾을 수 없습니다", fix_ko="경로를 확인하세요")],
            key="domain.file_not_found", values={"file": file}) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"{file}: cannot read file", key="file.unreadable", values={"file": file}, issues=[
            Issue("", f"cannot read: {exc.__class__.__name__}",
                  "pass a readable UTF-8 text file", file=str(file))]) from None
    return loads(text, str(file))


class _Dumper(yaml.SafeDumper):
    """SafeDumper that knows the loader's extra float form, so it quotes such strings."""


# Without this, the string "0e0" is written plain and read back as the float 0.0.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def dumps_yaml(data: Any) -> str:
    """Block-style YAML with keys in their given order and Unicode kept readable."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
