"""Korean help: one pass over the built command tree swaps every help text.

The command modules keep their English help where it is written; when the CLI speaks
Korean, :func:`translate_tree` walks the Click command tree that Typer builds and
replaces each command's, option's and argument's help with its catalogue entry, and
:func:`set_framework_words` turns the framework's own words (Usage, Options,
Commands, Error…) into Korean. :func:`help_texts` is the same walk, shared with the
completeness test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .language import catalogue, word

try:  # typer >= 0.20 vendors click as typer._click
    from typer import _click as click
    from typer._click import formatting
except ImportError:  # pragma: no cover - older typer uses click itself
    import click  # type: ignore[no-redef]
    from click import formatting  # type: ignore[no-redef]

ROOT = "haechi"
HELP_OPTION = "--help"


@dataclass(frozen=True)
class HelpText:
    """One help text in the tree: its catalogue key, where it sits, its English."""

    key: str
    target: Any  # the click Command or Parameter that holds it
    attribute: str  # help, short_help or epilog
    english: str


def parameter_name(param: Any) -> str:
    """``--file`` for an option (its longest spelling), ``SYSTEM`` for an argument."""
    if param.param_type_name == "option":
        return str(max(param.opts, key=len))
    return str(param.name).upper()


def help_texts(command: Any, path: tuple[str, ...] = ()) -> Iterator[HelpText]:
    """Every help text under ``command`` (the root ``haechi`` command by default)."""
    key = ".".join(path) or ROOT
    for attribute, suffix in (("help", ""), ("short_help", ".short"), ("epilog", ".epilog")):
        text = getattr(command, attribute, None)
        if text:
            yield HelpText(key + suffix, command, attribute, text)
    for param in command.params:
        if getattr(param, "help", None):
            yield HelpText(f"{key}.{parameter_name(param)}", param, "help", param.help)
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from help_texts(sub, (*path, name))


def korean_help(entry: HelpText) -> str | None:
    """The entry for this place in the tree, else the one shared by its English text."""
    entries = catalogue()
    return entries["help"].get(entry.key) or entries["shared"].get(entry.english)


def translate_tree(root: Any) -> None:
    """Swap every help text under ``root`` for its Korean entry (English where none)."""
    for entry in help_texts(root):
        text = korean_help(entry)
        if text:
            setattr(entry.target, entry.attribute, text)
    _translate_help_options(root, word("help_option", "Show this message and exit."))


def _translate_help_options(command: Any, text: str) -> None:
    """The ``--help`` option is made on first use; make it now, with Korean help."""
    command.context_class = KoreanContext
    command.options_metavar = word("options_metavar", command.options_metavar)
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = word("subcommand_metavar", command.subcommand_metavar)
    option = command.get_help_option(command.context_class(command))
    if option is not None:
        option.help = text
    for sub in (getattr(command, "commands", None) or {}).values():
        _translate_help_options(sub, text)


class KoreanFormatter(formatting.HelpFormatter):
    """Writes the usage line as ``사용법: haechi …``."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, word("usage", "Usage: ") if prefix is None else prefix)


class KoreanContext(click.Context):
    formatter_class = KoreanFormatter


# Typer's rich help reads these module constants when it draws a help page; they are
# English strings fixed at import, so the Korean pass sets them (the framework offers no
# other hook for them).
_RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "arguments",
    "OPTIONS_PANEL_TITLE": "options",
    "COMMANDS_PANEL_TITLE": "commands",
    "ERRORS_PANEL_TITLE": "error",
    "DEFAULT_STRING": "default",
    "ENVVAR_STRING": "env_var",
    "REQUIRED_LONG_STRING": "required",
    "DEPRECATED_STRING": "deprecated",
    "ABORTED_TEXT": "aborted",
    "RICH_HELP": "rich_help",
}


_ENGLISH_WORDS: dict[str, str] = {}


def set_framework_words(in_korean: bool) -> None:
    """Korean or English panel titles and markers (one process may run both, as tests do)."""
    from typer import rich_utils

    for constant, key in _RICH_WORDS.items():
        english = _ENGLISH_WORDS.setdefault(constant, getattr(rich_utils, constant))
        setattr(rich_utils, constant, word(key, english) if in_korean else english)
