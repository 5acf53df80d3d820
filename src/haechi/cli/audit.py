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

from haechi.ledger.export import verify_export_file
from haechi.ledger.keys import load_public_key_file

from .common import Format, FormatOption, OrgOption, cli_actor, console, emit, open_haechi, print_table, success

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
    korean = False
    if export is not None:
        if public_key is None:
            raise typer.BadParameter("--export needs --public-key")
        report = verify_export_file(export, public_key).to_dict()
        report["source"] = str(export)
    else:
        hc = open_haechi()
        actor = cli_actor(hc, org)
        korean = hc.settings.lang == "ko"
        extra = [load_public_key_file(public_key)] if public_key is not None else None
        report = hc.ledger.verify(actor, extra, witness).to_dict()
        if files:
            report["evidence_files"] = hc.compliance.verify_files(actor)
            report["ok"] = report["ok"] and report["evidence_files"]["ok"]
    emit(report, fmt.value, table=lambda r: _report(r, korean))
    if not report["ok"]:
        raise typer.Exit(TAMPERED)


def _report(r: dict[str, Any], korean: bool) -> None:
    where = r.get("source") or r["org"]
    files = r.get("evidence_files")
    if r["ok"]:
        extra = f"; {files['files']} evidence file(s) intact" if files else ""
        if korean:
            extra = f"; 증거 파일 {files['files']}개 온전함" if files else ""
            success(f"{where}: 항목 {r['entries']}개 검증됨, seq {r['signed_through']}까지 서명됨 "
                    f"(체크포인트 {r['checkpoints']}개){extra}")
            return
        success(f"{where}: {r['entries']} entries verified, signed through seq {r['signed_through']} "
                f"({r['checkpoints']} checkpoint(s)){extra}")
        return
    title = f"{where} 원장 검증 실패" if korean else f"ledger of {where} FAILED verification"
    console.print(f"[bold red]{title}[/bold red]", highlight=False)
    for p in r["problems"]:
        seq = f"seq {p['seq']}: " if p["seq"] is not None else ""
        console.print(f"  - {seq}{p['message_ko' if korean else 'message']}", highlight=False, markup=False)
    for p in (files or {}).get("problems", []):
        text = (f"증거 {p['evidence']} 파일 {_STATE_KO.get(p['state'], p['state'])}" if korean
                else f"evidence {p['evidence']} file {p['state']}")
        console.print(f"  - {text} (sha256 {p['sha256'][:12]}…)", highlight=False, markup=False)


_STATE_KO = {"missing": "없음 (삭제됨)", "altered": "변조됨"}


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
    emit(summary, fmt.value, table=lambda s: success(
        f"wrote {s['file']} ({s['entries']} entries, head {s['head']['seq']}); verify with: haechi audit verify "
        f"--export {s['file']} --public-key {s['public_key']}"))


@app.command("checkpoint")
def checkpoint(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Sign the current chain head now."""
    hc = open_haechi()
    cp = hc.ledger.checkpoint(cli_actor(hc, org))
    emit(cp, fmt.value, table=lambda c: success(
        f"{'signed' if c['new'] else 'already signed'} seq {c['seq']} ({c['head_hash'][:12]}…) "
        f"key {c['key_id'][:12]}…"))


@app.command("checkpoints")
def checkpoints(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """List the signed checkpoints."""
    hc = open_haechi()
    rows = hc.ledger.checkpoints(cli_actor(hc, org))
    emit(rows, fmt.value, table=lambda r: print_table(r, ("number", "seq", "at", "reason", "created_by", "key_id")))
