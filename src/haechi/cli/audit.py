"""``haechi audit verify | export | checkpoint | checkpoints``: the trust ledger.

``haechi audit verify`` recomputes the organisation's hash chain, checks the recorded head,
every signed checkpoint, the checkpoint log in the data directory and any ``--witness``
files, and re-hashes the stored evidence files; it exits 0 when everything holds and 3
when something was altered, removed, reordered or rewritten, naming what.
``haechi audit verify --export FILE --public-key KEY`` checks an export without any
database (an auditor's machine needs only Haechi installed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from haechi.ledger.export import verify_export_file
from haechi.ledger.keys import load_public_key_file

from .common import Format, FormatOption, OrgOption, cli_actor, console, emit, open_haechi, print_table, success
from .language import korean, tr

app = typer.Typer(help="Verify, sign and export the tamper-evident ledger.", no_args_is_help=True)

#: Exit code when verification finds tampering (2 stays "bad input").
TAMPERED = 3


@app.command("verify")
def verify(export: Path | None = typer.Option(None, "--export", help="verify this export file offline"),
           public_key: Path | None = typer.Option(None, "--public-key", help="trusted public key (PEM)"),
           witness: list[Path] = typer.Option(
               [], "--witness", help="an export, dossier/report (JSON or HTML) or passport handed out earlier: "
               "check the chain against the checkpoint it carries (repeatable)"),
           files: bool = typer.Option(True, "--files/--no-files", help="also re-hash stored evidence files"),
           org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Check the chain against the database, the checkpoint log and any witness files.

    Exit 3 naming what was altered, removed, reordered or rewritten.
    """
    if export is not None:
        if public_key is None:
            raise typer.BadParameter(tr("audit.export_needs_key", "--export needs --public-key"))
        report = verify_export_file(export, public_key).to_dict()
        report["source"] = str(export)
    else:
        hc = open_haechi()
        actor = cli_actor(hc, org)
        extra = [load_public_key_file(public_key)] if public_key is not None else None
        report = hc.ledger.verify(actor, extra, witness).to_dict()
        if files:
            report["evidence_files"] = hc.compliance.verify_files(actor)
            report["ok"] = report["ok"] and report["evidence_files"]["ok"]
    emit(report, fmt.value, table=_report)
    if not report["ok"]:
        raise typer.Exit(TAMPERED)


def _report(r: dict[str, Any]) -> None:
    where = r.get("source") or r["org"]
    files = r.get("evidence_files")
    if r["ok"]:
        extra = tr("audit.files_intact", "; {n} evidence file(s) intact", n=files["files"]) if files else ""
        success(tr("audit.verified", "{where}: {entries} entries verified, signed through seq {seq} "
                   "({checkpoints} checkpoint(s)){extra}", where=where, entries=r["entries"],
                   seq=r["signed_through"], checkpoints=r["checkpoints"], extra=extra))
        return
    title = tr("audit.failed", "ledger of {where} FAILED verification", where=where)
    console.print(f"[bold red]{escape(title)}[/bold red]", highlight=False)
    for p in r["problems"]:
        seq = tr("audit.at_seq", "seq {seq}: ", seq=p["seq"]) if p["seq"] is not None else ""
        console.print(f"  - {seq}{p['message_ko'] if korean() else p['message']}", highlight=False, markup=False)
    for p in (files or {}).get("problems", []):
        state = tr("audit.file_missing", "missing") if p["state"] == "missing" else (
            tr("audit.file_altered", "altered") if p["state"] == "altered" else p["state"])
        text = tr("audit.file_problem", "evidence {ref} file {state}", ref=p["evidence"], state=state)
        console.print(f"  - {text} (sha256 {p['sha256'][:12]}…)", highlight=False, markup=False)


@app.command("export")
def export_(output: Path = typer.Argument(..., help="file to write (JSON)"),
            key_out: Path | None = typer.Option(None, "--public-key-out", help="also copy the public key here"),
            org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Sign the head and write the chain, checkpoints and public keys for an outside verifier."""
    hc = open_haechi()
    doc = hc.ledger.export(cli_actor(hc, org), output)
    if key_out is not None:
        key_out.write_text(hc.ledger.public_key_path().read_text())
    summary = {"file": str(output), "entries": len(doc["entries"]), "head": doc["head"],
               "public_key": str(key_out or hc.ledger.public_key_path())}
    emit(summary, fmt.value, table=lambda s: success(tr(
        "audit.exported", "wrote {file} ({entries} entries, head {head}); verify with: haechi audit verify "
        "--export {file} --public-key {key}", file=s["file"], entries=s["entries"], head=s["head"]["seq"],
        key=s["public_key"])))


@app.command("checkpoint")
def checkpoint(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Sign the current chain head now."""
    hc = open_haechi()
    cp = hc.ledger.checkpoint(cli_actor(hc, org))
    emit(cp, fmt.value, table=lambda c: success(
        tr("audit.signed", "signed seq {seq} ({head}…) key {key}…", seq=c["seq"], head=c["head_hash"][:12],
            key=c["key_id"][:12]) if c["new"] else
         tr("audit.already_signed", "already signed seq {seq} ({head}…) key {key}…", seq=c["seq"],
            head=c["head_hash"][:12], key=c["key_id"][:12])))


@app.command("checkpoints")
def checkpoints(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """List the signed checkpoints."""
    hc = open_haechi()
    rows = hc.ledger.checkpoints(cli_actor(hc, org))
    emit(rows, fmt.value, table=lambda r: print_table(r, ("number", "seq", "at", "reason", "created_by", "key_id")))
