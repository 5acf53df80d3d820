"""``haechi monitor lake …``: size, schema, compaction, retention and purges of the log lake."""

from __future__ import annotations

from typing import Any

import typer

from .common import FormatOption, OrgOption, cli_actor, emit, open_haechi, print_table
from .language import tr

lake_app = typer.Typer(
    help="The prediction log lake: stats, schema, compaction, retention.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``lake`` sub-group to the ``haechi monitor`` group."""
    app.add_typer(lake_app, name="lake")


def _kv_table(title: str) -> Any:
    def show(data: dict[str, Any]) -> None:
        print_table([{"key": k, "value": v} for k, v in data.items()], ["key", "value"], title=title)

    return show


@lake_app.command("stats", help="Events, days, files, bytes and retention of a system's logs.")
def stats(system: str, org: str | None = OrgOption, fmt: str = FormatOption) -> None:
    hc = open_haechi()
    emit(hc.lake.stats(cli_actor(hc, org), system), fmt, table=_kv_table(f"log lake: {system}"))


@lake_app.command("schema", help="Columns of a system's logs and their roles.")
def schema(system: str, org: str | None = OrgOption, fmt: str = FormatOption) -> None:
    hc = open_haechi()
    data = hc.lake.schema(cli_actor(hc, org), system)
    emit(
        data,
        fmt,
        rows=lambda d: [{"column": n, **spec} for n, spec in d["columns"].items()],
        columns=["column", "role", "type"],
        title=tr("lake.columns", "columns of {system}", system=system),
    )


@lake_app.command("compact", help="Merge each day's small files into one (crash-safe).")
def compact(
    system: str,
    min_files: int = typer.Option(2, help="compact days with at least this many files"),
    org: str | None = OrgOption,
    fmt: str = FormatOption,
) -> None:
    hc = open_haechi()
    emit(hc.lake.compact(cli_actor(hc, org), system, min_files), fmt, table=_kv_table(f"compaction: {system}"))


@lake_app.command("retention", help="Show, or set with --days (and --reason), how long logs are kept.")
def retention(
    system: str,
    days: int | None = typer.Option(None, help="keep logs this many days"),
    reason: str | None = typer.Option(None, help="why (required below the 5-year default)"),
    org: str | None = OrgOption,
    fmt: str = FormatOption,
) -> None:
    hc = open_haechi()
    actor = cli_actor(hc, org)
    data = hc.lake.set_retention(actor, system, days, reason) if days is not None else hc.lake.retention(actor, system)
    emit(data, fmt, table=_kv_table(f"retention: {system}"))


@lake_app.command("purge", help="Delete day partitions older than the retention period (ledgered).")
def purge(system: str, org: str | None = OrgOption, fmt: str = FormatOption) -> None:
    hc = open_haechi()
    data = hc.lake.purge_expired(cli_actor(hc, org), system)
    emit(
        data,
        fmt,
        table=lambda d: print_table(
            [{"kind": k, "days": ", ".join(v) or "—"} for k, v in d["deleted_days"].items()],
            ["kind", "days"],
            title=tr("lake.purged", "purged before {cutoff}", cutoff=d["cutoff"]),
        ),
    )


@lake_app.command("duplicates", help="Audit: event ids stored more than once anywhere (expected: none).")
def duplicates(system: str, org: str | None = OrgOption, fmt: str = FormatOption) -> None:
    hc = open_haechi()
    emit(hc.lake.duplicate_report(cli_actor(hc, org), system), fmt, table=_kv_table(f"duplicates: {system}"))


@lake_app.command("quarantine", help="Files moved out of the lake because they could not be read (--check: look now).")
def quarantine(
    system: str,
    check: bool = typer.Option(False, "--check", help="check every file now and quarantine unreadable ones"),
    org: str | None = OrgOption,
    fmt: str = FormatOption,
) -> None:
    hc = open_haechi()
    actor = cli_actor(hc, org)
    moved = hc.lake.quarantine_unreadable(actor, system) if check else []
    data = {"system": system, "moved_now": moved, "quarantined": hc.lake.quarantined(actor, system)}
    title = f"quarantined files of {system} (<lake>/<org>/{system}/_quarantine)"
    emit(data, fmt, table=lambda d: print_table(d["quarantined"], ["file", "reason", "quarantined_at"], title=title))
