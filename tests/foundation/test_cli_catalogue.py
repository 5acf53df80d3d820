"""The CLI's Korean catalogue is complete and has no stale entries.

The whole command tree is built as ``haechi --help`` builds it (every command module
imported) and walked: every help text of a command, option or argument needs a Korean
entry, by its place in the tree or shared by its English text. Every ``tr("key", …)``
in the CLI's code needs a ``messages`` entry with the same placeholders. Entries nothing
uses any more fail too. A failure prints the missing entries as YAML to paste into
``src/haechi/cli/locales/cli.ko.yaml`` and translate.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import typer.main

from haechi.cli.help_korean import HelpText, help_texts, korean_help
from haechi.cli.language import CATALOGUE, catalogue
from haechi.cli.main import build_app

CLI = Path(__file__).resolve().parents[2] / "src" / "haechi" / "cli"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def entries() -> list[HelpText]:
    return list(help_texts(typer.main.get_command(build_app())))


def _yaml(pairs: dict[str, str]) -> str:
    return "\n".join(f'  "{key}": "{english}"' for key, english in pairs.items())


def test_every_help_text_has_korean(entries: list[HelpText]) -> None:
    missing = {e.key: e.english for e in entries if not korean_help(e)}
    assert not missing, f"help texts without Korean; add to 'help:' in {CATALOGUE.name}:\n{_yaml(missing)}"


def test_no_stale_help_entries(entries: list[HelpText]) -> None:
    keys = {e.key for e in entries}
    english = {e.english for e in entries}
    stale = sorted(set(catalogue()["help"]) - keys) + sorted(set(catalogue()["shared"]) - english)
    assert not stale, f"catalogue entries for help texts that no longer exist: {stale}"


def test_the_walk_sees_every_command(entries: list[HelpText]) -> None:
    keys = {e.key for e in entries}
    for expected in ("haechi", "systems", "systems.add", "systems.add.FILE", "monitor.problems.ack",
                     "integrations.mlflow.import.--uri", "esg.record.--kwh"):
        assert expected in keys


def test_korean_entries_are_korean() -> None:
    """A pasted English text is not a translation (option lists of codes are exempt)."""
    sections = catalogue()
    codes_only = re.compile(r"^[\w.|/ ,:'-]+$")
    untranslated = [key for section in ("help", "shared", "messages") for key, text in sections[section].items()
                    if not HANGUL.search(text) and not codes_only.match(text)]
    assert not untranslated, untranslated


def _tr_calls() -> dict[str, str]:
    """``tr("key", "English", …)`` calls in the CLI's code: key → English."""
    calls: dict[str, str] = {}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) for a in node.args[:2])):
                calls[node.args[0].value] = node.args[1].value
    return calls


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_korean_with_the_same_placeholders() -> None:
    calls = _tr_calls()
    messages = catalogue()["messages"]
    missing = {key: english for key, english in calls.items() if key not in messages}
    assert not missing, f"messages without Korean; add to 'messages:' in {CATALOGUE.name}:\n{_yaml(missing)}"
    wrong = [key for key, english in calls.items() if _fields(english) != _fields(messages[key])]
    assert not wrong, f"Korean placeholders differ from the English: {wrong}"
    stale = sorted(set(messages) - set(calls))
    assert not stale, f"catalogue messages no command prints: {stale}"


def test_every_framework_word_has_korean() -> None:
    from haechi.cli.help_korean import _RICH_WORDS
    from haechi.cli.usage_errors import _PATTERNS

    used = set(_RICH_WORDS.values()) | {key for _, key in _PATTERNS}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "word" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                used.add(node.args[0].value)
    words = catalogue()["words"]
    assert sorted(used - set(words)) == []
    assert sorted(set(words) - used) == []


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Tuple | ast.List) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]  # type: ignore[attr-defined]
    return []


def _table_columns() -> set[str]:
    """Columns the CLI's tables name literally: ``*COLUMNS`` constants, ``columns=`` and
    ``print_table``'s second argument (columns built from data, such as metric names, are
    shown as they are)."""
    found: set[str] = set()
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id.endswith("COLUMNS") for t in node.targets):
                found.update(_literal_strings(node.value))
            if isinstance(node, ast.Call):
                if getattr(node.func, "id", None) == "print_table" and len(node.args) >= 2:
                    found.update(_literal_strings(node.args[1]))
                found.update(s for kw in node.keywords if kw.arg == "columns" for s in _literal_strings(kw.value))
    return found


def test_every_table_heading_has_korean() -> None:
    columns = _table_columns()
    assert len(columns) > 100  # the scan sees the tables
    headings = catalogue()["headings"]
    assert sorted(columns - set(headings)) == []


def test_every_demo_step_has_korean() -> None:
    """``haechi demo`` prints each step of the build; every capability's step needs its Korean."""
    from haechi.demo.build import steps

    modules = {step.module for step in steps()}
    demo = catalogue()["demo"]
    assert sorted(modules - set(demo)) == []
    assert sorted(set(demo) - modules) == []
    assert all(HANGUL.search(text) for text in demo.values())
