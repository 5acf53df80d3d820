"""Signing credentials for C2PA manifests.

C2PA validators accept an end-entity certificate only with KeyUsage
``digitalSignature``, ExtendedKeyUsage ``emailProtection`` and an Authority Key
Identifier; the chain PEM lists the end-entity certificate first, then its CA (checked
with c2pa-python 0.38.1, see platform notes). :meth:`CertStore.load_credentials` checks
exactly these points before signing, so a wrong certificate fails with a message
that says what to fix instead of an opaque error from the native library.

:meth:`CertStore.create_local` makes a local CA and an end-entity
certificate for trying Haechi out, one pair per organisation, each naming its own
organisation (``<home>/signing/orgs/<org>/``); files signed with it verify as *valid
but not trusted* anywhere but here, which is what a test certificate should do. Older
workspaces kept one pair for every organisation in ``<home>/signing/``: its CA stays a
trust anchor so their labels keep verifying, but it signs nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from haechi.domain.errors import Issue, ValidationFailed

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.auth.service import OrgInfo


class OrgDirectory(Protocol):
    """What the certificate store needs to know about organisations (``hc.accounts``)."""

    def get_org(self, slug: str) -> OrgInfo: ...
    def local_actor(self, org_slug: str | None = None) -> Actor: ...
    def list_orgs(self) -> list[OrgInfo]: ...

LOCAL_DIR = "signing"
LOCAL_CA = "local-ca.pem"
LOCAL_CHAIN = "signing-chain.pem"
LOCAL_KEY = "signing-key.pem"
ORGS_DIR = "orgs"


@dataclass(frozen=True)
class SigningCredentials:
    """A checked certificate chain and key, ready to hand to c2pa."""

    chain_pem: bytes
    key_pem: bytes
    algorithm: str
    subject: str
    issuer: str
    not_after: dt.datetime
    cert_path: Path
    trust_anchor_pem: bytes | None  # the local CA, when the chain came from haechi init

    @property
    def self_issued_chain(self) -> bool:
        return self.trust_anchor_pem is not None


def _name(common_name: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signer, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not signer,
                         crl_sign=not signer, encipher_only=False, decipher_only=False)


def make_local_chain(org_name: str, *, days: int = 825,
                     now: dt.datetime | None = None) -> tuple[bytes, bytes, bytes]:
    """Create (CA PEM, chain PEM, key PEM) for ``org_name`` with ES256 keys."""
    now = now or dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{org_name} local test CA (Haechi)", org_name)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days + 1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_key_usage(signer=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(f"{org_name} content signer (test)", org_name))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signer=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca.public_bytes(pem), cert.public_bytes(pem) + ca.public_bytes(pem), key_pem


def _fail(field: str, message: str, fix: str, message_ko: str) -> ValidationFailed:
    return ValidationFailed(f"cannot sign: {message}", key="transparency.cannot_sign",
                            values={"message_ko": message_ko},
                            issues=[Issue(field, message, fix)])


class CertStore:
    """The signing certificates of a workspace: settings first, else per-organisation local pairs.

    :param home: the data directory (local pairs live in ``<home>/signing/``).
    :param signing_cert: / :param signing_key: the configured PEM paths (``HAECHI_SIGNING_*``).
    :param orgs: the organisation directory (``get_org``, ``local_actor``, ``list_orgs``) that
        names each local certificate's subject.
    """

    def __init__(self, home: Path, signing_cert: str | Path | None, signing_key: str | Path | None,
                 orgs: OrgDirectory) -> None:
        self.home, self.signing_cert, self.signing_key, self.orgs = home, signing_cert, signing_key, orgs

    def local_paths(self, org: str | None = None) -> tuple[Path, Path, Path]:
        """Where the local test CA, chain and key of organisation ``org`` live in the data directory.

        Without ``org``: the single pair older workspaces made for every organisation
        (``<home>/signing/``); it signs nothing any more, its CA only verifies old labels.
        """
        folder = self.home / LOCAL_DIR / ORGS_DIR / org if org else self.home / LOCAL_DIR
        return folder / LOCAL_CA, folder / LOCAL_CHAIN, folder / LOCAL_KEY

    def create_local(self, org_name: str | None = None, *, overwrite: bool = False,
                     org: str | None = None) -> dict[str, str]:
        """Make organisation ``org``'s own local CA and signing certificate (``haechi init``).

        ``org`` defaults to the only organisation; the certificate's subject names that
        organisation (``org_name`` overrides the name). Keeps an existing pair unless
        ``overwrite``. Returns the paths written. The key file is readable by its owner only.
        """
        info = self.orgs.get_org(org or self.orgs.local_actor(None).org_slug)
        ca_path, chain_path, key_path = self.local_paths(info.slug)
        found = {"org": info.slug, "ca": str(ca_path), "chain": str(chain_path), "key": str(key_path)}
        if chain_path.exists() and key_path.exists() and not overwrite:
            return {**found, "created": "no"}
        ca_pem, chain_pem, key_pem = make_local_chain(org_name or info.name)
        chain_path.parent.mkdir(parents=True, exist_ok=True)
        ca_path.write_bytes(ca_pem)
        chain_path.write_bytes(chain_pem)
        tmp = key_path.with_name(f".{key_path.name}.tmp")
        tmp.write_bytes(key_pem)
        tmp.chmod(0o600)
        tmp.replace(key_path)
        return {**found, "created": "yes"}

    def prepare_all(self) -> None:
        """``haechi init``: each organisation's own local test certificate (kept if one exists)."""
        for info in self.orgs.list_orgs():
            self.create_local(org=info.slug)

    def uses_local_certificates(self) -> bool:
        """Whether this workspace signs with local test certificates (made by ``haechi init``)."""
        legacy_chain = self.local_paths()[1]
        return legacy_chain.exists() or any((self.home / LOCAL_DIR / ORGS_DIR).glob(f"*/{LOCAL_CHAIN}"))

    def trust_anchors(self, org: str | None) -> list[bytes]:
        """Local CAs a verification trusts: the organisation's own and the older shared one.

        Without an organisation (a verification outside any tenant) every local CA counts.
        Reads only: a verification never creates a certificate.
        """
        paths = [self.local_paths()[0]]
        if org:
            paths.append(self.local_paths(org)[0])
        else:
            paths += sorted((self.home / LOCAL_DIR / ORGS_DIR).glob(f"*/{LOCAL_CA}"))
        return [p.read_bytes() for p in paths if p.exists()]

    def configured_paths(self, org: str | None = None) -> tuple[Path, Path, Path | None]:
        """The chain and key from settings, else organisation ``org``'s local pair from ``haechi init``.

        In a workspace that signs with local test certificates, an organisation without its
        own pair yet (created after ``haechi init``, or from before certificates were kept
        per organisation) gets one here, on its first authorised signing.
        """
        if self.signing_cert or self.signing_key:
            if not (self.signing_cert and self.signing_key):
                raise _fail("signing_cert/signing_key", "only one of the certificate and the key is set",
                            "set both HAECHI_SIGNING_CERT and HAECHI_SIGNING_KEY",
                            "인증서와 개인키 중 하나만 설정되어 있습니다")
            return Path(self.signing_cert), Path(self.signing_key), None
        ca_path, chain_path, key_path = self.local_paths(org)
        if org and not chain_path.exists() and self.uses_local_certificates():
            self.create_local(org=org)
        if not org or not chain_path.exists():
            raise _fail("signing_cert", "no signing certificate is configured",
                        "set HAECHI_SIGNING_CERT and HAECHI_SIGNING_KEY to your organisation's PEM files, "
                        "or run 'haechi init' (or 'haechi label init-cert') to create a local test certificate",
                        "서명 인증서가 설정되어 있지 않습니다 ('haechi label init-cert'로 시험용 인증서 생성)")
        return chain_path, key_path, ca_path

    def load_credentials(self, now: dt.datetime | None = None, org: str | None = None) -> SigningCredentials:
        """Read and check organisation ``org``'s chain and key; clear errors for every known problem."""
        chain_path, key_path, ca_path = self.configured_paths(org)
        return check_credentials(chain_path, key_path, ca_path, now)


def check_credentials(chain_path: Path, key_path: Path, ca_path: Path | None,
                      now: dt.datetime | None = None) -> SigningCredentials:
    """Read and check a chain and its key (``ca_path``: the local CA when the pair is a test one)."""
    chain_pem = _read(chain_path, "signing_cert")
    key_pem = _read(key_path, "signing_key")
    certs = _parse_chain(chain_pem, chain_path)
    key = _parse_key(key_pem, key_path)
    leaf = certs[0]
    _check_leaf(leaf, chain_path, now or dt.datetime.now(dt.UTC))
    if leaf.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != \
            key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise _fail("signing_key", f"{key_path} is not the key of the certificate in {chain_path}",
                    "use the private key that belongs to the first certificate of the chain",
                    "개인키가 인증서와 짝이 맞지 않습니다")
    anchor = ca_path.read_bytes() if ca_path and ca_path.exists() else None
    return SigningCredentials(chain_pem, key_pem, _algorithm(key), leaf.subject.rfc4514_string(),
                              leaf.issuer.rfc4514_string(), leaf.not_valid_after_utc, chain_path, anchor)


def _read(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _fail(field, f"cannot read {path}: {error.strerror or error}",
                    "check the path in the settings and the file's permissions",
                    f"{path} 파일을 읽을 수 없습니다") from None


def _parse_chain(pem: bytes, path: Path) -> list[x509.Certificate]:
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        certs = []
    if not certs:
        raise _fail("signing_cert", f"{path} holds no PEM certificate",
                    "give a PEM file with the signing certificate first, then its CA certificate(s)",
                    f"{path}에 PEM 인증서가 없습니다")
    return certs


def _parse_key(pem: bytes, path: Path) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise _fail("signing_key", f"{path} is not an unencrypted PEM private key ({error})",
                    "export the key as unencrypted PKCS#8 PEM",
                    f"{path}은(는) 암호화되지 않은 PEM 개인키가 아닙니다") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey):
        raise _fail("signing_key", f"{path}: unsupported key type {type(key).__name__}",
                    "use an EC P-256/P-384, RSA (PS256) or Ed25519 key", "지원하지 않는 키 종류입니다")
    return key


def _check_leaf(leaf: x509.Certificate, path: Path, now: dt.datetime) -> None:
    if leaf.not_valid_after_utc < now:
        raise _fail("signing_cert", f"the signing certificate in {path} expired on "
                    f"{leaf.not_valid_after_utc.date().isoformat()}",
                    "renew the certificate (or run 'haechi label init-cert --overwrite' for a test one)",
                    f"서명 인증서가 {leaf.not_valid_after_utc.date().isoformat()}에 만료되었습니다")
    if leaf.not_valid_before_utc > now:
        raise _fail("signing_cert", f"the signing certificate in {path} is not valid before "
                    f"{leaf.not_valid_before_utc.isoformat()}", "check the machine clock or the certificate",
                    "서명 인증서의 유효기간이 아직 시작되지 않았습니다")
    for problem in _extension_problems(leaf):
        raise _fail("signing_cert", f"{path}: {problem}",
                    "C2PA needs KeyUsage digitalSignature, ExtendedKeyUsage emailProtection and an "
                    "Authority Key Identifier on the signing certificate", f"{path}: C2PA 요건 불충족 ({problem})")


def _extension_problems(leaf: x509.Certificate) -> list[str]:
    problems = []
    try:
        if not leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature:
            problems.append("KeyUsage lacks digitalSignature")
    except x509.ExtensionNotFound:
        problems.append("no KeyUsage extension")
    try:
        usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.EMAIL_PROTECTION not in list(usages):
            problems.append("ExtendedKeyUsage lacks emailProtection")
    except x509.ExtensionNotFound:
        problems.append("no ExtendedKeyUsage extension")
    try:
        leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    except x509.ExtensionNotFound:
        problems.append("no Authority Key Identifier")
    return problems


def _algorithm(key: object) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {256: "es256", 384: "es384", 521: "es512"}.get(key.curve.key_size, "es256")
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    return "ed25519"
