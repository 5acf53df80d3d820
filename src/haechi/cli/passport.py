"""``haechi passport enable|disable|publish|show|verify|keys``: the trust passport.

``verify`` works without a workspace: it reads a file (offline) or fetches a URL and
the organisation's published key. Exit code 0 when the passport is valid and fresh, 1
when it is not (altered, wrong key, expired), 2 when the input cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .common import Format, FormatOption, OrgOption, cli_actor, console, emit, err_console, open_haechi, success
from .language import tr, vocabulary

app = typer.Typer(help="Trust passports: a public, signed, opt-in page per AI system.", no_args_is_help=True)


@app.command("enable")
def enable(system: str = typer.Argument(..., help="system id"),
           field: list[str] = typer.Option(None, "--field", help="public field (repeat): identity, purpose, verdicts, "
                                           "notices, oversight, compliance, monitoring, esg, ledger"),
           valid_days: int = typer.Option(30, "--valid-days", help="how long a signed passport stays fresh"),
           fmt: Format = FormatOption, org: str | None = OrgOption) -> None:
    """Opt SYSTEM in to a public passport showing the chosen fields."""
    hc = open_haechi()
    result = hc.passport.configure(cli_actor(hc, org), system, enabled=True, fields=field or None,
                                   valid_days=valid_days)
    emit(result, fmt.value, rows=lambda r: [{"field": f} for f in r["fields"]], columns=["field"],
         title=tr("passport.enabled", "passport of {system}: enabled", system=system))


@app.command("disable")
def disable(system: str = typer.Argument(..., help="system id"), org: str | None = OrgOption) -> None:
    """Take SYSTEM's passport down (published versions are withdrawn)."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    current = hc.passport.settings(actor, system)
    hc.passport.configure(actor, system, enabled=False, fields=current["fields"], valid_days=current["valid_days"])
    success(tr("passport.disabled", "passport of {system} disabled", system=system))


@app.command("publish")
def publish(system: str = typer.Argument(..., help="system id"),
            base_url: str | None = typer.Option(None, "--base-url", help="public address of this server "
                                                "(default: HAECHI_PUBLIC_URL)"),
            out: Path | None = typer.Option(None, "--out", "-o", help="also write the signed JSON here"),
            org: str | None = OrgOption) -> None:
    """Sign a new passport of SYSTEM from its current records and publish it."""
    hc = open_haechi()
    result = hc.passport.publish(cli_actor(hc, org), system, base_url=base_url)
    text = json.dumps(result["document"], ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        success(tr("passport.wrote", "wrote {file}", file=out))
    else:
        sys.stdout.write(text + "\n")
    err_console.print(tr("passport.published", "passport v{version} of {system} · sha256 {sha256}",
                         version=result["version"], system=system, sha256=result["sha256"]), highlight=False)


@app.command("show")
def show(system: str = typer.Argument(..., help="system id"), fmt: Format = FormatOption,
         org: str | None = OrgOption) -> None:
    """Settings and publication history of SYSTEM's passport."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    data = hc.passport.settings(actor, system) | {"history": hc.passport.history(actor, system)}
    # The dashboard's names of the public fields (--field takes the codes, which JSON keeps).
    fields = ", ".join(vocabulary("passport.field", f) for f in data["fields"])
    emit(data, fmt.value, rows=lambda d: d["history"], columns=["version", "issued_at", "expires_at", "withdrawn_at",
                                                          "sha256"],
         title=(tr("passport.shown_on", "passport of {system}: enabled · fields {fields}", system=system,
                   fields=fields) if data["enabled"] else
                tr("passport.shown_off", "passport of {system}: disabled · fields {fields}", system=system,
                   fields=fields)))


@app.command("keys")
def keys(org: str | None = OrgOption) -> None:
    """Print the organisation's published key list (passport-keys.json)."""
    hc = open_haechi()
    sys.stdout.write(json.dumps(hc.passport.keys(cli_actor(hc, org).org_slug), indent=2) + "\n")


@app.command("verify")
def verify(source: str = typer.Argument(..., help="passport URL (https://…/p/ORG/SYSTEM) or JSON file"),
           key: Path | None = typer.Option(None, "--key", help="trusted key: PEM or passport-keys.json"),
           fmt: Format = FormatOption) -> None:
    """Check a passport's signature and freshness (offline for a file)."""
    from haechi.passport.verify import verify_source

    result = verify_source(source, key)
    if fmt is Format.json:
        emit(result, "json")
    else:
        mark = (f"[green]{tr('passport.valid', 'valid')}[/green]" if result["ok"]
                else f"[bold red]{tr('passport.not_valid', 'NOT valid')}[/bold red]")
        source = {"pinned": tr("passport.key_pinned", "pinned"),
                  "embedded": tr("passport.key_embedded", "embedded")}.get(result["key_source"], result["key_source"])
        console.print(f"{mark}: " + tr("passport.checked", "{org}/{system} · key {key} ({source}) · expires {expires}",
                                       org=result["org"], system=result["system"], key=result["key_id"],
                                       source=source, expires=result["expires_at"]))
        for problem in result["problems"]:
            console.print(f"  ✗ {problem}", highlight=False, markup=False)
        for warning in result["warnings"]:
            err_console.print(f"  ! {warning}", highlight=False, markup=False)
    if not result["ok"]:
        raise typer.Exit(1)
