"""Shared CLI plumbing: opening the facade, choosing the actor, printing results.

Commands stay three lines long: parse options, make one facade call, ``emit`` the
result as a table, JSON or CSV. Errors are raised as ``HaechiError`` and turned into a
message and exit code 2 by :func:`haechi.cli.main.run`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from haechi.auth.roles import Actor
from haechi.settings import Settings

from .language import heading, tr
from .startup import resume_collector

if TYPE_CHECKING:
    from haechi.core import Haechi

console = Console()
# soft_wrap: messages (paths, field names) are never broken by Rich; the terminal wraps them.
err_console = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"


class TabularFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = typer.Option(Format.table, "--format", "-f", help="output format")
TabularOption = typer.Option(TabularFormat.table, "--format", "-f", help="output format")
OrgOption = typer.Option(None, "--org", help="organisation to act in (default: HAECHI_ORG or the only one)")

_opened: list[Haechi] = []


def open_haechi(migrate: bool = True) -> Haechi:
    """The facade for this CLI process (settings from ``HAECHI_*``), closed on exit."""
    from haechi.core import Haechi  # imported on use: light commands never load the store

    hc = Haechi(Settings(), migrate=migrate)
    _opened.append(hc)
    resume_collector()  # start-up is over once the facade is open (see startup.py)
    return hc


def close_all() -> None:
    while _opened:
        _opened.pop().close()


def cli_actor(hc: Haechi, org: str | None) -> Actor:
    return hc.local_actor(org)


def to_jsonable(value: Any) -> Any:
    """Objects with ``to_dict``/``to_json``/``model_dump`` become plain data."""
    if hasattr(value, "to_json") and callable(value.to_json):
        return value.to_json()
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2, default=str) + "\n")


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value) or "—"
    if isinstance(value, bool):
        return tr("cell.yes", "yes") if value else tr("cell.no", "no")
    if isinstance(value, float):
        return f"{value:.4g}"  # tables are for reading; --format json keeps full precision
    if isinstance(value, dict):
        return ", ".join(f"{k} {cell(v)}" for k, v in value.items()) or "—"
    return str(value)


def print_table(rows: Iterable[dict[str, Any]], columns: Sequence[str], title: str | None = None,
                headers: Sequence[str] | None = None) -> None:
    table = Table(title=title, header_style="bold")
    for index, header in enumerate(headers or [heading(c) for c in columns]):
        table.add_column(header, no_wrap=index == 0)  # ids stay whole so they can be copied
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    console.print(table)


def print_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: cell(row.get(c)) if isinstance(row.get(c), list) else row.get(c) for c in columns})
    sys.stdout.write(buffer.getvalue())


def emit(data: Any, fmt: str, *, rows: Callable[[Any], Iterable[dict[str, Any]]] | None = None,
         columns: Sequence[str] = (), title: str | None = None,
         table: Callable[[Any], None] | None = None) -> None:
    """Print ``data`` as JSON, CSV or a table (``table`` callback or ``rows`` + ``columns``)."""
    if fmt == "json":
        print_json(data)
    elif fmt == "csv":
        print_csv(rows(data) if rows else data, columns)
    elif table is not None:
        table(data)
    else:
        print_table(rows(data) if rows else data, columns, title)


def success(message: str) -> None:
    err_console.print(f"[green]✓[/green] {message}")
