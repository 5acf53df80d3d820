"""The ``haechi`` command: the root Typer app and the error boundary.

The commands are those the capabilities declare (:mod:`haechi.capability`), imported
only for the command being run. :func:`run` is the console entry
point: expected errors (``HaechiError``, bad usage) print a clear message and exit 2;
anything unexpected prints one line and exits 1 (``HAECHI_DEBUG=1`` for a traceback).
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

import haechi
from haechi.domain.errors import HaechiError

from .common import close_all, err_console
from .help_korean import set_framework_words, translate_tree
from .language import korean, tr
from .startup import skip_final_collection
from .usage_errors import show_usage_error

if TYPE_CHECKING:
    from haechi.capability import Commands

try:  # typer >= 0.20 vendors click as typer._click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exc  # type: ignore[no-redef]

app = typer.Typer(
    name="haechi",
    help="Haechi (해치): operational AI governance and ESG — registry, law packs, monitoring, "
         "evidence, transparency, ESG and a tamper-evident ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"haechi {haechi.__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="print the version and exit")) -> None:
    """Haechi command line."""


def _command_modules() -> dict[str, Commands]:
    """Command module → its declaration, in the capabilities' order (read on first use:
    ``haechi --version`` needs none of them)."""
    from haechi.capability import capabilities

    return {c.module: c for capability in capabilities() for c in capability.commands}


def _register(module_name: str) -> None:
    declared = _command_modules()[module_name]
    module = importlib.import_module(module_name)
    if declared.group:
        app.add_typer(module.app, name=declared.names[0])
    else:
        module.register(app)


def _modules_for(argv: list[str]) -> list[str]:
    """Only the module that provides the command being run, so start-up stays fast;
    every module for help, completion or an unknown command (to list them all)."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command is None and "--version" in argv:
        return []
    modules = _command_modules()
    for module_name, declared in modules.items():
        if command in declared.names and "--help" not in argv[:1]:
            return [module_name]
    return list(modules)


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The root app with the command modules ``argv`` needs (all of them without argv)."""
    for module_name in _modules_for(argv) if argv is not None else list(_command_modules()):
        if module_name not in _registered:
            _register(module_name)
            _registered.add(module_name)
    _sort_commands()
    return app


def _sort_commands() -> None:
    """Keep the help listing in the capabilities' order, whatever order the modules
    happened to be imported in (one process may run several commands)."""
    names = (n for declared in _command_modules().values() for n in declared.names)
    order = {name: rank for rank, name in enumerate(names)}

    def rank(name: str | None) -> int:
        return order.get(name or "", len(order))

    app.registered_commands.sort(key=lambda info: rank(info.name))
    app.registered_groups.sort(key=lambda info: rank(info.name))


_registered: set[str] = set()


def command_for(argv: list[str]) -> typer.core.TyperGroup:
    """The Click command tree for ``argv``, its help in the CLI's language."""
    command = typer.main.get_command(build_app(argv))
    in_korean = korean()
    if in_korean:
        translate_tree(command)
    set_framework_words(in_korean)
    return command  # type: ignore[return-value]


def _report(error: HaechiError) -> None:
    in_korean = korean()
    message = error.message_ko if (in_korean and error.message_ko) else error.message
    # soft_wrap: never break a path or a field name in two; the terminal wraps instead.
    prefix = tr("error.prefix", "error")
    err_console.print(f"[bold red]{prefix}:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    for issue in error.issues:
        err_console.print(f"  - {issue.render(in_korean)}", highlight=False, markup=False, soft_wrap=True)


def run(argv: list[str] | None = None) -> None:
    """Console entry point (``haechi``)."""
    code = 0
    try:
        # Without standalone mode click returns (not raises) the code of a typer.Exit(n).
        args = sys.argv[1:] if argv is None else list(argv)
        result = command_for(args).main(args=args, prog_name="haechi", standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except HaechiError as error:
        _report(error)
        code = 2
    except typer.Exit as exit_:
        code = exit_.exit_code
    except typer.Abort:
        err_console.print(tr("error.aborted", "aborted"))
        code = 130
    except click_exc.ClickException as error:
        show_usage_error(error)
        code = 2
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # the boundary: never show a traceback by default
        if os.environ.get("HAECHI_DEBUG"):
            traceback.print_exc()
        head = tr("error.internal", "internal error")
        advice = tr("error.report", "Please report this; set HAECHI_DEBUG=1 to see the details.")
        err_console.print(f"[bold red]{head}:[/bold red] {error.__class__.__name__}: {error}\n{advice}",
                          highlight=False)
        code = 1
    finally:
        close_all()
        set_framework_words(False)  # the framework's words are process-wide: leave them as found
        skip_final_collection()
    sys.exit(code)


if __name__ == "__main__":
    run()
