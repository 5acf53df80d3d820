"""Usage errors (unknown option, missing argument, bad value) shown in the CLI's language.

The command-line framework writes these in English with no translation hook, so in
Korean :func:`show_usage_error` prints the usage line, the help hint and a Korean
message built from the error's own fields (option name, parameter, value); a message
the framework words in a way not known here is shown as it is.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .language import korean, tr, word

try:  # typer >= 0.20 vendors click as typer._click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exc  # type: ignore[no-redef]

# The framework's messages (and those of the value checks it runs, by pydantic), each
# with the key of its Korean in the catalogue's ``words``.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), key) for p, key in (
    (r"^No such command '(?P<a>.*)'\. Did you mean (?P<b>.*)\?$", "no_such_command_like"),
    (r"^No such command '(?P<a>.*)'\.$", "no_such_command"),
    (r"^Missing command\.$", "missing_command"),
    (r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<a>.*)\)$", "extra_arguments"),
    (r"^Option '(?P<a>.*)' requires an argument\.$", "option_needs_value"),
    (r"^Option '(?P<a>.*)' requires (?P<n>\d+) arguments\.$", "option_needs_values"),
    (r"^Option '(?P<a>.*)' does not take a value\.$", "option_takes_no_value"),
    (r"^(?:Value error, )?'(?P<a>.*)' is not one of (?P<b>.*)\.$", "not_a_choice"),
    (r"^Input should be a valid integer", "not_an_integer"),
    (r"^Input should be a valid number", "not_a_number"),
    (r"^Input should be a valid boolean", "not_a_boolean"),
    (r"^Input should be a valid date", "not_a_date"),
    (r"^(?:File|Path|Directory) '(?P<a>.*)' does not exist\.$", "path_missing"),
))


def korean_text(message: str) -> str:
    """The Korean of one framework message, or the message itself when it is not known."""
    for pattern, key in _PATTERNS:
        match = pattern.search(message)
        if match:
            return word(key, message).format(**match.groupdict())
    return message


def _hint(error: Any) -> str:
    hint = error.param_hint if error.param_hint is not None else (
        error.param.get_error_hint() if error.param is not None else None)
    if isinstance(hint, list | tuple):
        return " / ".join(f"'{h}'" for h in hint)
    return str(hint) if hint else ""


def korean_message(error: Any) -> str:
    """What went wrong, in Korean, from the fields of a framework usage error."""
    if isinstance(error, click_exc.NoSuchOption):
        text = word("no_such_option", "No such option: {a}").format(a=error.option_name)
        if error.possibilities:
            text += " " + word("possible_options", "(Possible options: {a})").format(
                a=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, click_exc.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "")
        if kind == "argument":
            return word("missing_argument", "Missing argument {a}.").format(a=_hint(error))
        return word("missing_option", "Missing option {a}.").format(a=_hint(error))
    if isinstance(error, click_exc.BadParameter):
        return word("bad_value", "Invalid value for {a}: {b}").format(a=_hint(error) or "?",
                                                                       b=korean_text(error.message))
    return korean_text(error.format_message())


def show_usage_error(error: Any) -> None:
    """Print a framework error as the framework would, in Korean when the CLI speaks it."""
    if not korean() or isinstance(error, click_exc.NoArgsIsHelpError):
        error.show()
        return
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        sys.stderr.write(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            sys.stderr.write(tr("usage.hint", "Try '{command} --help' for help.",
                                command=ctx.command_path) + "\n")
        sys.stderr.write("\n")
    sys.stderr.write(f"{tr('usage.error', 'Error')}: {korean_message(error)}\n")
