"""Fast YAML reading for packs, with the same typing rules as :mod:`haechi.domain.yamlio`.

Packs are large and read on every start, and the line-aware reader parses in pure Python
twice. Valid packs are therefore read with libyaml (when available) without line
numbers; only a pack that fails validation is read again line-aware, so its error
messages still name the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from haechi.domain.errors import ValidationFailed
from haechi.domain.strictdata import problems_at
from haechi.domain.yamlguard import check_yaml_text
from haechi.domain.yamlio import Document, loads

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_Base):
    """libyaml loader with YAML 1.2 booleans and signless exponents, like yamlio's."""


_FastLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"), list("-+0123456789"))

T = TypeVar("T")


def parse_fast(text: str, source: str, trusted: bool = False) -> Document | None:
    """The document without line numbers, or ``None`` if it is not plain YAML/JSON.

    A document from outside the package over the input limits raises before any parser
    builds it; files shipped with Haechi (``trusted``) skip that pass on every start."""
    if not trusted:
        check_yaml_text(text, source)
    try:
        data = yaml.load(text, Loader=_FastLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError:
        return None
    if not trusted and next(problems_at(data), None) is not None:
        return None  # NaN, NUL, ...: the line-aware reader refuses it naming the line
    return Document(data, {}, source)


def with_lines_on_error(text: str, source: str, validate: Callable[[Document], T], trusted: bool = False) -> T:
    """Validate the fast parse; on failure, validate the line-aware parse for its messages."""
    fast = parse_fast(text, source, trusted)
    if fast is not None:
        try:
            return validate(fast)
        except ValidationFailed:
            pass
    return validate(loads(text, source))
