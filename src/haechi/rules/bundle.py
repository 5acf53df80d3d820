"""Signed pack bundles: how a law-pack update travels to a workspace that runs offline.

A bundle is a ZIP archive (documented in docs/packs.md, "Updating packs") with exactly:

* ``manifest.json`` — canonical JSON (sorted keys, no spaces, UTF-8): the format, the
  publisher (name and key id), the creation time, every file with its size and SHA-256,
  and the packs the files define (id, version, content checksum);
* ``manifest.sig`` — the Ed25519 signature of the manifest's bytes, base64, one line;
* ``files/<path>`` — the pack files the manifest lists, nothing else.

Members are stored uncompressed with fixed dates and attributes, so the archive is a
pure function of its content: the reader rebuilds it from what it verified and refuses
any archive that differs in a single byte (a changed timestamp, comment or padding is
as much a change as a changed pack). Reading is bounded (archive size, member count and
size, path shape; no links, no directories, no paths that climb out) because the file
comes from outside. The key id is the SHA-256 of the raw 32-byte public key.

Pure: no database, no settings; the workspace's trust store and installation live in
:mod:`haechi.verdicts.packstore`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from haechi.domain.errors import Issue, ValidationFailed

FORMAT = "haechi-pack-bundle"
FORMAT_VERSION = 1
MANIFEST, SIGNATURE, FILES = "manifest.json", "manifest.sig", "files/"
MAX_BUNDLE_BYTES = 8 << 20
MAX_FILE_BYTES = 2 << 20
MAX_FILES = 64
MAX_MANIFEST_BYTES = 256 << 10
_SUFFIXES = (".yaml", ".yml", ".json")
_PATH = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63}){0,3}$")
_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleRefused(ValidationFailed):
    """A bundle that is not installed: damaged, altered, unsigned by a trusted key, or invalid."""


def refuse(what: str, what_ko: str, fix: str, location: str = "bundle", file: str | None = None) -> BundleRefused:
    return BundleRefused(f"pack bundle refused: {what}", issues=[Issue(location, what, fix, file=file)],
                         key="rules.pack_bundle_refused", values={"what_ko": what_ko})


# --- keys ---------------------------------------------------------------------------
def key_id(public_key: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: how manifests and the trust store name a key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def private_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def read_public_key(data: bytes, source: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo); refuses anything else."""
    try:
        key = serialization.load_pem_public_key(data[:16384])
    except (ValueError, TypeError):
        raise _key_error(source, "is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise _key_error(source, "is not an Ed25519 public key")
    return key


def read_private_key(data: bytes, source: str) -> Ed25519PrivateKey:
    """An unencrypted Ed25519 private key from PEM (PKCS#8)."""
    try:
        key = serialization.load_pem_private_key(data[:16384], password=None)
    except (ValueError, TypeError):
        raise _key_error(source, "is not an unencrypted PEM private key (PKCS#8)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _key_error(source, "is not an Ed25519 private key")
    return key


def _key_error(source: str, what: str) -> ValidationFailed:
    return ValidationFailed(f"{source} {what}", issues=[Issue("key", f"{source} {what}",
                            "give an Ed25519 key in PEM form (openssl genpkey -algorithm ed25519)", file=source)],
                            key="rules.not_ed25519_pem_key", values={"source": source})


# --- writing ------------------------------------------------------------------------
@dataclass(frozen=True)
class Bundle:
    """A verified bundle: its manifest, the pack files by path, and its own checksum."""

    manifest: dict[str, Any]
    files: dict[str, bytes]
    sha256: str

    @property
    def publisher(self) -> dict[str, str]:
        return dict(self.manifest["publisher"])


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _zip(manifest: bytes, signature: bytes, files: Mapping[str, bytes]) -> bytes:
    """The archive bytes: fixed order, stored, fixed dates and attributes (see module docstring)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in [(MANIFEST, manifest), (SIGNATURE, signature),
                           *((FILES + path, files[path]) for path in sorted(files))]:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.create_system, info.external_attr = 3, (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return out.getvalue()


def build(files: Mapping[str, bytes], private_key: Ed25519PrivateKey, publisher: str,
          packs: list[dict[str, Any]], created: dt.datetime) -> bytes:
    """A signed bundle of ``files`` (relative path → bytes) defining ``packs``."""
    for path, data in files.items():
        check_path(path)
        if len(data) > MAX_FILE_BYTES:
            raise refuse(f"{path} is larger than {MAX_FILE_BYTES} bytes", f"{path} 파일이 너무 큽니다",
                         "split the pack or shorten it", file=path)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "created": created.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "publisher": {"name": publisher, "key_id": key_id(private_key.public_key())},
        "files": [{"path": p, "size": len(files[p]), "sha256": hashlib.sha256(files[p]).hexdigest()}
                  for p in sorted(files)],
        "packs": sorted(packs, key=lambda p: (p["id"], p["version"])),
    }
    body = canonical(manifest)
    signature = base64.b64encode(private_key.sign(body)) + b"\n"
    return _zip(body, signature, files)


def check_path(path: str) -> None:
    """A member path: lowercase relative segments, a pack suffix, nothing that climbs out."""
    if not _PATH.match(path) or ".." in path.split("/") or not path.endswith(_SUFFIXES):
        raise refuse(f"file path {path!r} is not allowed", f"허용되지 않는 파일 경로 {path!r}",
                     "use relative lowercase paths like eu-ai-act/v3.yaml (a-z, 0-9, . _ -)", location="files")


# --- reading ------------------------------------------------------------------------
def read(data: bytes, trusted: Mapping[str, Ed25519PublicKey]) -> Bundle:
    """Verify a bundle against the trusted keys (key id → key); raises :class:`BundleRefused`."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise refuse(f"the file is larger than {MAX_BUNDLE_BYTES >> 20} MB", "파일이 너무 큽니다",
                     "a pack bundle holds a few YAML files; check you chose the right file")
    members = _members(data)
    manifest_bytes, signature = members.pop(MANIFEST), members.pop(SIGNATURE)
    manifest = _manifest(manifest_bytes)
    publisher = manifest["publisher"]
    key = trusted.get(publisher["key_id"])
    if key is None:
        raise refuse(f"it is signed by a key that is not trusted ({publisher['key_id'][:16]}…, "
                     f"publisher {publisher['name']!r})",
                     f"신뢰하지 않는 키로 서명되었습니다 ({publisher['key_id'][:16]}…)",
                     "if you trust this publisher, add its public key: haechi packs trust KEYFILE",
                     "manifest.publisher")
    _verify(key, manifest_bytes, signature)
    files = _files(manifest, members)
    if _zip(manifest_bytes, signature, files) != data:
        raise refuse("the archive differs from the signed content (altered after signing)",
                     "서명 이후 보관 파일이 변경되었습니다", "get the bundle again from its publisher")
    return Bundle(manifest, files, hashlib.sha256(data).hexdigest())


def _members(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise refuse("the file is not a readable ZIP archive", "ZIP 보관 파일로 읽을 수 없습니다",
                     "give the .haechi-pack file made by haechi packs bundle") from None
    if len(infos) > MAX_FILES + 2:
        raise refuse(f"{len(infos)} members (at most {MAX_FILES + 2})", "구성 파일이 너무 많습니다",
                     "split the update into several bundles")
    out: dict[str, bytes] = {}
    for info in infos:
        _check_member(info, out)
        out[info.filename] = _read_member(archive, info)
    for required in (MANIFEST, SIGNATURE):
        if required not in out:
            raise refuse(f"{required} is missing", f"{required}이(가) 없습니다", "rebuild with haechi packs bundle")
    return out


def _check_member(info: zipfile.ZipInfo, seen: Mapping[str, bytes]) -> None:
    name = info.filename
    mode = info.external_attr >> 16
    if info.is_dir() or stat.S_ISLNK(mode) or (mode and not stat.S_ISREG(mode)):
        raise refuse(f"member {name!r} is not a plain file", f"{name!r}은(는) 일반 파일이 아닙니다",
                     "bundles hold plain files only (no links or folders)")
    if name in seen:
        raise refuse(f"member {name!r} appears twice", f"{name!r}이(가) 두 번 들어 있습니다", "rebuild the bundle")
    if name not in (MANIFEST, SIGNATURE):
        if not name.startswith(FILES):
            raise refuse(f"unexpected member {name!r}", f"예상하지 못한 구성 파일 {name!r}",
                         "a bundle holds manifest.json, manifest.sig and files/…")
        check_path(name[len(FILES):])
    limit = MAX_MANIFEST_BYTES if name in (MANIFEST, SIGNATURE) else MAX_FILE_BYTES
    if info.file_size > limit or info.compress_size > limit:
        raise refuse(f"member {name!r} is too large", f"{name!r}이(가) 너무 큽니다", "keep pack files small")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    limit = MAX_MANIFEST_BYTES if info.filename in (MANIFEST, SIGNATURE) else MAX_FILE_BYTES
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, RuntimeError, OSError):
        raise refuse(f"member {info.filename!r} cannot be read (damaged)", f"{info.filename!r}이(가) 손상되었습니다",
                     "get the bundle again from its publisher") from None
    if len(data) > limit:
        raise refuse(f"member {info.filename!r} is too large", f"{info.filename!r}이(가) 너무 큽니다",
                     "keep pack files small")
    return data


def _manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise refuse("manifest.json is not JSON", "manifest.json이 JSON이 아닙니다",
                     "rebuild with haechi packs bundle", "manifest.json") from None
    problems = _manifest_problems(manifest)
    if problems:
        raise refuse(f"manifest.json: {problems}", f"manifest.json 형식 오류: {problems}",
                     "rebuild with haechi packs bundle", "manifest.json")
    if canonical(manifest) != data:
        raise refuse("manifest.json is not in canonical form", "manifest.json이 정규 형식이 아닙니다",
                     "rebuild with haechi packs bundle", "manifest.json")
    return dict(manifest)


def _manifest_problems(m: Any) -> str | None:
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        return f"format is not {FORMAT}"
    if m.get("format_version") != FORMAT_VERSION:
        return f"format_version {m.get('format_version')!r} is not supported (this Haechi reads {FORMAT_VERSION})"
    publisher = m.get("publisher")
    if not isinstance(publisher, dict) or not isinstance(publisher.get("key_id"), str) \
            or not isinstance(publisher.get("name"), str):
        return "publisher needs name and key_id"
    files = m.get("files")
    if not isinstance(files, list) or not files or len(files) > MAX_FILES:
        return f"files must list 1 to {MAX_FILES} files"
    for item in files:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) \
                or not isinstance(item.get("sha256"), str) or not isinstance(item.get("size"), int):
            return "each file needs path, size and sha256"
    if not isinstance(m.get("packs"), list) or not isinstance(m.get("created"), str):
        return "packs and created are required"
    return None


def _verify(key: Ed25519PublicKey, manifest: bytes, signature: bytes) -> None:
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        key.verify(raw, manifest)
    except (InvalidSignature, binascii.Error, ValueError):
        raise refuse("the signature does not match the manifest (altered or signed by another key)",
                     "서명이 매니페스트와 맞지 않습니다(변경되었거나 다른 키로 서명됨)",
                     "get the bundle again from its publisher", "manifest.sig") from None


def _files(manifest: dict[str, Any], members: dict[str, bytes]) -> dict[str, bytes]:
    listed = {item["path"]: item for item in manifest["files"]}
    present = {name[len(FILES):]: data for name, data in members.items()}
    if set(listed) != set(present):
        extra, missing = sorted(set(present) - set(listed)), sorted(set(listed) - set(present))
        raise refuse(f"files differ from the manifest (extra {extra}, missing {missing})",
                     "파일 목록이 매니페스트와 다릅니다", "rebuild with haechi packs bundle")
    for path, data in present.items():
        check_path(path)
        item = listed[path]
        if len(data) != item["size"] or hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise refuse(f"{path} does not match its checksum in the manifest", f"{path}의 체크섬이 맞지 않습니다",
                         "get the bundle again from its publisher", file=path)
    return present


def folder_files(root: Path) -> dict[str, bytes]:
    """The pack files below ``root`` (relative path → bytes), for :func:`build`."""
    if not root.is_dir():
        raise ValidationFailed(f"{root} is not a folder",
                               issues=[Issue("DIR", f"{root} is not a folder", "give the folder of pack files")],
                               key="rules.not_folder", values={"root": root})
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise refuse(f"{path} is a link", f"{path}은(는) 링크입니다", "copy the file itself into the folder")
        if path.is_file() and path.suffix in _SUFFIXES:
            rel = path.relative_to(root).as_posix()
            check_path(rel)
            out[rel] = path.read_bytes()
    if not out:
        raise ValidationFailed(f"no pack files in {root}", issues=[Issue("DIR", "no *.yaml, *.yml or *.json files",
                               "put the pack files in the folder")], key="rules.no_pack_files", values={"root": root})
    return out
