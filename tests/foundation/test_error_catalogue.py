"""Every expected error has Korean, from one catalogue.

The code under ``src/haechi`` is scanned: every construction of a ``HaechiError``
subclass must name a catalogue ``key`` (with ``values`` for the placeholders its Korean
text quotes) or give ``message_ko``. A key missing from
``src/haechi/domain/locales/errors.ko.yaml``, placeholders that differ from the
``values`` given, and entries nothing uses fail too. A failure prints the YAML to add.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

from haechi.domain.error_catalogue import CATALOGUE, entries, korean_message
from haechi.domain.errors import NotFound, TooManyRequests, ValidationFailed

SRC = Path(__file__).resolve().parents[2] / "src" / "haechi"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

#: Errors only a developer can meet (a programming mistake, never a person's input),
#: as ``path:line-free function name``; keep this list short.
DEVELOPER_ONLY: set[str] = set()

#: Errors whose constructor writes the Korean itself from its arguments.
WRITES_ITS_OWN_KOREAN = {"MissingExtra"}


@dataclass(frozen=True)
class Construction:
    where: str
    function: str
    english: str
    key: ast.expr | None
    values: ast.expr | None
    has_korean: bool


def _trees() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(SRC.parent)), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(SRC.rglob("*.py"))]


def _error_classes(trees: list[tuple[str, ast.Module]]) -> set[str]:
    """``HaechiError`` and every class that derives from it, by name."""
    names = {"HaechiError"}
    while True:
        found = {node.name for _, tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                 and any(getattr(base, "id", getattr(base, "attr", None)) in names for base in node.bases)}
        if found <= names:
            return names
        names |= found


def _constructions() -> list[Construction]:
    trees = _trees()
    classes = _error_classes(trees)
    out = []
    for where, tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in classes or name in WRITES_ITS_OWN_KOREAN:
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                english = ast.unparse(node.args[0])[:90] if node.args else name
                out.append(Construction(f"{where}:{node.lineno}", f"{where}:{function.name}", english,
                                        keywords.get("key"), keywords.get("values"),
                                        "message_ko" in keywords))
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _value_names(values: ast.expr | None) -> set[str] | None:
    """The names a ``values={...}`` literal gives (None when it is not a literal)."""
    if values is None:
        return set()
    if isinstance(values, ast.Dict) and all(isinstance(k, ast.Constant) for k in values.keys):
        return {k.value for k in values.keys if isinstance(k, ast.Constant)}
    return None


def test_the_scan_sees_the_errors() -> None:
    found = _constructions()
    assert len(found) > 250
    assert any(c.key is not None for c in found) and any(c.has_korean for c in found)


def test_every_error_has_korean() -> None:
    missing = [f"{c.where}: {c.english}" for c in _constructions()
               if c.key is None and not c.has_korean and c.function not in DEVELOPER_ONLY]
    assert not missing, ("errors without Korean; name a key from " f"{CATALOGUE.name} (key=..., values=...):\n"
                         + "\n".join(missing))


def test_every_key_is_in_the_catalogue_with_its_placeholders() -> None:
    catalogue = entries()
    problems = []
    for c in _constructions():
        if c.key is None:
            continue
        if not isinstance(c.key, ast.Constant) or not isinstance(c.key.value, str):
            problems.append(f"{c.where}: the key must be a literal string")
            continue
        key = c.key.value
        if key not in catalogue:
            problems.append(f'{c.where}: missing entry\n  "{key}": "…"  # {c.english}')
            continue
        given = _value_names(c.values)
        if given is None:
            problems.append(f"{c.where}: values must be a dict literal with literal keys")
        elif given != _fields(catalogue[key]):
            problems.append(f"{c.where}: '{key}' quotes {sorted(_fields(catalogue[key]))}, values give {sorted(given)}")
    assert not problems, "\n".join(problems)


def test_no_unused_entries() -> None:
    used = {c.key.value for c in _constructions() if isinstance(c.key, ast.Constant)}
    assert not sorted(set(entries()) - used), f"catalogue entries nothing raises: {sorted(set(entries()) - used)}"


def test_entries_are_korean() -> None:
    assert not [key for key, text in entries().items() if not HANGUL.search(text)]


def test_the_exemptions_are_few_and_real() -> None:
    functions = {c.function for c in _constructions()}
    assert len(DEVELOPER_ONLY) <= 5 and functions >= DEVELOPER_ONLY


def test_a_key_fills_message_ko_when_the_error_is_made() -> None:
    error = NotFound("system 'x' not found", key="system.not_found", values={"slug": "x"})
    assert error.message == "system 'x' not found"
    assert error.message_ko == korean_message("system.not_found", {"slug": "x"})
    assert error.message_ko and "'x'" in error.message_ko and HANGUL.search(error.message_ko)
    # an explicit Korean text wins; an unknown key leaves the English to be shown
    assert ValidationFailed("e", key="system.not_found", values={"slug": "x"}, message_ko="직접").message_ko == "직접"
    assert ValidationFailed("e", key="no.such.key").message_ko is None
    assert TooManyRequests("slow", retry_after=3, key="system.not_found", values={"slug": "y"}).message_ko
