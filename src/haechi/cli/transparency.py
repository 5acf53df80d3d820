"""``haechi notice``, ``haechi label …`` and ``haechi label verify``: the transparency kit.

Each command parses, makes one facade call and prints. JSON output (``--format json``)
is stable: the result dictionaries of :mod:`haechi.transparency.service`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from .common import FormatOption, OrgOption, cli_actor, console, emit, err_console, open_haechi, success
from .language import korean, tr

app = typer.Typer(help="Label AI-generated output (text, C2PA for media) and verify labelled files.",
                  no_args_is_help=True)


class Lang(StrEnum):
    ko = "ko"
    en = "en"


class Channel(StrEnum):
    terms = "terms"
    screen = "screen"
    place = "place"
    voice = "voice"


class NoticeFormat(StrEnum):
    text = "text"
    html = "html"
    json = "json"
    pdf = "pdf"


class TextFormat(StrEnum):
    text = "text"
    html = "html"
    json = "json"


def notice(system: str = typer.Argument(..., help="system id"),
           lang: Lang = typer.Option(Lang.ko, "--lang", help="language of the notice"),
           channel: Channel = typer.Option(Channel.screen, "--channel",
                                           help="terms (terms of use), screen, place (posted notice), voice"),
           fmt: NoticeFormat = typer.Option(NoticeFormat.text, "--format", "-f", help="text, html, json or pdf"),
           out: Path | None = typer.Option(None, "--out", "-o", help="write to this file (PDF needs it)"),
           store: bool = typer.Option(False, "--store",
                                      help="first store the notice as a new version if the card or verdict "
                                           "changed (editors)"),
           org: str | None = OrgOption) -> None:
    """Print the advance notice of SYSTEM (KR Art. 31(1); EU Art. 50(1), 26(11)).

    A read: after a card or verdict change it prints the next version as a draft; --store saves it.
    """
    hc = open_haechi()
    actor = cli_actor(hc, org)
    if store:
        from haechi.auth.roles import Permission
        actor.require(Permission.WRITE)
        hc.transparency.current_notice(actor, system)
    result = hc.transparency.notice(actor, system, lang=lang.value, channel=channel.value, fmt=fmt.value)
    _warn(result.meta())
    output = result.output
    if fmt is NoticeFormat.json:
        output = {**result.meta(), "notice": output}
    _write(output, out, binary=fmt is NoticeFormat.pdf)


def _warn(meta: dict[str, Any]) -> None:
    if not meta["required"]:
        reasons = "; ".join(r for e in meta["exemptions"] for r in e.get("reasons", []))
        reasons = reasons or tr("notice.no_duty", "no notice duty in the verdict")
        err_console.print(f"[yellow]{tr('notice.note', 'note')}:[/yellow] " + escape(tr(
            "notice.voluntary", "no advance notice is required ({reasons}); this one is voluntary", reasons=reasons)),
                          highlight=False)
    for warning in meta["warnings"]:
        err_console.print(f"[yellow]{tr('notice.warning', 'warning')}:[/yellow] {escape(warning)}", highlight=False)
    if meta["draft"]:
        err_console.print(f"[yellow]{tr('notice.note', 'note')}:[/yellow] " + escape(tr(
            "notice.draft", "draft: not stored yet (the card or verdict changed since the stored version); "
            "'haechi notice SYSTEM --store' saves it")), highlight=False)


def _write(output: Any, out: Path | None, binary: bool = False) -> None:
    import json
    if isinstance(output, dict):
        output = json.dumps(output, ensure_ascii=False, indent=2) + "\n"
    if out is not None:
        from haechi.transparency.files import atomic_output, check_output
        check_output(None, out)
        with atomic_output(out) as tmp:
            tmp.write_bytes(output if isinstance(output, bytes) else str(output).encode())
        success(tr("passport.wrote", "wrote {file}", file=out))
        return
    if binary:
        from haechi.domain.errors import Issue, ValidationFailed
        raise ValidationFailed("a PDF cannot be printed to the terminal",
                               key="cli.pdf_cannot_printed_terminal",
                               issues=[Issue("--out", "missing", "add --out notice.pdf")])
    sys.stdout.write(str(output))


def _label(kind: str, src: Path, out: Path, system: str, org: str | None, **options: Any) -> None:
    fmt = options.pop("_fmt", "table")
    hc = open_haechi()
    result = hc.transparency.label_file(cli_actor(hc, org), system, kind, src, out, **options)
    if fmt == "json":
        emit(result, "json")
        return
    if not result["applied"]:
        for exception in result["exceptions"]:
            err_console.print(f"[yellow]{tr('label.not_labelled', 'not labelled')}:[/yellow] {exception['citation']}: "
                              f"{escape('; '.join(exception['reasons']))}", highlight=False)
        success(tr("label.copied", "copied {src} to {out} unchanged (exception recorded; use --force to label anyway)",
                   src=src, out=out))
        return
    for warning in result.get("warnings", []):
        err_console.print(f"[yellow]{tr('notice.warning', 'warning')}:[/yellow] {escape(warning)}", highlight=False)
    success(tr("label.labelled", "labelled {out} ({kind}, system {system})", out=out, kind=kind, system=system))
    if result.get("self_signed_test_certificate"):
        err_console.print(f"[yellow]{tr('notice.note', 'note')}:[/yellow] " + escape(tr(
            "label.test_certificate", "signed with the local test certificate: others will see 'valid but "
            "untrusted'; set HAECHI_SIGNING_CERT/KEY for real use")), highlight=False)


@app.command("text")
def label_text(src: Path = typer.Argument(..., metavar="IN"), out: Path = typer.Argument(..., metavar="OUT"),
               system: str = typer.Option(..., "--system", help="system id"),
               fmt: TextFormat = typer.Option(TextFormat.text, "--as", help="output form: text, html, json"),
               lang: Lang | None = typer.Option(None, "--lang"),
               force: bool = typer.Option(False, help="label even when the verdict exempts it"),
               org: str | None = OrgOption) -> None:
    """Label generated text: visible label + machine-readable marks."""
    _label("text", src, out, system, org, fmt=fmt.value, lang=lang.value if lang else None, force=force)


def _media_command(kind: str) -> Any:
    def command(src: Path = typer.Argument(..., metavar="IN"), out: Path = typer.Argument(..., metavar="OUT"),
                system: str = typer.Option(..., "--system", help="system id"),
                overlay: bool | None = typer.Option(None, "--overlay/--no-overlay",
                                                    help="draw a visible label (images; default from settings)"),
                artistic: bool | None = typer.Option(None, "--artistic/--not-artistic",
                                                     help="artistic work: discreet corner mark"),
                lang: Lang | None = typer.Option(None, "--lang"),
                force: bool = typer.Option(False, help="label even when the verdict exempts it"),
                fmt: str = FormatOption, org: str | None = OrgOption) -> None:
        _label(kind, src, out, system, org, overlay=overlay, artistic=artistic,
               lang=lang.value if lang else None, force=force, _fmt=str(fmt))
    command.__doc__ = f"Sign {kind} with a C2PA manifest (AI-generated, trainedAlgorithmicMedia)."
    return command


for _kind in ("image", "video", "audio"):
    app.command(_kind)(_media_command(_kind))


@app.command("verify")
def verify(file: Path = typer.Argument(..., metavar="FILE"),
           reencode: bool = typer.Option(True, "--reencode/--no-reencode", help="test re-encode survival"),
           fmt: str = FormatOption, org: str | None = OrgOption) -> None:
    """Report a file's C2PA manifest, signer, signature/hash validity and re-encode survival."""
    hc = open_haechi()
    actor = _optional_actor(hc, org)
    report = hc.transparency.verify(actor, file, reencode=reencode)
    emit(report, str(fmt), table=_print_report)


def _optional_actor(hc: Any, org: str | None) -> Any:
    from haechi.domain.errors import HaechiError
    try:
        return cli_actor(hc, org)
    except HaechiError:
        return None  # verification works without a workspace; only the record look-up needs one


def _verdict(verdict: str) -> str:
    if verdict == "valid":
        return tr("label.verdict_valid", "valid")
    if verdict == "valid_untrusted":
        return tr("label.verdict_untrusted", "valid_untrusted")
    if verdict == "invalid":
        return tr("label.verdict_invalid", "invalid")
    return tr("label.verdict_unlabelled", "unlabelled") if verdict == "unlabelled" else verdict


def _how(text: str) -> str:
    """The service's English account of a re-encode or a match, in the CLI's language."""
    if text.startswith("decoded and saved again with Pillow (") and text.endswith(")"):
        return tr("label.reencoded", "decoded and saved again with Pillow ({format})", format=text[37:-1])
    if text == "exact file (SHA-256)":
        return tr("label.matched_exact", "exact file (SHA-256)")
    if text.startswith("perceptual fingerprint"):
        return tr("label.matched_fingerprint", "perceptual fingerprint (not a cryptographic proof)")
    return text


def _print_report(r: dict[str, Any]) -> None:
    yes = {True: f"[green]{tr('cell.yes', 'yes')}[/green]", False: f"[red]{tr('cell.no', 'no')}[/red]", None: "—"}
    console.print(f"[bold]{escape(r['file'])}[/bold]  {r['media_type']}  sha256 {r['sha256'][:16]}…")
    console.print(tr("label.verdict", "verdict: {verdict}", verdict=f"[bold]{_verdict(r['verdict'])}[/bold]"))
    console.print(tr("label.manifest", "C2PA manifest: {manifest}  AI-generated: {generated}",
                     manifest=yes[r["manifest_present"]], generated=yes[r.get("ai_generated")]))
    if r["manifest_present"]:
        signer = r.get("signer") or {}
        console.print(tr("label.signer", "signer: {name} (issuer {issuer}, {algorithm})",
                         name=escape(str(signer.get("common_name"))), issuer=escape(str(signer.get("issuer"))),
                         algorithm=signer.get("algorithm")))
        console.print(tr("label.validity", "signature valid: {signature}  hashes valid: {hashes}  trusted: {trusted}",
                         signature=yes[r["signature_valid"]], hashes=yes[r["hashes_valid"]], trusted=yes[r["trusted"]]))
        if r.get("system"):
            system = r["system"]
            name = system.get("name_ko") if korean() and system.get("name_ko") else system.get("name")
            console.print(tr("label.system", "system: {id} — {name}", id=system.get("system_id"),
                             name=escape(str(name))))
    aigc = r.get("cn_aigc")
    if aigc:
        fields = aigc.get("fields") or {}
        console.print(tr("label.china", "China implicit label (GB 45438-2025 TC260:AIGC): {valid}  "
                         "producer: {producer}  content id: {content}", valid=yes[aigc.get("valid")],
                         producer=escape(fields.get("ContentProducer", "")),
                         content=escape(fields.get("ProduceID", ""))))
    re = r.get("reencode")
    if re:
        console.print(tr("label.survives", "survives re-encode: {survived} ({how})",
                         survived=yes[re.get("survived")] if re.get("tested") else "—",
                         how=escape(_how(str(re.get("method") or re.get("reason"))))))
    record = r.get("haechi_record")
    if record:
        console.print(tr("label.record",
                         "Haechi record: output #{output} of {system}, labelled {at} (matched by {how})",
                         output=record["output_id"], system=record["system"], at=record["labelled_at"],
                         how=escape(_how(record["matched_by"]))))


@app.command("settings")
def label_settings(system: str = typer.Argument(..., help="system id"),
                   set_: list[str] = typer.Option([], "--set", help="KEY=VALUE, e.g. mode=machine_only, "
                                                  "wording_ko='AI 생성물', artistic_work=true (repeatable)"),
                   fmt: str = FormatOption, org: str | None = OrgOption) -> None:
    """Show or change how a system's outputs are labelled."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    if set_:
        result = hc.transparency.set_label_settings(actor, system, _pairs(set_))
    else:
        result = hc.transparency.label_settings(actor, system)
    data = result.model_dump()
    emit(data, str(fmt), rows=lambda d: [{"setting": k, "value": v} for k, v in d.items()],
         columns=("setting", "value"))


def _pairs(items: list[str]) -> dict[str, Any]:
    from haechi.domain.errors import Issue, ValidationFailed
    from haechi.domain.yamlio import loads_yaml
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed(f"--set {item!r} is not KEY=VALUE", key="transparency.set_format",
                                   values={"item": item},
                                   issues=[Issue("--set", "missing '='", "write e.g. --set mode=visible_only")])
        # The same reader as files: a broken or non-finite value exits 2 naming --set.
        parsed = loads_yaml(value, f"--set {key.strip()}").data if value.strip() else ""
        out[key.strip()] = parsed if isinstance(parsed, bool | int | float) or parsed is None else str(value)
    return out


@app.command("init-cert")
def init_cert(overwrite: bool = typer.Option(False, help="replace an existing local certificate"),
              fmt: str = FormatOption, org: str | None = OrgOption) -> None:
    """Create an organisation's own local test CA and signing certificate in the data directory."""
    hc = open_haechi()
    emit(hc.transparency.certs.create_local(overwrite=overwrite, org=cli_actor(hc, org).org_slug), str(fmt),
         table=lambda d: success(tr("label.certificate", "signing certificate: {chain} (key {key}, local CA {ca})",
                                      chain=d["chain"], key=d["key"], ca=d["ca"])))


def register(root: typer.Typer) -> None:
    """``haechi notice`` (top level) and the ``haechi label`` group."""
    root.command("notice")(notice)
    root.add_typer(app, name="label")
    register_receipts(root)


receipt_app = typer.Typer(help="Explanation receipts for high-impact decisions and review requests.",
                          no_args_is_help=True)


@receipt_app.command("create")
def receipt_create(system: str = typer.Argument(..., help="system id"),
                   event: Path = typer.Argument(..., help="decision event (JSON or YAML): decision_id, result, "
                                                         "features, contributions"),
                   top: int = typer.Option(5, help="how many main criteria to show"),
                   fmt: str = FormatOption, org: str | None = OrgOption) -> None:
    """Explain one logged decision (KR Art. 34(1)(2); EU Art. 86)."""
    from haechi.domain.yamlio import load_file
    data = load_file(event).data
    if not isinstance(data, dict):
        from haechi.domain.errors import Issue, ValidationFailed
        raise ValidationFailed(f"{event}: the event must be a mapping of fields",
                               key="transparency.event_not_mapping", values={"event": event},
                               issues=[Issue("", "not a mapping", "write decision_id: ..., result: ...", 1,
                                             str(event))])
    hc = open_haechi()
    result = hc.transparency.receipts.create(cli_actor(hc, org), system, data, top=top)
    emit(result, str(fmt), table=lambda r: success(f"receipt {r['token']} for decision {r['decision_id']}"))


@receipt_app.command("show")
def receipt_show(token: str = typer.Argument(...), lang: Lang = typer.Option(Lang.ko, "--lang"),
                 fmt: NoticeFormat = typer.Option(NoticeFormat.text, "--format", "-f"),
                 out: Path | None = typer.Option(None, "--out", "-o"), org: str | None = OrgOption) -> None:
    """Print a receipt as text, HTML, JSON or PDF (PDF needs --out)."""
    hc = open_haechi()
    _write(hc.transparency.receipts.render(cli_actor(hc, org), token, fmt.value, lang.value), out,
           binary=fmt is NoticeFormat.pdf)


@receipt_app.command("requests")
def receipt_requests(status: str | None = typer.Option(None, help="open, in_review, upheld, changed, closed"),
                     system: str | None = typer.Option(None), fmt: str = FormatOption,
                     org: str | None = OrgOption) -> None:
    """Review requests and objections (the overseers' task list)."""
    hc = open_haechi()
    items = hc.transparency.receipts.requests(cli_actor(hc, org), status, system)
    emit(items, str(fmt), columns=("id", "system", "decision_id", "kind", "status", "assignee", "due_at"))


@receipt_app.command("resolve")
def receipt_resolve(request_id: int = typer.Argument(...),
                    status: str = typer.Option(..., help="in_review, upheld, changed or closed"),
                    resolution: str = typer.Option("", help="what was decided and why"),
                    fmt: str = FormatOption, org: str | None = OrgOption) -> None:
    """Record the outcome of a review request."""
    hc = open_haechi()
    result = hc.transparency.receipts.resolve(cli_actor(hc, org), request_id, status, resolution)
    emit(result, str(fmt), table=lambda r: success(f"request {r['id']}: {r['status']}"))


def register_receipts(root: typer.Typer) -> None:
    root.add_typer(receipt_app, name="receipt")
