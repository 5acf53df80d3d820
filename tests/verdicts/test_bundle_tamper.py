"""A bundle altered in any byte is refused; so are foreign keys and hostile archives.

Every byte position is altered in-process (the reader is pure and fast); a sample from
each region of the archive — the manifest, the signature, a pack file, the ZIP headers
and the central directory — goes through ``haechi packs install`` in a subprocess, as
an administrator meets it: exit 2, a clear message, nothing installed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from haechi.rules import bundle as bundles
from haechi.rules.bundle import BundleRefused

from .packkit import POLICY, make_bundle, write_key

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture(scope="module")
def key() -> bundles.Ed25519PrivateKey:
    return bundles.new_key()


@pytest.fixture(scope="module")
def signed(key) -> bytes:  # type: ignore[no-untyped-def]
    return make_bundle({"acme/v1.yaml": POLICY}, key)


def _altered(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x20 or 0x01]) + data[position + 1:]


def _regions(data: bytes) -> dict[str, int]:
    """A byte position inside each part of the archive."""
    manifest = data.index(b'{"created"')
    signature = data.index(b"manifest.sig") + len("manifest.sig") + 10
    pack = data.index(b"id: acme-policy") + 4
    central = data.index(b"PK\x01\x02")
    end = data.index(b"PK\x05\x06")
    return {"local header": 8, "manifest": manifest + 40, "signature": signature,
            "pack file": pack, "pack file end": central - 2, "central directory": central + 12,
            "end record": end + 10}


def test_every_altered_byte_is_refused(signed: bytes, key) -> None:  # type: ignore[no-untyped-def]
    trusted = {bundles.key_id(key.public_key()): key.public_key()}
    assert bundles.read(signed, trusted).files["acme/v1.yaml"] == POLICY.encode()
    for position in range(len(signed)):
        with pytest.raises(BundleRefused):
            bundles.read(_altered(signed, position), trusted)
    with pytest.raises(BundleRefused, match="not trusted"):
        bundles.read(signed, {})
    with pytest.raises(BundleRefused):
        bundles.read(signed + b"\0", trusted)  # trailing bytes


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAECHI_HOME": str(home), "PYTHONPATH": SRC, "HAECHI_LANG": "en"}
    env.pop("HAECHI_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_cli_refuses_altered_bundles_and_installs_the_intact_one(signed: bytes, key, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    assert _cli(home, "init").returncode == 0
    assert _cli(home, "packs", "trust", str(write_key(tmp_path / "acme.pub.pem", key))).returncode == 0
    for region, position in _regions(signed).items():
        path = tmp_path / f"altered-{position}.haechi-pack"
        path.write_bytes(_altered(signed, position))
        res = _cli(home, "packs", "install", str(path))
        assert res.returncode == 2, (region, res.stdout, res.stderr)
        assert "pack bundle refused" in res.stderr and "Traceback" not in res.stderr, region
    listing = _cli(home, "packs", "list", "--format", "json")
    assert "acme-policy" not in listing.stdout and not list((home / "packs").glob("installed/*"))
    good = tmp_path / "acme.haechi-pack"
    good.write_bytes(signed)
    assert _cli(home, "packs", "install", str(good)).returncode == 0
    assert '"provenance": "installed (Acme compliance)"' in _cli(home, "packs", "list", "--format", "json").stdout


def test_cli_refuses_a_foreign_key_in_korean(signed: bytes, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _cli(home, "init").returncode == 0
    path = tmp_path / "foreign.haechi-pack"
    path.write_bytes(signed)
    env_ko = {**os.environ, "HAECHI_HOME": str(home), "PYTHONPATH": SRC, "HAECHI_LANG": "ko"}
    res = subprocess.run([sys.executable, "-m", "haechi", "packs", "install", str(path)], env=env_ko,
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 2 and "신뢰하지 않는 키" in res.stderr, res.stderr


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize(("members", "expected"), [
    ([("manifest.json", b"{}", 0o100644), ("manifest.sig", b"x", 0o100644),
      ("files/../../etc/passwd.yaml", b"x", 0o100644)], "not allowed"),
    ([("manifest.json", b"{}", 0o100644), ("manifest.sig", b"x", 0o100644),
      ("files/a.yaml", b"/etc/passwd", 0o120777)], "not a plain file"),
    ([("manifest.json", b"{}", 0o100644), ("manifest.sig", b"x", 0o100644),
      ("files/a.yaml", b"\0" * (bundles.MAX_FILE_BYTES + 1), 0o100644)], "too large"),
    ([("manifest.json", b"{}", 0o100644), ("manifest.sig", b"x", 0o100644)]
     + [(f"files/p{i}.yaml", b"x", 0o100644) for i in range(bundles.MAX_FILES + 1)], "members"),
    ([("manifest.json", b"{}", 0o100644)], "manifest.sig is missing"),
    ([("manifest.json", b'{"format": "other"}', 0o100644), ("manifest.sig", b"x", 0o100644)], "format"),
])
def test_hostile_archives_are_refused_before_anything_is_trusted(members, expected) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BundleRefused, match=expected):
        bundles.read(_zip(members), {})
    with pytest.raises(BundleRefused, match="readable ZIP"):
        bundles.read(b"not a zip at all", {})


def test_cli_bundle_and_a_signed_but_invalid_pack(cli, cli_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``haechi packs keygen``/``bundle`` as a maintainer runs them; a signed bundle whose pack
    is invalid is refused at install with the file, line and fix, and nothing is installed."""
    assert cli("init").code == 0
    assert cli("packs", "keygen", str(tmp_path / "team")).code == 0
    assert (tmp_path / "team.key.pem").stat().st_mode & 0o077 == 0, "the private key is readable by its owner only"
    assert cli("packs", "keygen", str(tmp_path / "team")).code == 2, "keys are never overwritten"
    folder = tmp_path / "packs"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "v1.yaml").write_text(POLICY.replace("[employment, credit]", "[employmnt]"), encoding="utf-8")
    refused = cli("packs", "bundle", str(folder), "--key", str(tmp_path / "team.key.pem"), "-o", str(tmp_path / "b"))
    assert refused.code == 2 and "did you mean 'employment'" in refused.err and not (tmp_path / "b").exists()
    # a publisher whose tooling skipped validation: the bundle is signed, the pack is not valid
    key = bundles.read_private_key((tmp_path / "team.key.pem").read_bytes(), "team.key.pem")
    raw = {"acme/v1.yaml": (folder / "acme" / "v1.yaml").read_bytes()}
    signed = bundles.build(raw, key, "Team", [{"id": "acme-policy", "version": 1, "sha256": "0" * 64}],
                           dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    (tmp_path / "invalid.haechi-pack").write_bytes(signed)
    assert cli("packs", "trust", str(tmp_path / "team.pub.pem")).code == 0
    res = cli("packs", "install", str(tmp_path / "invalid.haechi-pack"))
    assert res.code == 2 and "acme/v1.yaml" in res.err and "employment" in res.err, res
    assert "acme-policy" not in cli("packs", "list", "--format", "json").out
    (folder / "acme" / "v1.yaml").write_text(POLICY, encoding="utf-8")
    made = cli("packs", "bundle", str(folder), "--key", str(tmp_path / "team.key.pem"), "-o", str(tmp_path / "ok"),
               "--format", "json")
    assert made.code == 0 and made.json()["packs"][0]["id"] == "acme-policy"
    installed = cli("packs", "install", str(tmp_path / "ok"), "--format", "json")
    assert installed.code == 0 and installed.json()["installed"][0]["ref"] == "acme-policy@1"
    assert cli("packs", "changes", "--format", "json").json()["total"] == 0, "no system registered: nothing changed"
    assert cli("packs", "uninstall", "acme-policy@1").code == 0
    assert cli("packs", "uninstall", "acme-policy@1").code == 2
