"""``haechi packs bundle|keygen|install|uninstall|trust|untrust|changes`` and ``haechi timeline``.

Updating law packs without upgrading Haechi: a publisher (the Haechi maintainers, or a
firm for its own policy packs) makes a signed bundle from a folder of pack files; an
administrator trusts the publisher's key once and installs bundles. Installing
re-evaluates every system and records what changed (``haechi packs changes``).
docs/packs.md, "Updating packs", describes the format and the trust model.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import typer

from haechi.domain.errors import Issue, ValidationFailed

from . import updates_format as show
from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, success
from .language import cli_language, tr

MAX_READ = 8 << 20


def _lang() -> str:
    return cli_language()


def _read(path: Path, what: str, limit: int = MAX_READ) -> bytes:
    """A file the user named, bounded; problems are user errors naming the file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror or exc}", issues=[
            Issue(what, f"{path} cannot be read", "check the path and its permissions", file=str(path))],
            key="cli.cannot_read", values={"path": path}) from None
    if len(data) > limit:
        raise ValidationFailed(f"{path} is larger than {limit >> 20} MB", issues=[
            Issue(what, "file too large", "check you chose the right file", file=str(path))],
            key="cli.larger_than_mb", values={"limit": limit >> 20, "path": path})
    return data


def bundle(folder: Path = typer.Argument(..., metavar="DIR", help="folder of pack files (YAML/JSON)"),
           key: Path = typer.Option(..., "--key", help="the publisher's Ed25519 private key (PEM, PKCS#8)"),
           out: Path = typer.Option(..., "--output", "-o", help="bundle file to write (.haechi-pack)"),
           publisher: str = typer.Option("Haechi", "--publisher", help="publisher name shown to installers"),
           fmt: Format = FormatOption) -> None:
    """Make a signed pack bundle from a folder of pack files (every pack is validated first)."""
    from haechi.rules import bundle as bundles
    from haechi.rules.loader import load_pack_text

    private = bundles.read_private_key(_read(key, "--key", 64 << 10), str(key))
    files = bundles.folder_files(folder)
    packs = []
    for path, content in files.items():
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(f"{path} is not UTF-8 text", issues=[Issue("DIR", "not UTF-8", "save it as UTF-8",
                                   file=path)], key="cli.not_utf_text", values={"path": path}) from None
        loaded = load_pack_text(text, path)
        packs.append({"id": loaded.id, "version": loaded.version, "sha256": loaded.sha256})
    data = bundles.build(files, private, publisher[:200], packs, dt.datetime.now(dt.UTC))
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    info = {"bundle": str(out), "bytes": len(data), "key_id": bundles.key_id(private.public_key()),
            "packs": packs, "files": sorted(files)}
    emit(info, fmt.value, table=lambda d: success(tr(
        "packs.bundled", "{bundle}: {n} pack(s) signed by key {key}… ({refs})", bundle=d["bundle"], n=len(d["packs"]),
        key=d["key_id"][:16], refs=", ".join(p["id"] + "@" + str(p["version"]) for p in d["packs"]))))


def keygen(prefix: Path = typer.Argument(..., metavar="PREFIX", help="writes PREFIX.key.pem and PREFIX.pub.pem"),
           fmt: Format = FormatOption) -> None:
    """Make an Ed25519 key pair for signing bundles (keep the private key off shared machines)."""
    from haechi.rules import bundle as bundles

    private_path, public_path = Path(f"{prefix}.key.pem"), Path(f"{prefix}.pub.pem")
    for path in (private_path, public_path):
        if path.exists():
            raise ValidationFailed(f"{path} already exists", issues=[Issue("PREFIX", f"{path} exists",
                                   "choose another prefix; keys are never overwritten")],
                                   key="cli.already_exists", values={"path": path})
    key = bundles.new_key()
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(bundles.private_pem(key))
    public_path.write_bytes(bundles.public_pem(key.public_key()))
    data = {"private_key": str(private_path), "public_key": str(public_path),
            "key_id": bundles.key_id(key.public_key())}
    emit(data, fmt.value, table=lambda d: success(tr(
        "packs.keygen", "key {key}…: {private} (private), {public} (public: give it to installers)",
        key=d["key_id"][:16], private=d["private_key"], public=d["public_key"])))


def install(file: Path = typer.Argument(..., help="a pack bundle (.haechi-pack)"), org: str | None = OrgOption,
            fmt: Format = FormatOption) -> None:
    """Install a signed pack bundle (admin); every system is re-evaluated and law changes recorded."""
    data = _read(file, "FILE")
    hc = open_haechi()
    result = hc.rules.install(cli_actor(hc, org), data, file.name)
    emit(result, fmt.value, table=lambda d: show.install_result(d, _lang()))


def uninstall(ref: str = typer.Argument(..., metavar="ID@VERSION"), org: str | None = OrgOption,
              fmt: Format = FormatOption) -> None:
    """Remove an installed pack version (admin); the text that governed before applies again."""
    hc = open_haechi()
    result = hc.rules.uninstall(cli_actor(hc, org), ref)
    emit(result, fmt.value, table=lambda d: show.uninstall_result(d, _lang()))


def trust(keyfile: Path | None = typer.Argument(None, metavar="KEYFILE", help="publisher public key (PEM)"),
          list_: bool = typer.Option(False, "--list", help="list the keys and whether each is trusted"),
          org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Trust a publisher's public key for bundles (admin), or list the keys."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    if list_ or keyfile is None:
        rows = hc.rules.updates.trusted(actor)
        emit(rows, fmt.value, columns=("key_id", "source", "trusted", "file"),
             title=tr("packs.keys", "{n} key(s)", n=len(rows)))
        return
    result = hc.rules.updates.trust(actor, _read(keyfile, "KEYFILE", 64 << 10), str(keyfile))
    emit(result, fmt.value, table=lambda d: success(tr("packs.trusted", "trusted key {key}", key=d["key_id"])))


def untrust(key: str = typer.Argument(..., metavar="KEY-ID", help="key id (or its first 8+ characters)"),
            org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Stop trusting a publisher key (admin); installed packs stay until uninstalled."""
    hc = open_haechi()
    result = hc.rules.updates.untrust(cli_actor(hc, org), key)
    emit(result, fmt.value, table=lambda d: success(tr("packs.untrusted", "no longer trusted: {key}", key=d["key_id"])))


def changes(system: str | None = typer.Option(None, "--system", "-s", help="only this system"),
            limit: int = typer.Option(50, "--limit", min=1, max=500), offset: int = typer.Option(0, "--offset", min=0),
            org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Law changes: which systems gained, lost or moved duties, when, and the controls affected."""
    hc = open_haechi()
    data = hc.rules.law_changes(cli_actor(hc, org), system, limit, offset)
    emit(data, fmt.value, table=lambda d: show.law_changes(d, _lang()))


def timeline(system: str = typer.Argument(..., metavar="SYSTEM-ID"),
             at: str | None = typer.Option(None, "--at", help="centre date (YYYY-MM-DD; default today)"),
             org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """The dates on which a system's duties start, end or change (24 months back and ahead)."""
    from .rules import _date

    hc = open_haechi()
    data: dict[str, Any] = hc.rules.timeline(cli_actor(hc, org), system, _date(at))
    emit(data, fmt.value, table=lambda d: show.timeline(d, _lang()))


def register(packs_app: typer.Typer, root: typer.Typer) -> None:
    """Add the update commands to ``haechi packs`` and ``haechi timeline`` to the root."""
    for name, fn in (("bundle", bundle), ("keygen", keygen), ("install", install), ("uninstall", uninstall),
                     ("trust", trust), ("untrust", untrust), ("changes", changes)):
        packs_app.command(name)(fn)
    root.command("timeline")(timeline)
