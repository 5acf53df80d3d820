"""``haechi classify``, ``haechi compare``, ``haechi crosswalk`` and ``haechi packs …``.

``classify`` and ``compare`` take a card file (no workspace needed: nothing is opened or
created) or the id of a registered system. JSON output (``--format json``) is the
contract of ``spec/system-card.md`` for ``classify`` and documented in docs/packs.md
for the others.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from haechi.domain.card import read_card
from haechi.domain.errors import Issue, ValidationFailed
from haechi.rules import PackLibrary, load_pack_file, load_packs, lookup
from haechi.rules.api import pack_summary
from haechi.rules.compare import compare as compare_card
from haechi.rules.crosswalk import load_crosswalk_document, parse_query
from haechi.rules.diff import diff_packs
from haechi.settings import Settings

from . import pack_updates
from . import rules_format as show
from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, success
from .language import cli_language, tr

packs_app = typer.Typer(help="Law packs: list, show, validate and diff versions; bundle, trust, install and "
                        "uninstall updates; the law changes they made.", no_args_is_help=True)

AtOption = typer.Option(None, "--at", help="read the law as in force on this date (YYYY-MM-DD; default today)")


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"--at {text!r} is not a date", issues=[
            Issue("--at", f"{text!r} is not a date", "write YYYY-MM-DD, e.g. 2026-11-26")],
            key="cli.at_not_date", values={"text": text}) from None


def _is_file(target: str) -> bool:
    return Path(target).suffix.lower() in (".yaml", ".yml", ".json") or Path(target).is_file()


def _workspace_exists(settings: Settings) -> bool:
    return bool(settings.database_url) or (settings.home / "haechi.db").exists()


def _lang() -> str:
    return cli_language()


def _library() -> PackLibrary:
    """The workspace's packs (shipped, installed from bundles, ``HAECHI_PACKS_DIR``), without
    opening the workspace."""
    settings = Settings()
    return load_packs(settings.packs_dir, installed_dir=settings.home / "packs" / "installed")


def classify(target: str = typer.Argument(..., metavar="CARD|SYSTEM-ID",
                                          help="a card file (YAML/JSON) or a registered system id"),
             at: str | None = AtOption,
             pack: list[str] = typer.Option([], "--pack", "-p",
                                            help="pack id or id@version (repeatable); default: by markets"),
             all_: bool = typer.Option(False, "--all", help="also list obligations that do not apply"),
             provisional: bool = typer.Option(False, "--provisional",
                                              help="let provisional pack versions govern dates"),
             org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Classify an AI system: classes, obligations with articles and reasons, open questions."""
    as_of, packs = _date(at), list(pack) or None
    if _is_file(target):
        from haechi.rules import classify as classify_card

        result = classify_card(read_card(target), as_of, packs, all_, library=_library(), provisional=provisional)
    else:
        hc = open_haechi()
        result = hc.rules.classify(cli_actor(hc, org), target, as_of=as_of, packs=packs,
                                   include_all=all_, provisional=provisional)
    emit(result, fmt.value, table=lambda r: show.classification(r, _lang()))


def compare(target: str = typer.Argument(..., metavar="CARD|SYSTEM-ID"), at: str | None = AtOption,
            provisional: bool = typer.Option(False, "--provisional", help="use provisional versions"),
            all_: bool = typer.Option(False, "--all", help="show every law and framework with a comparison "
                                      "column, not only the system's markets"),
            pack: list[str] = typer.Option([], "--pack", "-p", metavar="PACK",
                                           help="also show this pack, e.g. a framework (repeatable)"),
            org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """What the laws of the system's markets (and the operator's home country) require, side by side."""
    as_of = _date(at)
    if _is_file(target):
        data = compare_card(read_card(target), _library(), as_of, provisional=provisional, include_all=all_,
                            extra=pack)
    else:
        hc = open_haechi()
        data = hc.rules.compare(cli_actor(hc, org), target, as_of, provisional=provisional,
                                include_all=all_, packs=pack)
    emit(data, fmt.value, table=lambda d: show.comparison(d, _lang()))


def crosswalk(article: str = typer.Argument(..., metavar="PACK:ARTICLE",
                                            help="e.g. kr:34(1), eu:50(2), nist:'MEASURE 2.11', iso:A.5.2"),
              fmt: Format = FormatOption) -> None:
    """Counterparts of an article in the other packs (relationship and rationale)."""
    library = _library()
    pack, ref = parse_query(article, library.prefixes())
    entries = lookup(library.crosswalks, pack, ref)
    if not entries:
        raise ValidationFailed(f"no crosswalk entry for {article}", issues=[
            Issue("article", f"nothing maps {pack} {ref}",
                  "try the article without points, e.g. kr:34 or eu:50")],
            key="cli.no_crosswalk_entry", values={"article": article})
    emit(entries, fmt.value, table=lambda e: show.crosswalk(e, _lang()))


@packs_app.command("list")
def packs_list(fmt: Format = FormatOption) -> None:
    """Every pack version: id, version, status, dates and checksum."""
    packs = list(_library())
    rows = [pack_summary(p) for p in packs]
    if fmt is Format.table:  # JSON keeps the codes
        rows = [show.pack_row(p, row) for p, row in zip(packs, rows, strict=True)]
    emit(rows, fmt.value, columns=("ref", "kind", "status", "jurisdiction", "published",
                                   "obligations", "confidence", "provenance", "sha256"),
         title=tr("packs.versions", "{n} pack version(s)", n=len(rows)))


@packs_app.command("show")
def packs_show(ref: str = typer.Argument(..., metavar="PACK[@VERSION]"), fmt: Format = FormatOption) -> None:
    """A pack's identity, sources, classes and obligations."""
    loaded = _library().get(ref)
    data = {**pack_summary(loaded), "pack": loaded.pack.model_dump(mode="json", by_alias=True)}
    emit(data, fmt.value, table=lambda _: show.pack(loaded, _lang()))


@packs_app.command("validate")
def packs_validate(file: Path = typer.Argument(..., help="pack or crosswalk file (YAML/JSON)"),
                   fmt: Format = FormatOption) -> None:
    """Check a pack (or crosswalk) file; problems are listed with file, line and field."""
    from haechi.domain.yamlio import load_file

    doc = load_file(file)
    if isinstance(doc.data, dict) and doc.data.get("kind") == "crosswalk":
        cw = load_crosswalk_document(doc)
        data: dict[str, Any] = {"valid": True, "kind": "crosswalk", "id": cw.id,
                                "version": cw.version, "entries": len(cw.entries)}
    else:
        loaded = load_pack_file(file)
        data = {"valid": True, **pack_summary(loaded)}
    emit(data, fmt.value, table=lambda d: success(tr(
        "packs.valid", "{file}: valid {kind} {ref} ({n} items) sha256 {sha256}", file=file, kind=d.get("kind"),
        ref=d.get("ref") or d.get("id"), n=d.get("obligations", d.get("entries")), sha256=d.get("sha256", "—"))))


@packs_app.command("diff")
def packs_diff(old: str = typer.Argument(..., metavar="PACK@V1"),
               new: str = typer.Argument(..., metavar="PACK@V2"), at: str | None = AtOption,
               org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Obligations added, removed and changed; in a workspace, the systems whose verdict changes."""
    settings = Settings()
    if _workspace_exists(settings):
        hc = open_haechi()
        data = hc.rules.diff(cli_actor(hc, org), old, new, _date(at))
    else:
        lib = _library()
        data = diff_packs(lib.get(old), lib.get(new))
    emit(data, fmt.value, table=lambda d: show.pack_diff(d, _lang()))


def register(root: typer.Typer) -> None:
    """Add the law-pack commands to the root app."""
    root.command("classify")(classify)
    root.command("compare")(compare)
    root.command("crosswalk")(crosswalk)
    root.add_typer(packs_app, name="packs")
    pack_updates.register(packs_app, root)
