"""``haechi monitor import SYSTEM FILE...``: load Parquet, CSV or JSON Lines logs into the lake.

Each file is all-or-nothing: every row is validated first and the file is stored only
when no row is bad; the errors name the file, line (row) and field. Importing the same
file twice stores nothing new (ingestion is idempotent on ``event_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from haechi.domain.errors import HaechiError, ValidationFailed

from .common import FormatOption, OrgOption, cli_actor, emit, err_console, open_haechi, print_table
from .language import tr

HELP = (
    "Import prediction logs (Parquet, CSV, JSON Lines) into a system's log lake; "
    "unmapped columns become features."
)


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``haechi monitor`` group."""
    app.command("import", help=HELP)(import_files)


def import_files(
    system: str = typer.Argument(..., help="system id"),
    files: list[Path] = typer.Argument(..., help="Parquet, CSV or JSON Lines files", exists=False),
    labels: bool = typer.Option(False, "--labels", help="the files hold late labels (event_id, label)"),
    mapping: list[str] = typer.Option(
        [], "--map", "-m", help="ROLE=COLUMN, e.g. prediction=y_pred (roles: event_id timestamp prediction score label)"
    ),
    sensitive: list[str] = typer.Option([], "--sensitive", "-s", help="protected attribute column(s), comma separated"),
    ignore: list[str] = typer.Option([], "--ignore", help="columns to leave out, comma separated"),
    org: str | None = OrgOption,
    fmt: str = FormatOption,
) -> None:
    hc = open_haechi()
    actor = cli_actor(hc, org)
    from haechi.monitor.lake_import import ColumnMap  # PyArrow readers: only when importing

    columns = ColumnMap.parse(mapping, sensitive, ignore, labels)
    reports: list[dict[str, Any]] = []
    failures: list[HaechiError] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=fmt == "json",
    ) as bar:
        for path in files:
            task = bar.add_task(path.name, total=_total(path))
            try:
                report = hc.lake.import_file(actor, system, path, columns, labels=labels, progress=_advance(bar, task))
                reports.append(report.to_dict())
            except HaechiError as exc:
                failures.append(exc)
                reports.append(
                    {"file": str(path), "error": exc.message, "errors": [i.to_dict() for i in exc.issues[:50]]}
                )
    emit({"system": system, "files": reports}, fmt, table=_table)
    for failure in failures:
        err_console.print(f"[red]✗[/red] {escape(failure.render())}", soft_wrap=True)
    if failures:  # exit code 2 through the root runner
        raise ValidationFailed(
            f"{len(failures)} of {len(files)} file(s) were not imported (see above)",
            key="cli.file_were_not_imported", values={"count": len(files), "count2": len(failures)},
        )


def _advance(bar: Progress, task: TaskID) -> Callable[[int], None]:
    def advance(rows: int) -> None:
        bar.advance(task, rows)

    return advance


def _total(path: Path) -> int | None:
    try:
        from haechi.monitor.lake_import import count_rows

        return count_rows(path)
    except Exception:  # unreadable: the import itself reports why
        return None


def _table(data: dict[str, Any]) -> None:
    rows = [
        {
            "file": Path(r["file"]).name,
            "rows": r.get("rows"),
            "stored": r.get("stored"),
            "duplicates": r.get("duplicates"),
            "result": "error" if "error" in r else "ok",
        }
        for r in data["files"]
    ]
    print_table(rows, ["file", "rows", "stored", "duplicates", "result"],
                title=tr("lake.imported", "import into {system}", system=data["system"]))
