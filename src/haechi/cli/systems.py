"""``haechi systems …``: register, change, inspect and remove AI systems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from haechi.domain.card import read_card
from haechi.domain.yamlio import dumps_yaml
from haechi.registry.service import Revision, SystemRecord

from .common import (
    Format,
    FormatOption,
    OrgOption,
    cli_actor,
    console,
    emit,
    open_haechi,
    print_json,
    print_table,
    success,
)
from .language import korean, tr, vocabulary

app = typer.Typer(help="Register and manage AI systems (system cards).", no_args_is_help=True)

LIST_COLUMNS = ("id", "name", "revision", "domains", "markets", "lifecycle_stage")


def _record_json(record: SystemRecord) -> dict[str, Any]:
    return {"card": record.card.to_json(), "revision": record.revision,
            "created_at": record.created_at.isoformat(), "updated_at": record.updated_at.isoformat(),
            "deleted": record.deleted_at is not None}


@app.command("add")
def add(file: Path = typer.Argument(..., help="card file (YAML or JSON)"), org: str | None = OrgOption,
        note: str | None = typer.Option(None, help="why this system is registered"),
        fmt: Format = FormatOption) -> None:
    """Register a new AI system from a card file."""
    card = read_card(file)
    hc = open_haechi()
    record = hc.systems.add(cli_actor(hc, org), card, note=note)
    emit(_record_json(record), fmt, table=lambda _: success(tr("systems.added", "added {id} (revision {revision})",
                                                               id=record.slug, revision=record.revision)))


@app.command("update")
def update(file: Path = typer.Argument(..., help="card file (YAML or JSON)"), org: str | None = OrgOption,
           note: str | None = typer.Option(None, help="why it changed"),
           expect_revision: int | None = typer.Option(None, help="refuse if the current revision differs"),
           fmt: Format = FormatOption) -> None:
    """Store a new revision of an existing system (nothing is overwritten)."""
    card = read_card(file)
    hc = open_haechi()
    record = hc.systems.update(cli_actor(hc, org), card, expected_revision=expect_revision, note=note)
    emit(_record_json(record), fmt, table=lambda _: success(tr("systems.updated", "updated {id} → revision {revision}",
                                                               id=record.slug, revision=record.revision)))


@app.command("list")
def list_(org: str | None = OrgOption, q: str | None = typer.Option(None, "--search", "-q", help="text search"),
          domain: str | None = typer.Option(None, help="filter by domain"),
          market: str | None = typer.Option(None, help="filter by market (e.g. KR)"),
          deleted: bool = typer.Option(False, "--deleted", help="include removed systems"),
          fmt: Format = FormatOption) -> None:
    """List registered systems."""
    hc = open_haechi()
    page = hc.systems.list(cli_actor(hc, org), q=q, filters={"domains": domain or "", "markets": market or ""},
                           include_deleted=deleted, limit=10**6)
    rows = [r.summary() for r in page.items]
    emit(rows, fmt.value, rows=_readable, columns=LIST_COLUMNS,
         title=tr("systems.count", "{n} system(s)", n=page.total))


def _readable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows in the CLI's language: the Korean name and the dashboard's words for codes."""
    if not korean():
        return rows
    return [r | {"name": r["name_ko"] or r["name"], "domains": [vocabulary("vocab.domain", d) for d in r["domains"]],
                 "lifecycle_stage": vocabulary("vocab.lifecycle_stage", r["lifecycle_stage"])} for r in rows]


@app.command("show")
def show(system_id: str = typer.Argument(..., metavar="ID"), org: str | None = OrgOption,
         revision: int | None = typer.Option(None, help="show an older revision"),
         fmt: Format = FormatOption) -> None:
    """Show one system's card."""
    hc = open_haechi()
    record = hc.systems.get(cli_actor(hc, org), system_id, revision=revision, include_deleted=True)
    if fmt == Format.json:
        print_json(_record_json(record))
        return
    state = f" [red]{tr('systems.removed_mark', '(removed)')}[/red]" if record.deleted_at else ""
    name = record.card.name_ko if korean() and record.card.name_ko else record.card.name
    console.print(f"[bold]{escape(name)}[/bold] ({record.slug}) — "
                  + tr("systems.revision", "revision {revision}", revision=record.revision) + state)
    console.print(dumps_yaml(record.card.to_json()), highlight=False, markup=False)


@app.command("history")
def history(system_id: str = typer.Argument(..., metavar="ID"), org: str | None = OrgOption,
            fmt: Format = FormatOption) -> None:
    """List every revision of a system: who changed what, and when."""
    hc = open_haechi()
    revisions = hc.systems.history(cli_actor(hc, org), system_id)
    emit([r.to_dict() for r in revisions], fmt.value, table=_history_table)


def _history_table(rows: list[dict[str, Any]]) -> None:
    def changed(row: dict[str, Any]) -> str:
        if row["action"] == "create":
            return "(new card)"
        fields = [c["field"] for c in row["changes"]]
        shown = ", ".join(fields[:4])
        return f"{shown} +{len(fields) - 4} more" if len(fields) > 4 else (shown or "—")
    print_table([{**r, "changed": changed(r), "created_at": r["created_at"][:16].replace("T", " ")} for r in rows],
                ("revision", "action", "actor", "created_at", "changed", "note"))


@app.command("export")
def export(system_id: str = typer.Argument(..., metavar="ID"), org: str | None = OrgOption,
           fmt: str = typer.Option("yaml", "--format", "-f", help="yaml or json"),
           output: Path | None = typer.Option(None, "--output", "-o", help="write to this file")) -> None:
    """Export a system card as YAML or JSON (the same format 'add' reads)."""
    if fmt not in ("yaml", "json"):
        raise typer.BadParameter(tr("systems.export_format", "use --format yaml or --format json"))
    hc = open_haechi()
    card = hc.systems.get(cli_actor(hc, org), system_id).card.to_json()
    import json
    text = dumps_yaml(card) if fmt == "yaml" else json.dumps(card, ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        success(tr("passport.wrote", "wrote {file}", file=output))
    else:
        typer.echo(text, nl=False)


@app.command("remove")
def remove(system_id: str = typer.Argument(..., metavar="ID"), org: str | None = OrgOption,
           note: str | None = typer.Option(None, help="why it is removed"), fmt: Format = FormatOption) -> None:
    """Remove a system (soft delete: it stays in history and can be added again)."""
    hc = open_haechi()
    record = hc.systems.remove(cli_actor(hc, org), system_id, note=note)
    message = tr("systems.removed", "removed {id} (revision {revision} kept in history)", id=record.slug,
                 revision=record.revision)
    emit(_record_json(record), fmt, table=lambda _: success(message))


__all__ = ["Revision", "app"]
