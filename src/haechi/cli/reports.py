"""``haechi dossier``, ``haechi report …``, ``haechi export …``, ``haechi import …`` and
``haechi passport …``: documents, standard exports and the trust passport.

Each command parses, makes one facade call and writes the file (``--out``) or prints
it. The SHA-256 of every generated file and the ledger checkpoint it was made from go
to stderr, so stdout stays the document itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path

import typer

from .common import OrgOption, cli_actor, err_console, open_haechi, success
from .language import tr


class Variant(StrEnum):
    full = "full"
    kr_art34 = "kr-art34"
    eu_annex_iv = "eu-annex-iv"
    model_card = "model-card"


class Lang(StrEnum):
    ko = "ko"
    en = "en"


class DocFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


class ReportKind(StrEnum):
    portfolio = "portfolio"
    overdue = "overdue"
    incidents = "incidents"
    esg = "esg"


LangOption = typer.Option(Lang.en, "--lang", help="language of the document: ko or en")
OutOption = typer.Option(None, "--out", "-o", help="write to this file (needed for PDF and Excel on a terminal)")


def write_document(content: bytes, out: Path | None, meta: dict[str, object], binary: bool) -> None:
    """Write ``content`` to ``out`` (atomically) or stdout, then report hash and checkpoint."""
    if out is not None:
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(out)
        success(tr("document.wrote", "wrote {file} ({size} bytes)", file=out, size=f"{len(content):,}"))
    elif binary and sys.stdout.isatty():
        raise typer.BadParameter(tr("document.binary", "this format is binary: give --out FILE"), param_hint="--out")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    checkpoint = tr("document.checkpoint", " · ledger checkpoint seq {seq}",
                    seq=meta["checkpoint_seq"]) if meta.get("checkpoint_seq") else ""
    err_console.print(f"sha256 {meta.get('sha256')}{checkpoint}", highlight=False, soft_wrap=True)


def dossier(system: str = typer.Argument(..., help="system id"),
            variant: Variant = typer.Option(Variant.full, "--variant",
                                            help="full, kr-art34 (Korean Art. 34 pack), eu-annex-iv, model-card"),
            lang: Lang = LangOption,
            fmt: DocFormat = typer.Option(DocFormat.html, "--format", "-f", help="html, pdf or json"),
            out: Path | None = OutOption, org: str | None = OrgOption) -> None:
    """Generate the dossier of SYSTEM from a fresh signed ledger checkpoint."""
    hc = open_haechi()
    doc = hc.reports.dossier(cli_actor(hc, org), system, variant=variant.value, lang=lang.value, fmt=fmt.value)
    write_document(doc.content, out, doc.meta, binary=fmt is DocFormat.pdf)


report_app = typer.Typer(help="Organisation reports: portfolio, overdue, incidents, esg.", no_args_is_help=True)


def _report(kind: ReportKind, lang: Lang, fmt: DocFormat, out: Path | None, org: str | None,
            frm: dt.datetime | None = None, to: dt.datetime | None = None) -> None:
    hc = open_haechi()
    options = {"frm": frm.date() if frm else None, "to": to.date() if to else None} if kind is ReportKind.esg else {}
    doc = hc.reports.report(cli_actor(hc, org), kind.value, lang=lang.value, fmt=fmt.value, **options)
    write_document(doc.content, out, doc.meta, binary=fmt is DocFormat.pdf)


FormatOpt = typer.Option(DocFormat.html, "--format", "-f", help="html, pdf or json")


@report_app.command("portfolio")
def report_portfolio(lang: Lang = LangOption, fmt: DocFormat = FormatOpt, out: Path | None = OutOption,
                     org: str | None = OrgOption) -> None:
    """Systems × jurisdictions × status."""
    _report(ReportKind.portfolio, lang, fmt, out, org)


@report_app.command("overdue")
def report_overdue(lang: Lang = LangOption, fmt: DocFormat = FormatOpt, out: Path | None = OutOption,
                   org: str | None = OrgOption) -> None:
    """Controls, risk reviews and regulator clocks that are late or due soon."""
    _report(ReportKind.overdue, lang, fmt, out, org)


@report_app.command("incidents")
def report_incidents(lang: Lang = LangOption, fmt: DocFormat = FormatOpt, out: Path | None = OutOption,
                     org: str | None = OrgOption) -> None:
    """Incidents with their regulator clocks (EU Art. 73; KR Art. 33 confirmations)."""
    _report(ReportKind.incidents, lang, fmt, out, org)


@report_app.command("esg")
def report_esg(lang: Lang = LangOption, fmt: DocFormat = FormatOpt, out: Path | None = OutOption,
               frm: dt.datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"],
                                                      help="first day (default: a year ago)"),
               to: dt.datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"],
                                                     help="last day (default: today)"),
               org: str | None = OrgOption) -> None:
    """Energy, emissions, industrial effects and social indicators of the organisation."""
    _report(ReportKind.esg, lang, fmt, out, org, frm, to)


export_app = typer.Typer(help="Standard exports: CycloneDX ML-BOM, OSCAL, Excel, CSV.", no_args_is_help=True)
import_app = typer.Typer(help="Import an exported Excel workbook or CSV sheet (all or nothing).",
                         no_args_is_help=True)


class OscalKind(StrEnum):
    component_definition = "component-definition"
    assessment_results = "assessment-results"


@export_app.command("cyclonedx")
def export_cyclonedx(system: str = typer.Argument(..., help="system id"), out: Path | None = OutOption,
                     org: str | None = OrgOption) -> None:
    """CycloneDX 1.6 ML-BOM of SYSTEM with its modelCard, validated against the schema."""
    hc = open_haechi()
    doc = hc.exports.cyclonedx(cli_actor(hc, org), system)
    write_document(doc.content, out, doc.meta, binary=False)


@export_app.command("oscal")
def export_oscal(kind: OscalKind = typer.Argument(OscalKind.component_definition,
                                                  help="component-definition or assessment-results"),
                 system: list[str] = typer.Option(None, "--system", help="limit to these systems (repeat)"),
                 out: Path | None = OutOption, org: str | None = OrgOption) -> None:
    """OSCAL document of the organisation's AI systems, validated with compliance-trestle."""
    hc = open_haechi()
    doc = hc.exports.oscal(cli_actor(hc, org), kind.value, system or None)
    write_document(doc.content, out, doc.meta, binary=False)


@export_app.command("xlsx")
def export_xlsx(out: Path = typer.Option(..., "--out", "-o", help="the .xlsx file to write"),
                org: str | None = OrgOption) -> None:
    """Excel workbook: inventory, verdicts, controls, evidence, risks, incidents."""
    hc = open_haechi()
    doc = hc.exports.xlsx(cli_actor(hc, org))
    write_document(doc.content, out, doc.meta, binary=True)


@export_app.command("csv")
def export_csv(sheet: str | None = typer.Option(None, "--sheet", help="one sheet to stdout/--out; default: all "
                                                "sheets as a zip (needs --out)"),
               out: Path | None = OutOption, org: str | None = OrgOption) -> None:
    """CSV of every table (a zip of one CSV per sheet) or of one sheet."""
    hc = open_haechi()
    doc = hc.exports.csv(cli_actor(hc, org), sheet)
    write_document(doc.content, out, doc.meta, binary=sheet is None)


def _import(path: Path, org: str | None) -> None:
    from .common import print_json

    hc = open_haechi()
    result = hc.exports.import_file(cli_actor(hc, org), path)
    print_json(result)
    success(tr("import.done", "imported {file}: {created} created, {updated} updated, {unchanged} unchanged, "
               "{incidents} incidents", file=path.name, created=result["created"], updated=result["updated"],
               unchanged=result["unchanged"], incidents=result["incidents"]))


@import_app.command("xlsx")
def import_xlsx(path: Path = typer.Argument(..., help="workbook from 'haechi export xlsx'"),
                org: str | None = OrgOption) -> None:
    """Import the inventory and incidents sheets; every bad row is listed and nothing is stored."""
    _import(path, org)


@import_app.command("csv")
def import_csv(path: Path = typer.Argument(..., help="inventory.csv or incidents.csv"),
               org: str | None = OrgOption) -> None:
    """Import one CSV sheet (named by its file: inventory.csv or incidents.csv)."""
    _import(path, org)


def register(app: typer.Typer) -> None:
    """Add the report commands to the root ``haechi`` app."""
    from . import passport

    app.command("dossier")(dossier)
    app.add_typer(report_app, name="report")
    app.add_typer(passport.app, name="passport")
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
