"""``haechi monitor problems …``: the breaches that persist, grouped, and working them through.

``list`` pages through the organisation's problems (unresolved first); ``show`` gives
one with its occurrences and the incident, evidence and controls it fed; ``ack`` and
``resolve`` need ``--note`` (what was found or done), stored with who and when.
"""

from __future__ import annotations

from typing import Any

import typer

from .common import FormatOption, OrgOption, TabularOption, cli_actor, emit, open_haechi, print_table, success
from .language import tr, vocabulary

problems_app = typer.Typer(help="Monitoring problems: a breach that persists is one problem.",
                           no_args_is_help=True)

NoteOption = typer.Option(..., "--note", help="what was found or done (required)")
COLUMNS = ["id", "system", "metric", "scope", "group", "status", "severity", "occurrences", "first_seen",
           "last_seen", "trend", "incident"]
#: the terminal table keeps what fits a narrow terminal (JSON and CSV have every column)
TABLE_COLUMNS = ["id", "system", "metric", "scope", "status", "occurrences", "last_seen", "incident"]


def register(app: typer.Typer) -> None:
    """Add the ``problems`` sub-group to the ``haechi monitor`` group."""
    app.add_typer(problems_app, name="problems")


def _rows(page: dict[str, Any]) -> list[dict[str, Any]]:
    """Table rows: minutes, and the metric and state in the dashboard's words."""
    return [{**p, "first_seen": p["first_seen"][:16], "last_seen": p["last_seen"][:16],
             "metric": vocabulary("monitor.metrics", p.get("metric")),
             "status": vocabulary("monitor.statuses", p.get("status"))} for p in page["items"]]


@problems_app.command("list")
def list_cmd(system: str = typer.Option(None, "--system", help="only this system"),
             status: str = typer.Option(None, "--status", help="open, acknowledged, resolved or active"),
             family: str = typer.Option(None, "--family", help="metric family: performance, fairness, drift, …"),
             severity: str = typer.Option(None, "--severity", help="high, medium or low"),
             metric: str = typer.Option(None, "--metric", help="metric name, e.g. psi"),
             limit: int = typer.Option(50, "--limit", min=1, max=1000),
             offset: int = typer.Option(0, "--offset", min=0),
             fmt: str = TabularOption, org: str = OrgOption) -> None:
    """Problems, unresolved first, then by their last breach."""
    hc = open_haechi()
    page = hc.monitor.problems.list(cli_actor(hc, org), system=system, status=status, family=family,
                                    severity=severity, metric=metric, limit=limit, offset=offset)
    if fmt == "table":
        print_table(_rows(page), TABLE_COLUMNS, title=tr("problems.count", "{n} problems", n=page["total"]))
    else:
        emit(page, fmt, rows=lambda p: p["items"], columns=COLUMNS)


@problems_app.command("show")
def show_cmd(problem_id: int = typer.Argument(..., help="problem id"), fmt: str = FormatOption,
             org: str = OrgOption) -> None:
    """One problem with its occurrences and what it fed (incident, evidence, controls)."""
    hc = open_haechi()
    info = hc.monitor.problems.get(cli_actor(hc, org), problem_id)
    emit(info, fmt, table=_show)


def _show(info: dict[str, Any]) -> None:
    facts = {k: info[k] for k in ("system", "monitor", "metric", "scope", "group", "status", "severity",
                                  "occurrences", "first_seen", "last_seen", "trend", "incident")}
    facts["controls"] = ", ".join(info["controls"]) or None
    print_table([{"key": k, "value": v} for k, v in facts.items()], ["key", "value"],
                                                                title=tr("problems.one", "problem {id}", id=info["id"]))
    print_table(info["occurrences_shown"], ["window_start", "value", "n", "status"],
                title=tr("problems.occurrences", "occurrences"))


@problems_app.command("ack")
def ack_cmd(problem_id: int = typer.Argument(..., help="problem id"), note: str = NoteOption,
            fmt: str = FormatOption, org: str = OrgOption) -> None:
    """Acknowledge a problem: someone is on it."""
    hc = open_haechi()
    info = hc.monitor.problems.acknowledge(cli_actor(hc, org), problem_id, note)
    emit(info, fmt, table=lambda d: success(tr("problems.acknowledged", "problem {id} is acknowledged", id=d["id"])))


@problems_app.command("resolve")
def resolve_cmd(problem_id: int = typer.Argument(..., help="problem id"), note: str = NoteOption,
                fmt: str = FormatOption, org: str = OrgOption) -> None:
    """Resolve a problem; a later breach at the same place opens a new one."""
    hc = open_haechi()
    info = hc.monitor.problems.resolve(cli_actor(hc, org), problem_id, note)
    emit(info, fmt, table=lambda d: success(tr("problems.resolved", "problem {id} is resolved", id=d["id"])))
