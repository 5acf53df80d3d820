"""The ``haechi`` command: the root Typer app and the error boundary.

Capabilities register their command groups here. :func:`run` is the console entry
point: expected errors (``HaechiError``, bad usage) print a clear message and exit 2;
anything unexpected prints one line and exits 1 (``HAECHI_DEBUG=1`` for a traceback).
"""

from __future__ import annotations

import os
import sys
import traceback

import typer
from rich.markup import escape

from haechi import __version__
from haechi.domain.errors import HaechiError
from haechi.settings import Settings

from . import admin, compliance, esg, monitor, reports, rules, serve, systems, transparency
from .common import close_all, err_console

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
        typer.echo(f"haechi {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="print the version and exit")) -> None:
    """Haechi command line."""


app.add_typer(systems.app, name="systems")
app.add_typer(esg.app, name="esg")
app.add_typer(monitor.app, name="monitor")
admin.register(app)
serve.register(app)
transparency.register(app)
reports.register(app)
rules.register(app)
compliance.register(app)


def _korean() -> bool:
    try:
        return Settings().lang == "ko" or os.environ.get("LANG", "").startswith("ko")
    except Exception:  # unreadable settings must not hide the real error
        return False


def _report(error: HaechiError) -> None:
    message = error.message_ko if (_korean() and error.message_ko) else error.message
    # soft_wrap: never break a path or a field name in two; the terminal wraps instead.
    err_console.print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    for issue in error.issues:
        err_console.print(f"  - {issue.render()}", highlight=False, markup=False, soft_wrap=True)


def run(argv: list[str] | None = None) -> None:
    """Console entry point (``haechi``)."""
    code = 0
    try:
        # Without standalone mode click returns (not raises) the code of a typer.Exit(n).
        result = app(args=argv, standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except HaechiError as error:
        _report(error)
        code = 2
    except typer.Exit as exit_:
        code = exit_.exit_code
    except typer.Abort:
        err_console.print("aborted")
        code = 130
    except click_exc.ClickException as error:
        error.show()
        code = 2
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # the boundary: never show a traceback by default
        if os.environ.get("HAECHI_DEBUG"):
            traceback.print_exc()
        err_console.print(f"[bold red]internal error:[/bold red] {error.__class__.__name__}: {error}\n"
                          "Please report this; set HAECHI_DEBUG=1 to see the details.", highlight=False)
        code = 1
    finally:
        close_all()
    sys.exit(code)


if __name__ == "__main__":
    run()
