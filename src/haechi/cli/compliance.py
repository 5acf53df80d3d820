"""``haechi controls …``, ``haechi evidence …`` and ``haechi status``: the compliance loop.

JSON output (``--format json``) is the service dictionaries of :mod:`haechi.compliance`
(stable: ``ref``, ``status``, ``effective``, ``health`` … as documented there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from haechi.domain.errors import ValidationFailed
from haechi.domain.yamlio import load_file

from . import compliance_words as words
from .common import (
    Format,
    FormatOption,
    OrgOption,
    TabularFormat,
    TabularOption,
    cell,
    cli_actor,
    console,
    emit,
    open_haechi,
    print_table,
    success,
)
from .language import korean, tr, vocabulary

controls = typer.Typer(help="Controls proposed from each system's obligations, and their status.",
                       no_args_is_help=True)
evidence = typer.Typer(help="Evidence: files, links, records; dated, versioned, expiring.", no_args_is_help=True)

SystemOpt = typer.Option(None, "--system", "-s", help="system id")
ControlOpt = typer.Option(None, "--control", "-c", help="control reference (C-3); repeatable")


# --- controls ------------------------------------------------------------------------
@controls.command("list")
def controls_list(system: str | None = SystemOpt, status: str | None = typer.Option(None, help="filter by status"),
                  retired: bool = typer.Option(False, "--retired", help="include retired controls"),
                  org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    """List controls with their status and whether their evidence is fresh."""
    hc = open_haechi()
    rows = hc.compliance.controls.list(cli_actor(hc, org), system, status, retired)
    shown = [r | {"proof": words.proof(r)} for r in rows]
    if fmt is TabularFormat.table:  # JSON and CSV keep the codes
        shown = [words.control_row(r) for r in rows]
    emit(shown, fmt.value, columns=("ref", "system", "key", "status", "proof", "owner", "due_date", "overdue"),
         title=tr("controls.count", "{n} control(s)", n=len(rows)))


@controls.command("show")
def controls_show(ref: str = typer.Argument(..., help="control reference, e.g. C-3"), org: str | None = OrgOption,
                  fmt: Format = FormatOption) -> None:
    """Show a control: obligations served, evidence and its freshness, history."""
    hc = open_haechi()
    data = hc.compliance.controls.get(cli_actor(hc, org), ref)
    emit(data, fmt.value, table=_control_table)


def _control_table(c: dict[str, Any]) -> None:
    title = c["title_ko"] if korean() and c.get("title_ko") else c["title"]
    console.print(f"[bold]{c['ref']} {escape(title)}[/bold] — {c['system']}")
    console.print(tr("controls.facts", "status: {status}  effective: {effective}  owner: {owner}  due: {due}{overdue}",
                     status=vocabulary("compliance.states", c["status"]), effective=cell(bool(c["effective"])),
                     owner=c["owner"], due=c["due_date"],
                     overdue=tr("controls.overdue", " (overdue)") if c["overdue"] else ""), highlight=False)
    print_table([words.obligation_row(o) for o in c["obligation_details"]], ("pack", "id", "article", "status"),
                title=tr("controls.obligations", "obligations"))
    print_table([words.evidence_row(e) for e in c["evidence"]],
                ("ref", "evidence_type", "polarity", "title", "freshness", "counts_until"),
                title=tr("controls.evidence", "evidence"))
    print_table([words.event_row(e) for e in c["events"]], ("at", "actor", "kind", "to", "detail"),
                title=tr("controls.history", "history"))


@controls.command("set-status")
def controls_set_status(ref: str = typer.Argument(..., help="control reference"),
                        status: str = typer.Argument(..., help="not_started | in_progress | operating | needs_review"),
                        reason: str | None = typer.Option(None, "--reason", help="why"),
                        org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Move a control to another status ('operating' needs fresh evidence)."""
    hc = open_haechi()
    data = hc.compliance.controls.transition(cli_actor(hc, org), ref, status, reason)
    emit(data, fmt.value, table=_status_changed)


def _status_changed(d: dict[str, Any]) -> None:
    if d.get("request"):
        success(tr("controls.asked", "{ref}: asked to mark it {status}; another reviewer approves with "
                   "'haechi controls review {ref} --approve --note …'", ref=d["ref"], status=d["request"]["status"]))
    else:
        success(tr("controls.now", "{ref} is now {status}", ref=d["ref"],
                   status=vocabulary("compliance.states", d["status"])))


@controls.command("pending")
def controls_pending(system: str | None = SystemOpt, org: str | None = OrgOption,
                     fmt: TabularFormat = TabularOption) -> None:
    """Controls whose move to operating waits for a second person's approval."""
    hc = open_haechi()
    rows = hc.compliance.controls.pending(cli_actor(hc, org), system)
    shown = [r | {"requested_by": r["request"]["by"], "requested_at": r["request"]["at"]} for r in rows]
    emit(shown, fmt.value, columns=("ref", "system", "key", "status", "requested_by", "requested_at", "can_review"),
         title=tr("controls.waiting", "{n} control(s) waiting for approval", n=len(rows)))


@controls.command("review")
def controls_review(ref: str = typer.Argument(..., help="control reference (C-3)"),
                    approve: bool | None = typer.Option(None, "--approve/--refuse",
                                                        help="approve the request or refuse it"),
                    note: str = typer.Option(..., "--note", "-n", help="what you checked (required)"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Approve or refuse a request to mark a control operating (four eyes), with a note."""
    if approve is None:
        raise ValidationFailed("say --approve or --refuse", key="cli.say_approve_refuse")
    hc = open_haechi()
    data = hc.compliance.controls.decide(cli_actor(hc, org), ref, approve, note)
    emit(data, fmt.value, table=lambda d: success(tr("controls.now", "{ref} is now {status}",
                                                     ref=d["ref"], status=vocabulary("compliance.states",
                                                                                     d["status"]))))


@controls.command("assign")
def controls_assign(ref: str = typer.Argument(...), owner: str | None = typer.Option(None, help="owner e-mail"),
                    due: str | None = typer.Option(None, help="due date YYYY-MM-DD"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Change the owner and/or due date of a control."""
    hc = open_haechi()
    changes: dict[str, Any] = {}
    if owner is not None:
        changes["owner"] = owner
    if due is not None:
        changes["due_date"] = due
    data = hc.compliance.controls.assign(cli_actor(hc, org), ref, **changes)
    emit(data, fmt.value, table=lambda d: success(tr("controls.assigned", "{ref}: owner {owner}, due {due}",
                                                     ref=d["ref"], owner=d["owner"],
                                                                due=d["due_date"])))


@controls.command("sync")
def controls_sync(system: str = typer.Argument(..., help="system id"), org: str | None = OrgOption,
                  fmt: Format = FormatOption) -> None:
    """Classify the system again and add or retire controls accordingly."""
    hc = open_haechi()
    data = hc.compliance.control_sync.sync(cli_actor(hc, org), system)
    emit(data, fmt.value, table=_sync_table)


def _sync_table(d: dict[str, Any]) -> None:
    if d.get("skipped"):
        console.print(f"[yellow]{escape(d['warning'])}[/yellow]")
        return
    labels = {"added": tr("controls.sync_added", "added"), "restored": tr("controls.sync_restored", "restored"),
              "changed": tr("controls.sync_changed", "changed"), "retired": tr("controls.sync_retired", "retired")}
    for kind, label in labels.items():
        for item in d[kind]:
            console.print(f"{label:9} {item['control']:6} {item['key']}: {item['why']}", highlight=False, markup=False)
    if not any(d[k] for k in ("added", "restored", "changed", "retired")):
        success(tr("controls.in_sync", "{system}: controls already match the obligations", system=d["system"]))


@controls.command("check")
def controls_check(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Demote operating controls whose evidence went stale or expired (run daily)."""
    hc = open_haechi()
    data = hc.compliance.review(cli_actor(hc, org))
    emit(data, fmt.value, table=lambda d: print_table(d["demoted"], ("control", "key", "reason"),
                                                      title=tr("controls.demoted", "{n} control(s) demoted",
                                                               n=len(d["demoted"]))))


@controls.command("library")
def controls_library(fmt: TabularFormat = TabularOption) -> None:
    """List the control library (which topics each control serves, which evidence proves it)."""
    hc = open_haechi(migrate=False)
    rows = [c.summary() | {"evidence_types": [e.type for e in c.evidence]}
            for c in hc.compliance.library().controls.values()]
    if fmt is TabularFormat.table:  # JSON and CSV keep the codes
        rows = [words.library_row(r) for r in rows]
    emit(rows, fmt.value, columns=("id", "title", "topics", "evidence_types", "owner", "due_days"))


# --- evidence -----------------------------------------------------------------------------
def _meta(title: str | None, kind: str | None, description: str | None, effective_from: str | None,
          effective_until: str | None, valid_until: str | None, collected_at: str | None,
          polarity: str | None) -> dict[str, Any]:
    meta = {"title": title, "evidence_type": kind, "description": description, "effective_from": effective_from,
            "effective_until": effective_until, "valid_until": valid_until, "collected_at": collected_at,
            "polarity": polarity}
    return {k: v for k, v in meta.items() if v is not None}


TitleOpt = typer.Option(None, "--title", "-t", help="what this evidence shows")
TypeOpt = typer.Option(None, "--type", help="evidence type (document, plan, test_report, …)")
DescOpt = typer.Option(None, "--description")
FromOpt = typer.Option(None, "--effective-from", help="first day it speaks for (default: collection day)")
UntilOpt = typer.Option(None, "--effective-until", help="last day it speaks for")
ValidOpt = typer.Option(None, "--valid-until", help="expiry date")
CollectedOpt = typer.Option(None, "--collected-at", help="when it was collected (ISO date-time)")
PolarityOpt = typer.Option(None, "--polarity", help="supports (default) or contradicts")


@evidence.command("add")
def evidence_add(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the file"),
                 title: str | None = TitleOpt, system: str | None = SystemOpt,
                 control: list[str] | None = ControlOpt, kind: str | None = TypeOpt,
                 media_type: str | None = typer.Option(None, "--media-type", help="declared type"),
                 description: str | None = DescOpt, effective_from: str | None = FromOpt,
                 effective_until: str | None = UntilOpt, valid_until: str | None = ValidOpt,
                 collected_at: str | None = CollectedOpt, polarity: str | None = PolarityOpt,
                 org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Store a file as evidence (hashed, type-checked, never stored twice)."""
    hc = open_haechi()
    meta = _meta(title or file.name, kind, description, effective_from, effective_until, valid_until,
                 collected_at, polarity)
    data = hc.compliance.evidence.add_file(cli_actor(hc, org), file, filename=file.name, system=system,
                                           media_type=media_type, controls=control or [], **meta)
    emit(data, fmt.value, table=_added)


def _added(d: dict[str, Any]) -> None:
    success(tr("evidence.stored", "stored {ref} ({type}, sha256 {sha256}…) → {controls}", ref=d["ref"],
               type=d["evidence_type"], sha256=str(d["sha256"])[:12],
               controls=", ".join(d["controls"]) or tr("evidence.no_control", "no control")))
    for item in d.get("demoted", []):
        text = tr("evidence.demoted", "{control} demoted: {reason}", control=item["control"], reason=item["reason"])
        console.print(f"[yellow]{escape(text)}[/yellow]", highlight=False)


@evidence.command("add-link")
def evidence_add_link(url: str = typer.Argument(...), title: str | None = TitleOpt, system: str | None = SystemOpt,
                      control: list[str] | None = ControlOpt, kind: str | None = TypeOpt,
                      effective_from: str | None = FromOpt, valid_until: str | None = ValidOpt,
                      org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Record a link to evidence kept in another system."""
    hc = open_haechi()
    meta = _meta(title or url, kind, None, effective_from, None, valid_until, None, None)
    data = hc.compliance.evidence.add_link(cli_actor(hc, org), url, system=system, controls=control or [], **meta)
    emit(data, fmt.value, table=_added)


@evidence.command("add-record")
def evidence_add_record(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="YAML or JSON object"),
                        title: str | None = TitleOpt, system: str | None = SystemOpt,
                        control: list[str] | None = ControlOpt, kind: str | None = TypeOpt,
                        effective_from: str | None = FromOpt, valid_until: str | None = ValidOpt,
                        polarity: str | None = PolarityOpt, org: str | None = OrgOption,
                        fmt: Format = FormatOption) -> None:
    """Store a structured record (e.g. a training log) as evidence."""
    doc = load_file(file)
    if not isinstance(doc.data, dict):
        raise ValidationFailed(f"{file}: a record must be a mapping of fields", key="cli.record_must_mapping_fields",
                               values={"file": file})
    hc = open_haechi()
    meta = _meta(title or file.stem, kind or "record", None, effective_from, None, valid_until, None, polarity)
    data = hc.compliance.evidence.add_record(cli_actor(hc, org), doc.data, system=system, controls=control or [],
                                             **meta)
    emit(data, fmt.value, table=_added)


@evidence.command("list")
def evidence_list(system: str | None = SystemOpt, control: str | None = typer.Option(None, "--control", "-c"),
                  history: bool = typer.Option(False, "--history", help="include superseded revisions"),
                  org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    """List evidence (current revisions by default)."""
    hc = open_haechi()
    rows = hc.compliance.evidence.list(cli_actor(hc, org), system, control, history)
    if fmt is TabularFormat.table:  # JSON and CSV keep the codes
        rows = [words.evidence_row(r) for r in rows]
    emit(rows, fmt.value, columns=("ref", "system", "evidence_type", "polarity", "title", "effective_from",
                                   "valid_until", "controls"), title=tr("evidence.count", "{n} item(s)", n=len(rows)))


@evidence.command("show")
def evidence_show(ref: str = typer.Argument(...), org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Show an evidence item, its revisions and its record."""
    hc = open_haechi()
    data = hc.compliance.evidence.get(cli_actor(hc, org), ref)
    emit(data, fmt.value, table=_evidence_detail)


def _evidence_detail(d: dict[str, Any]) -> None:
    d = words.evidence_detail(d)
    print_table([d], ("ref", "kind", "evidence_type", "title", "sha256", "effective_from", "valid_until", "controls"))
    review = d.get("review") or {}
    print_table([review], ("status", "mode", "by", "at", "note"), title=tr("evidence.review", "review"))
    print_table(d["revisions"], ("ref", "revision", "title", "superseded", "created_at"),
                                 title=tr("evidence.revisions", "revisions"))


@evidence.command("revise")
def evidence_revise(ref: str = typer.Argument(...), file: Path | None = typer.Argument(None, exists=True),
                    title: str | None = TitleOpt, effective_from: str | None = FromOpt,
                    effective_until: str | None = UntilOpt, valid_until: str | None = ValidOpt,
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Store a new revision (new file and/or dates); links carry over."""
    hc = open_haechi()
    meta = _meta(title, None, None, effective_from, effective_until, valid_until, None, None)
    data = hc.compliance.evidence.revise(cli_actor(hc, org), ref, file, filename=file.name if file else None, **meta)
    emit(data, fmt.value, table=_added)


@evidence.command("link")
def evidence_link(ref: str = typer.Argument(...), control: list[str] = typer.Argument(..., help="C-3 C-4 …"),
                  org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Attach evidence to more controls."""
    hc = open_haechi()
    emit(hc.compliance.evidence.link(cli_actor(hc, org), ref, control), fmt.value, table=_added)


@evidence.command("resolve")
def evidence_resolve(ref: str = typer.Argument(...), resolution: str = typer.Option(..., "--resolution", "-r"),
                     org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Mark negative evidence (e.g. a monitoring alert) as resolved."""
    hc = open_haechi()
    data = hc.compliance.evidence.resolve(cli_actor(hc, org), ref, resolution)
    emit(data, fmt.value, table=lambda d: success(tr("evidence.resolved", "{ref} resolved", ref=d["ref"])))


@evidence.command("pending")
def evidence_pending(system: str | None = SystemOpt, org: str | None = OrgOption,
                     fmt: TabularFormat = TabularOption) -> None:
    """Evidence waiting for review (four eyes: the submitter cannot decide on their own item)."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    rows = hc.compliance.reviews.pending(actor, system)
    emit(rows, fmt.value, columns=("ref", "system", "evidence_type", "title", "added_by", "created_at",
                                   "controls", "can_review"),
title=tr("evidence.waiting", "{n} item(s) waiting for review", n=len(rows)))


@evidence.command("review")
def evidence_review(ref: str = typer.Argument(..., help="evidence reference (E-3)"),
                    accept: bool | None = typer.Option(None, "--accept/--reject",
                                                       help="accept the evidence or reject it"),
                    note: str = typer.Option(..., "--note", "-n", help="what you checked (required)"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Accept or reject evidence waiting for review, with a note (recorded in the ledger)."""
    if accept is None:
        raise ValidationFailed("say --accept or --reject", key="cli.say_accept_reject")
    hc = open_haechi()
    data = hc.compliance.reviews.decide(cli_actor(hc, org), ref, accept, note)
    emit(data, fmt.value, table=lambda d: success(
        tr("evidence.decided", "{ref} {status} by {by}", ref=d["ref"], status=d["review"]["status"],
           by=d["review"]["by"])))


@evidence.command("policy")
def evidence_policy(policy: str | None = typer.Argument(None, help="high_impact (default) or all; omit to show"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Show or set who needs a second reviewer: high-impact systems only (default) or all systems."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    data = hc.compliance.reviews.set_policy(actor, policy) if policy else hc.compliance.reviews.policy(actor)
    emit(data, fmt.value, table=lambda d: success(tr("evidence.policy", "review policy: {policy}", policy=d["policy"])))


@evidence.command("get")
def evidence_get(ref: str = typer.Argument(...), output: Path = typer.Option(..., "--output", "-o"),
                 org: str | None = OrgOption) -> None:
    """Write an evidence file to OUTPUT."""
    hc = open_haechi()
    path, _media, _name = hc.compliance.evidence.download(cli_actor(hc, org), ref)
    output.write_bytes(path.read_bytes())
    success(tr("passport.wrote", "wrote {file}", file=output))


@evidence.command("delete")
def evidence_delete(ref: str = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
                    org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Delete evidence after its retention period (administrators)."""
    hc = open_haechi()
    data = hc.compliance.delete_evidence(cli_actor(hc, org), ref, reason)
    emit(data, fmt.value, table=lambda d: success(tr("evidence.deleted", "deleted {ref}", ref=d["deleted"])))


# --- status ------------------------------------------------------------------------------------
def status(system: str | None = typer.Argument(None, help="one system (default: the organisation)"),
           org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Which obligations are met, at risk, unmet or unknown, and what to do next."""
    hc = open_haechi()
    data = hc.compliance.status(cli_actor(hc, org), system)
    emit(data, fmt.value, table=_status_table)


def _status_table(d: dict[str, Any]) -> None:
    counts = d.get("totals") or d["counts"]
    coverage = d["coverage"]
    console.print(f"[bold]{d.get('system') or d.get('org')}[/bold]  " + tr(
        "status.summary", "met {met} · at risk {at_risk} · unmet {unmet} · unknown {unknown}  — coverage "
        "{coverage} (a control counts only when operating with fresh evidence)", met=counts["met"],
        at_risk=counts["at_risk"], unmet=counts["unmet"], unknown=counts["unknown"],
        coverage="—" if coverage is None else f"{coverage:.0%}"), highlight=False)
    if "systems" in d:
        print_table([s | s["counts"] for s in d["systems"]], ("system", "met", "at_risk", "unmet", "unknown",
                                                             "coverage"))
    else:
        print_table([_readable_obligation(o) for o in d["obligations"]], ("id", "status", "state", "controls", "why"),
                    title=tr("status.obligations", "obligations in force"))
    running = [_readable_clock(c) for c in d["clocks"] if c["state"] in ("running", "due_soon", "overdue")]
    if running:
        print_table(running, ("clock", "system", "due_local", "state", "countdown"),
                    title=tr("status.clocks", "regulator clocks"))
    if d["next_actions"]:
        actions = [a | {"text": a.get("text_ko") or a["text"]} if korean() else a for a in d["next_actions"][:10]]
        print_table(actions, ("priority", "text"), title=tr("status.next", "next actions"))


def _readable_obligation(o: dict[str, Any]) -> dict[str, Any]:
    """An obligation's row in the dashboard's words when the CLI speaks Korean."""
    if not korean():
        return o
    why = vocabulary("compliance.why_state", o.get("why_key"))
    why = why.format(refs=", ".join(o.get("why_refs") or [])) if why != o.get("why_key") else o["why"]
    return o | {"status": vocabulary("rules.status", o["status"]), "state": vocabulary("compliance.states", o["state"]),
                "why": why}


def _readable_clock(c: dict[str, Any]) -> dict[str, Any]:
    if not korean():
        return c
    return c | {"state": vocabulary("compliance.states", c["state"]),
                "countdown": c.get("countdown_ko") or c["countdown"]}


def register(root: typer.Typer) -> None:
    """Add the compliance commands to the root app."""
    from . import audit, compliance_cases

    root.add_typer(controls, name="controls")
    root.add_typer(evidence, name="evidence")
    root.command("status")(status)
    compliance_cases.register(root)
    root.add_typer(audit.app, name="audit")
