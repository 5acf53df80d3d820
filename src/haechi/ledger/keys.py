"""The Ed25519 key that signs ledger checkpoints.

The private key lives in the data directory (``<home>/keys/ledger-ed25519.pem``, mode
0600) and never enters the database; the public key is also written beside it and
registered in ``ledger_keys`` so checkpoints can be verified from the database or, with
only the public key file, from an export.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from haechi.domain.errors import BadRequest, Issue
from haechi.store.compliance_tables import LedgerKey

if TYPE_CHECKING:
    from haechi.store.db import Database

PRIVATE_KEY_FILE = "ledger-ed25519.pem"
PUBLIC_KEY_FILE = "ledger-ed25519.pub.pem"


@dataclass(frozen=True)
class Signer:
    """A loaded private key and its public half."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def public_pem(self) -> str:
        return public_pem(self.public_key)

    def sign(self, message: bytes) -> str:
        """Base64 Ed25519 signature of ``message``."""
        return base64.b64encode(self.private_key.sign(message)).decode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 bytes of SHA-256 of its raw form, hex."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def verify_signature(public_key: Ed25519PublicKey, signature_b64: str, message: bytes) -> bool:
    """True when ``signature_b64`` is a valid signature of ``message`` by ``public_key``."""
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_dir(home: Path) -> Path:
    return home / "keys"


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def load_or_create_signer(home: Path) -> Signer:
    """The signer stored in ``home``, generating a new key pair the first time."""
    path = key_dir(home) / PRIVATE_KEY_FILE
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise BadRequest(
                f"{path} is not an Ed25519 private key; move it away to generate a new one",
                key="ledger.not_ed25519_private_key", values={"path": path},
            )
        signer = Signer(loaded)
    else:
        signer = Signer(Ed25519PrivateKey.generate())
        pem = signer.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private(path, pem)
    public_path = key_dir(home) / PUBLIC_KEY_FILE
    if not public_path.exists() or public_path.read_text() != signer.public_pem():
        public_path.write_text(signer.public_pem())
    return signer


def register_key(session: Session, signer: Signer) -> None:
    """Record the public key in the database (once) so stored checkpoints can be checked."""
    if session.get(LedgerKey, signer.key_id) is None:
        session.add(LedgerKey(key_id=signer.key_id, public_key=signer.public_pem()))
        session.flush()


def ensure_ledger_key(db: Database, home: Path) -> Path:
    """Create the checkpoint key pair in the data directory if missing; return the public key path.

    Called by ``haechi init``; safe to call any number of times.
    """
    signer = load_or_create_signer(home)
    with db.transaction() as s:
        register_key(s, signer)
    return key_dir(home) / PUBLIC_KEY_FILE


def load_public_key(text: str, source: str = "public key") -> Ed25519PublicKey:
    """Parse a PEM Ed25519 public key, with a clear message when it is something else."""
    try:
        key = serialization.load_pem_public_key(text.encode())
    except ValueError:
        raise BadRequest(
            f"{source} is not a PEM public key",
            issues=[
                Issue(
                    source,
                    "cannot read a PEM public key",
                    "pass the ledger-ed25519.pub.pem file written by 'haechi init'",
                    file=source,
                )
            ],
            key="ledger.not_pem_public_key", values={"source": source},
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadRequest(
            f"{source} is not an Ed25519 key", key="ledger.not_ed25519_key", values={"source": source}
        )
    return key


def load_public_key_file(path: Path) -> Ed25519PublicKey:
    """Read a public key file, naming the file when it is missing or malformed."""
    if not path.is_file():
        raise BadRequest(
            f"public key file {path} not found",
            key="ledger.public_key_file_not_2", values={"path": path},
        )
    return load_public_key(path.read_text(errors="replace"), str(path))
