"""``haechi monitor …``: run monitors, read results and alerts.

``run`` takes a spec file (saved as the system's monitor, then run) or a system id (its
stored monitor). The JSON output is the contract of ``spec/monitoring.md``; exit code 0
whenever the monitor ran, alerts or not, and 2 with a clear message on a bad spec or an
unreadable log. The log lake's commands (``import``, ``lake``) join this group from
their own modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from haechi.monitor.alerts import describe
from haechi.monitor.compare import side_by_side
from haechi.monitor.metrics.catalog import short_label, table_columns, worst
from haechi.monitor.spec import load_spec

from . import monitor_import, monitor_lake, monitor_problems
from .common import (
    FormatOption,
    OrgOption,
    TabularOption,
    cell,
    cli_actor,
    console,
    emit,
    open_haechi,
    print_table,
    success,
)
from .language import cli_language, heading, korean, tr, vocabulary
from .startup import keep_freed_memory

app = typer.Typer(help="Monitoring: metrics per window, thresholds and alerts.",
                  no_args_is_help=True)

monitor_import.register(app)  # the log lake's commands: import, lake upkeep
monitor_lake.register(app)
monitor_problems.register(app)  # grouped alerts: list, show, ack, resolve

def _fmt(value: Any) -> Any:
    return f"{value:.4f}" if isinstance(value, float) else value


def window_rows(out: dict[str, Any]) -> list[dict[str, Any]]:
    """One summary row per window for tables and CSV: the catalogue's table columns, each
    the worst value of its metrics in the window, and the window's alert count."""
    columns = table_columns(out.get("task", "binary_classification"))
    alerts: dict[str, int] = {}
    for alert in out.get("alerts", []):
        alerts[alert["window_start"]] = alerts.get(alert["window_start"], 0) + 1
    rows = []
    for w in out["windows"]:
        row: dict[str, Any] = {"start": w["start"][:16].replace("T", " ")}
        for column, names in columns.items():
            row[column] = _fmt(next((v for v in (worst(w, m) for m in names) if v is not None), None))
        row["alerts"] = alerts.get(w["start"], 0)
        rows.append(row)
    return rows


def version_rows(out: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per window and model version, for windows that ran more than one version."""
    rows = side_by_side(out["windows"], out.get("task", "binary_classification"))
    return [{k: _fmt(v) if k != "start" else v[:16].replace("T", " ") for k, v in row.items()} for row in rows]


def _print_versions(out: dict[str, Any]) -> None:
    rows = version_rows(out)
    if rows:
        print_table(rows, list(rows[0]), title=tr("monitor.versions", "model versions side by side"))
    for ref in out.get("references") or []:
        started = (tr("monitor.new_version", "new version {version}", version=ref["model_version"])
                   if ref["model_version"] else tr("monitor.spec", "spec"))
        console.print(tr("monitor.reference", "reference {start} – {end} (n={n}, {started}), windows from {first}",
                         start=ref["start"][:10], end=ref["end"][:10], n=ref["n"], started=started,
                         first=(ref["first_window"] or "—")[:10]))


def _column_heading(column: str, task: str) -> str:
    """A window table's column: the metric's short name in Korean, as the dashboard shows it."""
    names = table_columns(task).get(column)
    if not korean() or not names:
        return heading(column)
    label = short_label(names[0], "ko")
    return tr("monitor.worst", "max {metric}", metric=label) if column.startswith("max_") else label


def _print_run(out: dict[str, Any]) -> None:
    rows = window_rows(out)
    columns = list(rows[0]) if rows else ["start", "n"]
    ref = out["reference"]
    task = out.get("task", "binary_classification")
    title = tr("monitor.run_title", "{system} / {monitor} — reference n={n}", system=out["system"],
               monitor=out["monitor"], n=ref["n"])
    print_table(rows, columns, title=title, headers=[_column_heading(c, task) for c in columns])
    _print_versions(out)
    for alert in out["alerts"][:50]:
        console.print(f"[red]![/red] {escape(describe(alert, cli_language()))}")  # "[sex]" is text, not markup
    if len(out["alerts"]) > 50:
        console.print(tr("monitor.more_alerts", "… {n} more alerts (use --format json)", n=len(out["alerts"]) - 50))
    for moved in out.get("quarantined") or []:
        console.print(f"[yellow]{tr('monitor.quarantined', 'quarantined')}[/yellow] {escape(moved['file'])}: "
                      f"{escape(moved['reason'])} "
                      + tr("monitor.quarantine_note", "(moved to the system's _quarantine folder in the lake)"))
    run = out["run"]
    success(tr("monitor.ran", "{windows} windows ({computed} computed, {cached} cached), {alerts} alerts, {seconds} s",
               windows=len(out["windows"]), computed=run["computed_windows"], cached=run["cached_windows"],
               alerts=len(out["alerts"]), seconds=run["seconds"]))


@app.command("run")
def run_cmd(
    target: str = typer.Argument(..., help="monitor spec file (YAML/JSON) or a system id"),
    name: str = typer.Option(None, "--name", help="which monitor of the system (default: its only one)"),
    full: bool = typer.Option(False, "--full", help="recompute every window, ignoring cached results"),
    fmt: str = FormatOption,
    org: str = OrgOption,
) -> None:
    """Compute performance, fairness, drift and data quality per window and check thresholds."""
    # System ids have no dots or slashes: anything that looks like a path is a spec file,
    # so a mistyped file name is reported as a missing file, not as an unknown system.
    is_file = Path(target).is_file() or Path(target).suffix.lower() in (".yaml", ".yml", ".json") or "/" in target
    spec = load_spec(target) if is_file else None
    keep_freed_memory()  # this process ends after the run
    hc = open_haechi()
    out = hc.monitor.run(cli_actor(hc, org), spec or target, name=name, full=full)
    rows = window_rows(out)
    columns = list(rows[0]) if rows else ["start", *table_columns(out.get("task")), "alerts"]
    emit(out, fmt, rows=lambda _: rows, columns=columns, table=_print_run)


@app.command("check")
def check_cmd(spec_file: Path = typer.Argument(..., help="monitor spec file to validate"),
              fmt: str = FormatOption) -> None:
    """Validate a spec file without running it."""
    spec = load_spec(spec_file)
    message = tr("monitor.spec_valid", "{file}: valid monitor spec for {system}", file=spec_file, system=spec.system)
    emit(spec.to_json(), fmt, table=lambda data: success(message))


@app.command("list")
def list_cmd(system: str = typer.Argument(None, help="only this system"), fmt: str = TabularOption,
             org: str = OrgOption) -> None:
    """Monitors and their last run."""
    hc = open_haechi()
    items = hc.monitor.list(cli_actor(hc, org), system)
    if fmt == "table":  # JSON and CSV keep the codes
        items = [m | {"last_status": _run_status(m.get("last_status"))} for m in items]
    emit(items, fmt, columns=["system", "name", "schedule", "last_run_at", "last_status", "last_error"])


def _run_status(status: str | None) -> str | None:
    """A monitor's last run as the dashboard marks it: failed, or fine."""
    if status == "error":
        return vocabulary("monitor", "failed")
    return tr("monitor.run_ok", "ok") if status == "ok" else status


@app.command("show")
def show_cmd(system: str = typer.Argument(..., help="system id"), name: str = typer.Option("default", "--name"),
             fmt: str = FormatOption, org: str = OrgOption) -> None:
    """Stored window results of a monitor (no recomputation)."""
    hc = open_haechi()
    data = hc.monitor.results(cli_actor(hc, org), system, name)
    data = {**data, "task": data["spec"].get("task", "binary_classification"), "alerts": []}
    emit(data, fmt, table=lambda d: print_table(window_rows(d), list(window_rows(d)[0]) if d["windows"] else ["start"],
                                                title=f"{system} / {name}"))


@app.command("alerts")
def alerts_cmd(system: str = typer.Option(None, "--system", help="only this system"),
               status: str = typer.Option(None, "--status", help="open, acknowledged or resolved"),
               limit: int = typer.Option(100, "--limit"), fmt: str = TabularOption, org: str = OrgOption) -> None:
    """Alerts, newest window first."""
    hc = open_haechi()
    page = hc.monitor.alerts(cli_actor(hc, org), system=system, status=status, limit=limit)
    columns = ["id", "system", "window_start", "metric", "scope", "group", "value", "threshold", "n", "status"]
    emit(page, fmt, rows=lambda p: [_readable_alert(a) for a in p["items"]] if fmt == "table" else p["items"],
         columns=columns)


def _readable_alert(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert row in the CLI's language: the dashboard's metric name and status word."""
    given = alert.get("threshold")
    bounds: dict[str, Any] = given if isinstance(given, dict) else {}
    words = {"max": lambda v: tr("monitor.at_most", "max {value}", value=v),
             "min": lambda v: tr("monitor.at_least", "min {value}", value=v)}
    threshold = ", ".join(words[k](cell(v)) if k in words else f"{k} {cell(v)}" for k, v in bounds.items()) or "—"
    return alert | {"metric": vocabulary("monitor.metrics", alert.get("metric")),
                    "status": vocabulary("monitor.statuses", alert.get("status")), "threshold": threshold}


@app.command("alert")
def alert_cmd(alert_id: int = typer.Argument(..., help="alert id"),
              status: str = typer.Option(..., "--status", help="acknowledged, resolved or open"),
              note: str = typer.Option(None, "--note", help="what was found or done (required to acknowledge "
                                                              "or resolve)"),
              fmt: str = FormatOption, org: str = OrgOption) -> None:
    """Acknowledge or resolve one window's alert with a note, or reopen it (a persisting breach: 'problems')."""
    hc = open_haechi()
    info = hc.monitor.set_alert_status(cli_actor(hc, org), alert_id, status, note)
    emit(info, fmt, table=lambda d: success(tr("monitor.alert_now", "alert {id} is {status}", id=d["id"],
                                                         status=vocabulary("monitor.statuses", d["status"]))))
