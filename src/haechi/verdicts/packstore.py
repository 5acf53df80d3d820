"""The workspace's pack store: trusted publisher keys and packs installed from bundles.

Everything lives under ``<home>/packs/`` (never in the installed Haechi package):

* ``trusted/<key id>.pem`` — public keys an administrator trusts (``haechi packs trust``),
  beside the Haechi publisher key that ships in ``haechi/packs/_keys/``;
* ``revoked.json`` — key ids no longer trusted (this may name the shipped key too);
* ``installed/<id>@<version>/pack.<ext>`` with ``receipt.json`` (publisher, key id,
  bundle checksum, who installed it and when).

A bundle is verified (:mod:`haechi.rules.bundle`), each pack file validated, the
workspace's library rebuilt with the new packs (a clash with a shipped or user pack is
refused), and only then written: into a staging folder, then renamed into place. A
refused bundle leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from haechi.domain.errors import HaechiError, Issue, NotFound, ValidationFailed
from haechi.rules.library import RECEIPT, PackLibrary, parse_ref
from haechi.rules.loader import LoadedPack, load_pack_text

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from haechi.rules import bundle as bundles


def _bundles() -> Any:
    # imported on first use: cryptography is not needed by commands that only read verdicts
    from haechi.rules import bundle

    return bundle

SHIPPED_KEY = "haechi-publisher.pem"


def shipped_key() -> Ed25519PublicKey:
    """The Haechi publisher's public key (the private key is held by the maintainers)."""
    data = files("haechi.packs").joinpath("_keys", SHIPPED_KEY).read_bytes()
    return _bundles().read_public_key(data, SHIPPED_KEY)


@dataclass(frozen=True)
class Planned:
    """What installing a verified bundle would add (``new``) and what it already holds (``present``)."""

    bundle: bundles.Bundle
    new: list[tuple[str, LoadedPack]]
    present: list[str]


class PackStore:
    """Trusted keys and installed packs of one workspace (``root`` = ``<home>/packs``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.installed_dir = root / "installed"
        self.trusted_dir = root / "trusted"
        self.revoked_file = root / "revoked.json"

    # --- trust ----------------------------------------------------------------------
    def _revoked(self) -> set[str]:
        try:
            data = json.loads(self.revoked_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {str(k) for k in data} if isinstance(data, list) else set()

    def _added(self) -> dict[str, tuple[Ed25519PublicKey, Path]]:
        out = {}
        for path in sorted(self.trusted_dir.glob("*.pem")) if self.trusted_dir.is_dir() else []:
            try:
                key = _bundles().read_public_key(path.read_bytes(), path.name)
            except (OSError, ValidationFailed):
                continue  # a damaged file trusts nothing; trust_list shows it is absent
            out[_bundles().key_id(key)] = (key, path)
        return out

    def trusted_keys(self) -> dict[str, Ed25519PublicKey]:
        """Key id → key of every key a bundle may be signed with now."""
        keys = {_bundles().key_id(shipped_key()): shipped_key()}
        keys.update({kid: key for kid, (key, _path) in self._added().items()})
        revoked = self._revoked()
        return {kid: key for kid, key in keys.items() if kid not in revoked}

    def trust_list(self) -> list[dict[str, Any]]:
        """Every known key: id, where it comes from, whether it is trusted now."""
        revoked = self._revoked()
        shipped = _bundles().key_id(shipped_key())
        rows = [{"key_id": shipped, "source": "shipped", "trusted": shipped not in revoked, "file": SHIPPED_KEY}]
        rows += [{"key_id": kid, "source": "workspace", "trusted": kid not in revoked, "file": str(path)}
                 for kid, (_key, path) in self._added().items() if kid != shipped]
        return rows

    def trust(self, pem: bytes, source: str) -> dict[str, Any]:
        """Trust a publisher's public key (PEM); returns its id. Trusting it again is harmless."""
        key = _bundles().read_public_key(pem, source)
        kid = _bundles().key_id(key)
        self.trusted_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.trusted_dir / f"{kid}.pem", _bundles().public_pem(key))
        revoked = self._revoked() - {kid}
        _write_atomic(self.revoked_file, json.dumps(sorted(revoked)).encode())
        return {"key_id": kid, "source": "shipped" if kid == _bundles().key_id(shipped_key()) else "workspace"}

    def untrust(self, key_ref: str) -> dict[str, Any]:
        """Stop trusting a key (by id or a unique prefix of at least 8 characters)."""
        known = [row["key_id"] for row in self.trust_list()]
        matches = [k for k in known if len(key_ref) >= 8 and k.startswith(key_ref.lower())]
        if len(matches) != 1:
            raise NotFound(f"no single trusted key starts with {key_ref!r} (known: "
                           f"{', '.join(k[:16] for k in known)})",
                           key="verdicts.no_single_trusted_key", values={"key_ref": key_ref})
        kid = matches[0]
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.revoked_file, json.dumps(sorted(self._revoked() | {kid})).encode())
        return {"key_id": kid, "source": next(r["source"] for r in self.trust_list() if r["key_id"] == kid)}

    # --- install ----------------------------------------------------------------------
    def plan(self, data: bytes, library: PackLibrary) -> Planned:
        """Verify a bundle and validate its packs against ``library``; nothing is written."""
        bundle = _bundles().read(data, self.trusted_keys())
        loaded = [(path, _load(path, content)) for path, content in sorted(bundle.files.items())]
        claimed = sorted((p["id"], p["version"], p["sha256"]) for p in bundle.manifest["packs"]
                         if isinstance(p, dict))
        found = sorted((p.id, p.version, p.sha256) for _path, p in loaded)
        if claimed != found:
            raise _bundles().refuse("the packs in the files differ from the packs the manifest names",
                                 "파일의 팩이 매니페스트에 적힌 팩과 다릅니다", "rebuild with haechi packs bundle",
                                 "manifest.packs")
        try:
            PackLibrary([*library, *(p for _path, p in loaded)], library.crosswalks)
        except HaechiError as exc:
            ko = f"팩 번들을 설치하지 않았습니다: {exc.message_ko or exc.message}"
            raise _bundles().BundleRefused(f"pack bundle refused: {exc.message}", issues=exc.issues,
                                           message_ko=ko) from None
        present = {p.ref for p in library}
        return Planned(bundle, [(path, p) for path, p in loaded if p.ref not in present],
                       [p.ref for _path, p in loaded if p.ref in present])

    def install(self, planned: Planned, actor: str, now: dt.datetime) -> list[dict[str, Any]]:
        """Write the planned packs: staged, then each folder renamed into place."""
        self.installed_dir.mkdir(parents=True, exist_ok=True)
        stage = self.root / f".staging-{secrets.token_hex(6)}"
        stage.mkdir()
        receipts, moved = [], []
        try:
            for path, pack in planned.new:
                receipt = _receipt(planned.bundle, path, pack, actor, now)
                folder = stage / pack.ref
                folder.mkdir()
                (folder / f"pack{Path(path).suffix}").write_bytes(planned.bundle.files[path])
                (folder / RECEIPT).write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
                receipts.append(receipt)
            for _path, pack in planned.new:
                os.rename(stage / pack.ref, self.installed_dir / pack.ref)
                moved.append(pack.ref)
        except OSError:
            for ref in moved:  # put the store back as it was
                shutil.rmtree(self.installed_dir / ref, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return receipts

    def fingerprint(self) -> tuple[tuple[str, int], ...]:
        """What is installed now (folder names and their times), to notice installs by another process."""
        if not self.installed_dir.is_dir():
            return ()
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self.installed_dir.glob("*@*")))

    def installed(self) -> list[dict[str, Any]]:
        out = []
        for folder in sorted(self.installed_dir.glob("*@*")) if self.installed_dir.is_dir() else []:
            try:
                out.append(json.loads((folder / RECEIPT).read_text(encoding="utf-8")))
            except (OSError, ValueError):
                out.append({"ref": folder.name, "damaged": True})
        return out

    def uninstall(self, ref: str) -> dict[str, Any]:
        """Remove an installed pack version (shipped and ``packs_dir`` packs are not the store's)."""
        pack_id, version = parse_ref(ref)
        folder = self.installed_dir / f"{pack_id}@{version}"
        if version is None or not folder.is_dir() or folder.is_symlink():
            installed = ", ".join(r.get("ref", "?") for r in self.installed()) or "none"
            raise NotFound(f"{ref} is not an installed pack version (installed: {installed})",
                           key="verdicts.not_installed_pack_version", values={"ref": ref, "installed": installed})
        receipt = next((r for r in self.installed() if r.get("ref") == folder.name), {"ref": folder.name})
        trash = self.root / f".removed-{secrets.token_hex(6)}"
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)
        return receipt


def _load(path: str, content: bytes) -> LoadedPack:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise _bundles().refuse(f"{path} is not UTF-8 text", f"{path}이(가) UTF-8 텍스트가 아닙니다",
                             "save the pack file as UTF-8", file=path) from None
    try:
        return load_pack_text(text, path, origin="installed")
    except ValidationFailed as exc:
        ko = f"팩 번들을 설치하지 않았습니다: {path}은(는) 유효한 법령 팩이 아닙니다"
        raise _bundles().BundleRefused(f"pack bundle refused: {path} is not a valid law pack ({exc.message})",
                                       issues=exc.issues or [Issue("pack", exc.message, "fix the pack", file=path)],
                                       message_ko=ko) from None


def _receipt(bundle: bundles.Bundle, path: str, pack: LoadedPack, actor: str, now: dt.datetime) -> dict[str, Any]:
    publisher = bundle.publisher
    return {"ref": pack.ref, "pack": pack.id, "version": pack.version, "sha256": pack.sha256, "file": path,
            "name": publisher["name"], "key_id": publisher["key_id"], "bundle_sha256": bundle.sha256,
            "bundle_created": bundle.manifest["created"], "installed_at": now.isoformat(timespec="seconds"),
            "installed_by": actor}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


