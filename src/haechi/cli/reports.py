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
        success(f"wrote {out} ({len(content):,} bytes)")
    elif binary and sys.stdout.isatty():
        raise typer.BadParameter("this format is binary: give --out FILE", param_hint="--out")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    checkpoint = f" · ledger checkpoint seq {meta['checkpoint_seq']}" if meta.get("checkpoint_seq") else ""
    err_console.print(f"sha256 {meta.get('sha256')}{checkpoint}", highlight=False)


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


def register(app: typer.Typer) -> None:
    """Add the report commands to the root ``haechi`` app."""
    app.command("dossier")(dossier)
    app.add_typer(report_app, name="report")
