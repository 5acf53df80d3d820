"""``haechi risks …``, ``haechi incidents …``, ``haechi plans …``, ``haechi confirmations …``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from haechi.compliance.vocab import INCIDENT_SOURCES, SEVERITIES, label
from haechi.domain.errors import ValidationFailed
from haechi.domain.yamlio import load_file

from .common import (
    Format,
    FormatOption,
    OrgOption,
    TabularFormat,
    TabularOption,
    cli_actor,
    console,
    emit,
    open_haechi,
    print_json,
    print_table,
    success,
)
from .language import korean, tr, vocabulary

risks = typer.Typer(help="Risk register: likelihood × severity, treatments, acceptance, heat map.",
                    no_args_is_help=True)
incidents = typer.Typer(help="Incidents with regulator clocks (EU AI Act Art. 73, Cyber Resilience Act Art. 14) "
                        "and draft reports.", no_args_is_help=True)
plans = typer.Typer(help="Plans and assessments (KR Art. 34/35, EU FRIA) as versioned guided forms.",
                    no_args_is_help=True)
confirmations = typer.Typer(help="KR Art. 33 requests to MSIT to confirm high-impact status.", no_args_is_help=True)

SystemOpt = typer.Option(None, "--system", "-s", help="system id")
RISK_COLUMNS = ("ref", "system", "title", "inherent", "residual", "status", "owner", "controls")


def _risk_rows(rows: list[dict[str, Any]], words: bool = True) -> list[dict[str, Any]]:
    """Ratings as ``4×4 high``; ``words`` (tables) names levels and statuses as the dashboard does."""
    def rating(r: dict[str, Any] | None) -> str:
        if not r:
            return "—"
        level = r["level_label_ko"] if words and korean() and r.get("level_label_ko") else r["level"]
        return f"{r['likelihood']}×{r['severity']} {level}"
    return [r | {"inherent": rating(r["inherent"]), "residual": rating(r["residual"]),
                 "status": vocabulary("compliance.risk_status", r["status"]) if words else r["status"]}
            for r in rows]


def _risk_done(d: dict[str, Any]) -> None:
    print_table(_risk_rows([d]), RISK_COLUMNS)


# --- risks ------------------------------------------------------------------------------
@risks.command("add")
def risks_add(title: str = typer.Option(..., "--title", "-t"),
              likelihood: int = typer.Option(..., "--likelihood", "-l"),
              severity: int = typer.Option(..., "--severity"), system: str | None = SystemOpt,
              hazard: str | None = typer.Option(None), harm: str | None = typer.Option(None),
              affected: list[str] | None = typer.Option(None, help="affected people (repeatable)"),
              owner: str | None = typer.Option(None), control: list[str] | None = typer.Option(None, "--control"),
              org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Register a risk with its inherent rating."""
    hc = open_haechi()
    data = hc.compliance.risks.add(cli_actor(hc, org), title=title, likelihood=likelihood, severity=severity,
                                   system=system, hazard=hazard, harm=harm, affected=affected, owner=owner,
                                   controls=control)
    emit(data, fmt.value, table=_risk_done)


@risks.command("list")
def risks_list(system: str | None = SystemOpt, closed: bool = typer.Option(False, "--closed"),
               org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    """List risks."""
    hc = open_haechi()
    rows = hc.compliance.risks.list(cli_actor(hc, org), system, closed)
    emit(rows if fmt.value == "json" else _risk_rows(rows, words=fmt.value == "table"), fmt.value,
         columns=RISK_COLUMNS)


@risks.command("show")
def risks_show(ref: str = typer.Argument(...), org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    emit(hc.compliance.risks.get(cli_actor(hc, org), ref), fmt.value, table=_risk_done)


@risks.command("rate")
def risks_rate(ref: str = typer.Argument(...), likelihood: int | None = typer.Option(None, "--likelihood"),
               severity: int | None = typer.Option(None, "--severity"),
               residual_likelihood: int | None = typer.Option(None, "--residual-likelihood"),
               residual_severity: int | None = typer.Option(None, "--residual-severity"),
               org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Change the inherent and/or residual rating."""
    changes = {k: v for k, v in {"likelihood": likelihood, "severity": severity,
                                 "residual_likelihood": residual_likelihood,
                                 "residual_severity": residual_severity}.items() if v is not None}
    hc = open_haechi()
    emit(hc.compliance.risks.update(cli_actor(hc, org), ref, **changes), fmt.value, table=_risk_done)


@risks.command("treat")
def risks_treat(ref: str = typer.Argument(...), action: str = typer.Option(..., "--action", "-a"),
                kind: str = typer.Option("mitigate", "--type", help="mitigate | avoid | transfer | accept"),
                owner: str | None = typer.Option(None), due: str | None = typer.Option(None),
                org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Add a treatment to a risk."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    current = hc.compliance.risks.get(actor, ref)["treatments"]
    data = hc.compliance.risks.update(actor, ref, treatments=[*current, {"action": action, "type": kind,
                                                                         "owner": owner, "due": due}])
    emit(data, fmt.value, table=_risk_done)


@risks.command("accept")
def risks_accept(ref: str = typer.Argument(...), note: str = typer.Option(..., "--note"),
                 org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Accept the residual risk (high or critical: administrators only)."""
    hc = open_haechi()
    emit(hc.compliance.risks.accept(cli_actor(hc, org), ref, note), fmt.value, table=_risk_done)


@risks.command("close")
def risks_close(ref: str = typer.Argument(...), note: str = typer.Option(..., "--note"),
                org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    emit(hc.compliance.risks.close(cli_actor(hc, org), ref, note), fmt.value, table=_risk_done)


@risks.command("heatmap")
def risks_heatmap(system: str | None = SystemOpt, residual: bool = typer.Option(False, "--residual"),
                  org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Counts of open risks per likelihood × severity cell."""
    hc = open_haechi()
    data = hc.compliance.risks.heatmap(cli_actor(hc, org), system, residual)
    emit(data, fmt.value, table=_heat_table)


def _heat_table(d: dict[str, Any]) -> None:
    rows = [{"likelihood": f"{r['likelihood']} {r.get('label_ko') if korean() else r['label']}",
             **{str(c["severity"]): (str(c["count"]) if c["count"] else "·") for c in r["cells"]}}
            for r in d["rows"]]
    columns = ("likelihood", *(str(s["value"]) for s in d["severity"]))
    print_table(rows, columns, title=tr("risks.residual_map", "residual risk (severity →)") if d["residual"]
                else tr("risks.inherent_map", "inherent risk (severity →)"))


@risks.command("matrix")
def risks_matrix(file: Path | None = typer.Argument(None, exists=True, help="YAML/JSON matrix to set"),
                 org: str | None = OrgOption) -> None:
    """Print the organisation's risk matrix, or set it from FILE (administrators)."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    if file is None:
        print_json(hc.compliance.risks.matrix(actor).model_dump())
        return
    doc = load_file(file)
    hc.compliance.risks.set_matrix(actor, doc.data, doc)
    success(tr("risks.matrix_set", "risk matrix set from {file}", file=file))


# --- incidents -------------------------------------------------------------------------------
CRA_HELP = ("Cyber Resilience Act Art. 14: exploited_vulnerability | severe_incident (24 h / 72 h clocks "
            "when the system is a CRA product)")
INCIDENT_COLUMNS = ("ref", "system", "title", "severity", "status", "source", "clock")


_CLOCK_STATES = {"met": "met_clock"}  # the dashboard's word for a met deadline, not a met obligation


def _incident_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows; a Korean reader gets the Korean title, vocabulary and countdowns."""
    if not korean():
        return [r | {"clock": "; ".join(f"{_period(c)} {c['state']} {c['countdown'] or ''}".strip()
                                        for c in r["clocks"]) or "—"} for r in rows]
    return [r | {"title": r.get("title_ko") or r["title"], "severity": label(SEVERITIES, r["severity"], "ko"),
                 "source": label(INCIDENT_SOURCES, r["source"], "ko"),
                 "status": vocabulary("compliance.incident_status", r["status"]),
                 "clock": "; ".join(f"{_period(c)} {_clock_state(c['state'])} "
                                    f"{c['countdown_ko'] or ''}".strip() for c in r["clocks"]) or "—"} for r in rows]


def _clock_state(state: str) -> str:
    return vocabulary("compliance.states", _CLOCK_STATES.get(state, state))


def _period(clock: dict[str, Any]) -> str:
    """``15d``, ``24h`` or ``1mo`` (Korean: ``15일``, ``24시간``, ``1개월``): the length of a clock."""
    amount, unit = clock.get("amount", clock["days"]), clock.get("unit") or "days"
    if unit == "hours":
        return tr("incidents.hours", "{n}h", n=amount)
    return tr("incidents.months", "{n}mo", n=amount) if unit == "months" else tr("incidents.days", "{n}d", n=amount)


def _incident_done(d: dict[str, Any]) -> None:
    print_table(_incident_rows([d]), INCIDENT_COLUMNS)


@incidents.command("open")
def incidents_open(title: str = typer.Option(..., "--title", "-t"), system: str | None = SystemOpt,
                   source: str = typer.Option("manual", help="alert | complaint | user_report | manual"),
                   severity: str = typer.Option("medium", help="low | medium | high | critical"),
                   category: list[str] | None = typer.Option(None, help="EU Art. 3(49) category (repeatable)"),
                   widespread: bool = typer.Option(False, "--widespread", help="widespread infringement"),
                   jurisdiction: list[str] | None = typer.Option(None, help="EU / KR (default: system markets)"),
                   cra: str | None = typer.Option(None, "--cra", help=CRA_HELP),
                   aware_at: str | None = typer.Option(None, help="when you became aware (default now)"),
                   occurred_at: str | None = typer.Option(None), description: str | None = typer.Option(None),
                   tz: str | None = typer.Option(None, "--tz", help="clock time zone, e.g. Asia/Seoul"),
                   org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Open an incident; applicable regulator clocks start from AWARE_AT."""
    hc = open_haechi()
    data = hc.compliance.incidents.open(cli_actor(hc, org), title=title, system=system, source=source,
                                        severity=severity, categories=category, widespread_infringement=widespread,
                                        jurisdictions=jurisdiction or None, cra=cra, aware_at=aware_at,
                                        occurred_at=occurred_at, description=description, clock_tz=tz)
    emit(data, fmt.value, table=_incident_done)


@incidents.command("list")
def incidents_list(system: str | None = SystemOpt, open_only: bool = typer.Option(False, "--open"),
                   org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    hc = open_haechi()
    rows = hc.compliance.incidents.list(cli_actor(hc, org), system, not open_only)
    emit(rows if fmt.value == "json" else _incident_rows(rows), fmt.value, columns=INCIDENT_COLUMNS)


@incidents.command("show")
def incidents_show(ref: str = typer.Argument(...), org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    data = hc.compliance.incidents.get(cli_actor(hc, org), ref)
    emit(data, fmt.value, table=_incident_detail)


def _incident_detail(d: dict[str, Any]) -> None:
    _incident_done(d)
    print_table([c | {"period": _period(c)} for c in d["clocks"]],
                ("clock", "period", "due_local", "state", "countdown"), title=tr("incidents.clocks", "clocks"))
    print_table(d["timeline"], ("at", "actor", "kind", "text"), title=tr("incidents.timeline", "timeline"))


@incidents.command("update")
def incidents_update(ref: str = typer.Argument(...), status: str | None = typer.Option(None),
                     note: str | None = typer.Option(None), root_cause: str | None = typer.Option(None),
                     action: str | None = typer.Option(None, help="add a corrective action"),
                     owner: str | None = typer.Option(None), due: str | None = typer.Option(None),
                     done: int | None = typer.Option(None, help="mark corrective action N done"),
                     category: list[str] | None = typer.Option(None), severity: str | None = typer.Option(None),
                     widespread: bool | None = typer.Option(None, "--widespread/--not-widespread"),
                     cra: str | None = typer.Option(None, "--cra", help=CRA_HELP + "; none clears it"),
                     fix_available_at: str | None = typer.Option(
                         None, help="when a fix or mitigation for the exploited vulnerability became available "
                         "(starts the CRA 14-day final report clock)"),
                     org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Change status, classification, root cause or corrective actions; add a note."""
    hc = open_haechi()
    actor, svc = cli_actor(hc, org), hc.compliance.incidents
    data: dict[str, Any] | None = None
    if any(v is not None for v in (category, severity, widespread, cra, fix_available_at)):
        data = svc.classify(actor, ref, categories=category, severity=severity, widespread_infringement=widespread,
                            cra=cra, cra_fix_available_at=fix_available_at)
    if status:
        data = svc.set_status(actor, ref, status, note)
    elif note:
        data = svc.note(actor, ref, note)
    if root_cause:
        data = svc.set_root_cause(actor, ref, root_cause)
    if action:
        data = svc.add_action(actor, ref, action, owner, due)
    if done is not None:
        data = svc.complete_action(actor, ref, done)
    if data is None:
        raise ValidationFailed("nothing to change; see 'haechi incidents update --help'",
                               key="cli.nothing_change_see_haechi")
    emit(data, fmt.value, table=_incident_done)


@incidents.command("file")
def incidents_file(ref: str = typer.Argument(...), reference: str | None = typer.Option(None),
                   filed_at: str | None = typer.Option(None), clock: str | None = typer.Option(None),
                   org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Record that a report was filed with the regulator (stops that clock; default: the one due first)."""
    hc = open_haechi()
    data = hc.compliance.incidents.file_report(cli_actor(hc, org), ref, clock=clock, filed_at=filed_at,
                                               reference=reference)
    emit(data, fmt.value, table=_incident_done)


@incidents.command("close")
def incidents_close(ref: str = typer.Argument(...), summary: str = typer.Option(..., "--summary"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    emit(hc.compliance.incidents.close(cli_actor(hc, org), ref, summary), fmt.value, table=_incident_done)


@incidents.command("report")
def incidents_report(ref: str = typer.Argument(...), regulator: str = typer.Option("eu", help="eu or kr"),
                     lang: str = typer.Option("en", help="en or ko"),
                     fmt: str = typer.Option("markdown", "--format", "-f", help="markdown or json"),
                     org: str | None = OrgOption) -> None:
    """Print a draft report in the regulator's expected structure."""
    from haechi.compliance.reportdraft import render_markdown

    hc = open_haechi()
    draft = hc.compliance.incidents.draft_report(cli_actor(hc, org), ref, regulator, lang)
    if fmt == "json":
        print_json(draft)
    else:
        typer.echo(render_markdown(draft))


# --- plans ---------------------------------------------------------------------------------------
@plans.command("forms")
def plans_forms(fmt: TabularFormat = TabularOption) -> None:
    """The guided forms available."""
    hc = open_haechi(migrate=False)
    emit(hc.compliance.documents.forms(), fmt.value, columns=("kind", "title", "title_ko", "citation"))


@plans.command("list")
def plans_list(system: str | None = SystemOpt, org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    hc = open_haechi()
    rows = hc.compliance.documents.list(cli_actor(hc, org), system)
    if fmt is TabularFormat.table and korean():  # the kind stays a code in JSON and CSV, as plans show takes it
        rows = [r | {"kind": r.get("title_ko") or r["kind"], "status": vocabulary("compliance.doc_status", r["status"])}
                for r in rows]
    emit(rows, fmt.value, columns=("system", "kind", "version", "status", "required_filled", "approved_by",
                                   "evidence"))


@plans.command("show")
def plans_show(system: str = typer.Argument(...), kind: str = typer.Argument(...),
               version: int | None = typer.Option(None), org: str | None = OrgOption,
               fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    data = hc.compliance.documents.get(cli_actor(hc, org), system, kind, version)
    emit(data, fmt.value, table=print_json)


@plans.command("prefill")
def plans_prefill(system: str = typer.Argument(...), kind: str = typer.Argument(...),
                  org: str | None = OrgOption) -> None:
    """Print suggested answers (YAML/JSON) from the card and the system's other documents."""
    hc = open_haechi()
    print_json(hc.compliance.documents.prefill(cli_actor(hc, org), system, kind))


@plans.command("save")
def plans_save(system: str = typer.Argument(...), kind: str = typer.Argument(...),
               file: Path = typer.Argument(..., exists=True, help="answers as YAML or JSON"),
               note: str | None = typer.Option(None), org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Save answers as a new draft version."""
    doc = load_file(file)
    if not isinstance(doc.data, dict):
        raise ValidationFailed(f"{file}: answers must be a mapping of field: value",
                               key="cli.answers_must_mapping_field", values={"file": file})
    hc = open_haechi()
    data = hc.compliance.documents.save(cli_actor(hc, org), system, kind, doc.data, note)
    emit(data, fmt.value, table=lambda d: success(tr(
        "plans.saved", "{system} {kind} v{version} saved ({filled} required answers)", system=system, kind=kind,
        version=d["version"], filled=d["required_filled"])))


@plans.command("approve")
def plans_approve(system: str = typer.Argument(...), kind: str = typer.Argument(...),
                  org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Approve the newest draft; it becomes evidence for its controls."""
    hc = open_haechi()
    data = hc.compliance.documents.approve(cli_actor(hc, org), system, kind)
    emit(data, fmt.value, table=lambda d: success(tr(
        "plans.approved", "{system} {kind} v{version} approved → {evidence}", system=system, kind=kind,
        version=d["version"], evidence=d["evidence"])))


# --- confirmations --------------------------------------------------------------------------------
@confirmations.command("submit")
def confirmations_submit(system: str = typer.Argument(...), at: str | None = typer.Option(None, "--at"),
                         note: str | None = typer.Option(None), org: str | None = OrgOption,
                         fmt: Format = FormatOption) -> None:
    """Record a confirmation request submitted to MSIT."""
    hc = open_haechi()
    data = hc.compliance.confirmations.submit(cli_actor(hc, org), system, at, note)
    emit(data, fmt.value, table=lambda d: print_table(d["clocks"], ("clock", "party", "due_local", "state")))


@confirmations.command("record")
def confirmations_record(confirmation: int = typer.Argument(...),
                         step: str = typer.Argument(..., help="extended_at | replied_at | rerequested_at | "
                                                              "rereplied_at"),
                         at: str | None = typer.Option(None, "--at"), reply: str | None = typer.Option(None),
                         org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    data = hc.compliance.confirmations.record(cli_actor(hc, org), confirmation, step, at, reply)
    emit(data, fmt.value, table=lambda d: print_table(d["clocks"], ("clock", "party", "due_local", "state")))


@confirmations.command("list")
def confirmations_list(system: str | None = SystemOpt, org: str | None = OrgOption,
                       fmt: Format = FormatOption) -> None:
    hc = open_haechi()
    rows = hc.compliance.confirmations.list(cli_actor(hc, org), system)
    emit(rows, fmt.value, table=lambda r: print_table(r, ("id", "system", "submitted_at", "reply")))


def register(root: typer.Typer) -> None:
    root.add_typer(risks, name="risks")
    root.add_typer(incidents, name="incidents")
    root.add_typer(plans, name="plans")
    root.add_typer(confirmations, name="confirmations")
    _ = console
